import Reports
/// summary.md: totals, findings by rule, files, and the first listed findings.
enum MarkdownSummary {
    static let listedFindings = 50

    static func render(_ report: AnalysisReport) -> String {
        let severities = report.findingsBySeverity
        var m = "# Capture analysis \(report.runID)\n\n"
        m += "\(report.tool) · exit status \(report.exitStatus)\n\n"
        m += "| Files | Packets | PDUs | Conversations | Errors | Warnings | Info |\n|---:|---:|---:|---:|---:|---:|---:|\n"
        m += "| \(report.files.count) | \(report.packetCount) | \(report.pduCount) | \(report.conversationCount) | \(severities[.error] ?? 0) | \(severities[.warning] ?? 0) | \(severities[.info] ?? 0) |\n\n"
        m += "## Findings by rule\n\n"
        let byID = report.findingsByID
        if byID.isEmpty {
            m += "No findings.\n\n"
        } else {
            m += "| Rule | Severity | Count | Source |\n|---|---|---:|---|\n"
            for (id, count) in byID {
                let rule = report.rule(id)
                m += "| `\(id)` | \(rule?.severity.rawValue ?? "") | \(count) | \(TextEscaping.markdownCell(rule?.source ?? "")) |\n"
            }
            m += "\n"
        }
        m += "## Files\n\n| # | File | Format | Packets | PDUs | Conversations | Status |\n|---:|---|---|---:|---:|---:|---|\n"
        for file in report.files {
            let status = file.problem.map { "unreadable: " + $0.message } ?? "read"
            m += "| \(file.fileIndex) | \(TextEscaping.markdownCell(file.path)) | \(file.format ?? "?") | \(file.packets) | \(file.pduCount) | \(file.conversationCount) | \(TextEscaping.markdownCell(status)) |\n"
        }
        let findings = report.findings
        if !findings.isEmpty {
            m += "\n## Findings\n\n| Rule | File | Conv. | Frames | Message |\n|---|---:|---:|---|---|\n"
            for f in findings.prefix(listedFindings) {
                m += "| `\(f.rule.id)` | \(f.fileIndex) | \(f.conversation.map(String.init) ?? "") | \(f.frames.map(String.init).joined(separator: ", ")) | \(TextEscaping.markdownCell(f.message)) |\n"
            }
            if findings.count > listedFindings { m += "\n\(findings.count - listedFindings) more in report.json.\n" }
        }
        return m
    }
}
