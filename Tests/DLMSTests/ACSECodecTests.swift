import CodecSupport
import DLMS
import Testing

/// BER TLV rules, the OID and name tables, construction, errors by code and offset, secret handling.
@Suite("ACSE codec")
struct ACSECodecTests {
    @Test("BER lengths: short form, long form 81/82, shortest form only, indefinite and 5-octet lengths refused")
    func lengths() throws {
        #expect(BERWriter.length(0x7F) == [0x7F])
        #expect(BERWriter.length(0x80) == [0x81, 0x80])
        #expect(BERWriter.length(0x1234) == [0x82, 0x12, 0x34])
        var reader = BERReader([0x04, 0x81, 0x80] + Array(repeating: 0xAA, count: 0x80))
        let element = try reader.read("x")
        #expect(element.value.count == 0x80 && element.valueOffset == 3)
        #expect(reader.isAtEnd)
        func code(_ bytes: [UInt8]) -> (DLMSError.Code, Int)? {
            var r = BERReader(bytes)
            return acseError { () throws(DLMSError) in try r.read("x") }.map { ($0.code, $0.offset) }
        }
        #expect(code([0x04, 0x81, 0x05, 1, 2, 3, 4, 5])! == (.badLength, 1))
        #expect(code([0x04, 0x82, 0x00, 0x90])! == (.badLength, 1))
        #expect(code([0x30, 0x80, 0x00, 0x00])! == (.unsupported, 1))
        #expect(code([0x04, 0x85, 1, 1, 1, 1, 1])! == (.badLength, 1))
        #expect(code([0x04, 0x84, 0x7F, 0xFF, 0xFF, 0xFF])! == (.truncated, 1))
        #expect(code([0x04])! == (.truncated, 1))
        #expect(code([0x1F, 0x05, 0x00])! == (.badFraming, 0))
    }

    @Test("BER high tag numbers round-trip; INTEGER and OID contents in the shortest form")
    func primitives() throws {
        let tag = BERTag.context(200, constructed: true)
        #expect(tag.encoded() == [0xBF, 0x81, 0x48])
        var r = BERReader(BERWriter.tlv(tag, [1, 2]))
        #expect(try r.read("x").tag == tag)
        for v: Int64 in [0, 1, 127, 128, 255, 256, -1, -128, -129, .max, .min] {
            let c = BERInteger.encode(v)
            #expect(try BERInteger.decode(c[...], at: 0, "i") == v)
        }
        #expect(BERInteger.encode(128) == [0x00, 0x80])
        #expect(acseError { () throws(DLMSError) in try BERInteger.decode([0x00, 0x05][...], at: 7, "i") }?.code == .invalidValue)
        let oid = try BERObjectIdentifier(decoding: [0x60, 0x85, 0x74, 0x05, 0x08, 0x01, 0x01][...], at: 0, "oid")
        #expect(oid.description == "2.16.756.5.8.1.1")
        #expect(oid.encodedContent() == [0x60, 0x85, 0x74, 0x05, 0x08, 0x01, 0x01])
        #expect(acseError { () throws(DLMSError) in try BERObjectIdentifier(decoding: [0x60, 0x80, 0x01][...], at: 0, "oid") }?.code == .invalidValue)
        #expect(acseError { () throws(DLMSError) in try BERObjectIdentifier(decoding: [0x60, 0x85][...], at: 0, "oid") }?.code == .truncated)
    }

