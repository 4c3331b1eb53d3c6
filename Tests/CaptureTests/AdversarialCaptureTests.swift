import CodecSupport
import Foundation
import Testing
@testable import Capture

/// Captures built to hurt: impossible lengths at every level, cut headers, floods of fragments,
/// connections and overlapping segments. Each must give an error or a bounded result — never a
/// trap, a hang or memory that grows with the input — and the reassemblers' own accounting must
/// stay within their limits at every step.
@Suite("AdversarialCaptures")
struct AdversarialCaptureTests {
    // MARK: File builders

    static func le16(_ value: UInt16) -> [UInt8] { [UInt8(truncatingIfNeeded: value), UInt8(value >> 8)] }
    static func le32(_ value: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * UInt32($0))) } }

    /// A classic little-endian microsecond pcap header for `linkType`.
    static func pcapHeader(linkType: UInt32 = 101, snapLength: UInt32 = 65_535) -> [UInt8] {
        [0xD4, 0xC3, 0xB2, 0xA1] + le16(2) + le16(4) + le32(0) + le32(0) + le32(snapLength) + le32(linkType)
    }

    /// One classic pcap record; `captured` overrides the length field.
    static func pcapRecord(_ data: [UInt8], seconds: UInt32 = 1_700_000_000, microseconds: UInt32 = 0,
                           captured: UInt32? = nil) -> [UInt8] {
        le32(seconds) + le32(microseconds) + le32(captured ?? UInt32(data.count)) + le32(UInt32(data.count)) + data
    }

    /// A pcapng block of `type` around `body` (padded), or with `length` forced into both length fields.
    static func block(_ type: UInt32, _ body: [UInt8], length: UInt32? = nil) -> [UInt8] {
        let padded = body + [UInt8](repeating: 0, count: (4 - body.count % 4) % 4)
        let total = length ?? UInt32(12 + padded.count)
        return le32(type) + le32(total) + padded + le32(total)
    }

    static let sectionHeader = block(0x0A0D_0D0A, [0x4D, 0x3C, 0x2B, 0x1A] + le16(1) + le16(0) + [UInt8](repeating: 0xFF, count: 8))
    static let rawInterface = block(1, le16(101) + le16(0) + le32(0))

    /// An Enhanced Packet Block on interface 0; `captured` overrides the captured length field.
    static func enhancedPacket(_ data: [UInt8], captured: UInt32? = nil) -> [UInt8] {
        block(6, le32(0) + le32(0) + le32(0) + le32(captured ?? UInt32(data.count)) + le32(UInt32(data.count)) + data)
    }

    static func write(_ bytes: [UInt8], _ name: String, in folder: ScratchFolder) throws -> String {
        try CaptureReaderTests.write(bytes, folder, name)
    }

    static let client = CaptureEndpoint(address: [10, 0, 0, 1], port: 40_000)
    static let server = CaptureEndpoint(address: [10, 0, 0, 2], port: 4_059)

    /// A valid IPv4 TCP packet from `from` to `to`.
    static func tcpPacket(_ payload: [UInt8], from: CaptureEndpoint = client, to: CaptureEndpoint = server,
                          sequence: UInt32, syn: Bool = false) -> [UInt8] {
        SyntheticIP.tcp(.init(source: from, destination: to), sequence: sequence, acknowledgement: syn ? nil : 1,
                        flags: syn ? [.syn] : [.psh], payload: payload[...], ipID: 1)
    }

    // MARK: Container

    @Test("Huge caplen in a pcap record: an error naming the limit, nothing allocated for it")
    func hugeCaplen() throws {
        let folder = try ScratchFolder()
        let good = Self.pcapRecord(Self.tcpPacket([1, 2, 3], sequence: 1))
        for captured: UInt32 in [0xFFFF_FFFF, 0x8000_0000, CaptureReader.maximumBlockLength + 1] {
            let file = try Self.write(Self.pcapHeader() + good + Self.pcapRecord([1, 2, 3, 4], captured: captured), "huge.pcap", in: folder)
            let (packets, error) = CaptureReader.readAll(path: file)
            #expect(packets.count == 1)
            #expect(error?.kind == .badBlockLength(captured, .tooLarge(limit: CaptureReader.maximumBlockLength)))
            #expect(error?.offset == 24 + UInt64(good.count))
        }
        // Within the limit but beyond the file: truncated, after reading only what is there.
        let file = try Self.write(Self.pcapHeader() + Self.pcapRecord([1, 2, 3, 4], captured: 16_000_000), "cut.pcap", in: folder)
        let (_, error) = CaptureReader.readAll(path: file)
        #expect(error?.kind == .truncated(needed: 16_000_016, available: 20))
        // A huge snaplen in the header is only a number.
        let snap = try Self.write(Self.pcapHeader(snapLength: .max) + good, "snap.pcap", in: folder)
        #expect(CaptureReader.readAll(path: snap).packets.count == 1)
    }

    @Test("pcapng block lengths: zero, below 12, not a multiple of 4, past the limit, past the file; captured length past the block")
    func blockLengths() throws {
        let folder = try ScratchFolder()
        let head = Self.sectionHeader + Self.rawInterface
        let packet = Self.enhancedPacket(Self.tcpPacket([9], sequence: 1))
        let at = UInt64(head.count + packet.count)
        let cases: [([UInt8], CaptureReadError.Kind)] = [
            (Self.le32(6) + Self.le32(0) + Self.le32(0), .badBlockLength(0, .shorterThan12)),
            (Self.le32(6) + Self.le32(8) + Self.le32(8), .badBlockLength(8, .shorterThan12)),
            (Self.le32(6) + Self.le32(13) + [UInt8](repeating: 0, count: 16), .badBlockLength(13, .notMultipleOf4)),
            (Self.le32(6) + Self.le32(0xFFFF_FFFC) + [UInt8](repeating: 0, count: 64),
             .badBlockLength(0xFFFF_FFFC, .tooLarge(limit: CaptureReader.maximumBlockLength))),
            (Self.le32(6) + Self.le32(16) + Self.le32(0) + Self.le32(16), .badBlockLength(16, .shorterThanFields(minimum: 32))),
            (Self.enhancedPacket([1, 2, 3, 4], captured: 0xFFFF_FFF0), .malformedBlock("captured length 4294967280 exceeds the block body")),
            (Self.block(6, [UInt8](repeating: 0, count: 24), length: 36).dropLast(4) + Self.le32(40), .badBlockLength(36, .trailingMismatch(trailing: 40))),
        ]
        for (index, (bad, kind)) in cases.enumerated() {
            let file = try Self.write(head + packet + bad + packet, "bad\(index).pcapng", in: folder)
            let (packets, error) = CaptureReader.readAll(path: file)
            #expect(packets.count == 1, "case \(index)")
            #expect(error?.kind == kind && error?.offset == at, "case \(index): \(String(describing: error))")
        }
        // An unknown block claiming 4 GiB is skipped chunk by chunk and ends as truncated.
        let unknown = Self.le32(0x0BAD) + Self.le32(0xFFFF_FFF0) + [UInt8](repeating: 0, count: 100)
        let file = try Self.write(head + packet + unknown, "unknown.pcapng", in: folder)
        let (packets, error) = CaptureReader.readAll(path: file, chunkSize: 16)
        #expect(packets.count == 1)
        #expect(error?.kind == .truncated(needed: 0xFFFF_FFF0, available: UInt64(unknown.count)))
    }

    @Test("A flood of interface blocks stops at the per-section limit instead of growing without end")
    func interfaceFlood() throws {
        let folder = try ScratchFolder()
        let count = CaptureReader.maximumInterfaces + 10
        var bytes = Self.sectionHeader
        bytes.reserveCapacity(bytes.count + count * Self.rawInterface.count)
        for _ in 0..<count { bytes += Self.rawInterface }
        let file = try Self.write(bytes, "interfaces.pcapng", in: folder)
        let (packets, error) = CaptureReader.readAll(path: file)
        #expect(packets.isEmpty)
        #expect(error?.kind == .malformedBlock("more than 65536 interfaces in one section"))
        #expect(error?.offset == UInt64(Self.sectionHeader.count + CaptureReader.maximumInterfaces * Self.rawInterface.count))
    }

    @Test("Cut and bogus headers inside packets: counted as decode errors, the rest still read")
    func bogusHeaders() throws {
        let folder = try ScratchFolder()
        let good = Self.tcpPacket([1, 2, 3], sequence: 100, syn: false)
        var records: [[UInt8]] = []
        // Cut IPv4 headers at every length below 20, and cut TCP headers.
        for cut in 0..<20 { records.append(Array(good.prefix(cut))) }
        for cut in 20..<40 {
            var packet = Array(good.prefix(cut))
            if cut >= 4 { packet[2...3] = ArraySlice(SyntheticIP.bigEndian(UInt16(cut))) }
            packet[10] = 0
            packet[11] = 0
            let checksum = SyntheticIP.internetChecksum(packet[0..<20])
            packet[10...11] = ArraySlice(SyntheticIP.bigEndian(checksum))
            records.append(packet)
        }
        // TCP data offsets 0…4 and beyond the segment.
        for words: UInt8 in [0, 1, 4, 6, 15] {
            var packet = good
            packet[32] = words << 4 | (packet[32] & 0x0F)
            records.append(packet)
        }
        // IPv4 total length below the header and above the packet; IHL below 5; IPv6 payload length past the end.
        var short = good
        short[2...3] = [0, 10]
        var long = good
        long[2...3] = [0xFF, 0xFF]
        var ihl = good
        ihl[0] = 0x44
        var v6 = SyntheticIP.tcp(.init(source: .v6(1, port: 1), destination: .v6(2, port: 4059)), sequence: 1,
                                 acknowledgement: 1, flags: [.psh], payload: [1][...], ipID: 0)
        v6[4...5] = [0xFF, 0xF0]
        records += [short, long, ihl, v6, good]
        let file = try Self.write(Self.pcapHeader() + records.flatMap { Self.pcapRecord($0) }, "bogus.pcap", in: folder)
        let digest = CaptureDigest.read(file, verifyChecksums: false)
        #expect(digest.readError == nil && digest.packets == records.count)
        #expect(digest.tcpSegments == 1 + 0 && digest.connections.count == 1)
        #expect(digest.ipErrors + digest.tcpErrors + digest.linkErrors == records.count - 1)
        #expect(digest.connections.first?.streams[0] == [1, 2, 3])
    }

    @Test("2 000 mutated captures never trap; every error names an offset inside the file")
    func mutatedFiles() async throws {
        let folder = try ScratchFolder()
        var rng = SplitMix64(seed: 0xAD7E_25A1)
        let seedPcapng = Self.sectionHeader + Self.rawInterface
            + (0..<6).flatMap { Self.enhancedPacket(Self.tcpPacket(CaptureScenario.bytes(20, seed: UInt32($0)), sequence: UInt32(100 + 20 * $0))) }
        let seedPcap = Self.pcapHeader() + (0..<6).flatMap { Self.pcapRecord(Self.tcpPacket([UInt8($0)], sequence: UInt32(7 + $0))) }
        let file = folder.file("mutant")
        for iteration in 0..<2_000 {
            if iteration % 100 == 0 { await Task.yield() }
            var bytes = rng.chance(50) ? seedPcapng : seedPcap
            for _ in 0..<rng.int(1...6) {
                switch rng.int(0...3) {
                case 0: bytes[rng.int(0...(bytes.count - 1))] = rng.byte()
                case 1: bytes = Array(bytes.prefix(rng.int(0...bytes.count)))
                case 2:  // a length field set to something extreme
                    let at = rng.int(0...max(0, bytes.count - 4))
                    let value: UInt32 = rng.pick([0, 1, 3, 12, 13, 0x7FFF_FFFF, 0xFFFF_FFFF, 0xFFFF_FFFC, UInt32(rng.int(0...200))])
                    for (offset, byte) in Self.le32(value).enumerated() where at + offset < bytes.count { bytes[at + offset] = byte }
                default: bytes.insert(rng.byte(), at: rng.int(0...bytes.count))
                }
                if bytes.isEmpty { break }
            }
            try Data(bytes).write(to: URL(fileURLWithPath: file))
            let digest = CaptureDigest.read(file)
            if let error = digest.readError { #expect(error.offset <= UInt64(bytes.count)) }
            #expect(digest.packets <= 6 + bytes.count / 16)
        }
    }

    // MARK: Reassemblers

    @Test("Endless overlapping and conflicting segments: buffered bytes stay under the limit, conflicts are reported")
    func endlessOverlaps() throws {
        let limit = 64 << 10
        var reassembler = TCPReassembler(limits: .init(maxBufferedBytesPerConnection: limit, maxConnections: 8,
                                                       retainedBytesPerDirection: 4 << 10))
        var rng = SplitMix64(seed: 0x0E1A)
        let isn: UInt32 = 1_000
        _ = reassembler.process(TCPSegment(sourcePort: 40_000, destinationPort: 4_059, sequenceNumber: isn, flags: [.syn]),
                                source: Self.client, destination: Self.server, packetNumber: 0)
        var conflicts = 0
        var gaps = 0
        var peak = 0
        for number in 1...100_000 {
            // A window of segments hovering just ahead of a hole that never fills, each overlapping
            // the last and carrying different bytes; now and then one that overlaps delivered data.
            let start = 1 + (number % 3 == 0 ? rng.int(0...200) : 1_000 + rng.int(0...100_000))
            let payload = [UInt8](repeating: UInt8(truncatingIfNeeded: number), count: rng.int(1...1_400))
            let segment = TCPSegment(sourcePort: 40_000, destinationPort: 4_059, sequenceNumber: isn &+ UInt32(start),
                                     flags: [.ack], payload: payload[...])
            for event in reassembler.process(segment, source: Self.client, destination: Self.server, packetNumber: number) {
                switch event.kind {
                case .overlapConflict: conflicts += 1
                case .gap: gaps += 1
                default: break
                }
            }
            peak = max(peak, reassembler.bufferedByteCount)
            #expect(reassembler.bufferedByteCount <= limit)
            #expect(reassembler.openConnectionCount == 1)
        }
        #expect(peak > limit / 2 && conflicts > 1_000 && gaps > 0, "peak \(peak), conflicts \(conflicts), gaps \(gaps)")
        _ = reassembler.finish()
        #expect(reassembler.bufferedByteCount == 0 && reassembler.openConnectionCount == 0)
    }

    @Test("100 000 1-byte segments around holes: bounded by the segment limit, in linear time",
          .timeLimit(.minutes(1)))
    func tinySegments() throws {
        let limits = TCPReassembler.Limits(maxBufferedBytesPerConnection: 1 << 20, maxConnections: 4)
        var reassembler = TCPReassembler(limits: limits)
        let isn: UInt32 = 77
        _ = reassembler.process(TCPSegment(sourcePort: 40_000, destinationPort: 4_059, sequenceNumber: isn, flags: [.syn]),
                                source: Self.client, destination: Self.server, packetNumber: 0)
        var gaps = 0
        var delivered = 0
        var rng = SplitMix64(seed: 3)
        // Every other byte: no two segments touch, so each is its own buffered piece; half arrive
        // in order, half land in the middle of what is buffered.
        for number in 1...100_000 {
            let offset = number % 2 == 0 ? 2 * number : 2 * rng.int(max(1, number - 5_000)...number)
            let segment = TCPSegment(sourcePort: 40_000, destinationPort: 4_059, sequenceNumber: isn &+ 1 &+ UInt32(offset),
                                     flags: [.ack], payload: [UInt8(truncatingIfNeeded: offset)][...])
            for event in reassembler.process(segment, source: Self.client, destination: Self.server, packetNumber: number) {
                switch event.kind {
                case .gap: gaps += 1
                case .data(_, let bytes, _, _): delivered += bytes.count
                default: break
                }
            }
            if number % 16 == 0 {
                #expect(reassembler.bufferedSegmentCount <= limits.maxBufferedSegmentsPerConnection)
                #expect(reassembler.bufferedByteCount <= limits.maxBufferedBytesPerConnection)
            }
        }
        #expect(gaps > 1_000 && delivered > 30_000, "gaps \(gaps), delivered \(delivered)")
        #expect(reassembler.bufferedSegmentCount == limits.maxBufferedSegmentsPerConnection)
    }

    @Test("A million tiny flows: open connections stay at the limit and eviction is cheap", .timeLimit(.minutes(2)))
    func millionFlows() throws {
        let limits = TCPReassembler.Limits(maxConnections: 4_096)
        var reassembler = TCPReassembler(limits: limits)
        var opened = 0
        var evicted = 0
        for number in 0..<1_000_000 {
            let source = CaptureEndpoint(address: [10, UInt8(truncatingIfNeeded: number >> 16), UInt8(truncatingIfNeeded: number >> 8),
                                                   UInt8(truncatingIfNeeded: number)], port: UInt16(truncatingIfNeeded: 1_024 + number))
            let segment = TCPSegment(sourcePort: source.port, destinationPort: 4_059, sequenceNumber: UInt32(number), flags: [.ack],
                                     payload: [0x00, 0x01][...])
            for event in reassembler.process(segment, source: source, destination: Self.server, packetNumber: number) {
                switch event.kind {
                case .opened: opened += 1
                case .closed(.evicted): evicted += 1
                default: break
                }
            }
            if number % 1_000 == 0 { #expect(reassembler.openConnectionCount <= limits.maxConnections) }
        }
        #expect(opened == 1_000_000 && evicted == 1_000_000 - 4_096 && reassembler.openConnectionCount == 4_096)
        // Traffic on an old connection keeps it; the least recently active goes first.
        let events = reassembler.finish()
        #expect(events.filter { if case .closed(.endOfCapture) = $0.kind { true } else { false } }.count == 4_096)
    }

    @Test("A flood of IPv4 and IPv6 fragments: open datagrams and buffered bytes never pass the limits")
    func fragmentFlood() throws {
        var rng = SplitMix64(seed: 0xF1A0)
        let limits4 = IPv4Reassembler.Limits(maximumDatagrams: 32, maximumBytes: 256 << 10, timeoutNanoseconds: 30_000_000_000)
        let limits6 = IPv6Reassembler.Limits(maximumDatagrams: 32, maximumBytesPerDatagram: 65_535, maximumBytes: 256 << 10)
        var reassembler = IPReassembler(v4: limits4, v6: limits6)
        let v4 = PacketDecodingTests.udpV4(CaptureScenario.bytes(1_400, seed: 1))
        let v6 = IPv6ReassemblyTests.udpV6(CaptureScenario.bytes(1_400, seed: 2))
        var completed = 0
        for number in 0..<100_000 {
            // Far offsets (large holes to allocate), tiny pieces, random identifications.
            let start = 8 * rng.int(0...8_000)
            let frame: [UInt8]
            if number % 2 == 0 {
                var piece = PacketDecodingTests.fragments(v4, [min(start, 1_400)..<min(start, 1_400) + 8])[0]
                piece[4...5] = ArraySlice(SyntheticIP.bigEndian(UInt16(truncatingIfNeeded: rng.next())))
                piece[6...7] = ArraySlice(SyntheticIP.bigEndian(UInt16(0x2000 | start / 8)))
                piece[10...11] = [0, 0]
                piece[10...11] = ArraySlice(SyntheticIP.bigEndian(SyntheticIP.internetChecksum(piece[0..<20])))
                frame = piece
            } else {
                var piece = IPv6ReassemblyTests.fragments(v6, id: UInt32(truncatingIfNeeded: rng.next() % 500), [0..<8])[0]
                piece[42...43] = ArraySlice(SyntheticIP.bigEndian(UInt16(start / 8) << 3 | 1))
                frame = piece
            }
            let packet = try IPPacket.decode(frame[...])
            if case .complete = reassembler.add(packet, at: CaptureTime(nanosecondsSince1970: Int64(number) * 1_000)) {
                completed += 1
            }
            #expect(reassembler.v4.openCount <= 32 && reassembler.v4.bufferedBytes <= 256 << 10)
            #expect(reassembler.v6.openCount <= 32 && reassembler.v6.bufferedBytes <= 256 << 10)
        }
        #expect(completed == 0)
        #expect((reassembler.v4.drops[.evicted] ?? 0) > 1_000 && (reassembler.v6.drops[.evicted] ?? 0) > 100)
    }

    @Test("A capture file of fragment and connection floods reads with bounded reassembly state")
    func floodFile() throws {
        let folder = try ScratchFolder()
        var bytes = Self.pcapHeader()
        var rng = SplitMix64(seed: 0x5EA)
        let v4 = PacketDecodingTests.udpV4(CaptureScenario.bytes(1_000, seed: 3))
        for number in 0..<20_000 {
            if number % 2 == 0 {
                let start = 8 * rng.int(0...120)
                var piece = PacketDecodingTests.fragments(v4, [start..<(start + 8)])[0]
                piece[4...5] = ArraySlice(SyntheticIP.bigEndian(UInt16(number / 2)))
                piece[10...11] = [0, 0]
                piece[10...11] = ArraySlice(SyntheticIP.bigEndian(SyntheticIP.internetChecksum(piece[0..<20])))
                bytes += Self.pcapRecord(piece, microseconds: UInt32(number))
            } else {
                let source = CaptureEndpoint(address: [10, 1, UInt8(truncatingIfNeeded: number >> 8), UInt8(truncatingIfNeeded: number)],
                                             port: UInt16(truncatingIfNeeded: number))
                bytes += Self.pcapRecord(Self.tcpPacket([1, 2, 3], from: source, sequence: UInt32(number) &* 7_919 &+ 5_000),
                                         microseconds: UInt32(number))
            }
        }
        let file = try Self.write(bytes, "flood.pcap", in: folder)
        let ip = IPReassembler(v4: .init(maximumDatagrams: 16, maximumBytes: 64 << 10), v6: .init())
        let digest = CaptureDigest.read(file, tcpLimits: .init(maxBufferedBytesPerConnection: 4 << 10, maxConnections: 256),
                                        ip: ip, sampleMemory: true)
        #expect(digest.readError == nil && digest.packets == 20_000)
        #expect(digest.peakIPBuffered <= 64 << 10 && digest.peakTCPConnections <= 256 && digest.peakTCPBuffered <= 256 * (4 << 10))
        #expect(digest.connections.count == 10_000 && digest.connections.allSatisfy { $0.streams[0] == [1, 2, 3] })
    }
}
