import CodecSupport
import DLMS
import Testing

@Suite("HDLC SNRM/UA parameter negotiation (fact sheet §1.8)")
struct HDLCParametersTests {
    @Test("fact sheet example blocks decode and re-encode exactly (1-byte and 2-byte lengths)")
    func examples() throws {
        let gx = try HexText.parse("81 80 12 05 01 9A 06 01 9A 07 04 00 00 00 01 08 04 00 00 00 01")
        let p = try HDLCParameters.decode(gx)
        #expect(p.maximumInformationFieldLengthTransmit == 154 && p.windowSizeReceive == 1)
        #expect(try p.encoded() == gx)
        // GX writes lengths below 256 in one byte and windows in four: the builder gives the same bytes.
        #expect(try HDLCParameters(maximumInformationFieldLengthTransmit: 154, maximumInformationFieldLengthReceive: 154).encoded() == gx)

        let u9 = try HexText.parse("81 80 14 05 02 00 80 06 02 00 80 07 04 00 00 00 01 08 04 00 00 00 01")
        let q = try HDLCParameters.decode(u9)
        #expect(q.maximumInformationFieldLengthTransmit == 128 && q.hasDefaultValues)
        #expect(try q.encoded() == u9)
    }

    @Test("defaults: absent parameters are 128 bytes and window 1; large lengths take 2 bytes")
    func defaults() throws {
        let empty = try HDLCParameters.decode([0x81, 0x80, 0x00])
        #expect(empty.maximumInformationFieldLengthReceive == 128 && empty.windowSizeTransmit == 1 && empty.hasDefaultValues)
        #expect(HDLCParameters().hasDefaultValues)
        let big = try HDLCParameters(maximumInformationFieldLengthTransmit: 2030, maximumInformationFieldLengthReceive: 2030).encoded()
        #expect(Array(big[3...6]) == [0x05, 0x02, 0x07, 0xEE])
        let partial = try HDLCParameters.decode([0x81, 0x80, 0x03, 0x08, 0x01, 0x07])
        #expect(partial.windowSizeReceive == 7 && partial.windowSizeTransmit == 1)
    }

    @Test("a further group (JD's user group F0) is kept and re-encoded")
    func otherGroup() throws {
        let bytes: [UInt8] = [0x81, 0x80, 0x03, 0x05, 0x01, 0x80, 0xF0, 0x02, 0xAA, 0xBB]
        let p = try HDLCParameters.decode(bytes)
        #expect(p.otherGroups.count == 1 && p.otherGroups[0].identifier == 0xF0)
        #expect(try p.encoded() == bytes)
    }

    @Test("malformed blocks are rejected with code and offset")
    func malformed() {
        let cases: [([UInt8], String)] = [
            ([], "truncated@0"),
            ([0x82, 0x80, 0x00], "badFraming@0"),
            ([0x81, 0x81, 0x00], "badFraming@1"),
            ([0x81, 0x80], "truncated@2"),
            ([0x81, 0x80, 0x05, 0x05, 0x01], "badLength@2"),
            ([0x81, 0x80, 0x03, 0x05, 0x03, 0x00], "badLength@4"),
            ([0x81, 0x80, 0x03, 0x05, 0x02, 0x00, 0x80], "badLength@4"),
            ([0x81, 0x80, 0x01, 0x05], "truncated@4"),
            ([0x81, 0x80, 0x00, 0xF0, 0x05, 0x00], "badLength@4"),
        ]
        for (bytes, expected) in cases {
            #expect(summary(hdlcError { try HDLCParameters.decode(bytes) }) == expected, "\(HexText.format(bytes))")
        }
    }

    @Test("SNRM with parameters: frame built, decoded and its block read back")
    func snrmFrame() throws {
        let params = HDLCParameters(maximumInformationFieldLengthTransmit: 512, maximumInformationFieldLengthReceive: 256)
        let frame = try HDLCFrame.negotiation(.setNormalResponseMode, destination: .server(logical: 1, physical: 17),
                                              source: .client(16), parameters: params)
        let decoded = try HDLCFrame.decode(try frame.encoded())
        #expect(try decoded.negotiatedParameters() == params)
        #expect(hdlcError { try HDLCFrame.negotiation(.disconnect, destination: .client(1), source: .client(1), parameters: nil) }?.code == .invalidValue)
    }
}
