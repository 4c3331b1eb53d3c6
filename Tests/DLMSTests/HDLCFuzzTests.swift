import CodecSupport
import DLMS
import Testing

/// Random and mutated inputs with fixed seeds: the decoders return or throw, never trap, and
/// whatever decodes re-encodes to exactly the input.
@Suite("HDLC fuzzing")
struct HDLCFuzzTests {
    static func mutate(_ input: [UInt8], using rng: inout HDLCSeededGenerator) -> [UInt8] {
        var bytes = input
        for _ in 0..<Int.random(in: 1...4, using: &rng) {
            switch Int.random(in: 0..<7, using: &rng) {
            case 0 where !bytes.isEmpty:
                bytes[Int.random(in: bytes.indices, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
            case 1 where !bytes.isEmpty:
                bytes.remove(at: Int.random(in: bytes.indices, using: &rng))
            case 2:
                bytes.insert(UInt8.random(in: 0...255, using: &rng), at: Int.random(in: 0...bytes.count, using: &rng))
            case 3 where !bytes.isEmpty:
                bytes = Array(bytes.prefix(Int.random(in: 0..<bytes.count, using: &rng)))
            case 4 where bytes.count > 3:
                // Re-fit the length field to the bytes, so deeper checks are reached.
                let length = min(bytes.count - 2, 0x7FF)
                bytes[1] = 0xA0 | (bytes[1] & 0x08) | UInt8(length >> 8)
                bytes[2] = UInt8(length & 0xFF)
            case 5 where bytes.count > 5:
                // Recompute the FCS (and so reach the structural checks behind it).
                let n = bytes.count
                let fcs = HDLCFrameCheck.wireBytes(HDLCFrameCheck.compute(bytes[1..<(n - 3)]))
                bytes[n - 3] = fcs[0]
                bytes[n - 2] = fcs[1]
            default:
                let special: [UInt8] = [0x7E, 0xA0, 0xA8, 0x00, 0x01, 0x03, 0x10, 0x93, 0x73, 0xFF]
                if !bytes.isEmpty {
                    bytes[Int.random(in: bytes.indices, using: &rng)] = special[Int.random(in: 0..<special.count, using: &rng)]
                }
            }
        }
        return bytes
    }

    static func input(_ iteration: Int, seeds: [[UInt8]], using rng: inout HDLCSeededGenerator) -> [UInt8] {
        if iteration % 3 == 0 {
            var bytes = (0..<Int.random(in: 0...80, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            if !bytes.isEmpty { bytes[0] = 0x7E }
            if bytes.count > 1, Bool.random(using: &rng) { bytes[1] = 0xA0 }
            return bytes
        }
        return mutate(seeds[iteration % seeds.count], using: &rng)
    }

    @Test("50 000 random and mutated inputs: decode and parse return or throw; what decodes re-encodes exactly")
    func decoderIsTotal() throws {
        let seeds = try HDLCFixtures.validFrames()
        var rng = HDLCSeededGenerator(seed: 0x4844_4C43)
        var decoded = 0
        var parsedOnly = 0
        for iteration in 0..<50_000 {
            let input = Self.input(iteration, seeds: seeds, using: &rng)
            // A slice with a non-zero start index exercises index arithmetic too.
            let padded = [0x00] + input
            do {
                let frame = try HDLCFrame.decode(padded[1...])
                decoded += 1
                #expect(try frame.encoded() == input)
                _ = HDLCParsedFrame(frame: frame, receivedHeaderCheck: frame.headerCheck, receivedFrameCheck: frame.frameCheck).json
            } catch {
                #expect(error.offset >= 0 && error.offset <= input.count, "\(error)")
            }
            if let parsed = try? HDLCFrame.parse(input) {
                #expect(try parsed.encoded() == input)
                #expect((parsed.checkError == nil) == (parsed.headerCheckOK && parsed.frameCheckOK))
                _ = parsed.json
                if parsed.checkError != nil { parsedOnly += 1 }
            }
        }
        #expect(decoded > 1000 && parsedOnly > 1000, "decoded \(decoded), parsed with a bad check \(parsedOnly)")
    }

    @Test("the same 50 000 inputs as streams: the reader tiles every byte, whatever the chunking, and its frames re-encode")
    func readerIsTotal() throws {
        let seeds = try HDLCFixtures.validFrames()
        var rng = HDLCSeededGenerator(seed: 0x4844_4C43)
        var frames = 0
        for round in 0..<1000 {
            var stream: [UInt8] = []
            for i in 0..<50 {
                stream += Self.input(round * 50 + i, seeds: seeds, using: &rng)
                if Int.random(in: 0..<4, using: &rng) == 0 {
                    stream += seeds[Int.random(in: 0..<seeds.count, using: &rng)]
                }
            }
            let whole = HDLCFrameReaderTests.whole(stream, maximumGarbage: 32)
            #expect(HDLCFrameReaderTests.rebuilt(whole) == stream, "round \(round)")
            #expect(HDLCFrameReaderTests.randomBatches(stream, seed: UInt64(round), maximumGarbage: 32) == whole, "round \(round)")
            if round % 50 == 0 {
                #expect(HDLCFrameReaderTests.byteByByte(stream, maximumGarbage: 32) == whole, "round \(round)")
            }
            for event in whole {
                if case let .frame(frame, bytes, _) = event {
                    frames += 1
                    #expect(try frame.encoded() == bytes)
                }
            }
        }
        #expect(frames > 10_000)
    }

    @Test("wrapper decoder and reader over 20 000 mutated PDUs")
    func wrapper() throws {
        let seeds = try HDLCFixtures.u9Wrapper().map(\.bytes).filter { $0.count > 8 }
            + HDLCFixtures.gurux().filter { $0.section.hasPrefix("wrapper") }.map(\.bytes)
        var rng = HDLCSeededGenerator(seed: 47)
        var stream: [UInt8] = []
        var decoded = 0
        for i in 0..<20_000 {
            var input = seeds[i % seeds.count]
            if i % 2 == 0 { input = Self.mutate(input, using: &rng) }
            do {
                let frame = try WrapperFrame.decode(input)
                decoded += 1
                #expect(try frame.encoded() == input)
            } catch {
                #expect(error.offset >= 0 && error.offset <= input.count)
            }
            if i < 4000 { stream += input }
        }
        #expect(decoded >= 10_000)
        var reader = WrapperReader()
        var out: [UInt8] = []
        var index = 0
        while index < stream.count {
            let end = min(stream.count, index + Int.random(in: 1...300, using: &rng))
            reader.append(stream[index..<end])
            index = end
            while let event = reader.next() {
                switch event {
                case let .frame(f, bytes, offset):
                    #expect(try offset == out.count && f.encoded() == bytes)
                    out += bytes
                case let .error(_, bytes, offset):
                    #expect(offset == out.count)
                    out += bytes
                }
            }
        }
        if case let .error(_, bytes, _)? = reader.finish() { out += bytes }
        #expect(out == stream)
    }
}
