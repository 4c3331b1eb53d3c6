import Conformance
import Foundation
@testable import Reports
import Testing

/// report.html: self-contained, escaped, and complete when a real browser renders it.
@Suite("report.html")
struct HTMLWriterTests {
    @Test("headless Chromium renders every case id and the summary counts",
          .enabled(if: ExternalTool.chromium.shouldRun, ExternalTool.chromium.skipComment))
    func chromiumRendersEveryCase() async throws {
        guard ExternalTool.chromium.available() else { return }
        let report = SampleReport.make()
        let folder = try makeTemporaryFolder("html")
        defer { try? FileManager.default.removeItem(at: folder) }
        let page = folder.appendingPathComponent(HTMLWriter.fileName)
        try Data(HTMLWriter().render(report).utf8).write(to: page)
        let dom = try await ExternalTool.renderedDOM(of: page, profile: folder.appendingPathComponent("chromium-profile"))

        for testCase in SampleReport.cases(of: report) {
            #expect(dom.contains(testCase.id), "\(testCase.id) missing from the rendered page")
        }
        let s = report.summary
        let counts: [(String, Int)] = [
            ("total", s.total), ("pass", s.pass), ("inconc", s.inconc), ("fail", s.fail), ("error", s.error),
            ("notrun", s.none), ("na", s.notApplicable),
        ]
        for (name, count) in counts {
            #expect(dom.contains("id=\"count-\(name)\">\(count)<"), "count \(name) = \(count) not rendered")
        }
        #expect(dom.contains("Interrupted."))
        // The injected markup stayed text: no script element made it into the DOM.
        #expect(!dom.contains("<script>"))
        #expect(dom.contains("&lt;script&gt;"))
    }

    @Test("no external resources: no http(s) or protocol-relative src/href, no url() in CSS")
    func selfContained() throws {
        let html = HTMLWriter().render(SampleReport.make())
        let external = try Regex(#"(?i)(src|href|xlink:href|action|poster|srcset)\s*=\s*["']?\s*(https?:|//)"#)
        #expect(html.firstMatch(of: external) == nil)
        #expect(!html.lowercased().contains("url("))
        #expect(!html.lowercased().contains("<script"))
        #expect(!html.lowercased().contains("<link"))
        #expect(!html.lowercased().contains("@import"))
        // A URL inside a log line is shown as text, not linked.
        #expect(html.contains("see https://example.org/doc (text, not a link)"))
    }

    @Test("every in-page link points at an element of the page")
    func linksResolve() throws {
        let html = HTMLWriter().render(SampleReport.make())
        let targets = html.matches(of: try Regex(##"href="#([^"]+)""##)).compactMap { $0.output[1].substring.map(String.init) }
        #expect(targets.count == SampleReport.cases(of: SampleReport.make()).count)
        for target in targets {
            #expect(html.contains("id=\"\(target)\""), "#\(target) has no element")
        }
    }

    @Test("all text is escaped, forbidden characters replaced, non-ASCII kept")
    func escaping() {
        let html = HTMLWriter().render(SampleReport.make())
        #expect(!html.contains(SampleReport.nasty))
        #expect(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;quoted&quot; &#39;single&#39;"))
        #expect(html.contains("bell\\x07, escape\\x1B, null\\x00 at 21.5 °C — Zähler"))
        #expect(!html.unicodeScalars.contains { !TextEscaping.isAllowedInXML($0) })
    }

    @Test("cases table, references, use cases, steps and frames are all there")
    func content() {
        let report = SampleReport.make(interrupted: false, harnessError: "could not open /dev/ttyUSB0")
        let html = HTMLWriter().render(report)
        #expect(html.contains("Harness error."))
        #expect(!html.contains("Interrupted."))
        #expect(html.contains("EN 13757-2 5.7.2 — fact sheet mbus.md §1.5"))
        #expect(html.contains("EN 13757-2 — libmbus mbus_frame_verify"))
        #expect(html.contains("ETSI TR 102 691 §6.2"))
        #expect(html.contains("68 0A 0A 68 08 05 72 78 56 34 12 24 40 01 07 00 55 16"))
        #expect(html.contains("&quot;checksum_ok&quot;: true"), "decoded JSON pretty-printed")
        #expect(html.contains("Does not decode: checksum 0x80 at offset 7, expected 0x7F"))
        #expect(html.contains("secret bytes redacted"))
        #expect(html.contains("connection opened: sim:mbus (2400 8E1)"))
        #expect(html.contains("<span class=\"tag\">unconfirmed</span>"))
        #expect(html.contains("pics") || html.contains("PICS"))
        #expect(html.contains("mbus.secondary_addressing"))
        #expect(html.contains("<svg class=\"chart\""))
        #expect(html.contains("<details"))
    }
}
