import CodecSupport
import Testing
@testable import DLMS

private typealias AXDRFuzzRNG = SplitMix64

/// Bar: 50 000 random and mutated inputs never trap, never allocate by a claimed count, and whatever
/// decodes re-encodes to exactly the bytes it consumed.
@Suite("A-XDR fuzzing")
struct AXDRFuzzTests {
    static let tags: [UInt8] = COSEMDataType.allCases.map(\.rawValue) + [7, 8, 11, 14, 0x1C, 0x80]
    static let interesting: [UInt8] = [0x00, 0x01, 0x02, 0x7F, 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0xFF, 0xFE, 0xFD, 0x13, 0x19]

    private static func randomBytes(_ rng: inout AXDRFuzzRNG, _ n: Int) -> [UInt8] {
        (0..<n).map { _ in rng.chance(30) ? rng.pick(interesting) : rng.byte() }
    }

    /// A random, well-formed value.
    private static func randomValue(_ rng: inout AXDRFuzzRNG, depth: Int) -> COSEMData {
        let containers = depth < 4
        switch rng.int(0...(containers ? 27 : 24)) {
        case 0: return .nullData
        case 1: return .dontCare
        case 2: return .boolean(rng.chance(80) ? UInt8(rng.int(0...1)) : rng.byte())
        case 3: return .bitString(BitString(bits: (0..<rng.int(0...40)).map { _ in rng.chance(50) }))
        case 4: return .doubleLong(Int32(truncatingIfNeeded: rng.next()))
        case 5: return .doubleLongUnsigned(UInt32(truncatingIfNeeded: rng.next()))
        case 6: return .octetString(randomBytes(&rng, rng.chance(95) ? rng.int(0...20) : rng.int(120...300)))
        case 7: return .visibleString(randomBytes(&rng, rng.int(0...20)))
        case 8: return .utf8String(randomBytes(&rng, rng.int(0...20)))
        case 9: return .bcd(rng.byte())
        case 10: return .integer(Int8(truncatingIfNeeded: rng.next()))
        case 11: return .long(Int16(truncatingIfNeeded: rng.next()))
        case 12: return .unsigned(rng.byte())
        case 13: return .longUnsigned(UInt16(truncatingIfNeeded: rng.next()))
        case 14: return .long64(Int64(bitPattern: rng.next()))
        case 15: return .long64Unsigned(rng.next())
        case 16: return .enumerated(rng.byte())
        case 17: return .float32(bitPattern: UInt32(truncatingIfNeeded: rng.next()))  // NaN payloads included
        case 18: return .float64(bitPattern: rng.next())
        case 19, 20:
            var b = randomBytes(&rng, 12)
            if rng.chance(50) { b = Array(b[0..<9]) + [0x80, 0x00, 0xFF] }
            return .dateTime((try? COSEMDateTime(bytes: b[...])) ?? COSEMDateTime())
        case 21: return .date((try? COSEMDate(bytes: randomBytes(&rng, 5)[...])) ?? .notSpecified)
        case 22: return .time((try? COSEMTime(bytes: randomBytes(&rng, 4)[...])) ?? .notSpecified)
        case 23, 24: return .octetString(OBISCode(rng.byte(), rng.byte(), rng.byte(), rng.byte(), rng.byte()).bytes)
        case 25: return .array((0..<rng.int(0...6)).map { _ in randomValue(&rng, depth: depth + 1) })
        case 26: return .structure((0..<rng.int(0...6)).map { _ in randomValue(&rng, depth: depth + 1) })
        default: return randomCompactArray(&rng, depth: depth)
        }
    }

    private static func randomDescription(_ rng: inout AXDRFuzzRNG, depth: Int) -> TypeDescription {
        let simple: [COSEMDataType] = [.boolean, .bitString, .doubleLong, .doubleLongUnsigned, .octetString, .visibleString,
                                       .utf8String, .bcd, .integer, .long, .unsigned, .longUnsigned, .long64,
                                       .long64Unsigned, .enum, .float32, .float64, .dateTime, .date, .time]
        switch depth < 3 ? rng.int(0...5) : 0 {
        case 4: return .array(count: UInt16(rng.int(1...3)), element: randomDescription(&rng, depth: depth + 1))
        case 5: return .structure((0..<rng.int(1...3)).map { _ in randomDescription(&rng, depth: depth + 1) })
        default: return .simple(rng.pick(simple))
        }
    }

    /// A value of a description (decoding a random tagged value's content would not match it).
    private static func randomValue(of d: TypeDescription, _ rng: inout AXDRFuzzRNG) -> COSEMData {
        switch d {
        case let .array(count, element): return .array((0..<Int(count)).map { _ in randomValue(of: element, &rng) })
        case let .structure(members): return .structure(members.map { randomValue(of: $0, &rng) })
        case let .simple(t):
            for _ in 0..<200 {
                let v = randomValue(&rng, depth: 99)
                if v.type == t { return v }
            }
            // Rare fallback: decode the content of the type from random bytes.
            var r = AXDRReader(randomBytes(&rng, 20) + [UInt8](repeating: 0, count: 12))
            return (try? COSEMData.decodeContent(of: t, from: &r)) ?? .unsigned(0)
        }
    }

