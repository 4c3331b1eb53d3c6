import Campaign
import Conformance
import Foundation
import Synchronization

/// The live progress of a run on standard error: one rewritten line on a terminal (case n/N,
/// current case, elapsed time, counts), one plain line per finished case otherwise.
final class ProgressPrinter: Sendable {
    private let enabled: Bool
    private let isTerminal: Bool
    private let start = ContinuousClock.now
    private let lastWidth = Mutex(0)

    init(enabled: Bool) {
        self.enabled = enabled
        self.isTerminal = isatty(STDERR_FILENO) == 1
    }

    var update: @Sendable (RunProgress) -> Void {
        { [self] event in self.handle(event) }
    }

    private func elapsed() -> String {
        let seconds = (ContinuousClock.now - start).components.seconds
        return String(format: "%d:%02d", seconds / 60, seconds % 60)
    }

    private func handle(_ event: RunProgress) {
        guard enabled else { return }
        switch event {
        case let .caseStarted(index, total, id, title):
            if isTerminal { rewrite("[\(index)/\(total)] \(id) \(title)  \(elapsed())") }
        case let .caseFinished(index, total, id, verdict, notApplicable, counts):
            let word = notApplicable ? "n/a" : verdict.description
            if isTerminal {
                rewrite("[\(index)/\(total)] \(id) \(word)  \(elapsed())  pass \(counts.pass) fail \(counts.fail) inconc \(counts.inconc) error \(counts.error)")
            } else {
                printError("[\(index)/\(total)] \(id) \(word)")
            }
        }
    }

    private func rewrite(_ text: String) {
        let line = String(text.prefix(120))
        let pad = lastWidth.withLock { old -> Int in defer { old = line.count }; return max(0, old - line.count) }
        FileHandle.standardError.write(Data(("\r" + line + String(repeating: " ", count: pad)).utf8))
    }

    func finish(_ result: Campaign.Result) {
        if enabled && isTerminal { FileHandle.standardError.write(Data("\n".utf8)) }
        let s = result.report.summary
        var line = "\(result.report.interrupted ? "interrupted: " : "")\(s.total) case(s): \(s.pass) pass, \(s.fail) fail, \(s.inconc) inconc, \(s.error) error, \(s.notApplicable) not applicable"
        if s.none > 0 { line += ", \(s.none) not run" }
        print(line)
        print("report: \(result.folder)")
        for suite in result.report.suites {
            for c in suite.cases where !c.notApplicable && c.verdict != .pass && c.verdict != .none {
                print("  \(c.id) \(c.verdict): \(c.reason ?? "")")
            }
        }
    }
}
