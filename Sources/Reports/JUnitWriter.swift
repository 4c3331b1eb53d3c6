import Conformance
import Foundation

/// Writes `junit.xml` in the JUnit dialect Jenkins (xunit plugin `junit-10.xsd`) and GitLab read.
///
/// A `<testsuite>` per suite, a `<testcase>` per case (`classname` = suite id, `name` = `ID: title`).
/// `fail` and `inconc` are `<failure>` (with `type` saying which), `error` is `<error>`, cases not
/// applicable or not run are `<skipped>` with their reason; each case's step log is its `<system-out>`.
public struct JUnitWriter: Sendable {
    /// The file name in a run folder.
    public static let fileName = "junit.xml"

    /// Written as every `<testsuite>`'s `hostname` when given.
    public var hostname: String?

    /// A writer; `hostname` is left out of the file when nil.
    public init(hostname: String? = nil) {
        self.hostname = hostname
    }

    /// The counts `junit.xml` carries for a set of cases.
    public struct Counts: Sendable, Equatable {
        /// Cases.
        public var tests = 0
        /// Cases ending `fail` or `inconc`.
        public var failures = 0
        /// Cases ending `error`.
        public var errors = 0
        /// Cases not applicable or not run.
        public var skipped = 0

        /// Counts the cases of a report summary the way `junit.xml` does.
        public init(summary: RunReport.Summary) {
            tests = summary.total
            failures = summary.fail + summary.inconc
            errors = summary.error
            skipped = summary.none + summary.notApplicable
        }

        init(cases: [RunReport.CaseResult]) {
            for testCase in cases {
                tests += 1
                switch testCase.outcome {
                case .fail, .inconc: failures += 1
                case .error: errors += 1
                case .notRun, .notApplicable: skipped += 1
                case .pass: break
                }
            }
        }
    }

    /// The document.
    ///
    /// `<testsuites>` carries `tests`, `failures`, `errors` and `time`; the skipped total is on each
    /// `<testsuite>` only, because `junit-10.xsd` has no `skipped` attribute on `<testsuites>`.
    public func render(_ report: RunReport) -> String {
        let all = JUnitWriter.Counts(cases: report.suites.flatMap(\.cases))
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        xml += "<testsuites" + attributes([
            ("name", "meterproof \(report.runId)"),
            ("tests", String(all.tests)), ("failures", String(all.failures)), ("errors", String(all.errors)),
            ("time", ReportFormatting.seconds(report.durationSeconds)),
        ]) + ">\n"
        let frames = report.framesByNumber
        for suite in report.suites {
            writeSuite(suite, of: report, frames: frames, into: &xml)
        }
        xml += "</testsuites>\n"
        return xml
    }

    private func writeSuite(
        _ suite: RunReport.SuiteResult, of report: RunReport, frames: [Int: [RunReport.FrameRecord]], into xml: inout String
    ) {
        let counts = JUnitWriter.Counts(cases: suite.cases)
        let time = suite.cases.reduce(0.0) { $0 + max(0, $1.durationMs) } / 1000
        let started = suite.cases.compactMap(\.startedAt).min() ?? report.startedAt
        var suiteAttributes: [(String, String)] = [
            ("name", suite.id), ("tests", String(counts.tests)), ("failures", String(counts.failures)),
            ("errors", String(counts.errors)), ("skipped", String(counts.skipped)),
            ("time", ReportFormatting.seconds(time)), ("timestamp", ReportFormatting.timestamp(started)),
        ]
        if let hostname { suiteAttributes.append(("hostname", hostname)) }
        suiteAttributes.append(("file", suite.path))
        xml += "  <testsuite" + attributes(suiteAttributes) + ">\n"
        xml += "    <properties>\n"
        for (name, value) in properties(of: report, suite: suite) {
            xml += "      <property" + attributes([("name", name), ("value", value)]) + "/>\n"
        }
        xml += "    </properties>\n"
        for testCase in suite.cases {
            writeCase(testCase, suite: suite, frames: frames, into: &xml)
        }
        xml += "  </testsuite>\n"
    }

