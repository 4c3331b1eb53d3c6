import CodecSupport
import DLMS
import Testing

/// Every example of `Fixtures/security/dlms_security_suite0_vectors.json` (Green Book worked
/// examples as reproduced in the dlms-cosem and jDLMS tests), in both directions.
@Suite("Security suite 0 vectors")
struct SecurityVectorTests {
    private let file: JSONValue
    private let context: SecurityContext

    init() throws {
        file = try SecurityFixtures.json("dlms_security_suite0_vectors.json")
        let common = file["common"]
        #expect(common?.securityField("block_cipher_key_EK").map(SecurityFixtures.bytes) == SecurityFixtures.greenBookEK)
        #expect(common?.securityField("authentication_key_AK").map(SecurityFixtures.bytes) == SecurityFixtures.greenBookAK)
        #expect(common?.securityField("iv_server") == "4D4D4D0000BC614E01234567")
        context = try SecurityFixtures.context(
            ek: SecurityFixtures.greenBookEK, ak: SecurityFixtures.greenBookAK,
            title: common?.securityField("server_system_title") ?? "", counter: 0x0123_4567)
    }

    /// Dispatches each vector on the fields it has; every one must be recognised.
    @Test("every vector passes in both directions, and all four were checked")
    func everyVector() throws {
        var checked = 0
        for vector in file["vectors"]?.securityItems ?? [] {
            let name = vector.securityField("name") ?? "?"
            if let full = vector.securityField("full_apdu"), let plain = vector.securityField("plaintext_apdu") {
                try checkAuthenticatedEncryption(plain: SecurityFixtures.bytes(plain), full: SecurityFixtures.bytes(full), vector: vector)
            } else if let payload = vector.securityField("payload_and_tag"), let plain = vector.securityField("plaintext_apdu") {
                try checkAuthenticationOnly(plain: SecurityFixtures.bytes(plain), payloadAndTag: SecurityFixtures.bytes(payload))
            } else if vector.securityField("f_StoC") != nil {
                try checkHLS(vector)
            } else {
                Issue.record("vector '\(name)' has no field this test knows")
                continue
            }
            checked += 1
        }
        #expect(checked == 4)
        #expect(checked == (file["vectors"]?.securityItems.count ?? -1))
    }

    /// SC 0x30: encrypt → the published APDU; decrypt → the plaintext; header fields read back.
    private func checkAuthenticatedEncryption(plain: [UInt8], full: [UInt8], vector: JSONValue) throws {
        let ciphered = try context.protect(apdu: plain, by: .client)
        #expect(ciphered == full)
        let opened = try context.unprotect(bytes: full, from: .client)
        #expect(opened.plaintext == plain)
        #expect(opened.header.securityControl == .authenticatedEncryption)
        #expect(opened.header.invocationCounter == 0x0123_4567)
        #expect(opened.header.tag.plainTag == plain.first)
        #expect(opened.senderSystemTitle.bytes == SecurityFixtures.bytes("4D4D4D0000BC614E"))
        if let ct = vector.securityField("ciphertext"), let tag = vector.securityField("tag12") {
            #expect(opened.header.information == SecurityFixtures.bytes(ct))
            #expect(opened.header.authenticationTag == SecurityFixtures.bytes(tag))
            // GCM ciphertext does not depend on the AAD, so SC 0x20 (fact sheet 7.5, computed there)
            // carries the same ciphertext without a tag.
            let encOnly = try context.protect(apdu: plain, by: .client, control: .encryptionOnly)
            #expect(encOnly == [0xC8, UInt8(5 + plain.count), 0x20, 0x01, 0x23, 0x45, 0x67] + SecurityFixtures.bytes(ct))
            #expect(try context.unprotect(bytes: encOnly, from: .client).plaintext == plain)
        }
        if let both = vector.securityField("ciphertext_and_tag") {
            #expect(Array(full.suffix(both.count / 2)) == SecurityFixtures.bytes(both))
        }
    }

    /// SC 0x10: GMAC over SC ‖ AK ‖ plaintext; the plaintext travels in clear.
    private func checkAuthenticationOnly(plain: [UInt8], payloadAndTag: [UInt8]) throws {
        let ciphered = try context.protect(apdu: plain, by: .client, control: .authenticationOnly)
        #expect(ciphered == [0xC8, 0x1E, 0x10, 0x01, 0x23, 0x45, 0x67] + payloadAndTag)
        let opened = try context.unprotect(bytes: ciphered, from: .client)
        #expect(opened.plaintext == plain)
        #expect(opened.header.information == plain)
    }

    /// HLS-GMAC: the client's f(StoC) and the server's f(CtoS), computed and verified.
    private func checkHLS(_ vector: JSONValue) throws {
        func field(_ key: String) -> [UInt8] { SecurityFixtures.bytes(vector.securityField(key) ?? "") }
        let clientIC = field("client_IC").reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        let serverIC = field("server_IC").reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        #expect(field("client_system_title") + field("client_IC") == field("client_iv"))
        let hls = SecurityContext(
            globalUnicastKey: SecurityFixtures.greenBookEK, authenticationKey: SecurityFixtures.greenBookAK,
            clientSystemTitle: try SystemTitle(field("client_system_title")),
            serverSystemTitle: try SystemTitle(field("server_system_title")),
            clientInvocationCounter: clientIC, serverInvocationCounter: serverIC)

        let fStoC = try hls.hlsGMACResponse(to: field("StoC"), by: .client)
        #expect(fStoC == field("f_StoC"))
        #expect(Array(fStoC.suffix(12)) == field("T_StoC"))
        #expect(fStoC.first == field("SC").first)
        #expect(try hls.verifyHLSGMACResponse(field("f_StoC"), to: field("StoC"), from: .client) == clientIC)

        let fCtoS = try hls.hlsGMACResponse(to: field("CtoS"), by: .server)
        #expect(fCtoS == field("f_CtoS"))
        #expect(Array(fCtoS.suffix(12)) == field("T_CtoS"))
        #expect(try hls.verifyHLSGMACResponse(field("f_CtoS"), to: field("CtoS"), from: .server) == serverIC)

        // The wrong challenge, title or a flipped GMAC bit fail at the GMAC's offset.
        let wrongChallenge = SecurityFailure.of { _ = try hls.verifyHLSGMACResponse(field("f_CtoS"), to: field("StoC"), from: .server) }
        #expect(wrongChallenge == SecurityFailure(.authenticationFailed, 5))
        var flipped = field("f_StoC")
        flipped[16] ^= 0x01
        let flippedBit = SecurityFailure.of { _ = try hls.verifyHLSGMACResponse(flipped, to: field("StoC"), from: .client) }
        #expect(flippedBit == SecurityFailure(.authenticationFailed, 5))
        let wrongTitle = SecurityFailure.of { _ = try hls.verifyHLSGMACResponse(field("f_StoC"), to: field("StoC"), from: .server) }
        #expect(wrongTitle == SecurityFailure(.authenticationFailed, 5))
    }
}
