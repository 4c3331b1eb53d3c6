import CodecSupport
import Conformance
import Foundation

/// How one case ended, as every writer presents it.
public enum CaseOutcome: String, Sendable, CaseIterable {
    /// Verdict `pass`.
    case pass
    /// Verdict `inconc`: a precondition could not be established, or the behaviour is unconfirmed.
    case inconc
    /// Verdict `fail`: the device did something the standard forbids.
    case fail
    /// Verdict `error`: the harness or the transport failed.
    case error
    /// Verdict `none` and applicable: the run ended (interrupted) before the case started.
    case notRun = "not run"
    /// The device's PICS ruled the case out.
    case notApplicable = "not applicable"

    /// Worst first: the order the writers list cases that need attention in.
    var severityRank: Int {
        switch self {
        case .error: 0
        case .fail: 1
        case .inconc: 2
        case .notRun: 3
        case .notApplicable: 4
        case .pass: 5
        }
    }
}

extension RunReport.CaseResult {
    /// The case's outcome: its verdict, or not applicable / not run.
    public var outcome: CaseOutcome {
        if notApplicable { return .notApplicable }
        switch verdict {
        case .none: return .notRun
        case .pass: return .pass
        case .inconc: return .inconc
        case .fail: return .fail
        case .error: return .error
        }
    }

    /// The reason to show: the recorded one, or what the outcome implies when there is none.
    public var displayReason: String {
        if let reason, !reason.isEmpty { return reason }
        switch outcome {
        case .notRun: return "not run: interrupted"
        case .notApplicable: return "not applicable"
        default: return ""
        }
    }
}

extension Reference {
    /// `standard clause — source`, the form every writer prints.
    public var citation: String {
        let head = clause.map { "\(standard) \($0)" } ?? standard
        return source.isEmpty ? head : "\(head) — \(source)"
    }
}

extension RunReport {
    /// The run's wall-clock duration in seconds (never negative).
    public var durationSeconds: Double {
        max(0, finishedAt.timeIntervalSince(startedAt))
    }

    /// The frames by packet number, in report order (events may share a packet's number; 0 is left out).
    var framesByNumber: [Int: [FrameRecord]] {
        Dictionary(grouping: frames.filter { $0.number > 0 }, by: \.number)
    }

    /// Every case with its suite, in run order.
    var allCases: [(suite: SuiteResult, testCase: CaseResult)] {
        suites.flatMap { suite in suite.cases.map { (suite, $0) } }
    }
}

/// Formatting shared by the writers.
enum ReportFormatting {
    /// ISO 8601 with milliseconds, UTC: `2026-11-25T10:15:00.123Z`, rounded to the nearest
    /// millisecond. A date read back from report.json is often a hair below the millisecond
    /// written there (`.976` decodes to `.97599…`) and the formatter truncates, so formatting it
    /// directly showed `.975`: the page disagreed with report.json by 1 ms.
    static func timestamp(_ date: Date) -> String {
        RunReport.timestamp(date)
    }

    /// Seconds with three decimals, never in exponent form: `0.125`.
    static func seconds(_ value: Double) -> String {
        let millis = max(0, (value * 1000).rounded())
        guard millis.isFinite, millis < 1e15 else { return "0.000" }
        let whole = Int64(millis)
        let fraction = String(whole % 1000)
        return "\(whole / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }

    /// Milliseconds for people: `12.5 ms`, `1.250 s`.
    static func duration(milliseconds: Double) -> String {
        guard milliseconds.isFinite else { return "?" }
        if milliseconds >= 1000 { return seconds(milliseconds / 1000) + " s" }
        let tenths = (milliseconds * 10).rounded() / 10
        return (tenths == tenths.rounded() ? String(Int64(tenths)) : String(tenths)) + " ms"
    }
}
