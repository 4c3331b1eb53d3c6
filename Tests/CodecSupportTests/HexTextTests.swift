import CodecSupport
import Testing

// HexText reads the libmbus .hex fixtures and every hex argument of the command line; these pin
// the layouts those files use (wrapped lines, CRLF, no final newline).
@Suite("HexText")
struct HexTextTests {
    @Test func separatorsAndCase() throws {
        #expect(try HexText.parse("68 03 03 68") == [0x68, 0x03, 0x03, 0x68])
        #expect(try HexText.parse("6803\t0368") == [0x68, 0x03, 0x03, 0x68])
        #expect(try HexText.parse("de:AD-be,EF") == [0xDE, 0xAD, 0xBE, 0xEF])
        #expect(try HexText.parse("0x10 0x5B") == [0x10, 0x5B])
        #expect(try HexText.parse("") == [])
    }

    @Test func wrappedLinesAndCRLF() throws {
        #expect(try HexText.parse("10 5B\r\n01 5C\r\n16\r\n") == [0x10, 0x5B, 0x01, 0x5C, 0x16])
        #expect(try HexText.parse("10 5B 01\n5C 16") == [0x10, 0x5B, 0x01, 0x5C, 0x16])
    }

    /// libmbus's mbus_hex2bin pairs characters and reads "D " through strtoul as 0x0D.
    @Test func loneDigitIsOneByteAsLibmbusReadsIt() throws {
        #expect(try HexText.parse("D 04 04 68") == [0x0D, 0x04, 0x04, 0x68])
        #expect(try HexText.parse("68 0") == [0x68, 0x00])
        #expect(try HexText.parse("ABC 1") == [0xAB, 0x0C, 0x01])
    }

    @Test func nonHexIsRejectedWithItsPosition() {
        #expect(performing: { try HexText.parse("68 zz") }, throws: { ($0 as? HexText.ParseError)?.offset == 3 })
        #expect(throws: HexText.ParseError.self) { try HexText.parse("68;16") }
    }

    @Test func formatRoundTrips() throws {
        let bytes: [UInt8] = [0x00, 0x7F, 0x80, 0xFF]
        #expect(HexText.format(bytes) == "00 7F 80 FF")
        #expect(try HexText.parse(HexText.format(bytes, separator: "")) == bytes)
    }
}
