import CodecSupport
import DLMS
import Testing

@Suite("HDLC frames (fact sheet §1.1–§1.8) against U9 and the fact sheet's worked frames")
struct HDLCFrameTests {
    @Test("worked frame 1: SNRM to server 1/17 from client 16, no HCS, no information")
    func snrm() throws {
        let bytes = try HexText.parse(HDLCFactSheet.snrm)
        let frame = try HDLCFrame.decode(bytes)
        #expect(frame.frameType == .setNormalResponseMode && frame.control.pollFinal)
        #expect(frame.destination == (try HDLCAddress.server(logical: 1, physical: 17)))
        #expect(frame.source == (try HDLCAddress.client(16)))
        #expect(frame.information.isEmpty && frame.headerCheck == nil && !frame.segmented)
        #expect(frame.lengthField == 8)
        #expect(try frame.negotiatedParameters() == nil)
        // Built from fields, as U9's TestSnrmFrame does.
        let built = try HDLCFrame.negotiation(.setNormalResponseMode, destination: .server(logical: 1, physical: 17),
                                              source: .client(16), parameters: nil)
        #expect(try built.encoded() == bytes)
    }

    @Test("worked frame 2: UA with parameters 154/154/1/1")
    func uaWithParameters() throws {
        let bytes = try HexText.parse(HDLCFactSheet.uaWithParameters)
        let parsed = try HDLCFrame.parse(bytes)
        #expect(parsed.headerCheckOK && parsed.frameCheckOK)
        #expect(parsed.receivedHeaderCheck.map(HDLCFrameCheck.wireBytes) == [0xE6, 0xC7])
        let frame = parsed.frame
        #expect(frame.frameType == .unnumberedAcknowledge && frame.control.rawValue == 0x73)
        #expect(frame.destination == (try HDLCAddress.client(16)))
        let p = try #require(try frame.negotiatedParameters())
        #expect(p.maximumInformationFieldLengthTransmit == 154 && p.maximumInformationFieldLengthReceive == 154)
        #expect(p.windowSizeTransmit == 1 && p.windowSizeReceive == 1)
        #expect(try frame.encoded() == bytes)
    }

    @Test("worked frame 3: UA without information, 1-byte server address")
    func uaWithoutInformation() throws {
        let bytes = try HexText.parse(HDLCFactSheet.uaWithoutInformation)
        let frame = try HDLCFrame.decode(bytes)
        #expect(try frame.source == HDLCAddress.server(logical: 1) && frame.destination == HDLCAddress.client(16))
        #expect(try frame.encoded() == bytes)
    }

    @Test("worked frames 4 and 5: I frames with LLC, built from fields like U9's tests")
    func informationFrames() throws {
        let aarq = try HexText.parse(HDLCFactSheet.iFrameAARQ)
        let info = try HexText.parse("E6E600601DA109060760857405080101BE10040E01000000065F1F0400001E1DFFFF")
        let built = HDLCFrame.information(destination: try .server(logical: 1, physical: 17), source: try .client(16),
                                          sendSequence: 0, receiveSequence: 0, information: info[...])
        #expect(try built.encoded() == aarq)
        #expect(built.llc == .command)
        let decoded = try HDLCFrame.decode(aarq)
        #expect(decoded == built && decoded.control.rawValue == 0x10)

        let v105 = try #require(try HDLCFixtures.u9Frames().first { $0.index == 105 })
        let v106 = try #require(try HDLCFixtures.u9Frames().first { $0.index == 106 })
        let aare = HDLCFrame.information(destination: try .client(16), source: try .server(logical: 1, physical: 17),
                                         sendSequence: 0, receiveSequence: 1, information: v106.bytes[...])
        #expect(try aare.encoded() == v105.bytes)
        #expect(aare.control.rawValue == 0x30 && aare.llc == .response)
    }

