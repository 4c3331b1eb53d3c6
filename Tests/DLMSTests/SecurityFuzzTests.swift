import CodecSupport
import DLMS
import Testing

/// Random and mutated input through the unprotect path and the HLS verifier (fixed seed): every
/// call returns or throws a ``DLMSError`` with an offset inside the input; nothing traps.
@Suite("Security: fuzzing")
struct SecurityFuzzTests {
    private typealias Generator = SplitMix64

    private static let seeds: [[UInt8]] = [
        "C81E3001234567411312FF935A47566827C467BC7D825C3BE4A77C3FCC056B6B",
        "C81E1001234567C0010000080000010000FF020006725D910F9221D263877516",
        "21303001234567801302FF8A7874133D414CED25B42534D28DB0047720606B175BD52211BE6841DB204D39EE6FDB8E356855",
        "DB082F192291991641033B30000001E5025CE9D2271FD78BE8C204211A916A9D7F587E0A7A814CADEA89E9593F01F92EA8C087B5BDFDEFEAB6BECF282DFE49C08F5BE6DC8400",
        "DB001E30800000D181EC9EC4BF53E9776EF0C453969FBDFE11BE9B791AACC0FF8C",
    ].map(SecurityFixtures.bytes)

    private static func mutate(_ input: [UInt8], _ rng: inout Generator) -> [UInt8] {
        var bytes = input
        for _ in 0..<Int.random(in: 1...4, using: &rng) {
            switch Int.random(in: 0..<6, using: &rng) {
            case 0 where !bytes.isEmpty:  // flip a bit
                bytes[Int.random(in: bytes.indices, using: &rng)] ^= UInt8(1 << Int.random(in: 0..<8, using: &rng))
            case 1 where !bytes.isEmpty:  // overwrite a byte
                bytes[Int.random(in: bytes.indices, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
            case 2:  // truncate
                bytes = Array(bytes.prefix(Int.random(in: 0...bytes.count, using: &rng)))
            case 3:  // insert
                bytes.insert(UInt8.random(in: 0...255, using: &rng), at: Int.random(in: 0...bytes.count, using: &rng))
            case 4 where bytes.count > 2:  // a length byte: short, long forms, huge
                let at = bytes[0] == 0xDB || bytes[0] == 0xDC ? [1, 10].randomElement(using: &rng) ?? 1 : 1
                if at < bytes.count {
                    bytes[at] = [0x00, 0x05, 0x7F, 0x80, 0x81, 0x84, 0x85, 0xFF].randomElement(using: &rng) ?? 0
                }
            default:  // security control byte
                let at = bytes.first == 0xDB || bytes.first == 0xDC ? 11 : 2
                if at < bytes.count { bytes[at] = UInt8.random(in: 0...255, using: &rng) }
            }
        }
        return bytes
    }

    private static func context() throws -> SecurityContext {
        var c = try SecurityFixtures.context(
            ek: SecurityFixtures.greenBookEK, ak: SecurityFixtures.greenBookAK, title: "4D4D4D0000BC614E")
        c.dedicatedKey = SecurityFixtures.dummyGlobalKey
        c.globalBroadcastKey = SecurityFixtures.dummyGlobalKey
        return c
    }

    @Test("unprotect never traps on random or mutated input; accepted mutations decode and encode back exactly")
    func unprotectFuzz() throws {
        let context = try Self.context()
        let tags = CipheredServiceTag.allCases.map(\.rawValue)
        var rng = Generator(seed: 0x5EC0_5EC0)
        var outcomes: [String: Int] = [:]
        for round in 0..<12_000 {
            let input: [UInt8]
            if round % 3 == 0 {
                var random = (0..<Int.random(in: 0...90, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
                if !random.isEmpty, Bool.random(using: &rng) { random[0] = tags.randomElement(using: &rng) ?? 0xC8 }
                input = random
            } else {
                input = Self.mutate(Self.seeds[round % Self.seeds.count], &rng)
            }
            for sender in SecurityParty.allCases {
                do {
                    let opened = try context.unprotect(bytes: input, from: sender)
                    #expect(opened.header.encoded() == input)
                    outcomes["accepted", default: 0] += 1
                } catch {
                    #expect((0...input.count).contains(error.offset), "\(error) for \(HexText.format(input, separator: ""))")
                    outcomes[error.code.rawValue, default: 0] += 1
                }
            }
            // Keyless decoding: whatever decodes encodes back to the same bytes.
            if let decoded = try? CipheredAPDU(decoding: input) {
                #expect(decoded.encoded() == input)
            }
        }
        // The fuzzer reached the interesting outcomes, not just the first check.
        for code in ["truncated", "badLength", "unknownTag", "authenticationFailed", "unsupported", "accepted"] {
            #expect((outcomes[code] ?? 0) > 0, "no \(code) among \(outcomes)")
        }
    }

    @Test("HLS-GMAC verification never traps on random responses and challenges")
    func hlsFuzz() throws {
        let context = try Self.context()
        var rng = Generator(seed: 0x4815_1623)
        let valid = SecurityFixtures.bytes("10000000011A52FE7DD3E72748973C1E28")
        let challenge = SecurityFixtures.bytes("503677524A323146")
        for _ in 0..<3_000 {
            let response = Bool.random(using: &rng)
                ? Self.mutate(valid, &rng)
                : (0..<Int.random(in: 0...20, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            do {
                _ = try context.verifyHLSGMACResponse(response, to: challenge, from: .client)
                #expect(response == valid)
            } catch {
                #expect((0...response.count).contains(error.offset))
            }
        }
    }
}
