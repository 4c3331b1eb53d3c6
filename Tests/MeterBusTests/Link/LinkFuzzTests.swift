import CodecSupport
import MeterBus
import Testing

/// Random and mutated inputs (deterministic seeds): the decoders must return or throw, never trap.
@Suite("Link-layer fuzzing")
struct LinkFuzzTests {
    static let seeds: [[UInt8]] = LinkVectors.all.compactMap { try? HexText.parse($0) }

    static func mutate(_ input: [UInt8], using rng: inout LinkSeededGenerator) -> [UInt8] {
        var bytes = input
        for _ in 0..<Int.random(in: 1...4, using: &rng) {
            switch Int.random(in: 0..<5, using: &rng) {
            case 0 where !bytes.isEmpty:
                bytes[Int.random(in: bytes.indices, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
            case 1 where !bytes.isEmpty:
                bytes.remove(at: Int.random(in: bytes.indices, using: &rng))
            case 2:
                bytes.insert(UInt8.random(in: 0...255, using: &rng), at: Int.random(in: 0...bytes.count, using: &rng))
            case 3 where !bytes.isEmpty:
                bytes = Array(bytes.prefix(Int.random(in: 0..<bytes.count, using: &rng)))
            default:
                // Interesting bytes: start, stop and small/large L values.
                let special: [UInt8] = [0xE5, 0x10, 0x68, 0x16, 0x00, 0x02, 0x03, 0xFF]
                if !bytes.isEmpty {
                    bytes[Int.random(in: bytes.indices, using: &rng)] = special[Int.random(in: 0..<special.count, using: &rng)]
                }
            }
        }
        return bytes
    }

    @Test("20 000 random and mutated inputs: decode returns or throws; what decodes re-encodes exactly")
    func decodeIsTotal() async throws {
        var rng = LinkSeededGenerator(seed: 0x4D_4255_53)
        var decoded = 0
        for iteration in 0..<20_000 {
            if iteration % 2_000 == 0 { await Task.yield() }  // share the two-thread pool
            let input: [UInt8]
            if iteration % 2 == 0 {
                let length = Int.random(in: 0...300, using: &rng)
                var bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &rng) }
                if !bytes.isEmpty, Bool.random(using: &rng) { bytes[0] = [0xE5, 0x10, 0x68][Int.random(in: 0..<3, using: &rng)] }
                input = bytes
            } else {
                input = Self.mutate(Self.seeds[iteration % Self.seeds.count], using: &rng)
            }
            // A slice with a non-zero start index exercises index arithmetic too.
            let padded = [0x00] + input
            do {
                let frame = try Frame.decode(padded[1...])
                decoded += 1
                #expect(try frame.encoded() == input)
            } catch {
                #expect(error.offset >= 0 && error.offset <= input.count, "\(error)")
            }
            if let parsed = try? Frame.parse(input) {
                #expect(parsed.checksumOK == (parsed.checksumError == nil))
            }
        }
        #expect(decoded > 0)
    }

    @Test("the reader survives junk and loses no byte, whatever the chunking")
    func readerJunk() throws {
        var rng = LinkSeededGenerator(seed: 2_400)
        for round in 0..<40 {
            var stream: [UInt8] = []
            for _ in 0..<30 {
                if Bool.random(using: &rng) {
                    stream += Self.mutate(Self.seeds[Int.random(in: 0..<Self.seeds.count, using: &rng)], using: &rng)
                } else if Bool.random(using: &rng) {
                    stream += Self.seeds[Int.random(in: 0..<Self.seeds.count, using: &rng)]
                } else {
                    stream += (0..<Int.random(in: 0...80, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
                }
            }
            let whole = LinkFrameReaderTests.whole(stream, maximumGarbage: 32)
            #expect(LinkFrameReaderTests.reportedBytes(whole) == stream, "round \(round)")
            #expect(LinkFrameReaderTests.randomBatches(stream, seed: UInt64(round), maximumGarbage: 32) == whole, "round \(round)")
            if round % 8 == 0 {
                #expect(LinkFrameReaderTests.byteByByte(stream, maximumGarbage: 32) == whole, "round \(round)")
            }
            for event in whole {
                if case let .frame(frame, bytes) = event {
                    #expect(try frame.encoded() == bytes)
                }
            }
        }
    }
}
