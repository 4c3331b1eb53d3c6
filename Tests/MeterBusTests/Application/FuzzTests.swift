import CodecSupport
import Foundation
import Testing
@testable import MeterBus

/// Issue bar: "no input in a fuzz-style test of 100,000 random and mutated frames traps or hangs".
///
/// Every input must decode or throw ``MeterBusError``. What decodes must also serialise to JSON and
/// encode, and decoding the encoding must give an equal ``Telegram`` (so the bytes come back exactly).
@Suite("Application-layer fuzzing")
struct FuzzTests {
    /// CI codes whose content the application layer decodes (fact sheet §1.7, wired table), plus a few others.
    static let interestingCI: [UInt8] = [0x72, 0x72, 0x72, 0x78, 0x78, 0x7A, 0x76, 0x73, 0x77, 0x70, 0x71,
                                         0x51, 0x55, 0x52, 0x56, 0x50, 0x54, 0xB8, 0xBD, 0xBF, 0xA0, 0x00, 0xFF]
    /// Bytes that steer the record parser into its branches: special DIFs, LVAR-bearing DIFs, date VIFs,
    /// the FB/FD escapes, plain-text VIFs, extension bits, LVAR boundaries.
    static let interestingBytes: [UInt8] = [0x2F, 0x0F, 0x1F, 0x7F, 0x3F, 0x0D, 0x04, 0x02, 0x06, 0x03, 0x0C,
                                            0x6D, 0x6C, 0xFD, 0xFB, 0x7C, 0xFC, 0x80, 0xFF, 0x00, 0xC2, 0xD3,
                                            0xE3, 0xF0, 0xF5, 0xF6, 0xF7, 0xBF, 0x13, 0x93, 0x3C, 0x70, 0x7D]

    static func checksum(_ body: ArraySlice<UInt8>) -> UInt8 { body.reduce(0) { $0 &+ $1 } }

    /// `68 L L 68 body CS 16` with a consistent L and a valid checksum; body = C A CI data.
    static func wrap(_ body: [UInt8]) -> [UInt8] {
        let l = UInt8(truncatingIfNeeded: body.count)
        return [0x68, l, l, 0x68] + body + [checksum(body[...]), 0x16]
    }

    /// Recomputes CS of something shaped like a long frame, whatever its L says.
    static func fixChecksum(_ frame: inout [UInt8]) {
        guard frame.count >= 9, frame[0] == 0x68 else { return }
        frame[frame.count - 2] = checksum(frame[4..<(frame.count - 2)])
    }

    static func randomData(_ rng: inout SplitMix64, count: Int) -> [UInt8] {
        (0..<count).map { _ in rng.chance(30) ? rng.pick(interestingBytes) : rng.byte() }
    }

    /// A random input: mostly a well-framed long frame so that decoding reaches the application layer.
    static func randomInput(_ rng: inout SplitMix64) -> [UInt8] {
        switch rng.int(0...9) {
        case 0:  // raw bytes, start byte biased
            var b = (0..<rng.int(0...300)).map { _ in rng.byte() }
            if !b.isEmpty, rng.chance(70) { b[0] = rng.pick([0x68, 0x10, 0xE5]) }
            return b
        case 1:  // short frame or E5, sometimes with a bad checksum
            if rng.chance(20) { return [0xE5] }
            let c = rng.byte(), a = rng.byte()
            return [0x10, c, a, rng.chance(80) ? c &+ a : rng.byte(), 0x16]
        default:
            let length = rng.chance(70) ? rng.int(0...40) : rng.int(0...252)
            let ci = rng.chance(90) ? rng.pick(interestingCI) : rng.byte()
            var frame = wrap([rng.chance(70) ? 0x08 : rng.byte(), rng.byte(), ci] + randomData(&rng, count: length))
            if rng.chance(20) {  // mutate after framing, fix the checksum up half of the time
                for _ in 0..<rng.int(1...3) { frame[rng.int(0...(frame.count - 1))] = rng.byte() }
                if rng.chance(50) { fixChecksum(&frame) }
            }
            return frame
        }
    }

    /// A mutation of a corpus frame: bit flips, inserts, deletes, truncation inside the user data, then the
    /// frame is rebuilt with a consistent L and checksum; sometimes L or the frame itself is damaged instead.
    static func mutatedInput(_ seed: [UInt8], _ rng: inout SplitMix64) -> [UInt8] {
        var body = Array(seed[4..<(seed.count - 2)])  // C A CI data
        for _ in 0..<rng.int(1...4) {
            let i = rng.int(3...max(3, body.count - 1))
            switch rng.int(0...6) {
            case 0, 1: if i < body.count { body[i] ^= 1 << UInt8(rng.int(0...7)) }
            case 2: body.insert(rng.chance(50) ? rng.pick(interestingBytes) : rng.byte(), at: min(i, body.count))
            case 3: if i < body.count, body.count > 3 { body.remove(at: i) }
            case 4: if body.count > 3 { body.removeLast(rng.int(1...(body.count - 3))) }
            case 5: if i < body.count { body[i] = rng.pick(interestingBytes) }
            default: body[2] = rng.chance(50) ? rng.pick(interestingCI) : body[2]  // another CI
            }
        }
        if body.count > 255 { body.removeLast(body.count - 255) }
        var frame = wrap(body)
        switch rng.int(0...9) {
        case 0:  // change one or both L fields
            let l = rng.byte()
            frame[1] = l
            if rng.chance(50) { frame[2] = l }
            if rng.chance(50) { fixChecksum(&frame) }
        case 1:  // truncate or extend the frame itself
            if rng.chance(50) { frame.removeLast(rng.int(1...(frame.count - 1))) } else { frame.append(rng.byte()) }
        case 2:  // a bit flip after framing, checksum fixed half of the time
            frame[rng.int(0...(frame.count - 1))] ^= 1 << UInt8(rng.int(0...7))
            if rng.chance(50) { fixChecksum(&frame) }
        default:
            break
        }
        return frame
    }

