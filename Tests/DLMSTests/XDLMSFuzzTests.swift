import CodecSupport
import Testing
@testable import DLMS

/// 30 000 random and mutated inputs with a fixed seed: the APDU decoder returns or throws, never
/// traps, and whatever decodes re-encodes to exactly the input.
@Suite("xDLMS fuzzing")
struct XDLMSFuzzTests {
    static func mutate(_ input: [UInt8], using rng: inout XDLMSSeededGenerator) -> [UInt8] {
        var bytes = input
        for _ in 0..<Int.random(in: 1...4, using: &rng) {
            switch Int.random(in: 0..<6, using: &rng) {
            case 0 where !bytes.isEmpty:
                bytes[Int.random(in: bytes.indices, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
            case 1 where !bytes.isEmpty:
                bytes.remove(at: Int.random(in: bytes.indices, using: &rng))
            case 2:
                bytes.insert(UInt8.random(in: 0...255, using: &rng), at: Int.random(in: 0...bytes.count, using: &rng))
            case 3 where !bytes.isEmpty:
                bytes = Array(bytes.prefix(Int.random(in: 0..<bytes.count, using: &rng)))
            case 4 where bytes.count > 1:
                // Small values in choice / count / flag positions reach the deeper branches.
                bytes[Int.random(in: 1..<bytes.count, using: &rng)] = UInt8.random(in: 0...6, using: &rng)
            default:
                bytes.append(contentsOf: (0..<Int.random(in: 1...8, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) })
            }
        }
        return bytes
    }

    static let tags: [UInt8] = [0x01, 0x08, 0x0E, 0x0F, 0xC0, 0xC1, 0xC2, 0xC3, 0xC4, 0xC5, 0xC7, 0xD8, 0xC8, 0xDB]

    @Test("30 000 inputs: never a trap, every decoded APDU re-encodes exactly")
    func decoderIsTotal() async throws {
        var seeds = try XDLMSFixtures.u9().vectors.map { Array($0.apdu) }
        seeds += try XDLMSFixtures.gurux().apdus.map(\.bytes)
        seeds += XDLMSAPDUTests.examples.map(\.bytes)
        seeds = seeds.filter { !$0.isEmpty && $0.count < 2048 }
        #expect(seeds.count > 150)
        var rng = XDLMSSeededGenerator(seed: 0x5844_4C4D_5331)
        var decoded = 0
        for i in 0..<30_000 {
            if i % 500 == 0 { await Task.yield() }
            let input: [UInt8]
            if i % 4 == 0 {
                let n = Int.random(in: 0...40, using: &rng)
                input = [Self.tags.randomElement(using: &rng) ?? 0xC0] + (0..<n).map { _ in UInt8.random(in: 0...255, using: &rng) }
            } else {
                input = Self.mutate(seeds.randomElement(using: &rng) ?? [], using: &rng)
            }
            do {
                let apdu = try XDLMSAPDU(decoding: input)
                decoded += 1
                if apdu.encoded() != input {
                    Issue.record("re-encoding differs for \(HexText.format(input))")
                }
                _ = apdu.json.serialized()
            } catch {
                if error.offset < 0 || error.offset > input.count {
                    Issue.record("offset \(error.offset) outside the \(input.count)-byte input \(HexText.format(input))")
                }
            }
        }
        #expect(decoded > 1_000)
    }
}
