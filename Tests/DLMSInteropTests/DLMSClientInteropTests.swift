import DLMS
import Foundation
import Simulators
import Testing

/// What every peer must read from the reference server with its clock stopped at its start
/// (``InProcessServer/fixedClockConfiguration()``): the identity's logical device name, the clock's
/// date-time, and the active energy import register 1.0.1.8.0.255 — 1 000 000 Wh at second 0
/// (COSEMObjectStore.importEnergy), scaler 0, unit 30 (Wh, fact sheet §8.5).
enum ServerTruth {
    static let logicalDeviceName = String(decoding: DLMSSimulatorIdentity.default.logicalDeviceName, as: UTF8.self)
    static let clockOctets = SimulatedClock(elapsed: { 0 }).now.encoded
    static let clockISO = "2026-01-01T00:00:00"
    static let energy = 1_000_000
    static let scaler = 0
    static let unitWattHour = 30

    /// The manager's keys (EK, AK) from the identity, as hex.
    static let keys = (ek: hex(DLMSSimulatorIdentity.default.globalUnicastKey), ak: hex(DLMSSimulatorIdentity.default.authenticationKey))

    static func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02X", $0) }.joined() }

    static var clockHex: String { clockOctets.map { String(format: "%02X", $0) }.joined() }

    /// The checks common to both peers, for a successful reading.
    static func expectReading(_ reading: PeerReading, peer: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(reading.status == 0, "\(peer) failed: \(reading.fields) \(reading.stderr)", sourceLocation: sourceLocation)
        #expect(reading.ok, sourceLocation: sourceLocation)
        #expect(reading.string("logical_device_name") == logicalDeviceName, sourceLocation: sourceLocation)
        #expect(reading.int("energy_value") == energy, sourceLocation: sourceLocation)
        #expect(reading.int("energy_scaler") == scaler, sourceLocation: sourceLocation)
        #expect(reading.int("energy_unit") == unitWattHour, sourceLocation: sourceLocation)
    }
}

/// Gurux.DLMS.Python's GXDLMSClient (scripts/peers/gurux_client.py) against our server over the
/// TCP wrapper: associations with no authentication (client 16) and LLS (client 32), GET of the
/// logical device name, clock time and an energy register with its scaler_unit, release; and a
/// wrong LLS password, which must be rejected.
@Suite("DLMS interop: Gurux client", .serialized, .enabled(if: DLMSPeer.guruxShouldRun, DLMSPeer.skipComment(.gurux, DLMSPeer.guruxProblem)))
struct GuruxClientInteropTests {
    @Test("no authentication (client 16): Gurux reads LDN, clock and register as our server holds them")
    func publicClient() async throws {
        if let problem = DLMSPeer.guruxProblem { Issue.record("METERPROOF_REQUIRE_PEERS=1: \(problem)"); return }
        let server = try await InProcessServer.start()
        let reading = try await DLMSPeer.gurux.read(port: server.port, client: 16)
        await server.stop()
        ServerTruth.expectReading(reading, peer: "gurux")
        #expect(reading.string("clock_iso8601") == ServerTruth.clockISO)
        #expect((reading["clock_raw"] as? [String: Any])?["octets"] as? String == ServerTruth.clockHex)
        #expect(reading.string("version") == DLMSPeer.gurux.pinnedVersion)
    }

    @Test("LLS (client 32, password 12345678): Gurux associates and reads the same values")
    func lowLevelSecurity() async throws {
        if let problem = DLMSPeer.guruxProblem { Issue.record("METERPROOF_REQUIRE_PEERS=1: \(problem)"); return }
        let server = try await InProcessServer.start()
        let reading = try await DLMSPeer.gurux.read(port: server.port, client: 32, password: "12345678")
        await server.stop()
        ServerTruth.expectReading(reading, peer: "gurux")
        #expect(reading.string("authentication") == "lls")
    }

    @Test("HLS-GMAC with ciphering (manager client 1): Gurux's GXDLMSSecureClient passes pass 3/4 and reads through glo- APDUs")
    func highLevelSecurity() async throws {
        if let problem = DLMSPeer.guruxProblem { Issue.record("METERPROOF_REQUIRE_PEERS=1: \(problem)"); return }
        let server = try await InProcessServer.start()
        let reading = try await DLMSPeer.gurux.read(port: server.port, client: 1, hlsKeys: ServerTruth.keys)
        await server.stop()
        ServerTruth.expectReading(reading, peer: "gurux")
        #expect(reading.string("authentication") == "hls-gmac")
    }