    @Test("Context and mechanism OIDs 2.16.756.5.8.1.1…4 and 2.16.756.5.8.2.0…7 carry their names")
    func names() {
        #expect([1, 2, 3, 4].map { ApplicationContextName(dlms: $0).name } == [
            "logical_name_no_ciphering", "short_name_no_ciphering", "logical_name_with_ciphering", "short_name_with_ciphering",
        ])
        #expect(ApplicationContextName.logicalNameWithCiphering.usesCiphering)
        #expect(ApplicationContextName(dlms: 9).name == nil)
        #expect((0...7).map { MechanismName(dlms: UInt64($0)).name } == [
            "lowest", "lls", "hls", "hls_md5", "hls_sha1", "hls_gmac", "hls_sha256", "hls_ecdsa",
        ])
        #expect(MechanismName.hlsGMAC.oid.encodedContent() == [0x60, 0x85, 0x74, 0x05, 0x08, 0x02, 0x05])
        #expect(ResultSourceDiagnostic.serviceUser(13).name == "authentication-failure")
        #expect(ResultSourceDiagnostic.serviceUser(14).name == "authentication-required")
        #expect(ResultSourceDiagnostic.serviceUser(2).name == "application-context-name-not-supported")
        #expect(ResultSourceDiagnostic.serviceProvider(2).name == "no-common-acse-version")
        #expect(ResultSourceDiagnostic.serviceUser(99).name == nil)
        #expect(AssociationResult.rejectedTransient.name == "rejected-transient")
        #expect(ReleaseRequestReason.userDefined.name == "user-defined")
        #expect(ReleaseResponseReason.notFinished.name == "not-finished")
    }

    @Test("Fact sheet §4.9: the LLS AARQ built from values is the documented bytes; the password range is 30..<38")
    func buildLLSAARQ() throws {
        let expected = ACSEFixtures.bytes(
            "6036A1090607608574050801018A0207808B0760857405080201AC0A80083132333435363738BE10040E01000000065F1F0400007E1F04B0")
        let aarq = AARQ(
            applicationContextName: .logicalNameNoCiphering,
            senderACSERequirements: .authentication, mechanismName: .lls,
            callingAuthenticationValue: .charstring(Array("12345678".utf8)),
            userInformation: UserInformation(ACSEFixtures.bytes("01000000065F1F0400007E1F04B0")))
        #expect(aarq.encoded() == expected)
        #expect(aarq.secretRange == 30..<38)
        #expect(ACSEAPDU.secretRanges(in: expected[...]) == [30..<38])
        let redacted = ACSEAPDU.redacted(expected)
        #expect(Array(redacted[30..<38]) == Array(repeating: 0x2A, count: 8))
        #expect(Array(redacted[..<30]) == Array(expected[..<30]) && Array(redacted[38...]) == Array(expected[38...]))
    }

    @Test("JSON: stable snake_case names; the authentication value is its length and ***")
    func json() throws {
        let aarq = try AARQ(decoding: ACSEFixtures.bytes(
            "6066A109060760857405080103A60A04084D4D4D0000BC614E8A0207808B0760857405080201AC0A80083132333435363738BE34043221303001234567801302FF8A7874133D414CED25B42534D28DB0047720606B175BD52211BE6841DB204D39EE6FDB8E356855"))
        let json = aarq.json
        #expect(json["apdu"] == .string("aarq"))
        #expect(json["application_context"] == .object([("oid", .string("2.16.756.5.8.1.3")), ("name", .string("logical_name_with_ciphering"))]))
        #expect(json["calling_ap_title"] == .string("4D4D4D0000BC614E"))
        #expect(json["mechanism"]?["name"] == .string("lls"))
        #expect(json["sender_acse_requirements"]?["authentication"] == .bool(true))
        #expect(json["authentication_value"] == .object([("choice", .string("charstring")), ("length", .uint(8)), ("value", .string("***"))]))
        #expect(json["user_information"]?["kind"] == .string("glo-initiateRequest"))
        #expect(json["user_information"]?["ciphered"]?["invocation_counter"] == .uint(0x0123_4567))
        #expect(!json.serialized().contains("3132333435363738"))
        #expect(!String(reflecting: aarq).contains("49, 50, 51"))
    }

    @Test("Bit-string authentication value and a service-provider diagnostic round-trip")
    func choices() throws {
        let aare = AARE(
            applicationContextName: .shortNameNoCiphering, result: .rejectedTransient,
            resultSourceDiagnostic: .serviceProvider(2), respondingAPTitle: Array("ABCDEFGH".utf8),
            respondingAPInvocationIdentifier: -5,
            responderACSERequirements: .authentication, mechanismName: .hlsSHA256,
            respondingAuthenticationValue: .bitstring(BERBitString(unusedBits: 0, bytes: [9, 8, 7])))
        let bytes = aare.encoded()
        let decoded = try AARE(decoding: bytes)
        #expect(decoded == aare)
        #expect(decoded.encoded() == bytes)
        let range = try #require(aare.secretRange)
        #expect(Array(bytes[range]) == [9, 8, 7])
        #expect(decoded.json["diagnostic"]?["source"] == .string("acse-service-provider"))
    }

    @Test("Structural errors by code and offset")
    func errors() {
        func error(_ hex: String) -> (DLMSError.Code, Int)? {
            acseError { () throws(DLMSError) in try ACSEAPDU(decoding: ACSEFixtures.bytes(hex)) }.map { ($0.code, $0.offset) }
        }
        #expect(error("")! == (.truncated, 0))
        #expect(error("6403800100")! == (.unknownTag, 0))
        #expect(error("620380010000")! == (.trailingBytes, 5))
        #expect(error("6204800100")! == (.truncated, 1))
        // Components out of order, repeated, or unknown.
        #expect(error("6207BE020400800100")! == (.badFraming, 6))
        #expect(error("6206800100800100")! == (.badFraming, 5))
        #expect(error("6203810100")! == (.unknownTag, 2))
        // AARE without result-source-diagnostic; AARQ without context.
        #expect(error("6110A109060760857405080101A203020100")! == (.badFraming, 18))
        #expect(error("6000")! == (.badFraming, 2))
        // Diagnostic choice [3]; authentication value choice [2]; user-information not an OCTET STRING.
        #expect(error("6117A109060760857405080101A203020100A305A303020100")! == (.unknownTag, 20))
        #expect(error("6011A109060760857405080101AC0482020000")! == (.unknownTag, 15))
        #expect(error("6207800100BE020500")! == (.unknownTag, 7))
    }

    @Test("User-information: the xDLMS codec's InitiateRequest/InitiateResponse views; a dedicated key in clear is masked")
    func userInformationViews() throws {
        let aarq = try AARQ(decoding: ACSEFixtures.bytes(
            "6036A1090607608574050801018A0207808B0760857405080201AC0A80083132333435363738BE10040E01000000065F1F0400007E1F04B0"))
        let request = try #require(aarq.userInformation?.initiateRequest)
        #expect(request.proposedDLMSVersionNumber == 6)
        #expect(request.proposedConformance.rawValue == 0x007E1F)
        #expect(request.clientMaxReceivePDUSize == 1200)
        let aare = try AARE(decoding: ACSEFixtures.bytes(
            "6129A109060760857405080101A203020100A305A103020100BE10040E0800065F1F040000501F01F40007"))
        let response = try #require(aare.userInformation?.initiateResponse)
        #expect(response.serverMaxReceivePDUSize == 500 && response.vaaName == 7)
        #expect(aare.json["user_information"]?["xdlms"] != nil)
        // The decrypted InitiateRequest of fact sheet §4.9 (16-byte dedicated key) sent in clear.
        let plainWithKey = UserInformation(ACSEFixtures.bytes("01011000112233445566778899AABBCCDDEEFF0000065F1F0400007E1F04B0"))
        #expect(plainWithKey.initiateRequest?.dedicatedKey?.count == 16)
        #expect(plainWithKey.carriesDedicatedKeyInClear)
        #expect(plainWithKey.json["hex"] == .string("***"))
        #expect(plainWithKey.json["xdlms"] == nil)
        #expect(!plainWithKey.json.serialized().contains("00112233"))
    }
}
