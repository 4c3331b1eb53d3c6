import CodecSupport
import MeterBus
import Testing

/// The stream reader, tested the swift-nio `ByteToMessageDecoderVerifier` way: the same bytes
/// fed whole, byte by byte and in seeded random batches must give the same events.
@Suite("FrameReader (EN 13757-2 framing on a serial line)")
struct LinkFrameReaderTests {
    /// Feeds `chunks` one after the other, draining after each, then finishes the stream.
    static func events(_ chunks: [ArraySlice<UInt8>], maximumGarbage: Int = 64) -> [FrameReader.Event] {
        var reader = FrameReader(maximumGarbage: maximumGarbage)
        var out: [FrameReader.Event] = []
        for chunk in chunks {
            reader.append(chunk)
            while let event = reader.next() { out.append(event) }
        }
        if let last = reader.finish() { out.append(last) }
        return out
    }

    static func whole(_ stream: [UInt8], maximumGarbage: Int = 64) -> [FrameReader.Event] {
        events([stream[...]], maximumGarbage: maximumGarbage)
    }

    static func byteByByte(_ stream: [UInt8], maximumGarbage: Int = 64) -> [FrameReader.Event] {
        events(stream.indices.map { stream[$0...$0] }, maximumGarbage: maximumGarbage)
    }

    static func randomBatches(_ stream: [UInt8], seed: UInt64, maximumGarbage: Int = 64) -> [FrameReader.Event] {
        var rng = LinkSeededGenerator(seed: seed)
        var chunks: [ArraySlice<UInt8>] = []
        var index = 0
        while index < stream.count {
            let size = Int.random(in: 0...40, using: &rng)
            let end = min(stream.count, index + size)
            chunks.append(stream[index..<end])
            index = end
        }
        return events(chunks, maximumGarbage: maximumGarbage)
    }

    /// Every byte fed comes out in exactly one event, in order.
    static func reportedBytes(_ events: [FrameReader.Event]) -> [UInt8] {
        events.flatMap { event -> [UInt8] in
            switch event {
            case let .frame(_, bytes): return bytes
            case let .error(_, discarded): return discarded
            case let .skipped(garbage): return garbage
            }
        }
    }

    @Test("garbage, frames, a bad checksum, an L mismatch and trailing garbage")
    func mixedStream() throws {
        let mf2 = try HexText.parse(LinkVectors.manualFrame2)
        let mf3 = try HexText.parse(LinkVectors.manualFrame3)
        let req = try HexText.parse(LinkVectors.reqUD2FCBToAddress5)
        var badCS = mf2
        badCS[23] = 0x3D
        let stream = [0x01, 0x02, 0x03] + mf2 + [0xE5] + req + badCS + [0x68, 0x1F, 0x1E] + mf3 + [0xAA, 0xBB]

        let expected: [FrameReader.Event] = [
            .skipped(garbage: [0x01, 0x02, 0x03]),
            .frame(try Frame.decode(mf2), bytes: mf2),
            .frame(.ack, bytes: [0xE5]),
            .frame(.reqUD2(address: 5, fcb: true), bytes: req),
            .error(MeterBusError(.badChecksum, at: 23, "checksum 0x3C expected, 0x3D found"), discarded: badCS),
            .error(MeterBusError(.lengthFieldsDiffer, at: 2, "L fields differ: 0x1F and 0x1E"), discarded: [0x68]),
            .skipped(garbage: [0x1F, 0x1E]),
            .frame(try Frame.decode(mf3), bytes: mf3),
            .skipped(garbage: [0xAA, 0xBB]),
        ]
        #expect(Self.whole(stream) == expected)
        #expect(Self.byteByByte(stream) == expected)
        for seed in UInt64(1)...50 {
            #expect(Self.randomBatches(stream, seed: seed) == expected, "seed \(seed)")
        }
        #expect(Self.reportedBytes(expected) == stream)
    }

    @Test("a bad checksum drops the frame; Frame.parse of the discarded bytes still shows it")
    func badChecksumInspection() throws {
        var badCS = try HexText.parse(LinkVectors.manualFrame2)
        badCS[23] = 0x3D
        var reader = FrameReader()
        reader.append(badCS)
        guard case let .error(error, discarded) = reader.next() else {
            Issue.record("expected an error event")
            return
        }
        #expect(error.code == .badChecksum)
        let parsed = try Frame.parse(discarded)
        #expect(!parsed.checksumOK)
        #expect(parsed.frame.address == 5)
        #expect(reader.next() == nil)
    }