    @Test("a wrong LLS password is rejected at the association (Gurux: permanently rejected, authentication failure)")
    func wrongPassword() async throws {
        if let problem = DLMSPeer.guruxProblem { Issue.record("METERPROOF_REQUIRE_PEERS=1: \(problem)"); return }
        let server = try await InProcessServer.start()
        let reading = try await DLMSPeer.gurux.read(port: server.port, client: 32, password: "87654321")
        await server.stop()
        #expect(reading.status == 1)
        #expect(!reading.ok)
        #expect(reading.string("stage") == "associate")
        #expect(reading.string("error")?.contains("Authentication failure") == true, "\(reading.fields)")
        #expect(reading["logical_device_name"] == nil)
    }
}

/// u9n/dlms-cosem's DlmsClient (scripts/peers/dlms_cosem_client.py) against our server over the
/// TCP wrapper: the same readings, and a wrong LLS password rejected with diagnostic 13.
@Suite("DLMS interop: dlms-cosem client", .serialized, .enabled(if: DLMSPeer.dlmsCosemShouldRun, DLMSPeer.skipComment(.dlmsCosem, DLMSPeer.dlmsCosemProblem)))
struct DLMSCosemClientInteropTests {
    @Test("no authentication (client 16): dlms-cosem reads LDN, clock and register as our server holds them")
    func publicClient() async throws {
        if let problem = DLMSPeer.dlmsCosemProblem { Issue.record("METERPROOF_REQUIRE_PEERS=1: \(problem)"); return }
        let server = try await InProcessServer.start()
        let reading = try await DLMSPeer.dlmsCosem.read(port: server.port, client: 16)
        await server.stop()
        ServerTruth.expectReading(reading, peer: "dlms-cosem")
        let clock = reading["clock"] as? [String: Any]
        #expect(clock?["iso8601"] as? String == ServerTruth.clockISO)
        #expect(clock?["deviation"] as? Int == -60)
        #expect(reading.string("clock_raw") == "090C" + ServerTruth.clockHex)
        #expect(reading.string("energy_scaler_unit_raw") == "02020F00161E")
        #expect(reading.string("version") == DLMSPeer.dlmsCosem.pinnedVersion)
    }

    @Test("LLS (client 32, password 12345678): dlms-cosem associates and reads the same values")
    func lowLevelSecurity() async throws {
        if let problem = DLMSPeer.dlmsCosemProblem { Issue.record("METERPROOF_REQUIRE_PEERS=1: \(problem)"); return }
        let server = try await InProcessServer.start()
        let reading = try await DLMSPeer.dlmsCosem.read(port: server.port, client: 32, password: "12345678")
        await server.stop()
        ServerTruth.expectReading(reading, peer: "dlms-cosem")
    }

    @Test("HLS-GMAC with ciphering (manager client 1): dlms-cosem's HighLevelSecurityGmacAuthentication passes pass 3/4 and reads ciphered")
    func highLevelSecurity() async throws {
        if let problem = DLMSPeer.dlmsCosemProblem { Issue.record("METERPROOF_REQUIRE_PEERS=1: \(problem)"); return }
        let server = try await InProcessServer.start()
        let reading = try await DLMSPeer.dlmsCosem.read(port: server.port, client: 1, hlsKeys: ServerTruth.keys)
        await server.stop()
        ServerTruth.expectReading(reading, peer: "dlms-cosem")
        #expect(reading.string("clock_raw") == "090C" + ServerTruth.clockHex)
    }

    @Test("a wrong LLS password is rejected: rejected-permanent, authentication-failure (13)")
    func wrongPassword() async throws {
        if let problem = DLMSPeer.dlmsCosemProblem { Issue.record("METERPROOF_REQUIRE_PEERS=1: \(problem)"); return }
        let server = try await InProcessServer.start()
        let reading = try await DLMSPeer.dlmsCosem.read(port: server.port, client: 32, password: "wrong")
        await server.stop()
        #expect(reading.status == 1)
        #expect(reading.string("stage") == "associate")
        let error = reading.string("error") ?? ""
        #expect(error.contains("REJECTED_PERMANENT") && error.contains("AUTHENTICATION_FAILED"), "\(error)")
    }
}
