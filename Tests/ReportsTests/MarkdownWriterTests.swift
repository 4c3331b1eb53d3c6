import Conformance
import Foundation
@testable import Reports
import Testing

/// summary.md: the counts and every case that did not pass, with its reason, first.
@Suite("summary.md")
struct MarkdownWriterTests {
    @Test("every non-pass case appears with its reason, worst first, before the full list")
    func nonPassCasesWithReasons() throws {
        let report = SampleReport.make()
        let md = MarkdownWriter().render(report)
        let attention = try #require(md.range(of: "## Cases that did not pass"))
        let all = try #require(md.range(of: "## All cases"))
        #expect(attention.upperBound < all.lowerBound)
        let firstPart = String(md[attention.upperBound..<all.lowerBound])
        for testCase in SampleReport.cases(of: report) where testCase.outcome != .pass {
            #expect(md.contains(testCase.id))
            #expect(md.contains(TextEscaping.markdownCell(testCase.displayReason)), "\(testCase.id)'s reason")
            if testCase.outcome != .notApplicable {
                #expect(firstPart.contains(testCase.id), "\(testCase.id) belongs in the first table")
            }
        }
        let order = ["MBUS_AL_E01", "MBUS_LL_N02", "MBUS_LL_P07", "MBUS_AL_P04"].map { firstPart.range(of: $0)!.lowerBound }
        #expect(order == order.sorted(), "error, fail, inconc, not run")
        #expect(!firstPart.contains("MBUS_LL_P01"))
    }

    @Test("counts, interruption and one table row per case")
    func countsAndRows() {
        let report = SampleReport.make()
        let md = MarkdownWriter().render(report)
        let s = report.summary
        #expect(md.contains("| \(s.total) | \(s.pass) | \(s.inconc) | \(s.fail) | \(s.error) | \(s.none) | \(s.notApplicable) |"))
        #expect(md.contains("**Interrupted**"))
        let rows = md.split(separator: "\n").filter { $0.hasPrefix("| `") }
        #expect(rows.count == s.total + (s.total - s.pass - s.notApplicable))
        for row in rows {
            // Escaped pipes never split a cell: every row has the header's number of cells.
            let cells = row.replacingOccurrences(of: "\\|", with: "").split(separator: "|", omittingEmptySubsequences: false)
            #expect(cells.count == 5 || cells.count == 6, "\(row)")
        }
        #expect(!md.contains("<script>"))
        #expect(md.split(separator: "\n").count < 40, "short enough for a merge request")
    }

    @Test("an all-pass run says so")
    func allPass() {
        var report = SampleReport.make(interrupted: false)
        report.suites = [SampleReport.applicationLayer]
        report.suites[0].cases = [SampleReport.applicationLayer.cases[0]]
        report.summary = RunReport.Summary(counting: report.suites)
        let md = MarkdownWriter().render(report)
        #expect(md.contains("Every applicable case passed."))
        #expect(!md.contains("## Cases that did not pass"))
    }
}
