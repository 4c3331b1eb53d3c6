import CodecSupport
import DLMS
import Testing

/// Random and mutated inputs with a fixed seed: the ACSE decoder returns or throws, never traps,
/// and whatever decodes re-encodes to exactly the input.
@Suite("ACSE fuzzing")
struct ACSEFuzzTests {
    static func mutate(_ input: [UInt8], using rng: inout ACSESeededGenerator) -> [UInt8] {
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
            case 4 where bytes.count > 2 && bytes.count < 0x82:
                // Re-fit the outer length so the components are reached.
                bytes[1] = UInt8(bytes.count - 2)
            case 5 where bytes.count > 4:
                // Splice a slice of the APDU elsewhere (repeated or reordered components).
                let start = Int.random(in: 2..<bytes.count, using: &rng)
                let piece = bytes[start..<min(bytes.count, start + Int.random(in: 1...12, using: &rng))]
                bytes.insert(contentsOf: piece, at: Int.random(in: 2...bytes.count, using: &rng))
            default:
                let special: [UInt8] = [0x60, 0x61, 0x62, 0x63, 0x80, 0x81, 0x82, 0x84, 0xA1, 0xA3, 0xAC, 0xBE, 0x04, 0x02, 0x06, 0x1F, 0x00, 0xFF]
                if !bytes.isEmpty {
                    bytes[Int.random(in: bytes.indices, using: &rng)] = special[Int.random(in: 0..<special.count, using: &rng)]
                }
            }
        }
        return bytes
    }

    @Test("30 000 random and mutated inputs: decode returns or throws; what decodes re-encodes exactly")
    func decoderIsTotal() async throws {
        let seeds = try ACSEFixtures.validAPDUs()
        #expect(seeds.count == 42)
        var rng = ACSESeededGenerator(seed: 0x4143_5345)
        var decoded = 0
        for iteration in 0..<30_000 {
            if iteration % 500 == 0 { await Task.yield() }
            var input: [UInt8]
            if iteration % 4 == 0 {
                input = (0..<Int.random(in: 0...64, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
                if !input.isEmpty { input[0] = 0x60 + UInt8.random(in: 0...3, using: &rng) }
            } else {
                input = Self.mutate(seeds[iteration % seeds.count], using: &rng)
            }
            // A slice with a non-zero start index exercises index arithmetic too.
            let padded = [0xEE] + input
            let slice = padded[1...]
            for range in ACSEAPDU.secretRanges(in: slice) {
                #expect(range.lowerBound >= 0 && range.upperBound <= input.count, "iteration \(iteration): redaction range")
            }
            guard let apdu = try? ACSEAPDU(decoding: slice) else { continue }
            decoded += 1
            #expect(apdu.encoded() == input, "iteration \(iteration): \(HexText.format(input, separator: ""))")
            for range in apdu.secretRanges {
                #expect(range.lowerBound >= 0 && range.upperBound <= input.count)
            }
            _ = apdu.json.serialized()
        }
        #expect(decoded > 1_000)
    }
}