    private static func randomCompactArray(_ rng: inout AXDRFuzzRNG, depth: Int) -> COSEMData {
        let d = randomDescription(&rng, depth: 0)
        let elements = (0..<rng.int(0...4)).map { _ in randomValue(of: d, &rng) }
        guard let c = try? CompactArray(contentsDescription: d, elements: elements) else { return .nullData }
        return .compactArray(c)
    }

    private static func mutate(_ input: [UInt8], _ rng: inout AXDRFuzzRNG) -> [UInt8] {
        var b = input
        for _ in 0..<rng.int(1...4) {
            switch rng.int(0...6) {
            case 0 where !b.isEmpty: b[rng.int(0...(b.count - 1))] ^= 1 << UInt8(rng.int(0...7))
            case 1 where !b.isEmpty: b[rng.int(0...(b.count - 1))] = rng.pick(interesting)
            case 2: b.insert(rng.byte(), at: rng.int(0...b.count))
            case 3 where !b.isEmpty: b.remove(at: rng.int(0...(b.count - 1)))
            case 4 where !b.isEmpty: b = Array(b.prefix(rng.int(0...(b.count - 1))))
            case 5 where b.count > 2:  // a huge long-form length or count
                let i = rng.int(1...(b.count - 1))
                b.replaceSubrange(i..<i, with: rng.pick([[0x84, 0x7F, 0xFF, 0xFF, 0xFF], [0x84, 0xFF, 0xFF, 0xFF, 0xFF],
                                                          [0x82, 0xFF, 0xFF], [0x83, 0x01, 0x00, 0x00]]))
            case 6: b = [rng.pick([0x01, 0x02, 0x13])] + b
            default: break
            }
        }
        return b
    }

    /// Decodes; on success checks exact re-encoding and JSON; on failure checks the offset is inside the input.
    @discardableResult
    private static func check(_ input: [UInt8]) -> Bool {
        do {
            let (value, consumed) = try COSEMData.decode(input)
            #expect(consumed >= 1 && consumed <= input.count)
            let again = value.encoded()
            #expect(again == Array(input.prefix(consumed)), "re-encoding differs for \(HexText.format(input))")
            _ = value.json.serialized()
            return true
        } catch {
            #expect(error.offset >= 0 && error.offset <= input.count, "\(error) for \(HexText.format(input))")
            return false
        }
    }

    @Test("50 000 random, generated and mutated inputs (seed 0xD1_5E_A5_E0)")
    func fuzz() throws {
        var rng = AXDRFuzzRNG(seed: 0xD15E_A5E0)
        let corpus = try AXDRFixtures.u9Vectors().filter { $0.kind == "data" }.map { Array($0.payload) }
            + (try AXDRFixtures.gurux().exchanges.map { Array($0.data) })
        var decoded = 0
        for i in 0..<50_000 {
            let input: [UInt8]
            switch i % 5 {
            case 0:  // random bytes, first byte a tag most of the time
                var b = Self.randomBytes(&rng, rng.int(0...64))
                if !b.isEmpty, rng.chance(80) { b[0] = rng.pick(Self.tags) }
                input = b
            case 1, 2:  // a generated value: must round-trip as a value too
                let value = Self.randomValue(&rng, depth: 0)
                let bytes = value.encoded()
                let back = try COSEMData.decode(bytes)
                #expect(back.value == value && back.consumed == bytes.count, "\(HexText.format(bytes))")
                input = rng.chance(50) ? Self.mutate(bytes, &rng) : bytes
            default:  // a mutated vector
                input = Self.mutate(rng.pick(corpus), &rng)
            }
            if Self.check(input) { decoded += 1 }
        }
        #expect(decoded > 10_000)  // the mix reaches deep into the decoder, not only the tag check
    }

    @Test("Adversarial shapes finish at once: huge counts, deep nesting, zero-size compact-array parts")
    func adversarial() {
        let cases: [[UInt8]] = [
            [0x01, 0x84, 0x7F, 0xFF, 0xFF, 0xFF],
            [0x02, 0x84, 0xFF, 0xFF, 0xFF, 0xFF] + [UInt8](repeating: 0, count: 64),
            [UInt8](repeating: 0x01, count: 100_000) + [0x00],
            [0x13, 0x01, 0xFF, 0xFF, 0x01, 0xFF, 0xFF, 0x01, 0xFF, 0xFF, 0x11, 0x84, 0x7F, 0xFF, 0xFF, 0xFF],
            [0x13, 0x01, 0xFF, 0xFF, 0x01, 0xFF, 0xFF, 0x02, 0x00, 0x82, 0xFF, 0xFF],
            [0x13, 0x01, 0xFF, 0xFF, 0x01, 0xFF, 0xFF, 0x11, 0x05, 1, 2, 3, 4, 5],
            [0x04, 0x84, 0xFF, 0xFF, 0xFF, 0xFF, 0x00],
        ]
        for c in cases { #expect(!Self.check(c)) }
    }
}
