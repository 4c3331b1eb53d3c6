import CodecSupport
import DLMS
import Testing

@Suite("HDLC address field (fact sheet §1.3)")
struct HDLCAddressTests {
    @Test("fact sheet examples (U9 test_hdlc.py address table)")
    func examples() throws {
        #expect(try HDLCAddress.client(1).encoded() == [0x03])
        #expect(try HDLCAddress.client(16).encoded() == [0x21])
        #expect(try HDLCAddress.server(logical: 0x4A).encoded() == [0x95])
        #expect(try HDLCAddress.server(logical: 1, physical: 17).encoded() == [0x02, 0x23])
        #expect(try HDLCAddress(upper: 1, lower: 17, size: .four).encoded() == [0x00, 0x02, 0x00, 0x23])
        #expect(try HDLCAddress.client(32).encoded() == [0x41])
        #expect(try HDLCAddress.server(logical: 4, physical: 65).encoded() == [0x08, 0x83])
        // U9 test: client 0b0100101 → 4B.
        #expect(try HDLCAddress.client(0b0100101).encoded() == [0x4B])
    }

    @Test("decoding the examples gives back parts and size")
    func decode() throws {
        let four = try HDLCAddress.decode([0x00, 0x02, 0x00, 0x23][...])
        #expect(four.size == .four && four.upper == 1 && four.lower == 17)
        let two = try HDLCAddress.decode([0x08, 0x83][...])
        #expect(two.size == .two && two.upper == 4 && two.lower == 65)
        let one = try HDLCAddress.decode([0x21][...])
        #expect(one.size == .one && one.upper == 16 && one.lower == nil)
    }

    @Test("4-byte form carries 14-bit halves: 3FFF all-station, 3FFE calling")
    func wide() throws {
        let a = try HDLCAddress(upper: 0x3FFF, lower: 0x3FFE, size: .four)
        #expect(a.encoded() == [0xFE, 0xFE, 0xFE, 0xFD])
        #expect(try HDLCAddress.decode(a.encoded()[...]) == a)
        #expect(try HDLCAddress.server(logical: 0x80, physical: 1).size == .four)
    }

    @Test("3-byte and 5-byte addresses, missing extension bit and out-of-range parts are badAddress")
    func invalid() {
        #expect(hdlcError { try HDLCAddress.decode([0x02, 0x02, 0x03][...]) }?.code == .badAddress)
        #expect(hdlcError { try HDLCAddress.decode([0x02, 0x02, 0x02, 0x02, 0x03][...]) }?.code == .badAddress)
        #expect(hdlcError { try HDLCAddress.decode([0x02, 0x02][...]) }?.code == .badAddress)
        #expect(hdlcError { try HDLCAddress.client(0x80) }?.code == .badAddress)
        #expect(hdlcError { try HDLCAddress(upper: 1, lower: 0x80, size: .two) }?.code == .badAddress)
        #expect(hdlcError { try HDLCAddress(upper: 1, lower: nil, size: .two) }?.code == .badAddress)
        #expect(hdlcError { try HDLCAddress(upper: 0x4000, lower: 0, size: .four) }?.code == .badAddress)
        #expect(hdlcError { try HDLCAddress.decode([0x03, 0x03][...]) }?.code == .trailingBytes)
    }

    @Test("every 1-, 2- and 4-byte pattern decodes and re-encodes exactly")
    func exhaustiveSmall() throws {
        for b in 0...255 where b & 1 == 1 {
            #expect(try HDLCAddress.decode([UInt8(b)][...]).encoded() == [UInt8(b)])
        }
        for a in stride(from: 0, through: 254, by: 2) {
            for b in stride(from: 1, through: 255, by: 2) {
                #expect(try HDLCAddress.decode([UInt8(a), UInt8(b)][...]).encoded() == [UInt8(a), UInt8(b)])
            }
        }
        var rng = HDLCSeededGenerator(seed: 4)
        for _ in 0..<2000 {
            let bytes: [UInt8] = [UInt8.random(in: 0...255, using: &rng) & 0xFE, UInt8.random(in: 0...255, using: &rng) & 0xFE,
                                  UInt8.random(in: 0...255, using: &rng) & 0xFE, UInt8.random(in: 0...255, using: &rng) | 1]
            #expect(try HDLCAddress.decode(bytes[...]).encoded() == bytes)
        }
    }
}
