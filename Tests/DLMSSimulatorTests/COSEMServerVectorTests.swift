import DLMS
import Testing
@testable import Simulators

/// The server's bytes against independent truth: vectors of the fact sheet that come from U9's
/// test suite (dlms-cosem) or were recomputed there from it.
@Suite struct COSEMServerVectorTests {
    static func bytes(_ hex: String) -> [UInt8] {
        let digits = Array(hex.filter { !$0.isWhitespace })
        return stride(from: 0, to: digits.count - 1, by: 2).compactMap { UInt8(String(digits[$0...$0 + 1]), radix: 16) }
    }

    /// Fact sheet §4.10, rejected AARE (U9 test_aare.py): DLMS version too low.
    @Test func rejectedAAREForAnOldDLMSVersionIsByteExact() throws {
        let server = fixedServer()
        let initiate = XDLMSAPDU.initiateRequest(InitiateRequest(proposedDLMSVersionNumber: 5, proposedConformance: Conformance(rawValue: 0x007E1F),
                                                                 clientMaxReceivePDUSize: 1200)).encoded()
        let aarq = AARQ(applicationContextName: .logicalNameNoCiphering, userInformation: UserInformation(initiate))
        #expect(server.handle(apdu: aarq.encoded(), from: 16)
            == [Self.bytes("61 1F A1 09 06 07 60 85 74 05 08 01 01 A2 03 02 01 01 A3 05 A1 03 02 01 01 BE 06 04 04 0E 01 06 01")])
    }

    /// Fact sheet §4.9: U9's no-security AARQ is accepted as sent.
    @Test func u9NoSecurityAARQIsAccepted() throws {
        let server = fixedServer()
        let aarq = Self.bytes("60 1D A1 09 06 07 60 85 74 05 08 01 01 BE 10 04 0E 01 00 00 00 06 5F 1F 04 00 00 7E 1F 04 B0")
        let aare = try AARE(decoding: try #require(server.handle(apdu: aarq, from: 16).first))
        #expect(aare.result == .accepted)
    }

    /// Fact sheet §7.5 (U9 test_security.py): the glo-get-request of the clock time with EK 00…0F,
    /// AK D0…DF, client system title 4D4D4D0000BC614E, IC 01234567 — the reference server's keys are
    /// the same, so it deciphers the very bytes and answers with the clock.
    @Test func u9CipheredGetRequestIsServed() throws {
        let server = fixedServer()
        let manager = COSEMTestClient(server, sap: 1, clientSystemTitle: Self.bytes("4D4D4D0000BC614E"))
        try manager.open()
        let request = Self.bytes("C8 1E 30 01 23 45 67 41 13 12 FF 93 5A 47 56 68 27 C4 67 BC 7D 82 5C 3B E4 A7 7C 3F CC 05 6B 6B")
        let reply = try #require(server.handle(apdu: request, from: 1).first)
        #expect(reply.first == 0xCC)
        guard case let .getResponse(.normal(invoke, .data(.octetString(time)))) = try XDLMSAPDU(decoding: try manager.decipher(reply)) else {
            Issue.record("no clock"); return
        }
        #expect(invoke.rawValue == 0x00)  // the vector's plaintext is C0 01 00 …
        #expect(time.count == 12)
    }

    /// Fact sheet §7.7 (computed there from U9's algorithm): server system title 4D4D4D0000BC614E,
    /// IC 01234567, CtoS "K56iVagY" → GMAC FE 14 66 AF B3 DB CD 4F 93 89 E2 B7. The server's f(CtoS)
    /// in HLS pass 4 must be SC 10 ‖ IC ‖ that GMAC.
    @Test func hlsPassFourMatchesTheFactSheetGMAC() throws {
        var identity = DLMSSimulatorIdentity.default
        identity.systemTitle = Self.bytes("4D4D4D0000BC614E")
        let server = COSEMServer(configuration: COSEMServerConfiguration(identity: identity, clock: SimulatedClock(elapsed: { 0 })))
        let manager = COSEMTestClient.manager(server)
        manager.clientChallenge = Array("K56iVagY".utf8)
        let aare = try manager.associate(manager.aarq())
        server.serverInvocationCounter = 0x0123_4567
        let stoc = aare.respondingAuthenticationValue?.bytes ?? []
        let reply = try manager.security.hlsGMACResponse(to: stoc, by: .client, invocationCounter: manager.nextCounter())
        let result = try manager.action(15, .currentAssociation, 1, .octetString(reply))
        #expect(result.returnParameters == .data(.octetString(Self.bytes("10 01 23 45 67 FE 14 66 AF B3 DB CD 4F 93 89 E2 B7"))))
    }
}
