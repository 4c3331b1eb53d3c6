import Testing
@testable import DLMS

/// A-XDR primitives (fact sheet §6.1): lengths, integers, strings, bit strings, OPTIONAL/DEFAULT, CHOICE.
@Suite("A-XDR primitives")
struct AXDRPrimitiveTests {
    @Test("Short-form lengths are the value itself; long forms are 8n and n bytes, shortest form only")
    func lengthForms() throws {
        let cases: [(Int, String)] = [
            (0, "00"), (9, "09"), (0x7F, "7F"), (0x80, "81 80"), (0xFF, "81 FF"), (0x100, "82 01 00"),
            (0x0F0F, "82 0F 0F"),  // U9 test_get_axdr_length: 82 0F 0F = 3855
            (0x049E, "82 04 9E"),  // U9 test_decode_long block length
            (0xFFFF, "82 FF FF"), (0x1_0000, "83 01 00 00"),  // JD minimal form; GX would write 84 (fact sheet §6.1 ⚠)
            (0x100_0000, "84 01 00 00 00"),
        ]
        for (value, text) in cases {
            let bytes = hexBytes(text)
            #expect(AXDR.encodeLength(value) == bytes, "encode \(value)")
            var r = AXDRReader(bytes)
            #expect(try r.readLength() == value, "decode \(text)")
            #expect(r.isAtEnd)
        }
    }

    @Test("Non-minimal, indefinite and over-long length forms are refused with badLength at the length byte")
    func lengthRefusals() {
        for text in ["81 05", "82 00 FF", "83 00 FF FF", "84 00 00 00 01", "80", "85 00 00 00 00 01", "FF"] {
            var r = AXDRReader(hexBytes(text))
            expectDLMSError(.badLength, at: 0) { _ = try r.readLength() }
        }
        var r = AXDRReader(hexBytes("82 01"))
        expectDLMSError(.truncated, at: 1) { _ = try r.readLength() }
    }

    @Test("A count that the remaining bytes cannot hold fails before any storage is made")
    func hugeCounts() {
        var r = AXDRReader(hexBytes("84 7F FF FF FF 00 00"))
        expectDLMSError(.badLength, at: 0) { _ = try r.readCount() }
        var s = AXDRReader(hexBytes("84 FF FF FF FF"))
        expectDLMSError(.truncated, at: 0) { _ = try s.readOctetString() }
    }

    @Test("Fixed-width integers are big-endian two's complement")
    func integers() throws {
        var r = AXDRReader(hexBytes("FF 80 00 FF FF C4 00 01 E2 40 80 00 00 00 00 00 00 00 12 34"))
        #expect(try r.readInt8() == -1)
        #expect(try r.readInt16() == -32768)
        #expect(try r.readInt32() == -15360)
        #expect(try r.readUInt32() == 0x01E2_4080)
        #expect(try r.readInt64() == 0x0000_0000_0000_0012)
        #expect(try r.readUInt8() == 0x34)
        #expect(r.isAtEnd)

        var w = AXDRWriter()
        w.appendInt8(-1); w.appendInt16(-32768); w.appendInt32(-15360); w.appendUInt32(0x01E2_4080)
        w.appendInt64(0x12); w.append(0x34)
        #expect(w.bytes == hexBytes("FF 80 00 FF FF C4 00 01 E2 40 80 00 00 00 00 00 00 00 12 34"))
    }

    @Test("Octet strings and bit strings carry a length (bytes / bits) and round-trip exactly")
    func strings() throws {
        var r = AXDRReader(hexBytes("06 00 00 2A 00 00 FF 0B 80 E0"))
        #expect(Array(try r.readOctetString()) == [0, 0, 42, 0, 0, 255])
        let bits = try r.readBitString()
        #expect(bits.count == 11)
        #expect(bits.description == "10000000111")
        #expect(bits[0] && !bits[1] && bits[8] && bits[10] && !bits[11])
        #expect(r.isAtEnd)

        var w = AXDRWriter()
        w.appendOctetString([0, 0, 42, 0, 0, 255])
        w.appendBitString(bits)
        #expect(w.bytes == hexBytes("06 00 00 2A 00 00 FF 0B 80 E0"))
        #expect(BitString("1000 0000 111") == bits)
        #expect(BitString(count: 11, bytes: [0x80]) == nil)
    }

    @Test("OPTIONAL and DEFAULT: 00 absent (or default), 01 present; other flags refused")
    func optionalAndDefault() throws {
        var r = AXDRReader(hexBytes("00 01 12 00 FF 02"))
        #expect(try r.readOptional { (r: inout AXDRReader) throws(DLMSError) in try r.readUInt16() } == nil)
        #expect(try r.readDefault { (r: inout AXDRReader) throws(DLMSError) in try r.readUInt16() } == 0x1200)
        #expect(try r.readByte() == 0xFF)
        expectDLMSError(.invalidValue, at: 5) {
            _ = try r.readOptional { (r: inout AXDRReader) throws(DLMSError) in try r.readByte() }
        }

        var w = AXDRWriter()
        w.appendOptional(nil as UInt16?) { $0.appendUInt16($1) }
        w.appendDefault(UInt16(0x1200)) { $0.appendUInt16($1) }
        #expect(w.bytes == hexBytes("00 01 12 00"))
    }

    @Test("A CHOICE tag is one byte; reads past the end are truncated at the right offset")
    func choiceAndTruncation() throws {
        var r = AXDRReader(hexBytes("C4 01"))
        #expect(try r.readChoiceTag() == 0xC4)
        expectDLMSError(.truncated, at: 1) { _ = try r.readUInt16() }
        expectDLMSError(.trailingBytes, at: 1) { try r.expectEnd() }
    }
}

/// Expects `body` to throw a ``DLMSError`` with `code` (and `offset` when given); tests compare codes, not wording.
func expectDLMSError(
    _ code: DLMSError.Code, at offset: Int? = nil, sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () throws -> Void
) {
    do {
        try body()
        Issue.record("expected \(code) but nothing was thrown", sourceLocation: sourceLocation)
    } catch let error as DLMSError {
        #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
        if let offset { #expect(error.offset == offset, "\(error)", sourceLocation: sourceLocation) }
    } catch {
        Issue.record("expected DLMSError \(code), got \(error)", sourceLocation: sourceLocation)
    }
}
