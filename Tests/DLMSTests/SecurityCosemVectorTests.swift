import CodecSupport
import DLMS
import Testing

/// The ciphered APDUs found in the u9n/dlms-cosem tests whose keys are known
/// (`Fixtures/security/dlms_cosem_ciphered_apdus.json`), deciphered and re-ciphered.
@Suite("Security: dlms-cosem ciphered APDUs")
struct SecurityCosemVectorTests {
    private struct Entry {
        let label: String
        let apdu: [UInt8]
        let vector: JSONValue
    }

    private static func entries() throws -> (all: [JSONValue], declared: Int) {
        let file = try SecurityFixtures.json("dlms_cosem_ciphered_apdus.json")
        guard case .int(let count)? = file["count"] else { return (file["vectors"]?.securityItems ?? [], -1) }
        return (file["vectors"]?.securityItems ?? [], Int(count))
    }

    /// The ciphered APDU inside a vector: from `apdu_offset` to the end, or rebuilt from `wrap_as`.
    private static func apdu(of vector: JSONValue) -> [UInt8] {
        let hex = SecurityFixtures.bytes(vector.securityField("hex") ?? "")
        if case .int(let offset)? = vector["apdu_offset"] { return Array(hex.dropFirst(Int(offset))) }
        guard let wrap = vector["wrap_as"] else { return [] }
        let tag = SecurityFixtures.bytes(wrap.securityField("tag") ?? "")
        let sc = SecurityFixtures.bytes(wrap.securityField("security_control") ?? "")
        let ic = SecurityFixtures.bytes(wrap.securityField("invocation_counter") ?? "")
        return tag + [UInt8(sc.count + ic.count + hex.count)] + sc + ic + hex
    }

    private static func context(for vector: JSONValue) throws -> SecurityContext? {
        let key: (ek: [UInt8], ak: [UInt8])
        switch vector.securityField("keys") {
        case "green-book": key = (SecurityFixtures.greenBookEK, SecurityFixtures.greenBookAK)
        case "MYDUMMYGLOBALKEY": key = (SecurityFixtures.dummyGlobalKey, SecurityFixtures.dummyGlobalKey)
        default: return nil
        }
        return try SecurityFixtures.context(ek: key.ek, ak: key.ak, title: vector.securityField("iv_system_title") ?? "")
    }

    @Test("every ciphered APDU with known keys deciphers to the expected plaintext and re-ciphers to the same bytes")
    func decipherAndRecipher() throws {
        let (vectors, declared) = try Self.entries()
        var deciphered = 0
        var structureOnly = 0
        var byKind: [String: Int] = [:]
        for vector in vectors {
            let source = vector["source"]
            var line = "?"
            if case .int(let n)? = source?["line"] { line = "\(n)" }
            let label = "\(source?.securityField("file") ?? "?"):\(line) \(source?.securityField("test") ?? "")"
            let apdu = Self.apdu(of: vector)
            let header = try CipheredAPDU(decoding: apdu)
            #expect(header.encoded() == apdu, "\(label)")
            guard let context = try Self.context(for: vector) else {
                try checkStructureOnly(header, vector: vector, label: label)
                structureOnly += 1
                continue
            }
            let sender: SecurityParty = vector.securityField("sender") == "server" ? .server : .client
            let opened = try context.unprotect(bytes: apdu, from: sender)
            #expect(opened.plaintext == SecurityFixtures.bytes(vector.securityField("expected_plaintext") ?? ""), "\(label)")
            #expect(opened.header.tag.plainTag.map { $0 == opened.plaintext.first } ?? true, "\(label)")

            let form: CipheredAPDUForm = header.tag.isGeneral
                ? .general(header.tag.kind, includesSystemTitle: !(header.systemTitle ?? []).isEmpty)
                : .serviceSpecific(header.tag.kind)
            let again = try context.protect(
                apdu: opened.plaintext, by: sender, control: header.securityControl, form: form,
                invocationCounter: header.invocationCounter)
            #expect(again == apdu, "\(label)")
            deciphered += 1
            byKind[header.tag.name, default: 0] += 1
        }
        #expect(deciphered == 27)
        #expect(structureOnly == 1)
        #expect(deciphered + structureOnly == declared)
        #expect(byKind == ["glo-initiateRequest": 8, "glo-initiateResponse": 1, "general-glo-ciphering": 18])
    }

    /// The general-glo-ciphering of `test_gen_glo_cipher_with_no_system_title_encodes_correct`.
    private func checkStructureOnly(_ header: CipheredAPDU, vector: JSONValue, label: String) throws {
        let expected = vector["expected_structure"]
        #expect(header.tag == .generalGloCiphering, "\(label)")
        #expect(header.systemTitle == [], "\(label)")
        #expect(header.securityControl.rawValue == SecurityFixtures.bytes(expected?.securityField("security_control") ?? "").first)
        #expect(expected?["invocation_counter"] == .int(Int64(header.invocationCounter)))
        #expect(header.invocationCounter == 2_147_483_857)
        #expect(header.information + header.authenticationTag
            == SecurityFixtures.bytes(expected?.securityField("information_and_tag") ?? ""))
    }

    @Test("the UDP pushes of test_udp_message.py carry strictly increasing invocation counters (one skipped)")
    func pushCounters() throws {
        let (vectors, _) = try Self.entries()
        let pushes = vectors.filter { $0["source"]?.securityField("file") == "tests/test_udp_message.py" && $0["source"]?.securityField("test") == "" }
        #expect(pushes.count == 13)
        var tracker = InvocationCounterTracker()
        var verdicts: [InvocationCounterTracker.Verdict] = []
        var first: CipheredAPDU?
        for push in pushes {
            let header = try CipheredAPDU(decoding: Self.apdu(of: push))
            let title = try SystemTitle(header.systemTitle ?? [])
            first = first ?? header
            verdicts.append(tracker.observe(header.invocationCounter, from: title))
        }
        #expect(verdicts.first == .first)
        let allAccepted = verdicts.allSatisfy { $0.isAccepted }
        #expect(allAccepted)
        #expect(verdicts.filter { $0 == .gap(skipped: 1) }.count == 1)  // 0x1EC → 0x1EE
        #expect(verdicts.filter { $0 == .next }.count == 11)
        // Replaying the first push is refused, and does not move the tracker.
        let title = try SystemTitle(first?.systemTitle ?? [])
        let before = tracker
        #expect(tracker.observe(first?.invocationCounter ?? 0, from: title) == .decreased(last: 0x1F2))
        #expect(tracker.observe(0x1F2, from: title) == .replay)
        #expect(tracker == before)
    }
}
