import Foundation
import Testing
@testable import Analysis

/// The run folder: report.json field names (the benchmark reads `pdu_count` and
/// `findings_by_id`), its schema, junit.xml, a self-contained report.html, summary.md,
/// pdus.jsonl in argument order, and the manifest; several files in parallel.
@Suite("Analysis: run folder and parallel files")
struct RunFolderTests {
    static func captures() throws -> [String] {
        var paths: [String] = []
        for variant in 0..<3 {
            var c = TestCapture()
            let s = c.tcp(harnessPort: UInt16(50_000 + variant))
            for id in UInt8(1)...UInt8(2 + variant) {
                c.send(APDUs.wrapped(APDUs.getRequest(id), fromClient: true), .toDevice, in: s)
                c.send(APDUs.wrapped(APDUs.getResponse(variant == 1 ? id &+ 1 : id), fromClient: false), .fromDevice, in: s)
            }
            c.end(s)
            paths.append(try c.write())
        }
        return paths
    }

    @Test("three captures on two threads: results in argument order, one report family")
    func runFolder() throws {
        let paths = try Self.captures()
        let root = NSTemporaryDirectory() + "analysis-run-\(UUID().uuidString)"
        let folder = try RunFolder.create(root: root, name: "t")
        let run = AnalysisRun(paths: paths, analyzer: CaptureAnalyzer(), jobs: 2)
        let results = run.run(pduPath: { RunFolder.pduPart(in: folder, index: $0) })
        #expect(results.map(\.fileIndex) == [1, 2, 3])
        #expect(results.map(\.pduCount) == [4, 6, 8])
        let report = AnalysisReport(runID: "t", tool: "meterproof test", files: results, rules: DissectorRegistry.standard.allRules)
        try RunFolder.write(report, to: folder, formats: Set(RunFolder.Format.allCases))
        let names = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
        #expect(names == ["junit.xml", "manifest.sha256", "pdus.jsonl", "report.html", "report.json", "report.schema.json", "summary.md"])

        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + "/report.json"))) as? [String: Any])
        #expect(json["pdu_count"] as? Int == 18)
        // File 2 answers requests 1, 2, 3 with invoke-ids 2, 3, 4: three mismatches, nothing else.
        let byID = try #require(json["findings_by_id"] as? [String: Int])
        #expect(byID == ["dlms.invoke-id-mismatch": 3])
        #expect(json["exit_status"] as? Int == 1)
        #expect((json["files"] as? [[String: Any]])?.map { $0["path"] as? String } == paths)
        #expect((json["conversations"] as? [[String: Any]])?.count == 3)
        #expect((json["findings"] as? [[String: Any]])?.allSatisfy { ($0["file_index"] as? Int) == 2 } == true)

        let pdus = try String(contentsOfFile: folder + "/pdus.jsonl", encoding: .utf8).split(separator: "\n")
        #expect(pdus.count == 18)
        let order = pdus.compactMap { line -> Int? in
            ((try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any])?["file_index"] as? Int
        }
        #expect(order == Array(repeating: 1, count: 4) + Array(repeating: 2, count: 6) + Array(repeating: 3, count: 8))

        let html = try String(contentsOfFile: folder + "/report.html", encoding: .utf8)
        #expect(!html.contains("<script"))
        #expect(!html.contains("http://") && !html.contains("https://"))
        #expect(html.contains("<svg"))
        #expect(html.contains("Response latency"))
        let junit = try String(contentsOfFile: folder + "/junit.xml", encoding: .utf8)
        #expect(junit.contains("name=\"dlms.invoke-id-mismatch\""))
        #expect(junit.components(separatedBy: "<failure").count - 1 == 1)
        let manifest = try String(contentsOfFile: folder + "/manifest.sha256", encoding: .utf8)
        #expect(manifest.split(separator: "\n").count == 6)
        let schema = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + "/report.schema.json")))
        #expect((schema as? [String: Any])?["$id"] as? String == AnalysisReport.schemaID)
    }

    @Test("the same captures give the same report whatever the number of jobs")
    func deterministic() throws {
        let paths = try Self.captures()
        func report(jobs: Int) -> String {
            let results = AnalysisRun(paths: paths, analyzer: CaptureAnalyzer(), jobs: jobs).run(pduPath: { _ in nil })
                .map { result -> FileResult in
                    var r = result
                    r.elapsedSeconds = 0
                    return r
                }
            return AnalysisReport(runID: "t", tool: "t", files: results, rules: DissectorRegistry.standard.allRules).json.serialized()
        }
        #expect(report(jobs: 1) == report(jobs: 3))
    }
}