    /// Run, suite and device properties, PICS as `pics.NAME` = `true`/`false`, PIXIT as `pixit.NAME`.
    private func properties(of report: RunReport, suite: RunReport.SuiteResult) -> [(String, String)] {
        var list: [(String, String)] = [
            ("run.id", report.runId), ("run.started_at", ReportFormatting.timestamp(report.startedAt)),
            ("run.finished_at", ReportFormatting.timestamp(report.finishedAt)),
            ("run.interrupted", String(report.interrupted)), ("run.exit_status", String(report.exitStatus)),
            ("tool.name", report.tool.name), ("tool.version", report.tool.version),
            ("suite.title", suite.title), ("suite.protocol", suite.protocol),
            ("device.transport", report.device.transport),
        ]
        if let harnessError = report.harnessError { list.append(("run.harness_error", harnessError)) }
        if let profile = report.device.profile { list.append(("device.profile", profile)) }
        list += report.device.identity.sorted { $0.key < $1.key }.map { ("device.identity.\($0.key)", $0.value) }
        list += report.device.pics.sorted { $0.key < $1.key }.map { ("pics.\($0.key)", String($0.value)) }
        list += report.device.pixit.sorted { $0.key < $1.key }.map { ("pixit.\($0.key)", $0.value) }
        return list
    }

    private func writeCase(
        _ testCase: RunReport.CaseResult, suite: RunReport.SuiteResult, frames: [Int: [RunReport.FrameRecord]], into xml: inout String
    ) {
        xml += "    <testcase" + attributes([
            ("name", "\(testCase.id): \(testCase.title)"), ("classname", suite.id),
            ("time", ReportFormatting.seconds(max(0, testCase.durationMs) / 1000)),
        ]) + ">\n"
        let reason = testCase.displayReason
        let details = caseDetails(testCase)
        switch testCase.outcome {
        case .pass:
            break
        case .fail, .inconc:
            let type = testCase.outcome == .fail ? "fail" : "inconc"
            xml += "      <failure" + attributes([("message", reason), ("type", type)]) + ">"
                + TextEscaping.xmlText(details) + "</failure>\n"
        case .error:
            xml += "      <error" + attributes([("message", reason), ("type", "error")]) + ">"
                + TextEscaping.xmlText(details) + "</error>\n"
        case .notRun, .notApplicable:
            xml += "      <skipped" + attributes([("message", reason)]) + "/>\n"
        }
        let log = stepLog(testCase, frames: frames)
        if !log.isEmpty {
            xml += "      <system-out>" + TextEscaping.xmlText(log) + "</system-out>\n"
        }
        xml += "    </testcase>\n"
    }

    /// The body of `<failure>`/`<error>`: reason, references, where the case is written.
    private func caseDetails(_ testCase: RunReport.CaseResult) -> String {
        var lines = [testCase.displayReason]
        if testCase.unconfirmed { lines.append("unconfirmed: no public source confirms this behaviour, so fail is capped to inconc") }
        lines += testCase.references.map { "reference: \($0.citation)" }
        lines.append("case: \(testCase.location)")
        return lines.joined(separator: "\n")
    }

    /// The `<system-out>` text: purpose, then each step with its verdict, reason, frames and log.
    private func stepLog(_ testCase: RunReport.CaseResult, frames: [Int: [RunReport.FrameRecord]]) -> String {
        var lines: [String] = []
        if !testCase.purpose.isEmpty { lines.append("purpose: \(testCase.purpose)") }
        for step in testCase.steps {
            var head = "step \(step.index) \(step.kind) (line \(step.line)): \(step.verdict)"
            head += " [\(ReportFormatting.duration(milliseconds: step.durationMs))]"
            lines.append(head)
            if let reason = step.reason, !reason.isEmpty { lines.append("  reason: \(reason)") }
            for frame in step.frames.flatMap({ frames[$0] ?? [] }) {
                var line = "  frame #\(frame.number) +\(ReportFormatting.duration(milliseconds: frame.offsetMs)) \(frame.direction.rawValue)"
                if !frame.hex.isEmpty { line += ": \(frame.hex)" }
                if let note = frame.note { line += " (\(note))" }
                if let error = frame.decodeError { line += " — does not decode: \(error)" }
                lines.append(line)
            }
            let missing = step.frames.filter { frames[$0] == nil }
            if !missing.isEmpty { lines.append("  frames: " + missing.map { "#\($0)" }.joined(separator: ", ")) }
            lines += step.log.map { "  | \($0)" }
        }
        return lines.joined(separator: "\n")
    }

    private func attributes(_ pairs: [(String, String)]) -> String {
        pairs.map { " \($0.0)=\"\(TextEscaping.xmlAttribute($0.1))\"" }.joined()
    }
}
