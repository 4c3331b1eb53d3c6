import Foundation
import Testing

/// `meterproof run` and `meterproof list` as a user (or CI) calls them.
@Suite("meterproof run and list")
struct RunCommandTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func temporaryFolder() throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("meterproof-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }

    @Test func aProfileNamingAMissingSerialDeviceExitsTwoWithAClearMessage() async throws {
        let folder = try Self.temporaryFolder()
        let profile = (folder as NSString).appendingPathComponent("bench.device.yaml")
        try """
        transport: serial:///dev/ttyMETERPROOF-missing?baud=2400&parity=even
        pics:
          mbus.ack_after_snd_nke: true
        pixit:
          primary_address: 5
        """.write(toFile: profile, atomically: true, encoding: .utf8)
        let r = try await MeterProofBinary.run([
            "run", Self.root.appendingPathComponent("TestSuites/mbus/link-layer.yaml").path, "--device", profile,
            "--report-dir", folder, "--quiet",
        ])
        #expect(r.status == 2)
        #expect(r.stderr.contains("/dev/ttyMETERPROOF-missing"), "stderr: \(r.stderr)")
        #expect(r.stderr.contains("not found"), "stderr: \(r.stderr)")
        #expect(!r.stderr.contains("Fatal error") && !r.stderr.contains("Stack dump"), "stderr: \(r.stderr)")
    }

    @Test func aSuiteWithAnUnknownStepIsRejectedBeforeAnythingIsSent() async throws {
        let folder = try Self.temporaryFolder()
        let suite = (folder as NSString).appendingPathComponent("bad.yaml")
        try """
        id: bad
        title: Bad
        protocol: mbus
        cases:
          - id: X_P01
            title: t
            purpose: p
            references: [{standard: EN 13757-2, source: test}]
            steps:
              - teleport: {to: 5}
        """.write(toFile: suite, atomically: true, encoding: .utf8)
        let r = try await MeterProofBinary.run(["run", suite, "--target", "sim:mbus", "--report-dir", folder, "--quiet"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("bad.yaml:10"), "stderr: \(r.stderr)")
        #expect(r.stderr.contains("teleport"))
    }

    @Test func aCampaignAgainstTheSimulatorExitsZeroAndNamesItsFolder() async throws {
        let folder = try Self.temporaryFolder()
        let r = try await MeterProofBinary.run([
            "run", Self.root.appendingPathComponent("TestSuites/mbus").path, "--target", "sim:mbus", "--report-dir", folder,
            "--case", "MBUS_LL_P01", "--case", "MBUS_LL_P02", "--case", "MBUS_AL_P01",
        ])
        #expect(r.status == 0, "stdout: \(r.stdout)\nstderr: \(r.stderr)")
        #expect(r.stdout.contains("report: \(folder)"))
        #expect(r.stderr.contains("MBUS_LL_P01 pass"))  // plain progress lines when not a terminal
    }

    @Test func aFaultGivesExitOne() async throws {
        let folder = try Self.temporaryFolder()
        let r = try await MeterProofBinary.run([
            "run", Self.root.appendingPathComponent("TestSuites/mbus/link-layer.yaml").path, "--target", "sim:mbus?faults=bad-checksum",
            "--report-dir", folder, "--case", "MBUS_LL_P02", "--quiet",
        ])
        #expect(r.status == 1, "stdout: \(r.stdout)\nstderr: \(r.stderr)")
        #expect(r.stdout.contains("MBUS_LL_P02 fail"))
    }

    @Test func listFaultsAsJSONIsAnArrayOfProtocolNameDescription() async throws {
        let r = try await MeterProofBinary.run(["list", "faults", "--format", "json"])
        #expect(r.status == 0)
        let array = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]])
        #expect(array.count >= 26)
        #expect(array.allSatisfy { ["mbus", "dlms"].contains($0["protocol"] as? String ?? "") && $0["name"] is String && $0["description"] is String })
        #expect(array.contains { $0["name"] as? String == "late-reply" && $0["protocol"] as? String == "mbus" })
        #expect(array.contains { $0["name"] as? String == "wrong-aare-diagnostic" && $0["protocol"] as? String == "dlms" })
    }

    @Test func listCasesShowsTheShippedSuites() async throws {
        let r = try await MeterProofBinary.run(["list", "cases", "--suites", Self.root.appendingPathComponent("TestSuites").path])
        #expect(r.status == 0)
        #expect(r.stdout.contains("MBUS_LL_P01") && r.stdout.contains("MBUS_AL_P01"))
    }
}
