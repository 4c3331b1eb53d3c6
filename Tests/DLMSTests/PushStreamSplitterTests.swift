import CodecSupport
import DLMS
import Testing

/// Cutting a push connection or line into pushes: wrapper PDUs, HDLC frames (segments joined),
/// rejected bytes handed on whole; the same units whatever the chunking.
@Suite("Push: stream splitter")
struct PushStreamSplitterTests {
    private func split(_ bytes: [UInt8], chunk: Int) -> [PushStreamSplitter.Unit] {
        var splitter = PushStreamSplitter()
        var units: [PushStreamSplitter.Unit] = []
        var index = 0
        while index < bytes.count {
            units += splitter.append(Array(bytes[index..<min(index + chunk, bytes.count)]))
            index += chunk
        }
        return units + splitter.finish()
    }

    @Test("wrapper PDUs back to back, in any chunking, come out one push each")
    func wrapper() throws {
        let a = try PushSamples.push(energy: 1, ic: 1), b = try PushSamples.push(energy: 2, ic: 2)
        for chunk in [1, 3, 7, 64, 1000] {
            #expect(split(a + b, chunk: chunk) == [.push(a), .push(b)], "chunk \(chunk)")
        }
    }

    @Test("bytes that break the wrapper framing become one undecodable push")
    func wrapperGarbage() throws {
        let a = try PushSamples.push(energy: 1, ic: 1)
        let garbage: [UInt8] = [0x05, 0x06, 0x07]
        let units = split(garbage + a + [0x00, 0x01, 0x00], chunk: 5)
        #expect(units == [.push(garbage), .push(a), .push([0x00, 0x01, 0x00])])
        var inspector = PushInspector(keys: PushSamples.keys)
        for case .push(let bytes) in units {
            _ = inspector.inspect(bytes, arrival: PushSamples.t0)
        }
        var fresh = PushInspector(keys: PushSamples.keys)
        #expect(fresh.inspect(garbage, arrival: PushSamples.t0).findingIDs == ["PUSH_UNDECODABLE"])
    }

    @Test("HDLC: a whole UI frame is a push; a segmented I-frame field is joined into a bare APDU; other frames are notes")
    func hdlc() throws {
        let frame = try #require(try HDLCFixtures.u9Frames().first { $0.index == 108 }).bytes
        #expect(split(frame, chunk: 13) == [.push(frame)])
        let apdu = try PushSamples.ciphered(PushSamples.notification(PushSamples.body(energy: 77)), ic: 5)
        let frames = try HDLCSegmentation.informationFrames(
            apdu: apdu, llc: HDLCLLC.response, destination: try HDLCAddress.client(0x10),
            source: try HDLCAddress(upper: 1, lower: 17, size: .two), maximumInformationFieldLength: 32,
            firstSendSequence: 0, receiveSequence: 0)
        #expect(frames.count > 1)
        let rr = try HDLCFrame.receiveReady(destination: try HDLCAddress.client(0x10),
                                            source: try HDLCAddress(upper: 1, lower: 17, size: .two), receiveSequence: 0).encoded()
        let stream = try frames.flatMap { try $0.encoded() } + rr
        let units = split(stream, chunk: 9)
        let pushes = units.compactMap { unit -> [UInt8]? in
            if case .push(let bytes) = unit { return bytes }
            return nil
        }
        #expect(pushes == [apdu])
        #expect(units.count == 3)  // "joined" note, the push, the RR note
        var inspector = PushInspector(expectation: PushExpectation(protection: .authenticated, objects: PushSamples.objects),
                                      keys: PushSamples.keys)
        let record = inspector.inspect(apdu, arrival: PushSamples.t0)
        #expect(record.findings.isEmpty, "\(record.findings)")
    }
}
