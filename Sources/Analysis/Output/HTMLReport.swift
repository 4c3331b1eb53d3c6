import Reports
/// report.html: self-contained (inline CSS and SVG; no scripts, no external URLs): totals,
/// findings by rule, a timeline of conversations, a latency histogram, files and findings.
enum HTMLReport {
    /// Conversations drawn in the timeline (the first ones by file and id).
    static let timelineLimit = 200
    /// Findings listed in the table.
    static let findingLimit = 500

    static func render(_ report: AnalysisReport) -> String {
        let e = TextEscaping.html
        let severities = report.findingsBySeverity
        var h = """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>Capture analysis \(e(report.runID))</title>
        <style>
        body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}
        table{border-collapse:collapse;margin:.5em 0 1.5em}
        th,td{border:1px solid #ccc;padding:.25em .5em;text-align:left;vertical-align:top}
        td.n{text-align:right}
        .error{color:#a40000;font-weight:bold}.warning{color:#8a5a00}.info{color:#555}
        svg text{font:11px system-ui,sans-serif}
        </style></head><body>
        <h1>Capture analysis \(e(report.runID))</h1>
        <p>\(e(report.tool)) · exit status \(report.exitStatus)</p>
        <table><tr><th>Files</th><th>Packets</th><th>PDUs</th><th>Conversations</th><th>Errors</th><th>Warnings</th><th>Info</th></tr>
        <tr><td class="n">\(report.files.count)</td><td class="n">\(report.packetCount)</td><td class="n">\(report.pduCount)</td><td class="n">\(report.conversationCount)</td><td class="n">\(severities[.error] ?? 0)</td><td class="n">\(severities[.warning] ?? 0)</td><td class="n">\(severities[.info] ?? 0)</td></tr></table>

        """
        h += "<h2>Findings by rule</h2>\n<table><tr><th>Rule</th><th>Severity</th><th>Count</th><th>Requirement</th><th>Source</th></tr>\n"
        let byID = Dictionary(uniqueKeysWithValues: report.findingsByID)
        for rule in report.rules {
            let count = byID[rule.id] ?? 0
            h += "<tr><td><code>\(e(rule.id))</code></td><td class=\"\(rule.severity.rawValue)\">\(rule.severity.rawValue)</td><td class=\"n\">\(count)</td><td>\(e(rule.title))</td><td>\(e(rule.source))</td></tr>\n"
        }
        h += "</table>\n"
        h += timeline(report)
        h += histogram(report.latency)
        h += "<h2>Files</h2>\n<table><tr><th>#</th><th>File</th><th>Format</th><th>Packets</th><th>PDUs</th><th>Conversations</th><th>Status</th></tr>\n"
        for file in report.files {
            let status = file.problem.map { "<span class=\"error\">unreadable: \(e($0.message))</span>" } ?? "read"
            h += "<tr><td class=\"n\">\(file.fileIndex)</td><td>\(e(file.path))</td><td>\(file.format ?? "?")</td><td class=\"n\">\(file.packets)</td><td class=\"n\">\(file.pduCount)</td><td class=\"n\">\(file.conversationCount)</td><td>\(status)</td></tr>\n"
        }
        h += "</table>\n<h2>Findings</h2>\n"
        let findings = report.findings
        if findings.isEmpty {
            h += "<p>No findings.</p>\n"
        } else {
            h += "<table><tr><th>Rule</th><th>Severity</th><th>File</th><th>Conversation</th><th>Frames</th><th>Message</th></tr>\n"
            for f in findings.prefix(findingLimit) {
                h += "<tr><td><code>\(e(f.rule.id))</code></td><td class=\"\(f.rule.severity.rawValue)\">\(f.rule.severity.rawValue)</td><td class=\"n\">\(f.fileIndex)</td><td class=\"n\">\(f.conversation.map(String.init) ?? "")</td><td>\(f.frames.map(String.init).joined(separator: ", "))</td><td>\(e(f.message))</td></tr>\n"
            }
            h += "</table>\n"
            if findings.count > findingLimit { h += "<p>\(findings.count - findingLimit) more findings in report.json.</p>\n" }
        }
        h += "</body></html>\n"
        return h
    }

