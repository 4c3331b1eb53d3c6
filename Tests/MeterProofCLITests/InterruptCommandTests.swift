import Foundation
import Testing

/// Ctrl-C during `meterproof run`: the current step finishes, the report is complete and marked
/// interrupted, and the exit status is 130 — tested with a real SIGINT to the process.
@Suite("meterproof run interrupted by SIGINT")
struct InterruptCommandTests {
    @Test func sigintMidRunLeavesACompleteReportAndExits130() async throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("meterproof-sigint-\(UUID().uuidString)").path
        let process = Process()
        process.executableURL = MeterProofBinary.url
        // no-reply makes every REQ_UD2 case wait for its timeout: the run takes long enough to interrupt.
        process.arguments = ["run", root.appendingPathComponent("TestSuites/mbus").path, "--target", "sim:mbus?faults=no-reply",
                             "--report-dir", folder, "--run-id", "interrupted", "--quiet"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        let finished = AsyncStream<Int32> { continuation in
            process.terminationHandler = { continuation.yield($0.terminationStatus); continuation.finish() }
        }
        try process.run()
        try await Task.sleep(for: .milliseconds(2500))
        kill(process.processIdentifier, SIGINT)
        var status: Int32 = -1
        for await code in finished { status = code }
        #expect(status == 130)
        let run = (folder as NSString).appendingPathComponent("interrupted")
        for name in ["report.json", "junit.xml", "report.html", "summary.md", "capture.pcapng", "manifest.sha256"] {
            #expect(FileManager.default.fileExists(atPath: (run as NSString).appendingPathComponent(name)), "\(name) missing")
        }
        let data = try Data(contentsOf: URL(fileURLWithPath: (run as NSString).appendingPathComponent("report.json")))
        let report = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(report["interrupted"] as? Bool == true)
        #expect(report["exit_status"] as? Int == 130)
        let cases = (report["suites"] as? [[String: Any]] ?? []).flatMap { $0["cases"] as? [[String: Any]] ?? [] }
        #expect(cases.count >= 30)  // every case is listed, run or not
        #expect(cases.contains { ($0["reason"] as? String)?.contains("interrupted") == true })
    }
}