    @Test("a wrong stop byte drops only the start byte and searches again")
    func resyncAfterBadStop() throws {
        // 10 7B 05 80 17 is no frame, but E5 one byte later is.
        let stream: [UInt8] = [0x10, 0x7B, 0x05, 0x80, 0x17, 0xE5]
        let expected: [FrameReader.Event] = [
            .error(MeterBusError(.badStopByte, at: 4, "bad stop byte 0x17, expected 16"), discarded: [0x10]),
            .skipped(garbage: [0x7B, 0x05, 0x80, 0x17]),
            .frame(.ack, bytes: [0xE5]),
        ]
        #expect(Self.whole(stream) == expected)
        #expect(Self.byteByByte(stream) == expected)
    }

    @Test("a frame hidden behind a false start is found")
    func frameAfterFalseStart() throws {
        let req = try HexText.parse(LinkVectors.reqUD2FCBToAddress5)
        let stream: [UInt8] = [0x68, 0x01] + req
        let events = Self.whole(stream)
        #expect(events.first == .error(MeterBusError(.lengthTooSmall, at: 1,
                                                     "L field 0x01 is below 3 (C, A and CI are mandatory)"),
                                       discarded: [0x68]))
        #expect(events.dropFirst() == [.skipped(garbage: [0x01]), .frame(.reqUD2(address: 5, fcb: true), bytes: req)])
    }

    @Test("an incomplete frame waits for more data")
    func waitsForMore() throws {
        let mf3 = try HexText.parse(LinkVectors.manualFrame3)
        var reader = FrameReader()
        reader.append(mf3.prefix(10))
        #expect(reader.next() == nil)
        #expect(reader.bufferedCount == 10)
        reader.append(mf3.dropFirst(10))
        guard case let .frame(frame, bytes)? = reader.next() else {
            Issue.record("expected a frame")
            return
        }
        #expect(bytes == mf3)
        // The frame's user data is a slice of the event's bytes.
        #expect(frame.userData.startIndex == Frame.dataOffset)
        #expect(Array(frame.userData) == Array(bytes[7..<(bytes.count - 2)]))
        #expect(reader.next() == nil)
        #expect(reader.bufferedCount == 0)
    }

    @Test("garbage without a start byte is reported in bounded pieces; memory stays bounded")
    func garbageLimit() {
        let stream = [UInt8](repeating: 0x00, count: 200)
        let expected: [FrameReader.Event] = [
            .skipped(garbage: Array(repeating: 0, count: 64)),
            .skipped(garbage: Array(repeating: 0, count: 64)),
            .skipped(garbage: Array(repeating: 0, count: 64)),
            .skipped(garbage: Array(repeating: 0, count: 8)),
        ]
        #expect(Self.whole(stream) == expected)
        #expect(Self.byteByByte(stream) == expected)

        var reader = FrameReader(maximumGarbage: 16)
        for _ in 0..<1000 {
            reader.append([0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07])
            while reader.next() != nil {}
            #expect(reader.bufferedCount < 16)
        }
    }

    @Test("a frame never holds more than 261 bytes")
    func frameBound() {
        var reader = FrameReader()
        reader.append([0x68, 0xFF, 0xFF, 0x68])
        reader.append([UInt8](repeating: 0x00, count: 250))
        #expect(reader.next() == nil)
        #expect(reader.bufferedCount == 254)
        reader.append([UInt8](repeating: 0x00, count: 10))
        // 261 bytes form the frame; its stop byte is wrong, so only 68 is dropped.
        guard case let .error(error, discarded)? = reader.next() else {
            Issue.record("expected an error")
            return
        }
        #expect(error.code == .badStopByte)
        #expect(discarded == [0x68])
    }

    @Test("reset drops everything, finish reports a truncated frame")
    func resetAndFinish() throws {
        let mf3 = try HexText.parse(LinkVectors.manualFrame3)
        var reader = FrameReader()
        reader.append(mf3.prefix(12))
        #expect(reader.next() == nil)
        #expect(reader.reset() == Array(mf3.prefix(12)))
        #expect(reader.bufferedCount == 0)
        #expect(reader.finish() == nil)

        reader.append(mf3.prefix(12))
        #expect(reader.next() == nil)
        guard case let .error(error, discarded)? = reader.finish() else {
            Issue.record("expected a truncation")
            return
        }
        #expect(error.code == .truncated)
        #expect(discarded == Array(mf3.prefix(12)))
        #expect(reader.bufferedCount == 0)
    }
}
