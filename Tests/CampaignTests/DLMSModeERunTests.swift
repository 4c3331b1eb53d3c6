import Campaign
import Conformance
import Foundation
import Simulators
import Testing
import Transport

/// The IEC 62056-21 mode E opening end to end: the DLMS driver opens the reference server's
/// optical port on a pty (sign-on at 300 Bd 7E1, identification, acknowledgement, switch to the
/// agreed rate 8N1) and runs DLMS cases over HDLC. A pty carries neither speed nor parity, so the
/// recorded line settings and their times are what prove the opening (fact sheet §2).
/// Timed (reaction times of 200 ms): listed in scripts/test's TIMED group.
@Suite("DLMS mode E run on a pty")
struct DLMSModeERunTests {
    @Test func theDriverOpensModeEAndRecordsTheLineSettingChanges() async throws {
        let pty = try PseudoTerminal(settings: try LineSettings.eightNoneOne(baud: 300))
        let device = DLMSSharedLogicalDevice(COSEMServer())
        let server = Task { try await DLMSSimulatorServer.serve(line: pty, modeE: true, device: device) }
        defer { server.cancel() }
        let folder = try CampaignSupport.temporaryFolder("dlms-mode-e")
        let profile = URL(fileURLWithPath: folder).appendingPathComponent("optical.device.yaml").path
        try """
        transport: serial://\(pty.devicePath)?baud=9600
        pics:
          dlms.hdlc: true
          dlms.wrapper: false
          dlms.mode_e: true
        pixit:
          framing: hdlc
          mode_e: true
          server_logical_address: 1
          server_physical_address: 17
          server_address_size: 4
          public_client: 16
        """.write(toFile: profile, atomically: true, encoding: .utf8)
        let result = try await CampaignSupport.run([DLMSFaultMatrixTests.dlmsSuites], device: .profile(path: profile),
                                                   cases: ["APPL_OPEN_1", "HDLC_INFO_P1"], name: "dlms-mode-e")
        #expect(result.exitStatus == 0, "\(CampaignSupport.describeFailures(result.report))")
        let frames = result.report.frames
        // The order on the line: 300 7E1, sign-on, identification, acknowledgement, then 8N1 at the
        // rate the identification offered (Z = 6: 19200 Bd), then HDLC.
        let signOn = try #require(frames.firstIndex { $0.hex == "2F 3F 21 0D 0A" })
        let opening = try #require(frames[..<signOn].lastIndex { $0.note?.hasPrefix("line settings 300 7E1") == true })
        let identification = try #require(frames[signOn...].firstIndex { $0.note?.contains("identification /MPR6") == true })
        let ack = try #require(frames[identification...].firstIndex { $0.hex == "06 32 36 32 0D 0A" && $0.direction == .toDevice })
        let switched = try #require(frames[ack...].firstIndex { $0.note?.hasPrefix("line settings 19200 8N1") == true })
        let snrm = try #require(frames[switched...].firstIndex { $0.hex.hasPrefix("7E A0") && $0.direction == .toDevice })
        #expect(opening < signOn && signOn < identification && identification < ack && ack < switched && switched < snrm)
        // The record says "recorded only" for a pty, and the switch came after the meter's 200 ms
        // reaction time (fact sheet §2.4), not before.
        #expect(frames[opening].note?.contains("not a physical line") == true)
        let delay = frames[switched].offsetMs - frames[ack].offsetMs
        #expect(delay >= 250, "switched \(delay) ms after the acknowledgement")
        // The identification itself came no earlier than the 200 ms reaction time.
        #expect(frames[identification].offsetMs - frames[signOn].offsetMs >= 190)
        await pty.close()
    }
}
