import Conformance
import Foundation
@testable import Reports
import Testing

/// The run folder as a whole: what `meterproof run` writes and `meterproof report` regenerates.
@Suite("run folder")
struct RunFolderWriterTests {
    static let reportFiles = ["report.json", "report.schema.json", "junit.xml", "report.html", "summary.md", "manifest.sha256"]

    @Test("write puts every report file and a manifest covering them and the capture")
    func writesEveryFile() throws {
        let folder = try makeTemporaryFolder("run")
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data([1, 2, 3]).write(to: folder.appendingPathComponent("capture.pcapng"))
        let report = SampleReport.make()
        let entries = try RunFolderWriter.write(report, to: folder, capture: "capture.pcapng")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        #expect(Set(names) == Set(Self.reportFiles + ["capture.pcapng"]))
        #expect(entries.map(\.path) == ["capture.pcapng", "junit.xml", "report.html", "report.json", "report.schema.json", "summary.md"])
        let json = try Data(contentsOf: folder.appendingPathComponent("report.json"))
        #expect(json == (try report.encodedJSON()))
        #expect(try Data(contentsOf: folder.appendingPathComponent("report.schema.json")) == (try ReportSchema.data()))
        for entry in entries {
            #expect(try Manifest.digest(of: folder.appendingPathComponent(entry.path)) == entry.sha256)
        }
        // The HTML shows decoded keys as report.json spells them.
        let html = try String(contentsOf: folder.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(html.contains("&quot;checksum_ok&quot;"))
        #expect(!html.contains("checksumOk"))
    }

    @Test("regenerate rewrites only the requested files from report.json and refreshes the manifest")
    func regenerate() throws {
        let folder = try makeTemporaryFolder("regen")
        defer { try? FileManager.default.removeItem(at: folder) }
        let report = SampleReport.make()
        try RunFolderWriter.write(report, to: folder)
        let reportJSON = try Data(contentsOf: folder.appendingPathComponent("report.json"))
        for name in ["junit.xml", "report.html", "summary.md"] {
            try FileManager.default.removeItem(at: folder.appendingPathComponent(name))
        }
        let read = try RunFolderWriter.regenerate(runFolder: folder, formats: [.markdown])
        #expect(read == report.withSortedFrameKeys)
        let names = Set(try FileManager.default.contentsOfDirectory(atPath: folder.path))
        #expect(names.contains("summary.md") && !names.contains("junit.xml") && !names.contains("report.html"))
        #expect(try Data(contentsOf: folder.appendingPathComponent("report.json")) == reportJSON)
        #expect(try String(contentsOf: folder.appendingPathComponent("summary.md"), encoding: .utf8) == MarkdownWriter().render(report))
        let manifest = try String(contentsOf: folder.appendingPathComponent("manifest.sha256"), encoding: .utf8)
        #expect(manifest == Manifest.render(try Manifest.entries(in: folder)))
        #expect(!manifest.contains("junit.xml"))

        try RunFolderWriter.regenerate(runFolder: folder)
        let all = Set(try FileManager.default.contentsOfDirectory(atPath: folder.path))
        #expect(all == Set(Self.reportFiles))
        #expect(try String(contentsOf: folder.appendingPathComponent("junit.xml"), encoding: .utf8) == JUnitWriter().render(report))
    }

    @Test("missing folder, missing, unreadable or invalid report.json are errors that say which")
    func errors() throws {
        let folder = try makeTemporaryFolder("regen-errors")
        defer { try? FileManager.default.removeItem(at: folder) }
        func message(_ body: () throws -> Void) -> String {
            do { try body() } catch let error as ReportsError { return error.description } catch { return "unexpected \(error)" }
            return "no error"
        }
        let missingFolder = folder.appendingPathComponent("nope")
        #expect(message { try RunFolderWriter.regenerate(runFolder: missingFolder) }.contains("does not exist"))
        #expect(message { try RunFolderWriter.regenerate(runFolder: folder) }.contains("report.json does not exist"))

        let reportURL = folder.appendingPathComponent("report.json")
        try Data("{ not json".utf8).write(to: reportURL)
        #expect(message { try RunFolderWriter.regenerate(runFolder: folder) }.contains("is not a valid report"))

        var object = try JSONSerialization.jsonObject(with: SampleReport.make().encodedJSON()) as! [String: Any]
        var suites = object["suites"] as! [[String: Any]]
        var cases = suites[1]["cases"] as! [[String: Any]]
        cases[0]["verdict"] = "passed"
        suites[1]["cases"] = cases
        object["suites"] = suites
        try JSONSerialization.data(withJSONObject: object).write(to: reportURL)
        let verdict = message { try RunFolderWriter.regenerate(runFolder: folder) }
        #expect(verdict.contains("suites[1].cases[0].verdict"), "\(verdict)")

        object.removeValue(forKey: "run_id")
        try JSONSerialization.data(withJSONObject: object).write(to: reportURL)
        #expect(message { try RunFolderWriter.regenerate(runFolder: folder) }.contains("missing field run_id"))
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("manifest.sha256").path))
    }

    @Test("a capture named but absent is an error")
    func missingCapture() throws {
        let folder = try makeTemporaryFolder("no-capture")
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(throws: ReportsError.self) { try RunFolderWriter.write(SampleReport.make(), to: folder, capture: "capture.pcapng") }
    }

    @Test("writing into a folder that does not exist fails without creating it")
    func writeNeedsTheFolder() {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("meterproof-absent-\(UUID().uuidString)")
        #expect(throws: ReportsError.self) { try RunFolderWriter.write(SampleReport.make(), to: folder) }
        #expect(!FileManager.default.fileExists(atPath: folder.path))
    }
}
