import CodecSupport
import MeterBus
import Testing

@Suite("Secondary address (fact sheet §1.8, §2.1)")
struct LinkSecondaryAddressTests {
    @Test("manual_frame3's long header reads as 1234567824400107 (ID, PAD in wire order, v1, water)")
    func fromLongHeader() throws {
        let frame = try Frame.decode(HexText.parse(LinkVectors.manualFrame3))
        let address = try SecondaryAddress(wireBytes: frame.userData)
        #expect(address.identification == 0x1234_5678)
        #expect(address.manufacturer == 0x4024)
        #expect(address.version == 0x01)
        #expect(address.medium == 0x07)
        #expect(address.description == "1234567824400107")
        #expect(!address.hasWildcards)
    }

    @Test("libmbus's example string 14491001 1057 01 06 packs as libmbus packs it")
    func libmbusExampleString() throws {
        let address = try #require(SecondaryAddress("1449100110570106"))
        #expect(address.wireBytes == [0x01, 0x10, 0x49, 0x14, 0x10, 0x57, 0x01, 0x06])
        #expect(address.description == "1449100110570106")
    }

    @Test("text form: round trip, lower case accepted, bad text rejected")
    func textForm() throws {
        for text in ["1234567824400107", "12345678FFFFFFFF", "FFFFFFFFFFFFFFFF", "0000000000000000"] {
            #expect(SecondaryAddress(text)?.description == text)
        }
        #expect(SecondaryAddress("1234ffffffffffff")?.description == "1234FFFFFFFFFFFF")
        #expect(SecondaryAddress("1234567824400107 ") == nil)   // 17 characters
        #expect(SecondaryAddress("123456782440010") == nil)     // 15 characters
        #expect(SecondaryAddress("1234A67824400107") == nil)    // A is no BCD digit nor wildcard
        #expect(SecondaryAddress("12345678244001G7") == nil)
        #expect(SecondaryAddress("12345678AB4001C7") != nil)   // hex outside the ID is fine
    }

    @Test("wire bytes need 8 bytes")
    func wireBytesShort() {
        #expect(throws: MeterBusError.self) { try SecondaryAddress(wireBytes: [0x78, 0x56, 0x34]) }
        do {
            _ = try SecondaryAddress(wireBytes: [0x78, 0x56, 0x34])
        } catch {
            #expect(error.code == .truncated)
        }
    }

    @Test("per-nibble F wildcards (mbus4j SelectionOfSlaves)")
    func matching() throws {
        let meter = try #require(SecondaryAddress("1234567824400107"))
        let cases: [(String, Bool)] = [
            ("FFFFFFFFFFFFFFFF", true),
            ("12345678FFFFFFFF", true),
            ("1234FFFFFFFFFFFF", true),
            ("F2F4F6F8FFFFFFFF", true),
            ("1234567824400107", true),
            ("1234567924400107", false),
            ("12345678FFFFFF08", false),
            ("12345678FFFFFF0F", true),
            ("1234567824F0FFFF", true),   // manufacturer nibble wildcard
            ("1234567825F0FFFF", false),
            ("9FFFFFFFFFFFFFFF", false),
        ]
        for (pattern, expected) in cases {
            let selection = try #require(SecondaryAddress(pattern))
            #expect(selection.matches(meter) == expected, "\(pattern)")
            #expect(selection.matches(id: meter.identification, manufacturer: meter.manufacturer,
                                      version: meter.version, medium: meter.medium) == expected)
        }
        #expect(SecondaryAddress.wildcard.hasWildcards)
        #expect(SecondaryAddress.wildcard.matches(meter))
    }
}
