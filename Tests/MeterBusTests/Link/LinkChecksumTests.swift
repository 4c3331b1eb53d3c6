import CodecSupport
import MeterBus
import Testing

@Suite("EN 13757-2 checksum (fact sheet §1.2)")
struct LinkChecksumTests {
    @Test("manual_frame2: the sum of the 19 bytes 08…00 is 0x3C")
    func manualFrame2() throws {
        let frame = try HexText.parse(LinkVectors.manualFrame2)
        #expect(Checksum.compute(frame[4..<23]) == 0x3C)
    }

    @Test("manual_frame3: the checksum is 0x18")
    func manualFrame3() throws {
        let frame = try HexText.parse(LinkVectors.manualFrame3)
        #expect(Checksum.compute(frame[4..<(frame.count - 2)]) == 0x18)
    }

    @Test("short frame: CS = C + A mod 256; REQ_UD2 FCB=1 to 5 gives 0x80")
    func shortFrame() {
        #expect(Checksum.compute(control: 0x7B, address: 0x05) == 0x80)
    }

    @Test("the carry is discarded")
    func carryDiscarded() {
        #expect(Checksum.compute([0xFF, 0xFF, 0x03]) == 0x01)
        #expect(Checksum.compute([]) == 0x00)
        #expect(Checksum.compute(control: 0x73, address: 0xFD, ci: 0x52,
                                 data: [0x78, 0x56, 0x34, 0x12, 0xFF, 0xFF, 0xFF, 0xFF]) == 0xD2)
    }
}
