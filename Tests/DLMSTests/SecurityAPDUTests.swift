import CodecSupport
import DLMS
import Testing

/// Ciphered APDU structure, key selection, and rejection of tampered or incomplete input.
@Suite("Security: ciphered APDUs")
struct SecurityAPDUTests {
    /// The Green Book example: glo-get-request of the clock time, SC 0x30, IC 01234567.
    private static let plain = SecurityFixtures.bytes("C0010000080000010000FF0200")
    private static let ciphered = SecurityFixtures.bytes("C81E3001234567411312FF935A47566827C467BC7D825C3BE4A77C3FCC056B6B")
    private static func context() throws -> SecurityContext {
        try SecurityFixtures.context(
            ek: SecurityFixtures.greenBookEK, ak: SecurityFixtures.greenBookAK,
            title: "4D4D4D0000BC614E", counter: 0x0123_4567)
    }

    @Test("Security control byte: suite id in bits 0–3, then authentication, encryption, broadcast key, compression")
    func securityControlBits() {
        let sc = SecurityControl(rawValue: 0xF1)
        #expect(sc.suiteID == 1)
        #expect(sc.flags == [.authentication, .encryption, .broadcastKey, .compression])
        #expect(sc.flags.map(\.name) == ["dlms.sc.authentication", "dlms.sc.encryption", "dlms.sc.broadcast_key", "dlms.sc.compression"])
        #expect(SecurityControl(suite: 0, authenticated: true, encrypted: true) == .authenticatedEncryption)
        #expect(SecurityControl(suite: 2, authenticated: true, encrypted: false, broadcastKey: true).rawValue == 0x52)
        #expect(SecurityControl.authenticationOnly.rawValue == 0x10)
        #expect(SecurityControl.encryptionOnly.rawValue == 0x20)
        #expect(SecurityControl.authenticatedEncryption.description == "suite 0, authenticated, encrypted")
    }

    @Test("glo- and ded- tags map to their plain APDU and back; general forms have none")
    func serviceTags() {
        #expect(CipheredServiceTag.allCases.count == 34)
        for tag in CipheredServiceTag.allCases where !tag.isGeneral {
            let plain = tag.plainTag ?? 0
            #expect(CipheredServiceTag.protecting(plainTag: plain, with: tag.kind) == tag, "\(tag.name)")
            #expect(tag.name.hasPrefix(tag.kind == .global ? "glo-" : "ded-"), "\(tag.name)")
        }
        #expect(CipheredServiceTag.gloGetRequest.plainTag == 0xC0)
        #expect(CipheredServiceTag.dedActionResponse.plainTag == 0xC7)
        #expect(CipheredServiceTag.gloInitiateRequest.plainTag == 0x01)
        #expect(CipheredServiceTag.dedInitiateResponse.plainTag == 0x08)
        #expect(CipheredServiceTag.gloUnconfirmedWriteRequest.plainTag == 0x16)
        #expect(CipheredServiceTag.generalGloCiphering.plainTag == nil)
        #expect(CipheredServiceTag.generalDedCiphering.kind == .dedicated)
        #expect(CipheredServiceTag.protecting(plainTag: 0x0F, with: .global) == nil)  // data-notification
        #expect(CipheredServiceTag.protecting(plainTag: 0xD8, with: .global) == nil)  // exception-response
    }

    @Test("A ciphered APDU decodes without keys and encodes back to the same bytes")
    func structure() throws {
        let apdu = try CipheredAPDU(decoding: Self.ciphered)
        #expect(apdu.tag == .gloGetRequest)
        #expect(apdu.systemTitle == nil)
        #expect(apdu.securityControl == .authenticatedEncryption)
        #expect(apdu.invocationCounter == 0x0123_4567)
        #expect(apdu.information.count == 13)
        #expect(apdu.authenticationTag == SecurityFixtures.bytes("7D825C3BE4A77C3FCC056B6B"))
        #expect(apdu.securityControlOffset == 2)
        #expect(apdu.authenticationTagOffset == 20)
        #expect(apdu.encoded() == Self.ciphered)
        #expect(apdu.json["tag"] == .string("glo-get-request"))
        #expect(apdu.json["invocation_counter"] == .uint(0x0123_4567))
    }

