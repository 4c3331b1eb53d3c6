import CodecSupport
import DLMS
import Testing

@Suite("HDLC HCS/FCS: CRC-16/X.25 (fact sheet §1.6)")
struct HDLCFrameCheckTests {
    @Test("check value of \"123456789\" is 906E (fact sheet, computed)")
    func checkValue() {
        #expect(HDLCFrameCheck.compute(Array("123456789".utf8)) == 0x906E)
    }

    @Test("U9 TestCrc: the HCS of 03 3F is sent as 5B EC")
    func u9HeaderCheck() {
        #expect(HDLCFrameCheck.wireBytes(HDLCFrameCheck.compute([0x03, 0x3F])) == [0x5B, 0xEC])
    }

    @Test("worked frames: HCS and FCS recomputed equal the bytes sent, low byte first", arguments: HDLCFactSheet.all)
    func workedFrames(hex: String) throws {
        let bytes = try HexText.parse(hex)
        let n = bytes.count
        #expect(HDLCFrameCheck.wireBytes(HDLCFrameCheck.compute(bytes[1..<(n - 3)])) == Array(bytes[(n - 3)..<(n - 1)]))
    }

    @Test("SNRM worked frame: FCS register 0x64BD, sent BD 64")
    func snrmFCS() throws {
        let bytes = try HexText.parse(HDLCFactSheet.snrm)
        #expect(HDLCFrameCheck.compute(bytes[1..<7]) == 0x64BD)
    }

    @Test("data followed by its FCS leaves the good residue F0B8 before the complement")
    func residue() throws {
        let bytes = try HexText.parse(HDLCFactSheet.iFrameAARQ)
        // The complement of compute() is the raw register.
        #expect(HDLCFrameCheck.compute(bytes[1..<(bytes.count - 1)]) ^ 0xFFFF == HDLCFrameCheck.goodResidue)
    }

    @Test("fact sheet note: U9's two 4-byte-address UA frames differ in header but share FCS CE 6A")
    func sameFCS() throws {
        let vectors = try HDLCFixtures.u9Frames().filter { $0.index == 92 || $0.index == 93 }
        #expect(vectors.count == 2)
        for v in vectors {
            #expect(Array(v.bytes.suffix(3).prefix(2)) == [0xCE, 0x6A], "\(v)")
        }
        #expect(vectors[0].bytes[9...10] != vectors[1].bytes[9...10])
    }
}
