import CodecSupport
import Testing
@testable import DLMS

/// Data-Access-Result, Action-Result, the conformance block and units (fact sheet §6.6, §6.7, §5.3, §8.5).
@Suite("COSEM enumerations")
struct COSEMDataEnumerationTests {
    @Test("Data-Access-Result: every value of §6.6 with its name")
    func dataAccessResult() throws {
        let expected: [UInt8: String] = [
            0: "success", 1: "hardware-fault", 2: "temporary-failure", 3: "read-write-denied", 4: "object-undefined",
            9: "object-class-inconsistent", 11: "object-unavailable", 12: "type-unmatched", 13: "scope-of-access-violated",
            14: "data-block-unavailable", 15: "long-get-aborted", 16: "no-long-get-in-progress", 17: "long-set-aborted",
            18: "no-long-set-in-progress", 19: "data-block-number-invalid", 250: "other-reason",
        ]
        #expect(DataAccessResult.allCases.count == expected.count)
        for (value, name) in expected {
            #expect(try DataAccessResult(byte: value).name == name)
            #expect(DataAccessResult(name: name)?.rawValue == value)
        }
        expectDLMSError(.unknownTag) { _ = try DataAccessResult(byte: 5) }
    }

    @Test("Action-Result: every value of §6.7 with its name")
    func actionResult() throws {
        let expected: [UInt8: String] = [
            0: "success", 1: "hardware-fault", 2: "temporary-failure", 3: "read-write-denied", 4: "object-undefined",
            9: "object-class-inconsistent", 11: "object-unavailable", 12: "type-unmatched", 13: "scope-of-access-violated",
            14: "data-block-unavailable", 15: "long-action-aborted", 16: "no-long-action-in-progress", 250: "other-reason",
        ]
        #expect(ActionResult.allCases.count == expected.count)
        for (value, name) in expected {
            #expect(try ActionResult(byte: value).name == name)
            #expect(ActionResult(name: name)?.rawValue == value)
        }
        expectDLMSError(.unknownTag) { _ = try ActionResult(byte: 17) }
    }

    @Test("Conformance block: U9 test_conformance.py examples as bit string and as a set")
    func conformance() throws {
        let greenBook = try AXDRFixtures.u9("test_conformance.py", line: 25)
        #expect(greenBook.bytes.first == 0x00)  // unused bits
        let c = try Conformance(bytes: greenBook.payload)
        #expect(c.bits == [9, 10, 11, 12, 13, 14, 19, 20, 21, 22, 23])
        #expect(c == [.priorityMgmtSupported, .attribute0SupportedWithGet, .blockTransferWithGetOrRead,
                      .blockTransferWithSetOrWrite, .blockTransferWithAction, .multipleReferences,
                      .get, .set, .selectiveAccess, .eventNotification, .action])
        #expect(c.gxFlags == 0xF8_7E00)  // fact sheet §5.3: GX representation
        #expect(c.bitString.description == "000000000111111000011111")
        #expect(try Conformance(bitString: c.bitString) == c)
        #expect(c.berEncoded == hexBytes("5F 1F 04 00 00 7E 1F"))
        #expect(try Conformance.decode(ber: hexBytes("5F 1F 04 00 00 7E 1F")[...]) == (c, 7))

        let second = try Conformance(bytes: try AXDRFixtures.u9("test_conformance.py", line: 37).payload)
        #expect(second.bits == [9, 11, 19, 20, 21, 22, 23])
        #expect(try Conformance(bytes: hexBytes("00 1E 1D")).bits == [11, 12, 13, 14, 19, 20, 21, 23])  // U9 HDLC test

        #expect(Conformance.names.count == 24 && Conformance.asn1Names.count == 24)
        #expect(Set(Conformance.names).count == 24)
        for n in 0...23 { #expect(Conformance(bit: n).bitNames == [Conformance.names[n]]) }
        // Bits 1, 2, 6, 16, 17: GX/U9 names; JD/WS ASN reserved names are accepted too.
        #expect(Conformance(names: ["reserved1", "data-notification"]) == [.generalProtection, .dataNotification])
        #expect(Conformance(names: ["no-such-bit"]) == nil)
        expectDLMSError(.badFraming) { _ = try Conformance.decode(ber: hexBytes("5F 1E 04 00 00 7E 1F")[...]) }
        expectDLMSError(.badLength) { _ = try Conformance.decode(ber: hexBytes("5F 1F 03 00 7E 1F")[...]) }
        expectDLMSError(.truncated) { _ = try Conformance.decode(ber: hexBytes("5F 1F 04 00 00 7E")[...]) }
        #expect(c.json["names"] == .array(c.bitNames.map { .string($0) }))
    }

    @Test("Units: the scaler_unit examples of §8.5 (U9 HAN push frame)")
    func units() throws {
        let examples: [(String, String, Int8)] = [
            ("02 02 0F 00 16 1B", "W", 0), ("02 02 0F FF 16 21", "A", -1), ("02 02 0F FF 16 23", "V", -1),
            ("02 02 0F 00 16 1D", "var", 0), ("02 02 0F 00 16 1E", "Wh", 0), ("02 02 0F 00 16 20", "varh", 0),
        ]
        for (text, symbol, scaler) in examples {
            let v = try COSEMData(decodingExactly: hexBytes(text)[...])
            guard case let .structure(su) = v, case let .integer(s)? = su.first, case let .enumerated(u)? = su.last else {
                Issue.record("not a scaler_unit: \(text)"); continue
            }
            #expect(s == scaler)
            #expect(COSEMUnit(rawValue: u).symbol == symbol)
        }
        #expect(COSEMUnit.hertz.symbol == "Hz" && COSEMUnit.count.rawValue == 255 && COSEMUnit.other.rawValue == 254)
        #expect(COSEMUnit(rawValue: 56).symbol == "%" && COSEMUnit(rawValue: 72).symbol == "dB")
        #expect(COSEMUnit(rawValue: 138).name == "acre-foot")
        #expect(COSEMUnit(rawValue: 58).symbol == nil && COSEMUnit(rawValue: 58).description == "unit(58)")
    }
}
