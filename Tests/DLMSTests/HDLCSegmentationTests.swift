import CodecSupport
import DLMS
import Testing

@Suite("HDLC segmentation and reassembly (fact sheet §1.7, §1.9)")
struct HDLCSegmentationTests {
    static let server = try! HDLCAddress.server(logical: 1, physical: 17)
    static let client = try! HDLCAddress.client(16)

    @Test("an APDU over max info length: S=1 on all but the last, LLC in the first only, N(S) counting mod 8")
    func split() throws {
        let apdu = (0..<1000).map { UInt8(truncatingIfNeeded: $0) }
        let frames = try HDLCSegmentation.informationFrames(apdu: apdu, llc: .command, destination: Self.server,
                                                            source: Self.client, maximumInformationFieldLength: 128,
                                                            firstSendSequence: 6, receiveSequence: 2)
        #expect(frames.count == 8)  // 1003 bytes / 128
        for (i, f) in frames.enumerated() {
            #expect(f.segmented == (i < frames.count - 1))
            #expect(f.information.count == (i < 7 ? 128 : 1003 - 7 * 128))
            #expect(f.control.sendSequence == UInt8((6 + i) % 8) && f.control.receiveSequence == 2 && f.control.pollFinal)
            let bytes = try f.encoded()
            #expect(bytes[1] == (i < 7 ? 0xA8 : 0xA0))
        }
        #expect(frames[0].llc == .command && Array(frames[0].information.prefix(3)) == [0xE6, 0xE6, 0x00])

        var r = HDLCReassembler()
        for f in frames.dropLast() {
            #expect(try r.append(HDLCFrame.decode(f.encoded())) == nil)
        }
        #expect(r.isInProgress)
        let whole = try #require(try r.append(frames[frames.count - 1]))
        #expect(whole.apdu == apdu && whole.llc == .command && whole.frameCount == 8 && !r.isInProgress)
    }

    @Test("JD's policy sets P/F on the last segment only")
    func lastFrameOnly() throws {
        let frames = try HDLCSegmentation.informationFrames(apdu: Array(repeating: 1, count: 300), llc: nil,
                                                            destination: Self.server, source: Self.client,
                                                            maximumInformationFieldLength: 128, firstSendSequence: 0,
                                                            receiveSequence: 0, pollFinal: .lastFrameOnly)
        #expect(frames.map(\.control.pollFinal) == [false, false, true])
    }

    @Test("an APDU that fits takes one unsegmented frame; U9's AARQ frame comes out byte for byte")
    func single() throws {
        let aarq = try HexText.parse("601DA109060760857405080101BE10040E01000000065F1F0400001E1DFFFF")
        let frames = try HDLCSegmentation.informationFrames(apdu: aarq, llc: .command, destination: Self.server,
                                                            source: Self.client, maximumInformationFieldLength: 128,
                                                            firstSendSequence: 0, receiveSequence: 0)
        #expect(frames.count == 1)
        #expect(try frames[0].encoded() == HexText.parse(HDLCFactSheet.iFrameAARQ))
    }

    @Test("reassembly rejects a gap in N(S), a type change, an overlong field and non-I frames")
    func reassemblyErrors() throws {
        let frames = try HDLCSegmentation.informationFrames(apdu: Array(repeating: 7, count: 30), llc: .response,
                                                            destination: Self.client, source: Self.server,
                                                            maximumInformationFieldLength: 10, firstSendSequence: 0,
                                                            receiveSequence: 0)
        var r = HDLCReassembler()
        _ = try r.append(frames[0])
        #expect(hdlcError { try r.append(frames[2]) }?.code == .invalidValue)
        #expect(!r.isInProgress)

        var small = HDLCReassembler(maximumLength: 15)
        _ = try small.append(frames[0])
        #expect(hdlcError { try small.append(frames[1]) }?.code == .badLength)

        var mixed = HDLCReassembler()
        _ = try mixed.append(frames[0])
        let ui = try #require(HDLCFrame.unnumbered(.unnumberedInformation, destination: Self.client, source: Self.server,
                                                   information: [1, 2, 3]))
        #expect(hdlcError { try mixed.append(ui) }?.code == .invalidValue)

        var other = HDLCReassembler()
        #expect(hdlcError { try other.append(.receiveReady(destination: Self.server, source: Self.client, receiveSequence: 1)) }?.code == .unsupported)
        #expect(hdlcError { try HDLCSegmentation.split([1, 2, 3], maximumLength: 0) }?.code == .invalidValue)
    }
}
