import CodecSupport
import Testing
@testable import Capture

/// ``TCPSegment`` decoding and checksums, and ``TCPReassembler`` on in-order, shuffled, retransmitted,
/// overlapping, lost, wrapped and mid-stream segments, plus a seeded fuzz.
@Suite("TCPReassembly")
struct TCPReassemblyTests {
    static let client = CaptureEndpoint(address: [10, 0, 0, 1], port: 40_000)
    static let server = CaptureEndpoint(address: [10, 0, 0, 2], port: 4_059)

    /// One segment to feed: sent by the client unless `fromServer`.
    struct Feed {
        var segment: TCPSegment
        var fromServer = false
        var packet: Int
    }

    static func segment(_ seq: UInt32, _ payload: [UInt8], _ flags: TCPSegmentFlags = [.ack]) -> TCPSegment {
        TCPSegment(sourcePort: client.port, destinationPort: server.port, sequenceNumber: seq, flags: flags,
                   payload: payload[...])
    }

    /// Feeds all, then `finish()` when `finish`; returns all events.
    static func run(_ feeds: [Feed], limits: TCPReassembler.Limits = .init(), finish: Bool = true) -> [TCPStreamEvent] {
        var reassembler = TCPReassembler(limits: limits)
        var events: [TCPStreamEvent] = []
        for feed in feeds {
            let (source, destination) = feed.fromServer ? (server, client) : (client, server)
            events += reassembler.process(feed.segment, source: source, destination: destination, packetNumber: feed.packet)
        }
        if finish { events += reassembler.finish() }
        return events
    }

    /// Concatenated data of `direction`, requiring contiguous offsets from 0 and no gaps.
    static func stream(_ events: [TCPStreamEvent], _ direction: TCPDirection = .clientToServer) -> [UInt8] {
        var out: [UInt8] = []
        for event in events {
            switch event.kind {
            case let .data(d, bytes, offset, _) where d == direction:
                #expect(offset == UInt64(out.count))
                out += bytes
            case let .gap(d, _, _) where d == direction:
                Issue.record("unexpected gap \(event)")
            default: break
            }
        }
        return out
    }

    static func original(_ count: Int, seed: UInt64 = 1) -> [UInt8] {
        var rng = SplitMix64(seed: seed)
        return (0..<count).map { _ in rng.byte() }
    }

    /// `bytes` cut into segments of `size` starting at `isn + 1`, after a SYN; a FIN at the end.
    static func segments(_ bytes: [UInt8], isn: UInt32, size: Int) -> [TCPSegment] {
        var out = [segment(isn, [], [.syn])]
        var i = 0
        while i < bytes.count {
            let j = min(bytes.count, i + size)
            out.append(segment(isn &+ 1 &+ UInt32(i), Array(bytes[i..<j])))
            i = j
        }
        out.append(segment(isn &+ 1 &+ UInt32(bytes.count), [], [.fin, .ack]))
        return out
    }

    static func feeds(_ segments: [TCPSegment]) -> [Feed] {
        segments.enumerated().map { Feed(segment: $1, packet: $0 + 1) }
    }

    // MARK: - Segment decoding

    @Test func decodesHeaderSkipsOptionsAndVerifiesChecksum() throws {
        var bytes: [UInt8] = [0x9C, 0x40, 0x0F, 0xDB, 0x01, 0x02, 0x03, 0x04, 0xA0, 0xB0, 0xC0, 0xD0,
                              0x60, 0x18, 0x12, 0x34, 0, 0, 0x00, 0x07, 0x02, 0x04, 0x05, 0xB4]
        bytes += [0xDE, 0xAD, 0xBE]
        let pseudo: [UInt8] = [10, 0, 0, 1, 10, 0, 0, 2, 0, 6, 0, UInt8(bytes.count)]
        let sum = TCPSegment.checksum(pseudoHeader: pseudo, segment: bytes)
        bytes[16] = UInt8(sum >> 8)
        bytes[17] = UInt8(sum & 0xFF)
        let segment = try TCPSegment.decode(bytes)
        #expect(segment.sourcePort == 40_000 && segment.destinationPort == 4_059)
        #expect(segment.sequenceNumber == 0x0102_0304 && segment.acknowledgementNumber == 0xA0B0_C0D0)
        #expect(segment.dataOffset == 6 && segment.headerLength == 24)
        #expect(segment.flags == [.psh, .ack] && segment.window == 0x1234 && segment.urgentPointer == 7)
        #expect(Array(segment.payload) == [0xDE, 0xAD, 0xBE])
        #expect(segment.checksum == sum)
        #expect(TCPSegment.verifyChecksum(segment: bytes, pseudoHeader: pseudo))
        var flipped = bytes
        flipped[25] ^= 0x01
        #expect(!TCPSegment.verifyChecksum(segment: flipped, pseudoHeader: pseudo))
        var otherPseudo = pseudo
        otherPseudo[3] = 9
        #expect(!TCPSegment.verifyChecksum(segment: bytes, pseudoHeader: otherPseudo))
    }

