import Conformance

/// Writes `summary.md`: a heading, the counts, the cases that did not pass with their reasons, then
/// every case; short enough to paste into a merge request.
public struct MarkdownWriter: Sendable {
    /// The file name in a run folder.
    public static let fileName = "summary.md"

    /// A writer.
    public init() {}

    /// The document.
    public func render(_ report: RunReport) -> String {
        let summary = report.summary
        var md = "# MeterProof run \(inline(report.runId))\n\n"
        if report.interrupted {
            md += "> **Interrupted**: the run was stopped early; cases not reached are listed as not run.\n\n"
        }
        if let harnessError = report.harnessError {
            md += "> **Harness error**: \(inline(harnessError))\n\n"
        }
        md += "\(inline(report.tool.name)) \(inline(report.tool.version)) · "
        md += "\(ReportFormatting.timestamp(report.startedAt)) → \(ReportFormatting.timestamp(report.finishedAt)) · "
        md += "device \(inline(report.device.transport)) · exit status \(report.exitStatus)\n\n"
        md += "| total | pass | inconc | fail | error | not run | not applicable |\n"
        md += "|---:|---:|---:|---:|---:|---:|---:|\n"
        md += "| \(summary.total) | \(summary.pass) | \(summary.inconc) | \(summary.fail) | \(summary.error) "
        md += "| \(summary.none) | \(summary.notApplicable) |\n\n"

        let cases = report.allCases
        let attention = cases.enumerated()
            .filter { $0.element.testCase.outcome != .pass && $0.element.testCase.outcome != .notApplicable }
            .sorted { ($0.element.testCase.outcome.severityRank, $0.offset) < ($1.element.testCase.outcome.severityRank, $1.offset) }
            .map(\.element)
        if attention.isEmpty {
            md += "Every applicable case passed.\n\n"
        } else {
            md += "## Cases that did not pass\n\n"
            md += "| case | verdict | reason |\n|---|---|---|\n"
            for (_, testCase) in attention {
                md += "| \(code(testCase.id)) | \(outcomeLabel(testCase)) | \(TextEscaping.markdownCell(testCase.displayReason)) |\n"
            }
            md += "\n"
        }

        md += "## All cases\n\n"
        md += "| case | title | verdict | reason |\n|---|---|---|---|\n"
        for (_, testCase) in cases {
            let reason = testCase.outcome == .pass ? "" : TextEscaping.markdownCell(testCase.displayReason)
            md += "| \(code(testCase.id)) | \(TextEscaping.markdownCell(testCase.title)) | \(outcomeLabel(testCase)) | \(reason) |\n"
        }
        md += "\nFull report: `report.html`; source of truth: `report.json`.\n"
        return md
    }

    private func outcomeLabel(_ testCase: RunReport.CaseResult) -> String {
        let label = testCase.outcome == .pass ? "pass" : "**\(testCase.outcome.rawValue)**"
        return testCase.unconfirmed ? label + " (unconfirmed)" : label
    }

    /// A case id in code spans keeps underscores literal; backticks in an id would end it, so those fall back to escaping.
    private func code(_ text: String) -> String {
        text.contains("`") || text.contains("|") || text.contains("\n") ? TextEscaping.markdownCell(text) : "`\(text)`"
    }

    private func inline(_ text: String) -> String {
        TextEscaping.markdownCell(text)
    }
}