    /// One bar per conversation from its first to its last packet, on a shared time axis.
    private static func timeline(_ report: AnalysisReport) -> String {
        let e = TextEscaping.html
        let rows = report.files.flatMap { file in file.conversations.map { (file.fileIndex, $0) } }.prefix(timelineLimit)
        guard let start = rows.map(\.1.firstTime).min(), let end = rows.map(\.1.lastTime).max() else {
            return "<h2>Conversations</h2>\n<p>No conversations.</p>\n"
        }
        let span = max(Double(end) - Double(start), 1)  // in Double: capture times may span the whole Int64 range
        let (left, width, rowHeight) = (300.0, 600.0, 18.0)
        var s = "<h2>Conversations</h2>\n<p>Timeline from \(TimeText.iso8601(start)) to \(TimeText.iso8601(end)) (\(TimeText.milliseconds(TimeText.elapsed(end, since: start)))).</p>\n"
        s += "<svg width=\"\(Int(left + width + 20))\" height=\"\(Int(Double(rows.count) * rowHeight + 10))\" role=\"img\" aria-label=\"conversation timeline\">\n"
        for (row, item) in rows.enumerated() {
            let (fileIndex, c) = item
            let y = Double(row) * rowHeight + 4
            let x = left + (Double(c.firstTime) - Double(start)) / span * width
            let w = max(2, (Double(c.lastTime) - Double(c.firstTime)) / span * width)
            let label = "\(fileIndex).\(c.id) \(c.protocolName ?? c.portHint.map { "(\($0))" } ?? c.transport.rawValue) \(c.client) → \(c.server)"
            let colour = c.findingCount > 0 ? "#c0392b" : (c.protocolName == nil ? "#999" : "#2e86c1")
            s += "<text x=\"2\" y=\"\(y + 11)\">\(e(String(label.prefix(48))))</text>"
            s += "<rect x=\"\(format(x))\" y=\"\(y)\" width=\"\(format(w))\" height=\"12\" fill=\"\(colour)\"><title>\(e("\(label): \(c.pduCount) PDUs, \(c.findingCount) findings, \(c.packets) packets"))</title></rect>\n"
        }
        s += "</svg>\n"
        if report.conversationCount > rows.count { s += "<p>\(report.conversationCount - rows.count) more conversations in report.json.</p>\n" }
        return s
    }

    /// Response latencies in log-spaced buckets.
    private static func histogram(_ latency: LatencyStats) -> String {
        var s = "<h2>Response latency</h2>\n"
        guard latency.count > 0 else { return s + "<p>No request/response pairs.</p>\n" }
        s += "<p>\(latency.count) responses; min \(TimeText.milliseconds(latency.minimum)), mean \(TimeText.milliseconds(Int64(exactly: latency.mean.rounded(.down)) ?? .max)), max \(TimeText.milliseconds(latency.maximum)).</p>\n"
        let peak = Double(max(latency.buckets.max() ?? 1, 1))
        let (barWidth, height) = (56.0, 160.0)
        s += "<svg width=\"\(Int(barWidth * Double(latency.buckets.count) + 20))\" height=\"\(Int(height + 40))\" role=\"img\" aria-label=\"latency histogram\">\n"
        for (i, count) in latency.buckets.enumerated() {
            let h = Double(count) / peak * height
            let x = 10 + Double(i) * barWidth
            s += "<rect x=\"\(format(x))\" y=\"\(format(height - h + 10))\" width=\"\(format(barWidth - 6))\" height=\"\(format(h))\" fill=\"#2e86c1\"><title>\(LatencyStats.bucketLabels[i]): \(count)</title></rect>"
            s += "<text x=\"\(format(x))\" y=\"\(format(height + 24))\">\(TextEscaping.html(LatencyStats.bucketLabels[i]))</text>"
            s += "<text x=\"\(format(x))\" y=\"\(format(height - h + 6))\">\(count)</text>\n"
        }
        return s + "</svg>\n"
    }

    private static func format(_ value: Double) -> String {
        String((value * 10).rounded() / 10)
    }
}