    @Test func decodeRejectsShortAndBadOffsetsWithoutTrapping() {
        #expect(throws: TCPSegmentError.truncated(length: 19)) { try TCPSegment.decode([UInt8](repeating: 0, count: 19)) }
        var header = [UInt8](repeating: 0, count: 20)
        header[12] = 0x40
        #expect(throws: TCPSegmentError.badDataOffset(words: 4, length: 20)) { try TCPSegment.decode(header) }
        header[12] = 0x60
        #expect(throws: TCPSegmentError.badDataOffset(words: 6, length: 20)) { try TCPSegment.decode(header) }
        // Every prefix and a slice with a non-zero start index.
        var rng = SplitMix64(seed: 7)
        for _ in 0..<2_000 {
            let bytes = (0..<rng.int(0...80)).map { _ in rng.byte() }
            let cut = rng.int(0...bytes.count)
            if let segment = try? TCPSegment.decode(bytes[cut...]) {
                #expect(segment.headerLength + segment.payload.count == bytes.count - cut)
            }
        }
    }

    // MARK: - Reassembly

    @Test func inOrderStreamOpensDeliversAndClosesOnBothFINs() {
        let data = Self.original(1_000)
        var feeds = Self.feeds(Self.segments(data, isn: 5_000, size: 100))
        feeds.insert(Feed(segment: TCPSegment(sourcePort: Self.server.port, destinationPort: Self.client.port,
                                              sequenceNumber: 900, flags: [.syn, .ack]), fromServer: true, packet: 100), at: 1)
        feeds.append(Feed(segment: TCPSegment(sourcePort: Self.server.port, destinationPort: Self.client.port,
                                              sequenceNumber: 901, flags: [.fin, .ack]), fromServer: true, packet: 101))
        let events = Self.run(feeds, finish: false)
        #expect(events.first?.kind == .opened)
        #expect(events.last?.kind == .closed(reason: .fin))
        #expect(events.allSatisfy { $0.connection == TCPConnectionKey(client: Self.client, server: Self.server) })
        #expect(Self.stream(events) == data)
        let dataEvents = events.filter { if case .data = $0.kind { true } else { false } }
        #expect(dataEvents.count == 10)
        if case let .data(_, _, offset, packets)? = dataEvents.last?.kind {
            #expect(offset == 900 && packets == [11])
        }
    }

    @Test func shuffledSegmentsReassembleToTheOriginal() {
        var rng = SplitMix64(seed: 42)
        let data = Self.original(5_000, seed: 3)
        for _ in 0..<20 {
            var segments = Self.segments(data, isn: UInt32(truncatingIfNeeded: rng.next()), size: rng.int(1...300))
            let syn = segments.removeFirst()
            segments.shuffle(using: &rng)
            let events = Self.run(Self.feeds([syn] + segments))
            #expect(Self.stream(events) == data)
            #expect(!events.contains { if case .overlapConflict = $0.kind { true } else { false } })
            #expect(events.last?.kind == .closed(reason: .endOfCapture))
        }
    }

