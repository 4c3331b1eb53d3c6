import Campaign
import Conformance
import Foundation
import Simulators
import Testing
import Transport

/// Every DLMS suite against the reference server reached as a real device is: over TCP with HDLC
/// framing (`meterproof simulate dlms --listen … --hdlc`) and over a pty (`--pty`), through a device
/// profile. Timed (real sockets and a pty): listed in scripts/test's TIMED group.
@Suite("DLMS suites against the served reference server")
struct DLMSServeRunTests {
    static func profile(transport: String, name: String) throws -> String {
        let folder = try CampaignSupport.temporaryFolder(name)
        let path = URL(fileURLWithPath: folder).appendingPathComponent("server.device.yaml").path
        let pics = DLMSDriver().defaultPICS.merging(["dlms.hdlc": true, "dlms.wrapper": false]) { $1 }
        let picsText = pics.keys.sorted().map { "  \($0): \(pics[$0] == true)" }.joined(separator: "\n")
        try """
        transport: \(transport)
        pics:
        \(picsText)
        pixit:
          framing: hdlc
          server_logical_address: 1
          server_physical_address: 17
          server_address_size: 4
          public_client: 16
          reader_client: 32
          manager_client: 1
          lls_password: {secret: "12345678"}
          guek: {secret: "000102030405060708090A0B0C0D0E0F"}
          gak: {secret: "D0D1D2D3D4D5D6D7D8D9DADBDCDDDEDF"}
          client_system_title: "4D50434C49454E54"
        """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func everySuitePassesOverHDLCOnTCP() async throws {
        let listener = try await TCPListener(host: "127.0.0.1", port: 0)
        let device = DLMSSharedLogicalDevice(COSEMServer())
        let server = Task { try await DLMSSimulatorServer.serve(listener: listener, framing: .hdlc, device: device) }
        defer { server.cancel() }
        let profile = try Self.profile(transport: "tcp://127.0.0.1:\(listener.port)", name: "dlms-hdlc-tcp")
        let result = try await CampaignSupport.run([DLMSFaultMatrixTests.dlmsSuites], device: .profile(path: profile), name: "dlms-hdlc-tcp")
        #expect(result.exitStatus == 0, "\(CampaignSupport.describeFailures(result.report))")
        #expect(result.report.summary.pass >= 60 && result.report.summary.notApplicable == 0)
    }

    @Test func everySuitePassesOverHDLCOnAPty() async throws {
        let pty = try PseudoTerminal(settings: try LineSettings.eightNoneOne(baud: 9600))
        let device = DLMSSharedLogicalDevice(COSEMServer())
        let server = Task { try await DLMSSimulatorServer.serve(line: pty, modeE: false, device: device) }
        defer { server.cancel() }
        let profile = try Self.profile(transport: "serial://\(pty.devicePath)?baud=9600", name: "dlms-hdlc-pty")
        let result = try await CampaignSupport.run([DLMSFaultMatrixTests.dlmsSuites], device: .profile(path: profile), name: "dlms-hdlc-pty")
        #expect(result.exitStatus == 0, "\(CampaignSupport.describeFailures(result.report))")
        #expect(result.report.summary.pass >= 60)
        await pty.close()
    }
}