    @Test("Structural defects: unknown tag, short content, lengths beyond the input, trailing bytes")
    func structuralErrors() {
        let c = Self.ciphered
        #expect(SecurityFailure.of { _ = try CipheredAPDU(decoding: [UInt8]()) } == SecurityFailure(.truncated, 0))
        #expect(SecurityFailure.of { _ = try CipheredAPDU(decoding: [0xC0] + c.dropFirst()) } == SecurityFailure(.unknownTag, 0))
        #expect(SecurityFailure.of { _ = try CipheredAPDU(decoding: Array(c.prefix(1))) } == SecurityFailure(.truncated, 1))
        #expect(SecurityFailure.of { _ = try CipheredAPDU(decoding: Array(c.dropLast())) } == SecurityFailure(.truncated, 1))
        #expect(SecurityFailure.of { _ = try CipheredAPDU(decoding: c + [0x00]) } == SecurityFailure(.trailingBytes, 32))
        // Content too short for SC + IC, or for the tag the SC announces.
        #expect(SecurityFailure.of { _ = try CipheredAPDU(decoding: [0xC8, 0x04, 0x20, 0, 0, 0]) } == SecurityFailure(.badLength, 1))
        #expect(SecurityFailure.of { _ = try CipheredAPDU(decoding: [0xC8, 0x10, 0x30] + [UInt8](repeating: 0, count: 15)) }
            == SecurityFailure(.badLength, 1))
        // Non-shortest A-XDR length (the module's rule, AXDRReader.readLength).
        #expect(SecurityFailure.of { _ = try CipheredAPDU(decoding: [0xC8, 0x81, 0x1E] + c.dropFirst(2)) } == SecurityFailure(.badLength, 1))
        // A general form whose system-title length runs past the end.
        #expect(SecurityFailure.of { _ = try CipheredAPDU(decoding: [0xDB, 0x08, 0x01, 0x02]) } == SecurityFailure(.truncated, 1))
    }

    @Test("Tampered ciphertext, tag, IC, SC or system title fail authentication at the tag's offset")
    func tampering() throws {
        let context = try Self.context()
        #expect(try context.unprotect(bytes: Self.ciphered, from: .client).plaintext == Self.plain)
        // Every single-bit flip after the length byte is caught (bytes 2… are SC, IC, ciphertext, tag).
        for index in 2..<Self.ciphered.count {
            for bit in 0..<8 {
                var tampered = Self.ciphered
                tampered[index] ^= UInt8(1 << bit)
                let failure = SecurityFailure.of { _ = try context.unprotect(bytes: tampered, from: .client) }
                switch (index, tampered[2]) {
                case (2, 0x31), (2, 0x32), (2, 0x34), (2, 0x38):  // suite id 1, 2, 4, 8
                    #expect(failure == SecurityFailure(.unsupported, 2), "byte \(index) bit \(bit)")
                case (2, 0xB0):  // compression
                    #expect(failure == SecurityFailure(.unsupported, 2), "byte \(index) bit \(bit)")
                case (2, 0x70):  // broadcast key: none configured
                    #expect(failure == SecurityFailure(.missingKey, 2), "byte \(index) bit \(bit)")
                case (2, 0x20):  // encryption only: no tag, so the last 12 bytes are ciphertext
                    #expect(failure == nil, "byte \(index) bit \(bit)")
                default:
                    #expect(failure == SecurityFailure(.authenticationFailed, 20), "byte \(index) bit \(bit)")
                }
            }
        }
        // The wrong sender title (IV) or the wrong key.
        var other = context
        other.clientSystemTitle = try SystemTitle(SecurityFixtures.bytes("4D4D4D0000BC614F"))
        #expect(SecurityFailure.of { _ = try other.unprotect(bytes: Self.ciphered, from: .client) } == SecurityFailure(.authenticationFailed, 20))
        other = context
        other.authenticationKey = SecurityFixtures.greenBookEK
        #expect(SecurityFailure.of { _ = try other.unprotect(bytes: Self.ciphered, from: .client) } == SecurityFailure(.authenticationFailed, 20))
        // Authentication only: a changed plaintext byte fails too.
        let authOnly = try context.protect(apdu: Self.plain, by: .client, control: .authenticationOnly)
        var changed = authOnly
        changed[10] ^= 0x01
        #expect(SecurityFailure.of { _ = try context.unprotect(bytes: changed, from: .client) } == SecurityFailure(.authenticationFailed, 20))
    }

    @Test("Missing keys and system titles are missingKey at the security control byte")
    func missingKeys() throws {
        let full = try Self.context()
        var noEK = full
        noEK.globalUnicastKey = nil
        #expect(SecurityFailure.of { _ = try noEK.unprotect(bytes: Self.ciphered, from: .client) } == SecurityFailure(.missingKey, 2))
        #expect(SecurityFailure.of { _ = try noEK.protect(apdu: Self.plain, by: .client) }?.code == .missingKey)
        var noAK = full
        noAK.authenticationKey = nil
        #expect(SecurityFailure.of { _ = try noAK.unprotect(bytes: Self.ciphered, from: .client) } == SecurityFailure(.missingKey, 2))
        // Encryption only needs no AK.
        let encOnly = try full.protect(apdu: Self.plain, by: .client, control: .encryptionOnly)
        #expect(try noAK.unprotect(bytes: encOnly, from: .client).plaintext == Self.plain)
        var noTitle = full
        noTitle.clientSystemTitle = nil
        #expect(SecurityFailure.of { _ = try noTitle.unprotect(bytes: Self.ciphered, from: .client) } == SecurityFailure(.missingKey, 2))
        var shortKey = full
        shortKey.globalUnicastKey = Array(SecurityFixtures.greenBookEK.prefix(15))
        #expect(SecurityFailure.of { _ = try shortKey.unprotect(bytes: Self.ciphered, from: .client) } == SecurityFailure(.missingKey, 2))
        // ded- APDUs need the dedicated key.
        #expect(SecurityFailure.of { _ = try full.protect(apdu: Self.plain, by: .client, form: .serviceSpecific(.dedicated)) }
            == SecurityFailure(.missingKey, 0))
        var withDedicated = full
        withDedicated.dedicatedKey = SecurityFixtures.dummyGlobalKey
        let ded = try withDedicated.protect(apdu: Self.plain, by: .client, form: .serviceSpecific(.dedicated))
        #expect(ded.first == 0xD0)
        #expect(try withDedicated.unprotect(bytes: ded, from: .client).plaintext == Self.plain)
        #expect(SecurityFailure.of { _ = try full.unprotect(bytes: ded, from: .client) } == SecurityFailure(.missingKey, 2))
    }

    @Test("Dedicated, broadcast and general forms round-trip, each under its own key")
    func keysAndForms() throws {
        var context = try Self.context()
        context.dedicatedKey = SecurityFixtures.bytes("00112233445566778899AABBCCDDEEFF")
        context.globalBroadcastKey = SecurityFixtures.bytes("FFEEDDCCBBAA99887766554433221100")
        context.serverSystemTitle = try SystemTitle(SecurityFixtures.bytes("4D4D4D0000000002"))
        let response = SecurityFixtures.bytes("C401C1000600001391")  // get-response, u9n test_get.py

        let ded = try context.protect(apdu: response, by: .server, form: .serviceSpecific(.dedicated), invocationCounter: 7)
        #expect(ded.first == CipheredServiceTag.dedGetResponse.rawValue)
        #expect(try context.unprotect(bytes: ded, from: .server).plaintext == response)
        let glo = try context.protect(apdu: response, by: .server, invocationCounter: 7)
        #expect(glo.first == 0xCC)
        #expect(glo.dropFirst(7) != ded.dropFirst(7))

        let broadcast = SecurityControl(authenticated: true, encrypted: true, broadcastKey: true)
        let push = SecurityFixtures.bytes("0F000001DB000922125A8591360000000049000000110000000A5A8513D014800000000D0000000A0100")
        let general = try context.protect(apdu: push, by: .server, control: broadcast, form: .general(.global))
        #expect(Array(general.prefix(11)) == [0xDB, 0x08, 0x4D, 0x4D, 0x4D, 0, 0, 0, 0, 0x02, UInt8(5 + push.count + 12)])
        let opened = try context.unprotect(bytes: general, from: .client)  // the carried title wins
        #expect(opened.plaintext == push)
        #expect(opened.senderSystemTitle == context.serverSystemTitle)
        #expect(opened.header.securityControl.usesBroadcastKey)
        var unicastOnly = context
        unicastOnly.globalBroadcastKey = nil
        #expect(SecurityFailure.of { _ = try unicastOnly.unprotect(bytes: general, from: .server) } == SecurityFailure(.missingKey, 11))

        let untitled = try context.protect(apdu: push, by: .server, form: .general(.dedicated, includesSystemTitle: false))
        #expect(Array(untitled.prefix(2)) == [0xDC, 0x00])
        #expect(try context.unprotect(bytes: untitled, from: .server).plaintext == push)
        #expect(SecurityFailure.of { _ = try context.unprotect(bytes: untitled, from: .client) } == SecurityFailure(.authenticationFailed, untitled.count - 12))

        // A carried system title that is not 8 bytes, and a broadcast bit on a dedicated APDU.
        var badTitle = try CipheredAPDU(decoding: general)
        badTitle.systemTitle = [0x4D, 0x4D, 0x4D]
        #expect(SecurityFailure.of { _ = try context.unprotect(bytes: badTitle.encoded(), from: .server) } == SecurityFailure(.invalidValue, 2))
        #expect(SecurityFailure.of { _ = try context.protect(apdu: response, by: .server, control: broadcast, form: .serviceSpecific(.dedicated)) }?.code == .invalidValue)
    }

    @Test("protect refuses what it cannot express")
    func protectRefusals() throws {
        let context = try Self.context()
        #expect(SecurityFailure.of { _ = try context.protect(apdu: [UInt8](), by: .client) } == SecurityFailure(.truncated, 0))
        let push = SecurityFixtures.bytes("0F0000000100")
        #expect(SecurityFailure.of { _ = try context.protect(apdu: push, by: .client) } == SecurityFailure(.unsupported, 0))
        #expect(SecurityFailure.of { _ = try context.protect(apdu: Self.plain, by: .client, control: SecurityControl(rawValue: 0x31)) } == SecurityFailure(.unsupported, 0))
        #expect(SecurityFailure.of { _ = try context.protect(apdu: Self.plain, by: .client, control: SecurityControl(rawValue: 0xB0)) } == SecurityFailure(.unsupported, 0))
        // The counter defaults to the sender's and is not advanced by protect.
        var counting = context
        #expect(try counting.protect(apdu: Self.plain, by: .client) == Self.ciphered)
        try counting.advanceInvocationCounter(of: .client)
        #expect(counting.clientInvocationCounter == 0x0123_4568)
        #expect(try counting.protect(apdu: Self.plain, by: .client) != Self.ciphered)
        counting.serverInvocationCounter = .max
        #expect(SecurityFailure.of { try counting.advanceInvocationCounter(of: .server) }?.code == .invalidValue)
        // description never shows key bytes.
        #expect(!context.description.contains("000102"))
        #expect(!context.description.contains("D0D1"))
    }
}