    @Test func retransmissionsAreDroppedAndDifferingOverlapsReported() {
        let data = Self.original(300)
        let s = Self.segments(data, isn: 0, size: 100)  // SYN, [0,100), [100,200), [200,300), FIN
        var altered = data
        altered[150] ^= 0xFF
        let feeds = Self.feeds([
            s[0], s[1], s[1],  // exact duplicate of delivered data
            s[3],  // out of order, buffered
            s[3],  // duplicate of buffered data
            Self.segment(1 + 50, Array(data[50..<250])),  // overlaps delivered, hole and buffered: same bytes
            Self.segment(1 + 140, Array(altered[140..<160])),  // differs from delivered byte 150
            Self.segment(1 + 290, Array(altered[290..<300]) + [1, 2, 3]),  // same + new tail
        ])
        let events = Self.run(feeds)
        var expected = data
        expected += [1, 2, 3]
        #expect(Self.stream(events) == expected)
        let conflicts = events.compactMap { event -> UInt64? in
            if case let .overlapConflict(_, offset, count, packet) = event.kind {
                #expect(count == 20 && packet == 7)
                return offset
            }
            return nil
        }
        #expect(conflicts == [140])
        // Differences against buffered (not yet delivered) bytes: the first bytes win.
        let buffered = Self.run(Self.feeds([s[0], s[2], Self.segment(1 + 150, [UInt8](repeating: 0xAA, count: 100)), s[1]]))
        let bufferedExpected: [UInt8] = Array(data[0..<200]) + [UInt8](repeating: 0xAA, count: 50)
        #expect(Self.stream(buffered) == bufferedExpected)
        let bufferedConflict: TCPStreamEvent.Kind = .overlapConflict(.clientToServer, streamOffset: 150, byteCount: 50,
                                                                     packetNumber: 3)
        #expect(buffered.contains { $0.kind == bufferedConflict })
    }

    @Test func droppedSegmentBecomesAGapAtCloseAndAtTheBufferLimit() {
        let data = Self.original(1_000)
        var s = Self.segments(data, isn: 77, size: 100)
        s.remove(at: 4)  // bytes [300, 400)
        let events = Self.run(Self.feeds(s), finish: false)
        let kinds = events.map(\.kind)
        // Still open (one FIN) and within the buffer limit: the hole waits for a retransmission.
        #expect(!kinds.contains { if case .gap = $0 { true } else { false } })
        #expect(Self.stream(events) == Array(data[0..<300]))
        let lastData: TCPStreamEvent.Kind = .data(.clientToServer, Array(data[400...]), streamOffset: 400,
                                                  packetNumbers: [5, 6, 7, 8, 9, 10])
        // Only one FIN: the connection closes at finish, with the gap first.
        let closed = Self.run(Self.feeds(s)).map(\.kind)
        let closedTail: [TCPStreamEvent.Kind] = [.gap(.clientToServer, byteCount: 100, atStreamOffset: 300), lastData,
                                                 .closed(reason: .endOfCapture)]
        #expect(Array(closed.suffix(3)) == closedTail)
        // A 250-byte buffer limit: the gap is reported as soon as the third chunk after the hole arrives.
        let limited = Self.run(Self.feeds(s), limits: .init(maxBufferedBytesPerConnection: 250), finish: false).map(\.kind)
        func chunk(_ i: Int, packet: Int) -> TCPStreamEvent.Kind {
            .data(.clientToServer, Array(data[(i * 100)..<(i * 100 + 100)]), streamOffset: UInt64(i * 100), packetNumbers: [packet])
        }
        var expected: [TCPStreamEvent.Kind] = [.opened]
        for i in 0..<3 { expected.append(chunk(i, packet: i + 2)) }
        expected.append(.gap(.clientToServer, byteCount: 100, atStreamOffset: 300))
        expected.append(.data(.clientToServer, Array(data[400..<700]), streamOffset: 400, packetNumbers: [5, 6, 7]))
        for i in 7..<10 { expected.append(chunk(i, packet: i + 1)) }
        #expect(limited == expected)
        // Late arrival of the lost bytes after the gap: dropped (already skipped), no conflict.
        var late = Self.feeds(s)
        late.append(Feed(segment: Self.segment(78 + 300, Array(data[300..<400])), packet: 99))
        let afterLate = Self.run(late, limits: .init(maxBufferedBytesPerConnection: 250)).map(\.kind)
        #expect(!afterLate.contains { if case .overlapConflict = $0 { true } else { false } })
        // A lost last segment before the FIN: the gap runs up to the FIN.
        var tail = Self.segments(data, isn: 77, size: 100)
        tail.remove(at: 10)
        let tailEvents = Self.run(Self.feeds(tail)).map(\.kind)
        let tailExpected: [TCPStreamEvent.Kind] = [.gap(.clientToServer, byteCount: 100, atStreamOffset: 900),
                                                   .closed(reason: .endOfCapture)]
        #expect(Array(tailEvents.suffix(2)) == tailExpected)
    }