    struct Stats {
        var decoded = 0
        var decodedWithApplicationLayer = 0
        var thrown: [MeterBusError.Code: Int] = [:]
        var records = 0
        var failures: [String] = []

        mutating func fail(_ message: String) {
            if failures.count < 20 { failures.append(message) }
        }
    }

    /// Decodes one input and checks the round trip; records any violation in `stats`.
    static func exercise(_ input: [UInt8], _ stats: inout Stats) {
        // A slice with a non-zero start index: offsets must still count from the frame's first byte.
        let padded = [0xAA, 0xBB] + input
        do {
            let telegram = try Telegram.decode(padded[2...])
            stats.decoded += 1
            if telegram.userData != nil { stats.decodedWithApplicationLayer += 1 }
            stats.records += telegram.records.count
            _ = telegram.json.serialized()
            for r in telegram.records { _ = r.scaledNumber; _ = r.valueProblem }
            guard let again = telegram.encoded() else { return }
            if again != input { stats.fail("encoded() differs from the input \(HexText.format(input))") }
            do {
                let second = try Telegram.decode(again)
                if second != telegram { stats.fail("decode(encoded()) differs for \(HexText.format(input))") }
            } catch {
                stats.fail("encoded() does not decode (\(error)) for \(HexText.format(input))")
            }
        } catch {
            stats.thrown[error.code, default: 0] += 1
            if error.offset < 0 || error.offset > input.count {
                stats.fail("offset \(error.offset) outside 0...\(input.count): \(error) for \(HexText.format(input))")
            }
            // Frames whose only defect is the checksum still reach the application layer this way.
            if error.code == .badChecksum, let t = try? Telegram.decode(input, requireValidChecksum: false) {
                _ = t.encoded()
            }
        }
    }

    @Test("100 000 random and mutated frames: decode or throw MeterBusError; what decodes round-trips")
    func applicationLayerIsTotal() async throws {
        let seeds = try LibmbusCorpus.frames(in: .testFrames).map { try $0.bytes() }
        #expect(seeds.count == 76)
        var rng = SplitMix64(seed: 0x4D65_7465_7250_726F)  // "MeterPro"
        var stats = Stats()
        var inputs: [[UInt8]] = []  // a sample for the FrameReader run below
        let clock = ContinuousClock()
        let start = clock.now
        for i in 0..<100_000 {
            // Give the two-thread pool back now and then: timing-sensitive tests run beside this one.
            if i % 2_000 == 0 { await Task.yield() }
            let input = i % 2 == 0 ? Self.randomInput(&rng) : Self.mutatedInput(seeds[(i / 2) % seeds.count], &rng)
            Self.exercise(input, &stats)
            if i % 4 == 1 {
                // The 2018 CI table reads 73, 76, 77 differently; its decoding must be total too.
                _ = try? Telegram.decode(input, table: .wireless2018).encoded()
            }
            if i % 50 == 0 { inputs.append(input) }
        }
        let elapsed = clock.now - start
        let byCode = stats.thrown.sorted { $0.value > $1.value }.map { "\($0.key.rawValue) \($0.value)" }.joined(separator: ", ")
        print("""
            FuzzTests: 100000 inputs in \(elapsed): \(stats.decoded) decoded (\(stats.decodedWithApplicationLayer) with \
            user data, \(stats.records) records), \(100_000 - stats.decoded) threw: \(byCode)
            """)
        #expect(stats.failures.isEmpty, "\(stats.failures.joined(separator: "\n"))")
        // The generator must reach the application layer often, or the test proves little.
        #expect(stats.decodedWithApplicationLayer > 10_000)
        #expect(stats.records > 20_000)
        let structuralErrors: Int = (stats.thrown[.tooManyDIFEs] ?? 0) + (stats.thrown[.invalidLVAR] ?? 0) + (stats.thrown[.invalidDIF] ?? 0)
        #expect(structuralErrors > 0)

        // FrameReader: the same bytes as one stream, fed in random chunks; it must not trap or hang.
        var reader = FrameReader()
        let stream = Array(inputs.joined())
        var position = stream.startIndex
        var events = 0
        while position < stream.endIndex {
            let end = min(stream.endIndex, position + rng.int(1...64))
            reader.append(stream[position..<end])
            position = end
            var guardCount = 0
            while reader.next() != nil {
                events += 1
                guardCount += 1
                if guardCount > 100_000 { Issue.record("FrameReader.next() keeps returning events"); return }
            }
        }
        while reader.finish() != nil { events += 1 }
        print("FuzzTests: FrameReader produced \(events) events from \(stream.count) bytes")
        #expect(events > 0)
    }
}
