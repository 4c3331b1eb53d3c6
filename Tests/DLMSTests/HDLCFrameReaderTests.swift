import CodecSupport
import DLMS
import Testing

/// The stream reader, tested the swift-nio `ByteToMessageDecoderVerifier` way: the same bytes
/// fed whole, byte by byte and in seeded random batches must give the same events.
@Suite("HDLCFrameReader (HDLC framing on a serial line)")
struct HDLCFrameReaderTests {
    static func events(_ chunks: [ArraySlice<UInt8>], maximumGarbage: Int = 64) -> [HDLCFrameReader.Event] {
        var reader = HDLCFrameReader(maximumGarbage: maximumGarbage)
        var out: [HDLCFrameReader.Event] = []
        for chunk in chunks {
            reader.append(chunk)
            while let event = reader.next() { out.append(event) }
        }
        out += reader.finish()
        return out
    }

    static func whole(_ stream: [UInt8], maximumGarbage: Int = 64) -> [HDLCFrameReader.Event] {
        events([stream[...]], maximumGarbage: maximumGarbage)
    }

    static func byteByByte(_ stream: [UInt8], maximumGarbage: Int = 64) -> [HDLCFrameReader.Event] {
        events(stream.indices.map { stream[$0...$0] }, maximumGarbage: maximumGarbage)
    }

    static func randomBatches(_ stream: [UInt8], seed: UInt64, maximumGarbage: Int = 64) -> [HDLCFrameReader.Event] {
        var rng = HDLCSeededGenerator(seed: seed)
        var chunks: [ArraySlice<UInt8>] = []
        var index = 0
        while index < stream.count {
            let end = min(stream.count, index + Int.random(in: 0...60, using: &rng))
            chunks.append(stream[index..<end])
            index = end
        }
        return events(chunks, maximumGarbage: maximumGarbage)
    }

    /// Rebuilds the stream from the events: each starts where the previous ended, or one byte
    /// earlier when it reuses the previous frame's closing flag. Nil when the events do not tile.
    static func rebuilt(_ events: [HDLCFrameReader.Event]) -> [UInt8]? {
        var out: [UInt8] = []
        for event in events {
            let (bytes, offset): ([UInt8], Int)
            switch event {
            case let .frame(_, b, o), let .error(_, b, o), let .skipped(b, o): (bytes, offset) = (b, o)
            }
            if offset == out.count {
                out += bytes
            } else if offset == out.count - 1, out.last == HDLCFrame.flag, bytes.first == HDLCFrame.flag {
                out += bytes.dropFirst()
            } else {
                return nil
            }
        }
        return out
    }

    static func frames(_ events: [HDLCFrameReader.Event]) -> [HDLCFrame] {
        events.compactMap { if case let .frame(f, _, _) = $0 { return f } else { return nil } }
    }

    @Test("garbage, idle flags, frames, a bad FCS, a wrong format byte and a truncated tail")
    func mixedStream() throws {
        let snrm = try HexText.parse(HDLCFactSheet.snrm)
        let ua = try HexText.parse(HDLCFactSheet.uaWithParameters)
        let aarq = try HexText.parse(HDLCFactSheet.iFrameAARQ)
        var badFCS = ua
        badFCS[badFCS.count - 2] ^= 0x01
        let stream = [0x01, 0x02] + snrm + [0x7E, 0x7E] + ua + badFCS + [0x7E, 0xB0, 0x00] + aarq + [0x7E, 0xA0, 0x2C, 0x02]
        let whole = Self.whole(stream)
        #expect(Self.rebuilt(whole) == stream)
        #expect(Self.byteByByte(stream) == whole)
        for seed in UInt64(0)..<20 { #expect(Self.randomBatches(stream, seed: seed) == whole) }
        #expect(Self.frames(whole).count == 3)
        let errors = whole.compactMap { if case let .error(e, d, o) = $0 { return (e.code, d.count, o) } else { return nil } }
        #expect(errors.map(\.0) == [.badChecksum, .badFraming, .truncated])
        #expect(errors[0].1 == badFCS.count)  // the whole frame dropped
        #expect(errors[1].1 == 1)  // only the flag before B0
        if case let .frame(f, bytes, offset) = whole[1] {
            #expect(offset == 2 && bytes == snrm && f.frameType == .setNormalResponseMode)
        } else {
            Issue.record("second event is not the SNRM: \(whole[1])")
        }
    }

    @Test("frames sharing a flag (JD reads frames back to back) are both found; events overlap by the flag")
    func sharedFlag() throws {
        let ua = try HexText.parse(HDLCFactSheet.uaWithoutInformation)
        let aarq = try HexText.parse(HDLCFactSheet.iFrameAARQ)
        let stream = ua + aarq.dropFirst() + aarq.dropFirst()
        let whole = Self.whole(stream)
        #expect(Self.frames(whole).count == 3)
        #expect(Self.rebuilt(whole) == stream)
        #expect(Self.byteByByte(stream) == whole)
        if case let .frame(_, bytes, offset) = whole[1] {
            #expect(offset == ua.count - 1 && bytes == aarq)
        }
    }

    @Test("U9's transport vector 7E A0 07 7E: no frame until the stream ends, then a truncated error")
    func u9Partial() throws {
        var reader = HDLCFrameReader()
        reader.append([0x7E, 0xA0, 0x07, 0x7E])
        #expect(reader.next() == nil)
        let rest = reader.finish()
        #expect(rest.first.map { if case let .error(e, _, _) = $0 { return e.code == .truncated } else { return false } } == true)
        #expect(Self.rebuilt(rest) == [0x7E, 0xA0, 0x07, 0x7E])
    }

    @Test("garbage without flags comes out in pieces of maximumGarbage")
    func garbageLimit() {
        let stream = [UInt8](repeating: 0x55, count: 100)
        let events = Self.whole(stream, maximumGarbage: 32)
        #expect(events.count == 4 && Self.rebuilt(events) == stream)
        #expect(Self.byteByByte(stream, maximumGarbage: 32) == events)
    }

    @Test("the Gurux HDLC exchange, TX and RX interleaved as on a line, gives every frame")
    func guruxStream() throws {
        let lines = try HDLCFixtures.gurux().filter { $0.section.hasPrefix("hdlc") }
        let stream = lines.flatMap(\.bytes)
        let whole = Self.whole(stream)
        #expect(Self.frames(whole).count == lines.count)
        #expect(Self.byteByByte(stream) == whole)
        #expect(Self.randomBatches(stream, seed: 7) == whole)
    }
}
