import Foundation
import Testing

/// `meterproof report RUN_DIR` on a folder `meterproof run` wrote, as a user calls it.
@Suite("meterproof report")
struct ReportCommandTests {
    /// Runs one case against the clean simulator and returns the run folder.
    static func runFolder() async throws -> String {
        let root = try RunCommandTests.temporaryFolder()
        let r = try await MeterProofBinary.run([
            "run", RunCommandTests.root.appendingPathComponent("TestSuites/mbus").path, "--target", "sim:mbus",
            "--report-dir", root, "--quiet", "--case", "MBUS_LL_P01",
        ])
        try #require(r.status == 0, "run exited \(r.status)\nstdout: \(r.stdout)\nstderr: \(r.stderr)")
        let line = try #require(r.stdout.split(separator: "\n").last { $0.hasPrefix("report: ") }, "no report line: \(r.stdout)")
        let folder = String(line.dropFirst("report: ".count))
        try #require(FileManager.default.fileExists(atPath: (folder as NSString).appendingPathComponent("report.json")), "\(folder)")
        return folder
    }

    static func sha256sumCheck(in folder: String) async throws -> CommandResult? {
        let path = "/usr/bin/sha256sum"
        guard FileManager.default.isExecutableFile(atPath: path) else { return nil }
        return try await onDedicatedThread {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: path)
            process.arguments = ["-c", "--strict", "manifest.sha256"]
            process.currentDirectoryURL = URL(fileURLWithPath: folder)
            let out = Pipe(), err = Pipe()
            process.standardOutput = out
            process.standardError = err
            try process.run()
            let o = out.fileHandleForReading.readDataToEndOfFile()
            let e = err.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return CommandResult(status: process.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
                                 stderr: String(decoding: e, as: UTF8.self))
        }
    }

    @Test func deletedReportsAreWrittenAgainAndTheManifestStillVerifies() async throws {
        let folder = try await Self.runFolder()
        let reportJSON = try Data(contentsOf: URL(fileURLWithPath: (folder as NSString).appendingPathComponent("report.json")))
        for name in ["report.html", "junit.xml"] {
            try FileManager.default.removeItem(atPath: (folder as NSString).appendingPathComponent(name))
        }
        let r = try await MeterProofBinary.run(["report", folder, "--format", "all"])
        #expect(r.status == 0, "stdout: \(r.stdout)\nstderr: \(r.stderr)")
        for name in ["report.html", "junit.xml", "summary.md", "manifest.sha256"] {
            let path = (folder as NSString).appendingPathComponent(name)
            #expect(FileManager.default.fileExists(atPath: path), "\(name) not written again")
            #expect(r.stdout.contains(path), "stdout does not name \(name): \(r.stdout)")
        }
        let junit = try String(contentsOfFile: (folder as NSString).appendingPathComponent("junit.xml"), encoding: .utf8)
        #expect(junit.contains("MBUS_LL_P01"))
        let html = try String(contentsOfFile: (folder as NSString).appendingPathComponent("report.html"), encoding: .utf8)
        #expect(html.contains("MBUS_LL_P01"))
        let after = try Data(contentsOf: URL(fileURLWithPath: (folder as NSString).appendingPathComponent("report.json")))
        #expect(after == reportJSON, "report.json was rewritten")

        if let check = try await Self.sha256sumCheck(in: folder) {
            #expect(check.status == 0, "sha256sum -c: \(check.stdout)\(check.stderr)")
            #expect(check.stdout.contains("report.html: OK") && check.stdout.contains("junit.xml: OK"), "\(check.stdout)")
        } else if ProcessInfo.processInfo.environment["METERPROOF_REQUIRE_PEERS"] == "1" {
            Issue.record("METERPROOF_REQUIRE_PEERS=1 but /usr/bin/sha256sum is unavailable. Run scripts/setup.")
        }
    }

    @Test func aMissingFolderExitsTwoWithAClearMessage() async throws {
        let r = try await MeterProofBinary.run(["report", "/nonexistent"])
        #expect(r.status == 2, "stdout: \(r.stdout)\nstderr: \(r.stderr)")
        #expect(r.stderr.contains("/nonexistent") && r.stderr.contains("does not exist"), "stderr: \(r.stderr)")
        #expect(!r.stderr.contains("Fatal error") && !r.stderr.contains("Stack dump"), "stderr: \(r.stderr)")
    }

    @Test func aWrongVerdictWordExitsTwoNamingTheField() async throws {
        let folder = try await Self.runFolder()
        let url = URL(fileURLWithPath: (folder as NSString).appendingPathComponent("report.json"))
        var root = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        var suites = try #require(root["suites"] as? [[String: Any]])
        let index = try #require(suites.firstIndex { !(($0["cases"] as? [[String: Any]]) ?? []).isEmpty })
        var cases = try #require(suites[index]["cases"] as? [[String: Any]])
        cases[0]["verdict"] = "passed"
        suites[index]["cases"] = cases
        root["suites"] = suites
        try JSONSerialization.data(withJSONObject: root).write(to: url)

        let r = try await MeterProofBinary.run(["report", folder])
        #expect(r.status == 2, "stdout: \(r.stdout)\nstderr: \(r.stderr)")
        #expect(r.stderr.contains("suites[\(index)].cases[0].verdict"), "stderr: \(r.stderr)")
        #expect(r.stderr.contains("report.json"), "stderr: \(r.stderr)")
        #expect(!r.stderr.contains("Fatal error") && !r.stderr.contains("Stack dump"), "stderr: \(r.stderr)")
    }
}
