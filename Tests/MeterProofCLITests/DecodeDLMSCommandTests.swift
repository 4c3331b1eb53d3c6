import Foundation
import Testing

/// `meterproof decode dlms`: framing detection, APDU names, deciphering with suite 0 keys.
/// Vectors: Gurux loopback exchange (wrapper, no authentication) and the Green Book suite-0
/// example as reproduced in u9n/dlms-cosem's tests (../shared/vectors/dlms/, facts).
@Suite("meterproof decode dlms")
struct DecodeDLMSCommandTests {
    static let ek = "000102030405060708090A0B0C0D0E0F"
    static let ak = "D0D1D2D3D4D5D6D7D8D9DADBDCDDDEDF"
    static let title = "4D4D4D0000BC614E"
    static let gloGetRequest = "C81E3001234567411312FF935A47566827C467BC7D825C3BE4A77C3FCC056B6B"

    @Test func aWrappedGetRequestIsNamed() async throws {
        let r = try await MeterProofBinary.run(["decode", "dlms", "00 01 00 10 00 01 00 0D C0 01 C1 00 0F 00 00 28 00 00 FF 02 00"])
        #expect(r.status == 0, "\(r.stderr)")
        let object = try MeterProofBinary.json(r.stdout.split(separator: "\n")[0])
        #expect(object["framing"] as? String == "wrapper")
        let apdu = try #require(object["apdu"] as? [String: Any])
        #expect(apdu["apdu"] as? String == "get-request")
        #expect(apdu["class_id"] as? Int == 15 && apdu["obis"] as? String == "0-0:40.0.0*255" && apdu["attribute_id"] as? Int == 2)
    }

    @Test func anHDLCFrameIsCheckedAndDecoded() async throws {
        let good = try await MeterProofBinary.run(["decode", "dlms", "7E A0 07 03 21 93 0F 01 7E"])
        #expect(good.status == 0)
        let hdlc = try #require(try MeterProofBinary.json(good.stdout.split(separator: "\n")[0])["hdlc"] as? [String: Any])
        #expect(hdlc["type"] as? String == "SNRM" && hdlc["fcs_ok"] as? Bool == true)
        let bad = try await MeterProofBinary.run(["decode", "dlms", "7E A0 07 03 21 93 0F 02 7E"])
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("offset"))
    }

    @Test func theSuite0ExampleDeciphersWithTheRightKeysOnly() async throws {
        let r = try await MeterProofBinary.run(["decode", "dlms", "--key", Self.ek, "--auth-key", Self.ak, "--system-title", Self.title, Self.gloGetRequest])
        #expect(r.status == 0, "\(r.stderr)")
        let object = try MeterProofBinary.json(r.stdout.split(separator: "\n")[0])
        let plain = try #require(object["deciphered"] as? [String: Any])
        #expect(plain["apdu"] as? String == "get-request" && plain["class_id"] as? Int == 8 && plain["obis"] as? String == "0-0:1.0.0*255")
        #expect(!r.stdout.contains(Self.ek) && !r.stdout.contains(Self.ak))  // keys are never printed
        let wrong = try await MeterProofBinary.run(["decode", "dlms", "--key", "FF" + Self.ek.dropFirst(2), "--auth-key", Self.ak, "--system-title", Self.title, Self.gloGetRequest])
        #expect(wrong.status == 1)
        #expect(wrong.stderr.contains("authentication tag"))
    }

    @Test func keysFromTheEnvironment() async throws {
        setenv("METERPROOF_TEST_DLMS_EK", Self.ek, 1)
        let r = try await MeterProofBinary.run(["decode", "dlms", "--key", "env:METERPROOF_TEST_DLMS_EK", "--auth-key", Self.ak, "--system-title", Self.title, Self.gloGetRequest])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("\"deciphered\""))
    }
}