    @Test("worked frame 6: UI push from a HAN meter, length 579, client 32, server 4/65")
    func unnumberedInformationPush() throws {
        let v = try #require(try HDLCFixtures.u9Frames().first { $0.index == 108 })
        let parsed = try HDLCFrame.parse(v.bytes)
        #expect(parsed.headerCheckOK && parsed.frameCheckOK)
        let f = parsed.frame
        #expect(f.lengthField == 579 && f.frameType == .unnumberedInformation && f.control.rawValue == 0x13)
        #expect(try f.destination == HDLCAddress.client(32) && f.source == HDLCAddress.server(logical: 4, physical: 65))
        #expect(f.llc == .response && f.information[f.information.startIndex + 3] == 0x0F)  // DataNotification
        #expect(try f.encoded() == v.bytes)
    }

    @Test("4-byte server addresses (U9 vectors 92/93, 101/102): client 1 and 16, server 1/17")
    func fourByteAddresses() throws {
        for v in try HDLCFixtures.u9Frames() where [92, 93, 101, 102].contains(v.index) {
            let f = try HDLCFrame.decode(v.bytes)
            #expect(f.source == (try HDLCAddress(upper: 1, lower: 17, size: .four)), "\(v)")
            #expect(f.destination.size == .one && [1, 16].contains(f.destination.upper))
            let p = try #require(try f.negotiatedParameters())
            // U9 writes 128 in two bytes; re-encoding keeps the width.
            #expect(p.maximumInformationFieldLengthReceive == 128 && p.parameters[0].value.count == 2)
            #expect(try f.encoded() == v.bytes)
        }
    }

    @Test("every U9 vector is classified: 13 frames decode with good checks and re-encode exactly; the rest are rejected")
    func allU9Vectors() throws {
        let vectors = try HDLCFixtures.u9Frames()
        #expect(vectors.count == 21)
        var frames = 0
        for v in vectors {
            switch v.index {
            case 104, 106:  // information fields (LLC + APDU), not frames
                #expect(HDLCLLC.detect(in: v.bytes[...]) != nil, "\(v)")
            case 94, 95:  // 7E 'ffff' 7E / 7E 'ffff': format byte 66 is not type A
                #expect(hdlcError { try HDLCFrame.decode(v.bytes) }?.code == .badFraming, "\(v)")
            case 96, 97:  // no opening flag
                #expect(hdlcError { try HDLCFrame.decode(v.bytes) }?.code == .badFraming, "\(v)")
            case 111, 112:  // U9 transport test: the first 3 bytes of a 9-byte frame then a 7E
                #expect(hdlcError { try HDLCFrame.decode(v.bytes) }?.code == .truncated, "\(v)")
            default:
                let parsed = try HDLCFrame.parse(v.bytes)
                #expect(parsed.headerCheckOK && parsed.frameCheckOK, "\(v)")
                #expect(try HDLCFrame.decode(v.bytes).encoded() == v.bytes, "\(v)")
                frames += 1
            }
        }
        #expect(frames == 13)
    }

    @Test("defects: each reported with its code at its offset")
    func defects() throws {
        let good = try HexText.parse(HDLCFactSheet.iFrameAARQ)
        func mutated(_ i: Int, _ b: UInt8) -> [UInt8] { var x = good; x[i] = b; return x }
        #expect(summary(hdlcError { try HDLCFrame.decode([]) }) == "truncated@0")
        let cases: [([UInt8], DLMSError.Code, Int)] = [
            (mutated(0, 0x7F), .badFraming, 0),
            (mutated(1, 0xB0), .badFraming, 1),
            (mutated(2, 0x05) , .badLength, 1),
            (Array(good.dropLast()), .truncated, good.count - 1),
            (good + [0x7E], .trailingBytes, good.count),
            (mutated(6, 0x17), .unknownTag, 6),  // control byte after a 2-byte and a 1-byte address
            (mutated(6, 0x11), .badChecksum, 7),  // RR control: HCS no longer matches
            (mutated(20, 0x00), .badChecksum, good.count - 3),
            (mutated(8, 0x00), .badChecksum, 7),
            (mutated(3, 0x03), .badChecksum, 6),  // 02 23 → 03 23: two 1-byte addresses, control 21 (RR), HCS wrong
        ]
        for (bytes, code, offset) in cases {
            #expect(summary(hdlcError { try HDLCFrame.decode(bytes) }) == "\(code)@\(offset)", "\(HexText.format(bytes.prefix(10)))")
        }
        // Closing flag missing.
        var noFlag = good
        noFlag[noFlag.count - 1] = 0x00
        #expect(summary(hdlcError { try HDLCFrame.decode(noFlag) }) == "badFraming@\(good.count - 1)")
        // 3-byte destination address.
        let three = try HDLCFrame.decode(try HexText.parse(HDLCFactSheet.snrm))
        var bytes = try three.encoded()
        bytes.replaceSubrange(3...4, with: [0x02, 0x02, 0x23])
        bytes[2] = 0x09
        #expect(hdlcError { try HDLCFrame.decode(bytes) }?.code == .badAddress)
    }

