import CodecSupport
import DLMS
import Testing

/// Fixtures/hdlc/gurux_loopback_exchanges.txt: Gurux.DLMS.Python's example client against its
/// example server, recorded on loopback (section `hdlc_low_ok`; the wrapper sections are in WrapperTests).
@Suite("HDLC: Gurux loopback exchange (SNRM/UA, I frames, DISC/UA)")
struct HDLCGuruxExchangeTests {
    static func hdlcLines() throws -> [GuruxLine] {
        try HDLCFixtures.gurux().filter { $0.section.hasPrefix("hdlc") }
    }

    @Test("every HDLC frame decodes with HCS and FCS right and re-encodes to the same bytes")
    func decodeAll() throws {
        let lines = try Self.hdlcLines()
        #expect(lines.count == 12)
        for line in lines {
            let parsed = try HDLCFrame.parse(line.bytes)
            #expect(parsed.frameCheckOK && parsed.headerCheckOK, "\(line)")
            #expect(try parsed.frame.encoded() == line.bytes, "\(line)")
        }
    }

    @Test("the conversation: SNRM/UA, I frames with counting N(S)/N(R), LLC per direction, DISC/UA")
    func conversation() throws {
        let frames = try Self.hdlcLines().map { try HDLCFrame.decode($0.bytes) }
        let types = frames.map { $0.frameType?.name ?? "?" }
        #expect(types == ["SNRM", "UA", "I", "I", "I", "I", "I", "I", "I", "I", "DISC", "UA"])
        let server = try HDLCAddress.server(logical: 1)
        let client = try HDLCAddress.client(17)
        for (i, f) in frames.enumerated() {
            let fromClient = i % 2 == 0
            #expect(f.destination == (fromClient ? server : client) && f.source == (fromClient ? client : server), "frame \(i)")
        }
        // Client I frames: N(S) 0,1,2,3; server I frames N(S) 0,1,2,3 and N(R) one ahead.
        let iFrames = frames[2...9]
        #expect(iFrames.map { $0.control.sendSequence ?? 9 } == [0, 0, 1, 1, 2, 2, 3, 3])
        #expect(iFrames.map { $0.control.receiveSequence ?? 9 } == [0, 1, 1, 2, 2, 3, 3, 4])
        #expect(iFrames.map { $0.llc } == [.command, .response, .command, .response, .command, .response, .command, .response])
        // UA answers both SNRM and DISC with 128/128/1/1 (GX writes 128 in one byte).
        for ua in [frames[1], frames[11]] {
            let p = try #require(try ua.negotiatedParameters())
            #expect(p.maximumInformationFieldLengthTransmit == 128 && p.windowSizeReceive == 1 && p.parameters[0].value.count == 1)
        }
        #expect(frames[0].information.isEmpty)  // GX omits default parameters
    }

    @Test("the APDUs in the HDLC I frames equal those of the same requests over the wrapper")
    func sameAPDUsAsWrapper() throws {
        let all = try HDLCFixtures.gurux()
        let hdlc = try Self.hdlcLines().map { try HDLCFrame.decode($0.bytes) }.filter { $0.frameType == .information }
        var reassembler = HDLCReassembler()
        let apdus = try hdlc.compactMap { try reassembler.append($0)?.apdu }
        let wrapped = try all.filter { $0.section == "wrapper_low_ok" }.map { try WrapperFrame.decode($0.bytes) }
        // AARQ (low, "Gurux"), AARE, GET of the association, its response, GET of 0.0.42.0.0.255, response.
        #expect(apdus.count == 8)
        for (a, w) in zip(apdus.prefix(6), wrapped.prefix(6)) {
            #expect(a == Array(w.apdu))
        }
    }
}
