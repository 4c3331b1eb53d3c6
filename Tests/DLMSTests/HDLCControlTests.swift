import DLMS
import Testing

@Suite("HDLC control field (fact sheet §1.4)")
struct HDLCControlTests {
    @Test("fact sheet table: U frames with and without P/F")
    func unnumbered() {
        let table: [(UInt8, HDLCControl.FrameType, Bool)] = [
            (0x83, .setNormalResponseMode, false), (0x93, .setNormalResponseMode, true),
            (0x43, .disconnect, false), (0x53, .disconnect, true),
            (0x63, .unnumberedAcknowledge, false), (0x73, .unnumberedAcknowledge, true),
            (0x0F, .disconnectedMode, false), (0x1F, .disconnectedMode, true),
            (0x87, .frameReject, false), (0x97, .frameReject, true),
            (0x03, .unnumberedInformation, false), (0x13, .unnumberedInformation, true),
        ]
        for (byte, type, pf) in table {
            let c = HDLCControl(rawValue: byte)
            #expect(c.frameType == type && c.pollFinal == pf, "0x\(String(byte, radix: 16))")
            #expect(HDLCControl.unnumbered(type, pollFinal: pf) == c)
            #expect(c.sendSequence == nil && c.receiveSequence == nil)
        }
    }

    @Test("I frames: 10 = N(S) 0 N(R) 0 P; 30 = N(S) 0 N(R) 1 F (U9 TestInformationControlField)")
    func information() {
        let c10 = HDLCControl(rawValue: 0x10)
        #expect(c10.frameType == .information && c10.sendSequence == 0 && c10.receiveSequence == 0 && c10.pollFinal)
        let c30 = HDLCControl(rawValue: 0x30)
        #expect(c30.sendSequence == 0 && c30.receiveSequence == 1 && c30.pollFinal)
        for ns in UInt8(0)...7 {
            for nr in UInt8(0)...7 {
                for pf in [false, true] {
                    let c = HDLCControl.information(sendSequence: ns, receiveSequence: nr, pollFinal: pf)
                    #expect(c.rawValue == nr << 5 | (pf ? 0x10 : 0) | ns << 1)
                    #expect(c.sendSequence == ns && c.receiveSequence == nr && c.pollFinal == pf)
                }
            }
        }
    }

    @Test("RR 11…F1 and RNR 15…F5")
    func supervisory() {
        for nr in UInt8(0)...7 {
            let rr = HDLCControl.receiveReady(receiveSequence: nr, pollFinal: true)
            #expect(rr.rawValue == nr << 5 | 0x11 && rr.frameType == .receiveReady && rr.receiveSequence == nr)
            let rnr = HDLCControl.receiveNotReady(receiveSequence: nr, pollFinal: true)
            #expect(rnr.rawValue == nr << 5 | 0x15 && rnr.frameType == .receiveNotReady)
        }
    }

    @Test("disagreements settled: JD's UI C0, GX's DM 17 and GX-only REJ are undefined")
    func undefined() {
        #expect(HDLCControl(rawValue: 0xC0).frameType == .information)  // bit 0 = 0: an I frame, not UI
        #expect(HDLCControl(rawValue: 0x17).frameType == nil)
        #expect(HDLCControl(rawValue: 0x19).frameType == nil)
        #expect(HDLCControl(rawValue: 0xFF).frameType == nil)
        #expect(HDLCControl.unnumbered(.information) == nil)
    }
}