    @Test("a bad FCS still parses: fields, hcs_ok true, fcs_ok false")
    func parseWithBadFCS() throws {
        var bytes = try HexText.parse(HDLCFactSheet.uaWithParameters)
        bytes[bytes.count - 2] ^= 0xFF
        let parsed = try HDLCFrame.parse(bytes)
        #expect(parsed.headerCheckOK && !parsed.frameCheckOK)
        #expect(parsed.checkError?.code == .badChecksum && parsed.checkError?.offset == bytes.count - 3)
        #expect(try parsed.encoded() == bytes)
    }

    @Test("HCS without information, or a lone byte after control, is badLength")
    func hcsWithoutInformation() throws {
        // 7E A0 0A 03 21 93 [HCS] [FCS] 7E: two bytes between control and FCS.
        var body: [UInt8] = [0xA0, 0x09, 0x03, 0x21, 0x93, 0x00, 0x00]
        body[1] = UInt8(body.count + 2)
        let frame = [0x7E] + body + HDLCFrameCheck.wireBytes(HDLCFrameCheck.compute(body)) + [0x7E]
        #expect(hdlcError { try HDLCFrame.decode(frame) }?.code == .badLength)
    }

    @Test("encoding rejects a frame longer than 2047")
    func tooLong() throws {
        let f = HDLCFrame.information(destination: try .server(logical: 1), source: try .client(16), sendSequence: 0,
                                      receiveSequence: 0, information: ArraySlice(repeating: 0, count: 2040))
        #expect(hdlcError { try f.encoded() }?.code == .badLength)
        let fits = HDLCFrame.information(destination: try .server(logical: 1), source: try .client(16), sendSequence: 0,
                                         receiveSequence: 0, information: ArraySlice(repeating: 0, count: 2047 - 9))
        #expect(try HDLCFrame.decode(try fits.encoded()) == fits)
    }

    @Test("FRMR information round-trips; RR, RNR, DISC, DM frames encode and decode")
    func otherFrames() throws {
        let server = try HDLCAddress.server(logical: 1, physical: 17)
        let client = try HDLCAddress.client(16)
        let reject = HDLCFrameReject(rejectedControl: HDLCControl(rawValue: 0x17), sequenceState: 0x22, reasons: .controlFieldUndefined)
        let frmr = try #require(HDLCFrame.unnumbered(.frameReject, destination: client, source: server,
                                                      information: reject.encoded()[...]))
        let decoded = try HDLCFrame.decode(try frmr.encoded())
        #expect(try decoded.frameReject() == reject)
        let frames: [HDLCFrame] = [
            .receiveReady(destination: server, source: client, receiveSequence: 3),
            .receiveNotReady(destination: client, source: server, receiveSequence: 5),
            try #require(HDLCFrame.unnumbered(.disconnect, destination: server, source: client)),
            try #require(HDLCFrame.unnumbered(.disconnectedMode, destination: client, source: server)),
        ]
        for f in frames {
            #expect(try HDLCFrame.decode(try f.encoded()) == f)
        }
        #expect(try frames[0].encoded()[6] == 0x71)
        #expect(hdlcError { try HDLCFrameReject.decode([0x00, 0x01][...]) }?.code == .badLength)
    }
}
