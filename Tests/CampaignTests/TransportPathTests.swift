import Campaign
import Conformance
import Foundation
import Simulators
import Testing
import Transport

/// The same suites run against the reference slave through the serial code path (a pty opened as
/// `serial://`, 2400 8E1) and through TCP (a transparent M-Bus gateway), not only in-process.
@Suite("Suites over a pty and over TCP")
struct TransportPathTests {
    @Test func theSuitesPassOverAPseudoTerminal() async throws {
        let pty = try PseudoTerminal()
        let server = Task { try await MBusSimulatorServer.serve(stream: pty) }
        defer { server.cancel() }
        let result = try await CampaignSupport.run(
            device: .target(url: "serial://\(pty.devicePath)?baud=2400&parity=even"), name: "pty")
        #expect(result.exitStatus == 0, "\(CampaignSupport.describeFailures(result.report))")
        #expect(result.report.summary.pass >= 25)
        // The baud-rate switch went through the serial port's line control and is in the evidence.
        #expect(result.report.frames.contains { $0.direction == .event && $0.note?.contains("9600") == true })
        await pty.close()
    }

    @Test func theSuitesPassOverTCP() async throws {
        let listener = try await TCPListener()
        let server = Task {
            while !Task.isCancelled {
                guard let connection = try? await listener.accept() else { return }
                _ = try? await MBusSimulatorServer.serve(stream: connection)
                await connection.close()
            }
        }
        defer { server.cancel(); listener.close() }
        let folder = try CampaignSupport.temporaryFolder("tcp-profile")
        let profile = (folder as NSString).appendingPathComponent("gateway.device.yaml")
        // A transparent TCP gateway cannot follow a baud-rate switch: the profile says so.
        let pics = MBusDriver().defaultPICS.merging(["mbus.baud_switch": false]) { $1 }
        let pixit = MBusDriver().defaultPIXIT
        var yaml = "transport: tcp://127.0.0.1:\(listener.port)\npics:\n"
        for (name, value) in pics.sorted(by: { $0.key < $1.key }) { yaml += "  \(name): \(value)\n" }
        yaml += "pixit:\n"
        for (name, value) in pixit.sorted(by: { $0.key < $1.key }) {
            switch value {
            case .int(let i): yaml += "  \(name): \(i)\n"
            case .string(let s): yaml += "  \(name): \"\(s)\"\n"
            default: break
            }
        }
        try yaml.write(toFile: profile, atomically: true, encoding: .utf8)
        let result = try await CampaignSupport.run(device: .profile(path: profile), name: "tcp")
        #expect(result.exitStatus == 0, "\(CampaignSupport.describeFailures(result.report))")
        #expect(result.report.summary.pass >= 24)
        #expect(CampaignSupport.cases(result.report)["MBUS_LL_P13"]?.notApplicable == true)
        // capture.pcapng carries the session as synthetic TCP to the gateway's port.
        let capture = try Data(contentsOf: URL(fileURLWithPath: (result.folder as NSString).appendingPathComponent("capture.pcapng")))
        #expect(capture.count > 1000)
    }
}