    @Test func sequenceNumbersWrapAroundAt2To32() {
        let data = Self.original(2_000)
        for isn in [UInt32.max - 1_000, UInt32.max, UInt32.max - 1, 0xFFFF_FF00] {
            var s = Self.segments(data, isn: isn, size: 150)
            let syn = s.removeFirst()
            s.reverse()
            let events = Self.run(Self.feeds([syn] + s))
            #expect(Self.stream(events) == data)
            #expect(events.count == 3)  // opened, one data (all buffered until the first arrives), closed
        }
    }

    @Test func midStreamStartWithoutSYNUsesTheFirstSegmentSeen() {
        let data = Self.original(600)
        var s = Self.segments(data, isn: 0xFFFF_FFF0, size: 100)
        s.removeFirst()  // no SYN
        let events = Self.run(Self.feeds(Array(s[2...]) + [s[0], s[1]]))
        #expect(events.first?.kind == .opened)
        // Offset 0 is byte 200 of the original; bytes before it are dropped.
        #expect(Self.stream(events) == Array(data[200...]))
        // Pure ACKs, FINs and RSTs for unknown connections open nothing.
        var reassembler = TCPReassembler()
        for flags: TCPSegmentFlags in [[.ack], [.fin, .ack], [.rst]] {
            #expect(reassembler.process(Self.segment(5, [], flags), source: Self.client, destination: Self.server, packetNumber: 1).isEmpty)
        }
        #expect(reassembler.openConnectionCount == 0)
        // Server data first: the server is then the "client" of the key (first sender seen).
        let fromServer = reassembler.process(TCPSegment(sourcePort: Self.server.port, destinationPort: Self.client.port,
                                                        sequenceNumber: 9, payload: [1, 2, 3]),
                                             source: Self.server, destination: Self.client, packetNumber: 2)
        #expect(fromServer.first?.connection == TCPConnectionKey(client: Self.server, server: Self.client))
        #expect(fromServer.last?.kind == .data(.clientToServer, [1, 2, 3], streamOffset: 0, packetNumbers: [2]))
    }

    @Test func resetClosesWithGapsAndEvictionBoundsConnections() {
        let data = Self.original(300)
        let s = Self.segments(data, isn: 10, size: 100)
        let events = Self.run(Self.feeds([s[0], s[1], s[3], Self.segment(11 + 300, [], [.rst])]), finish: false).map(\.kind)
        let resetTail: [TCPStreamEvent.Kind] = [.gap(.clientToServer, byteCount: 100, atStreamOffset: 100),
                                                .data(.clientToServer, Array(data[200...]), streamOffset: 200, packetNumbers: [3]),
                                                .closed(reason: .reset)]
        #expect(Array(events.suffix(3)) == resetTail)
        var reassembler = TCPReassembler(limits: .init(maxConnections: 3))
        var all: [TCPStreamEvent] = []
        for port in UInt16(1)...5 {
            let client = CaptureEndpoint(address: [10, 0, 0, 9], port: port)
            all += reassembler.process(TCPSegment(sourcePort: port, destinationPort: 80, sequenceNumber: 1, payload: [UInt8(port)]),
                                       source: client, destination: Self.server, packetNumber: Int(port))
            #expect(reassembler.openConnectionCount <= 3)
        }
        let evicted = all.filter { $0.kind == .closed(reason: .evicted) }.map(\.connectionNumber)
        #expect(evicted == [1, 2])
        #expect(reassembler.finish().filter { $0.kind == .closed(reason: .endOfCapture) }.map(\.connectionNumber) == [3, 4, 5])
    }
}
