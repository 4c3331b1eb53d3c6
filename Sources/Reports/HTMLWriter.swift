import CodecSupport
import Conformance
import Foundation

/// Writes `report.html`: one self-contained file (inline CSS and SVG, no script, no external
/// resource) with the run, the device, the counts, a table of cases and, per case, an expandable
/// step log with its frames.
public struct HTMLWriter: Sendable {
    /// The file name in a run folder.
    public static let fileName = "report.html"

    /// A writer.
    public init() {}

    /// The document.
    public func render(_ report: RunReport) -> String {
        let frames = report.framesByNumber
        var html = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>MeterProof run \(e(report.runId))</title>
        <style>\(Self.css)</style>
        </head>
        <body>
        <header>
        <h1>MeterProof run <span class="mono">\(e(report.runId))</span></h1>
        <p class="meta">\(e(report.tool.name)) \(e(report.tool.version)) · kind \(e(report.kind)) · \
        started <time>\(e(ReportFormatting.timestamp(report.startedAt)))</time> · \
        finished <time>\(e(ReportFormatting.timestamp(report.finishedAt)))</time> · \
        \(e(ReportFormatting.seconds(report.durationSeconds))) s · exit status \(report.exitStatus)</p>
        </header>
        <main>

        """
        if report.interrupted {
            html += """
            <div class="banner interrupted" role="alert"><strong>Interrupted.</strong> The run was stopped before it \
            finished; cases not reached are listed as <em>not run</em>.</div>

            """
        }
        if let harnessError = report.harnessError {
            html += """
            <div class="banner harness" role="alert"><strong>Harness error.</strong> \(e(harnessError))</div>

            """
        }
        html += summarySection(report)
        html += deviceSection(report.device)
        html += casesTable(report)
        html += "<section id=\"details\">\n<h2>Step logs</h2>\n"
        for suite in report.suites {
            html += "<h3>Suite <span class=\"mono\">\(e(suite.id))</span> — \(e(suite.title))</h3>\n"
            html += "<p class=\"meta\">protocol \(e(suite.protocol)) · \(e(suite.path))</p>\n"
            for testCase in suite.cases {
                html += caseDetails(testCase, anchor: anchor(suite, testCase), frames: frames)
            }
        }
        html += "</section>\n"
        html += unassignedEvents(report)
        html += "</main>\n<footer><p class=\"meta\">Generated from report.json (schema version \(report.schemaVersion)).</p></footer>\n</body>\n</html>\n"
        return html
    }

    // MARK: Sections

    private func summarySection(_ report: RunReport) -> String {
        let s = report.summary
        let counts: [(CaseOutcome, Int)] = [
            (.pass, s.pass), (.inconc, s.inconc), (.fail, s.fail), (.error, s.error), (.notRun, s.none), (.notApplicable, s.notApplicable),
        ]
        var html = "<section id=\"summary\">\n<h2>Summary</h2>\n"
        html += "<p class=\"total\"><strong id=\"count-total\">\(s.total)</strong> cases</p>\n"
        html += "<ul class=\"counts\">\n"
        for (outcome, count) in counts {
            html += "<li class=\"count\" data-outcome=\"\(Self.cssClass(outcome))\"><span class=\"badge \(Self.cssClass(outcome))\">"
            html += "\(e(outcome.rawValue))</span> <strong id=\"count-\(Self.cssClass(outcome))\">\(count)</strong></li>\n"
        }
        html += "</ul>\n" + chart(counts, total: s.total) + "</section>\n"
        return html
    }

    /// A stacked horizontal bar, one segment per outcome, with a text alternative.
    private func chart(_ counts: [(CaseOutcome, Int)], total: Int) -> String {
        let width = 600.0
        let label = counts.map { "\($0.1) \($0.0.rawValue)" }.joined(separator: ", ")
        var svg = "<svg class=\"chart\" role=\"img\" aria-label=\"\(e(label))\" viewBox=\"0 0 \(Int(width)) 28\" width=\"\(Int(width))\" height=\"28\">\n"
        svg += "<title>\(e(label))</title>\n"
        guard total > 0 else {
            return svg + "<rect x=\"0\" y=\"0\" width=\"\(Int(width))\" height=\"28\" fill=\"#d0d7de\"/>\n</svg>\n"
        }
        var x = 0.0
        for (outcome, count) in counts where count > 0 {
            let w = width * Double(count) / Double(total)
            svg += "<rect x=\"\(Self.number(x))\" y=\"0\" width=\"\(Self.number(w))\" height=\"28\" fill=\"\(Self.colour(outcome))\">"
            svg += "<title>\(count) \(e(outcome.rawValue))</title></rect>\n"
            x += w
        }
        return svg + "</svg>\n"
    }

    private func deviceSection(_ device: RunReport.DeviceInfo) -> String {
        var html = "<section id=\"device\">\n<h2>Device under test</h2>\n<table class=\"kv\">\n"
        html += row("transport", "<span class=\"mono\">\(e(device.transport))</span>")
        html += row("profile", device.profile.map { "<span class=\"mono\">\(e($0))</span>" } ?? "<em>none (--target)</em>")
        html += "</table>\n"
        html += keyValueTable("Identity", device.identity.sorted { $0.key < $1.key }.map { ($0.key, e($0.value)) },
                              empty: "The device said nothing about itself.")
        html += keyValueTable("PICS", device.pics.sorted { $0.key < $1.key }.map {
            ($0.key, $0.value ? "<span class=\"yes\">true</span>" : "<span class=\"no\">false</span>")
        }, empty: "No PICS items declared.")
        html += keyValueTable("PIXIT", device.pixit.sorted { $0.key < $1.key }.map { ($0.key, "<span class=\"mono\">\(e($0.value))</span>") },
                              empty: "No PIXIT values.")
        return html + "</section>\n"
    }

    private func keyValueTable(_ title: String, _ rows: [(String, String)], empty: String) -> String {
        var html = "<h3>\(e(title))</h3>\n"
        guard !rows.isEmpty else { return html + "<p class=\"meta\">\(e(empty))</p>\n" }
        html += "<table class=\"kv\">\n"
        for (key, value) in rows { html += row(key, value) }
        return html + "</table>\n"
    }

    private func row(_ key: String, _ valueHTML: String) -> String {
        "<tr><th scope=\"row\" class=\"mono\">\(e(key))</th><td>\(valueHTML)</td></tr>\n"
    }

    private func casesTable(_ report: RunReport) -> String {
        var html = """
        <section id="cases">
        <h2>Cases</h2>
        <table class="cases">
        <thead><tr><th scope="col">Case</th><th scope="col">Title</th><th scope="col">Verdict</th><th scope="col">Reason</th>\
        <th scope="col">References</th><th scope="col">Use cases</th></tr></thead>
        <tbody>

        """
        for (suite, testCase) in report.allCases {
            let references = testCase.references.map { e($0.citation) }.joined(separator: "<br>")
            html += "<tr class=\"\(Self.cssClass(testCase.outcome))\">"
            html += "<td class=\"mono\"><a href=\"#\(anchor(suite, testCase))\">\(e(testCase.id))</a></td>"
            html += "<td>\(e(testCase.title))</td><td>\(badge(testCase))</td>"
            html += "<td>\(testCase.outcome == .pass ? e(testCase.reason ?? "") : e(testCase.displayReason))</td>"
            html += "<td>\(references)</td><td>\(testCase.usecases.map(e).joined(separator: "<br>"))</td></tr>\n"
        }
        return html + "</tbody>\n</table>\n</section>\n"
    }

    private func caseDetails(_ testCase: RunReport.CaseResult, anchor: String, frames: [Int: [RunReport.FrameRecord]]) -> String {
        var html = "<details class=\"case\" id=\"\(anchor)\"\(testCase.outcome.severityRank < 3 ? " open" : "")>\n"
        html += "<summary><span class=\"mono\">\(e(testCase.id))</span> \(badge(testCase)) \(e(testCase.title))</summary>\n"
        html += "<div class=\"body\">\n<table class=\"kv\">\n"
        if !testCase.purpose.isEmpty { html += row("purpose", e(testCase.purpose)) }
        if testCase.outcome != .pass || testCase.reason != nil { html += row("reason", e(testCase.displayReason)) }
        if !testCase.requires.isEmpty { html += row("requires", testCase.requires.map { "<span class=\"mono\">\(e($0))</span>" }.joined(separator: ", ")) }
        if testCase.unconfirmed {
            html += row("unconfirmed", "no public source confirms this behaviour, so <em>fail</em> is capped to <em>inconc</em>")
        }
        if let started = testCase.startedAt { html += row("started", e(ReportFormatting.timestamp(started))) }
        html += row("duration", e(ReportFormatting.duration(milliseconds: testCase.durationMs)))
        html += row("written at", "<span class=\"mono\">\(e(testCase.location))</span>")
        html += "</table>\n"
        if testCase.steps.isEmpty {
            html += "<p class=\"meta\">No steps ran.</p>\n"
        }
        for step in testCase.steps {
            html += stepDetails(step, frames: frames)
        }
        return html + "</div>\n</details>\n"
    }

    private func stepDetails(_ step: RunReport.StepResult, frames: [Int: [RunReport.FrameRecord]]) -> String {
        var html = "<details class=\"step\"\(step.verdict >= .inconc ? " open" : "")>\n<summary>step <span class=\"mono\">\(e(step.index))</span> "
        html += "<span class=\"mono\">\(e(step.kind))</span> "
        html += "<span class=\"badge \(Self.cssClass(step.verdict))\">\(e(step.verdict.description))</span>"
        html += " <span class=\"meta\">line \(step.line) · \(e(ReportFormatting.duration(milliseconds: step.durationMs)))</span></summary>\n"
        html += "<div class=\"body\">\n"
        if let reason = step.reason, !reason.isEmpty { html += "<p class=\"reason\">\(e(reason))</p>\n" }
        if !step.log.isEmpty {
            html += "<pre class=\"log\">\(step.log.map(e).joined(separator: "\n"))</pre>\n"
        }
        for number in step.frames {
            guard let records = frames[number] else {
                html += "<p class=\"meta\">frame #\(number) is not in report.json</p>\n"
                continue
            }
            for frame in records { html += frameBlock(frame) }
        }
        return html + "</div>\n</details>\n"
    }

    private func frameBlock(_ frame: RunReport.FrameRecord) -> String {
        var html = "<div class=\"frame \(frame.direction.rawValue)\">\n<p class=\"frame-head\"><strong>#\(frame.number)</strong> "
        html += "+\(e(ReportFormatting.duration(milliseconds: frame.offsetMs))) · \(e(Self.directionLabel(frame.direction)))"
        if frame.redacted { html += " · <em>secret bytes redacted</em>" }
        html += " · <time>\(e(ReportFormatting.timestamp(frame.time)))</time></p>\n"
        if let note = frame.note { html += "<p>\(e(note))</p>\n" }
        if !frame.hex.isEmpty { html += "<pre class=\"hex\">\(e(frame.hex))</pre>\n" }
        if let error = frame.decodeError { html += "<p class=\"decode-error\">Does not decode: \(e(error))</p>\n" }
        if let decoded = frame.decoded {
            html += "<details class=\"decoded\"><summary>decoded</summary>\n<pre class=\"json\">\(e(decoded.serialized(indent: 2)))</pre>\n</details>\n"
        }
        return html + "</div>\n"
    }

    /// Transport events that no step names (connection opened, line settings), so nothing is hidden.
    private func unassignedEvents(_ report: RunReport) -> String {
        let named = Set(report.suites.flatMap(\.cases).flatMap(\.steps).flatMap(\.frames))
        let others = report.frames.filter { !named.contains($0.number) || $0.number == 0 }
        guard !others.isEmpty else { return "" }
        var html = "<section id=\"other-frames\">\n<details>\n<summary>Frames and events no step refers to (\(others.count))</summary>\n"
        for frame in others { html += frameBlock(frame) }
        return html + "</details>\n</section>\n"
    }

    // MARK: Pieces

    private func badge(_ testCase: RunReport.CaseResult) -> String {
        var html = "<span class=\"badge \(Self.cssClass(testCase.outcome))\">\(e(testCase.outcome.rawValue))</span>"
        if testCase.unconfirmed { html += " <span class=\"tag\">unconfirmed</span>" }
        return html
    }

    /// A fragment id made only of safe characters, unique per suite and case.
    private func anchor(_ suite: RunReport.SuiteResult, _ testCase: RunReport.CaseResult) -> String {
        func safe(_ text: String) -> String {
            String(text.unicodeScalars.map { scalar in
                (scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar) || scalar == "_")) ? Character(scalar) : "-"
            })
        }
        return "case-\(safe(suite.id))--\(safe(testCase.id))"
    }

    private func e(_ text: String) -> String { TextEscaping.html(text) }

    private static func number(_ value: Double) -> String {
        String(format: "%.2f", value)
    }

    private static func directionLabel(_ direction: RunReport.FrameRecord.Direction) -> String {
        switch direction {
        case .toDevice: "harness → device"
        case .fromDevice: "device → harness"
        case .event: "transport event"
        }
    }

    static func cssClass(_ outcome: CaseOutcome) -> String {
        switch outcome {
        case .pass: "pass"
        case .inconc: "inconc"
        case .fail: "fail"
        case .error: "error"
        case .notRun: "notrun"
        case .notApplicable: "na"
        }
    }

    static func cssClass(_ verdict: Verdict) -> String {
        verdict == .none ? "notrun" : verdict.description
    }

    /// Fill colours with at least 4.5:1 contrast against white text (WCAG AA).
    static func colour(_ outcome: CaseOutcome) -> String {
        switch outcome {
        case .pass: "#1a7f37"
        case .inconc: "#9a6700"
        case .fail: "#cf222e"
        case .error: "#8250df"
        case .notRun: "#57606a"
        case .notApplicable: "#6e7781"
        }
    }

    static let css: String = {
        let badges = CaseOutcome.allCases.map { ".badge.\(cssClass($0)){background:\(colour($0))}" }.joined(separator: "\n")
        return """

        :root{color-scheme:light;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2328;background:#fff}
        body{margin:0 auto;max-width:80rem;padding:1rem 1.5rem;line-height:1.45}
        h1{font-size:1.6rem;margin:.2rem 0}h2{border-bottom:1px solid #d0d7de;padding-bottom:.2rem;margin-top:2rem}
        .mono,pre,code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.9em}
        .meta{color:#57606a;margin:.2rem 0}
        .banner{padding:.75rem 1rem;border-radius:6px;margin:1rem 0;border:2px solid}
        .banner.interrupted{background:#fff8c5;border-color:#9a6700}
        .banner.harness{background:#ffebe9;border-color:#cf222e}
        .badge{display:inline-block;color:#fff;border-radius:1em;padding:0 .6em;font-weight:600;font-size:.85em;white-space:nowrap}
        \(badges)
        .tag{border:1px solid #9a6700;color:#7d4e00;border-radius:1em;padding:0 .5em;font-size:.8em}
        ul.counts{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:1rem}
        svg.chart{max-width:100%;height:auto;border-radius:4px}
        table{border-collapse:collapse;margin:.5rem 0}
        th,td{border:1px solid #d0d7de;padding:.3rem .5rem;text-align:left;vertical-align:top}
        thead th{background:#f6f8fa}
        table.kv th{background:#f6f8fa;font-weight:500}
        table.cases td:nth-child(4){max-width:32rem}
        tr.fail td:first-child,tr.error td:first-child,tr.inconc td:first-child{border-left:4px solid #cf222e}
        .yes{color:#1a7f37;font-weight:600}.no{color:#57606a}
        details{border:1px solid #d0d7de;border-radius:6px;margin:.4rem 0;padding:.2rem .6rem}
        details>summary{cursor:pointer;padding:.2rem 0}
        details .body{padding:.3rem 0 .5rem}
        pre{background:#f6f8fa;padding:.5rem;border-radius:4px;overflow-x:auto;white-space:pre-wrap;word-break:break-all}
        .frame{border-left:4px solid #d0d7de;padding-left:.6rem;margin:.6rem 0}
        .frame.to_device{border-left-color:#0969da}.frame.from_device{border-left-color:#1a7f37}.frame.event{border-left-color:#9a6700}
        .frame-head{margin:.2rem 0}
        .decode-error{color:#a40e26;font-weight:600}
        .reason{font-weight:600}
        a{color:#0969da}

        """
    }()
}
