import CodecSupport
import Testing
@testable import Capture

/// ``TCPReassembler`` on 20 000 seeded random segment sequences: shuffled, duplicated, resegmented,
/// partly lost, with or without SYN and FIN, near the 2^32 wrap, under small buffer limits.
@Suite("TCPReassembly fuzz")
struct TCPReassemblyFuzzTests {
    /// A segment to feed and the index of its first payload byte in the original stream.
    struct Piece {
        var segment: TCPSegment
        var start: Int
    }

    @Test func everyDeliveredByteMatchesTheOriginalStream() async {
        var rng = SplitMix64(seed: 0x7C9_2026)
        let client = CaptureEndpoint(address: [192, 168, 1, 1], port: 50_000)
        let server = CaptureEndpoint(address: [192, 168, 1, 2], port: 4_059)
        var failures = 0
        for iteration in 0..<20_000 {
            if iteration % 500 == 0 { await Task.yield() }
            let length = rng.int(0...400)
            let original = (0..<length).map { _ in rng.byte() }
            let isn: UInt32 = rng.chance(30) ? UInt32.max &- UInt32(rng.int(0...300)) : UInt32(truncatingIfNeeded: rng.next())
            func segment(_ start: Int, _ end: Int, _ flags: TCPSegmentFlags = [.ack]) -> Piece {
                Piece(segment: TCPSegment(sourcePort: client.port, destinationPort: server.port,
                                          sequenceNumber: isn &+ 1 &+ UInt32(start), flags: flags,
                                          payload: original[start..<end]), start: start)
            }
            var pieces: [Piece] = []
            var i = 0
            while i < length {
                let j = min(length, i + rng.int(1...80))
                pieces.append(segment(i, j))
                i = j
            }
            let dropped = rng.chance(15) && !pieces.isEmpty
            if dropped { pieces.remove(at: rng.int(0...(pieces.count - 1))) }
            for _ in 0..<rng.int(0...4) where !pieces.isEmpty {  // exact retransmissions
                pieces.append(pieces[rng.int(0...(pieces.count - 1))])
            }
            for _ in 0..<rng.int(0...3) where length > 0 {  // resegmented retransmissions (overlaps, same bytes)
                let a = rng.int(0...(length - 1))
                pieces.append(segment(a, min(length, a + rng.int(1...120))))
            }
            if rng.chance(50) { pieces.append(segment(length, length, [.fin, .ack])) }
            if rng.chance(50) {
                pieces.shuffle(using: &rng)
            } else {
                for _ in 0..<rng.int(0...6) where pieces.count > 1 {
                    pieces.swapAt(rng.int(0...(pieces.count - 1)), rng.int(0...(pieces.count - 1)))
                }
            }
            let withSYN = rng.chance(70)
            if withSYN {
                let syn = Piece(segment: TCPSegment(sourcePort: client.port, destinationPort: server.port,
                                                    sequenceNumber: isn, flags: [.syn]), start: 0)
                pieces.insert(syn, at: rng.chance(80) ? 0 : rng.int(0...pieces.count))
            }
            let limit = rng.chance(50) ? rng.int(1...300) : 1 << 20
            var reassembler = TCPReassembler(limits: .init(maxBufferedBytesPerConnection: limit,
                                                           retainedBytesPerDirection: rng.int(0...200)))
            var events: [TCPStreamEvent] = []
            for (n, piece) in pieces.enumerated() {
                events += reassembler.process(piece.segment, source: client, destination: server, packetNumber: n + 1)
                if reassembler.bufferedByteCount > limit { failures += 1 }
            }
            events += reassembler.finish()
            // Offset 0 is the byte after the SYN, or the first byte of the first data segment processed.
            let base = pieces.first { $0.segment.flags.contains(.syn) || !$0.segment.payload.isEmpty }
                .map { $0.segment.flags.contains(.syn) ? 0 : $0.start } ?? 0
            var covered = 0
            var ok = true
            for event in events {
                switch event.kind {
                case let .data(direction, bytes, offset, packets):
                    let at = base + Int(offset)
                    ok = ok && direction == .clientToServer && Int(offset) == covered && !packets.isEmpty
                        && at + bytes.count <= length && bytes.elementsEqual(original[at..<(at + bytes.count)])
                    covered += bytes.count
                case let .gap(_, count, offset):
                    ok = ok && Int(offset) == covered && count > 0
                    covered += Int(count)
                case .overlapConflict:
                    ok = false
                case .opened, .closed:
                    break
                }
            }
            ok = ok && covered <= length - base && (dropped || covered == length - base || events.isEmpty)
            let opened = events.filter { $0.kind == .opened }.count
            let closed = events.filter { if case .closed = $0.kind { true } else { false } }.count
            ok = ok && opened == closed && opened <= 1 && reassembler.openConnectionCount == 0
            if !ok {
                failures += 1
                if failures <= 3 { Issue.record("iteration \(iteration): length \(length), isn \(isn), base \(base), covered \(covered), events \(events.map(\.kind))") }
            }
        }
        #expect(failures == 0)
    }
}
