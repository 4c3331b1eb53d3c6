import CodecSupport
import Testing
@testable import Capture

/// IPv6 fragment reassembly (RFC 8200 §4.5): order, exact duplicates, overlaps (RFC 5722: the
/// datagram is discarded), missing fragments and timeouts, atomic fragments (RFC 6946),
/// fragment-level errors, limits, and random fragmentations checked against the original packet.
@Suite("IPv6Reassembly")
struct IPv6ReassemblyTests {
    static let addresses = SyntheticIP.Addresses(source: .v6(1, port: 5000), destination: .v6(2, port: 1153))

    /// A whole IPv6 UDP packet from the writer's builder.
    static func udpV6(_ payload: [UInt8]) -> [UInt8] {
        SyntheticIP.udp(addresses, payload: payload[...], ipID: 0)
    }

    /// Fragments of `packet` (IPv6, no extension headers) carrying bytes `ranges` of its fragmentable
    /// part: `fragmentableHeaders` (a destination-options header, say, whose Next Header is the
    /// packet's) followed by the packet's payload. `unfragmentable` headers (e.g. hop-by-hop, Next
    /// Header byte rewritten to 44) go before the Fragment header. `last` overrides the M flag.
    static func fragments(_ packet: [UInt8], id: UInt32, _ ranges: [Range<Int>], unfragmentable: [UInt8] = [],
                          unfragmentableType: UInt8 = 0, fragmentableHeaders: [UInt8] = [],
                          fragmentableType: UInt8 = 60, more: Bool? = nil) -> [[UInt8]] {
        let upper = packet[6]
        let data = fragmentableHeaders + Array(packet[40...])
        let firstNext = fragmentableHeaders.isEmpty ? upper : fragmentableType
        return ranges.map { range in
            var header = Array(packet[0..<40])
            var unfrag = unfragmentable
            if !unfrag.isEmpty {
                header[6] = unfragmentableType
                unfrag[0] = 44
            } else {
                header[6] = 44
            }
            let isMore = more ?? (range.upperBound < data.count)
            let field = UInt16(range.lowerBound / 8) << 3 | (isMore ? 1 : 0)
            let fragmentHeader = [firstNext, 0] + SyntheticIP.bigEndian(field) + SyntheticIP.bigEndian(id)
            let body = unfrag + fragmentHeader + Array(data[range.clamped(to: 0..<data.count)])
            header[4...5] = ArraySlice(SyntheticIP.bigEndian(UInt16(body.count)))
            return header + body
        }
    }

    static func time(_ seconds: Int64) -> CaptureTime { CaptureTime(nanosecondsSince1970: seconds * 1_000_000_000) }

    static func feed(_ reassembler: inout IPv6Reassembler, _ frames: [[UInt8]], at seconds: Int64 = 0) throws
        -> IPv6Reassembler.Outcome? {
        var last: IPv6Reassembler.Outcome?
        for frame in frames {
            last = reassembler.add(try IPPacket.decode(frame[...]), at: time(seconds))
        }
        return last
    }

    static func completed(_ outcome: IPv6Reassembler.Outcome?) -> IPv6Reassembler.Datagram? {
        if case .complete(let datagram)? = outcome { return datagram }
        return nil
    }

    static func isPending(_ outcome: IPv6Reassembler.Outcome?) -> Bool {
        if case .pending? = outcome { return true }
        return false
    }

    /// The UDP payload of a reassembled datagram (checksum verified over the IPv6 pseudo-header).
    static func udpPayload(_ datagram: IPv6Reassembler.Datagram) throws -> [UInt8] {
        let packet = datagram.packet
        #expect(packet.protocolNumber == 17 && !packet.isFragment)
        return Array(try UDPDatagram.decode(packet.payload, source: packet.source, destination: packet.destination).payload)
    }

    @Test("Fragments in order, reversed and shuffled reassemble to the datagram; a fragment's payload is its data")
    func inAnyOrder() throws {
        let body = CaptureScenario.bytes(300, seed: 21)
        let packet = Self.udpV6(body)
        let parts = Self.fragments(packet, id: 7, [0..<104, 104..<208, 208..<308])
        // Each fragment decodes on its own: the walk stops at the Fragment header.
        let middle = try IPPacket.decode(parts[1][...])
        #expect(middle.isFragment && middle.protocolNumber == 17 && middle.payload.count == 104 && middle.payloadOffset == 48)
        let first = try IPPacket.decode(parts[0][...])
        #expect(first.isFragment && first.protocolNumber == 17 && first.payload.count == 104)
        var rng = SplitMix64(seed: 6)
        for order in [parts, parts.reversed(), [parts[2], parts[0], parts[1]], parts.shuffled(using: &rng)] {
            var reassembler = IPv6Reassembler()
            #expect(Self.isPending(try Self.feed(&reassembler, Array(order.dropLast()))))
            let datagram = try #require(Self.completed(try Self.feed(&reassembler, [order[2]])))
            #expect(try Self.udpPayload(datagram) == body)
            #expect(datagram.fragmentCount == 3 && datagram.duplicates == 0 && datagram.key.identification == 7)
            guard case .v6(let header) = datagram.packet.header else { Issue.record("not v6"); return }
            #expect(header.payloadLength == 308 && header.fragment?.offset == 0 && header.fragment?.moreFragments == false)
            #expect(reassembler.openCount == 0 && reassembler.bufferedBytes == 0)
        }
        // Unfragmented packets pass straight through as slices.
        var reassembler = IPv6Reassembler()
        let whole = try #require(Self.completed(try Self.feed(&reassembler, [packet])))
        #expect(try Self.udpPayload(whole) == body && whole.fragmentCount == 1)
        // IPv4 is not for this reassembler.
        #expect(reassembler.add(try IPPacket.decode(PacketDecodingTests.udpV4([1])[...]), at: Self.time(0)) == nil)
    }

    @Test("Hop-by-hop before the Fragment header, destination options after it: walked once the datagram is whole")
    func extensionHeaders() throws {
        let body = CaptureScenario.bytes(50, seed: 3)
        let packet = Self.udpV6(body)
        let hop: [UInt8] = [0, 0, 1, 4, 0, 0, 0, 0]
        let destination: [UInt8] = [17, 1] + [UInt8](repeating: 0, count: 14)  // 16 bytes, Next Header UDP
        let parts = Self.fragments(packet, id: 9, [0..<16, 16..<40, 40..<74], unfragmentable: hop,
                                   fragmentableHeaders: destination)
        let first = try IPPacket.decode(parts[0][...])
        #expect(first.protocolNumber == 60 && first.payloadOffset == 56 && first.payload.count == 16)
        var reassembler = IPv6Reassembler()
        let datagram = try #require(Self.completed(try Self.feed(&reassembler, parts.reversed())))
        guard case .v6(let header) = datagram.packet.header else { Issue.record("not v6"); return }
        #expect(header.extensionHeaders == [0, 44, 60] && header.payloadLength == 8 + 74)
        #expect(datagram.packet.payloadOffset == 40 + 8 + 8 + 16)
        #expect(try Self.udpPayload(datagram) == body)
        // A fragmentable part whose headers do not decode once whole.
        let bad: [UInt8] = [17, 9] + [UInt8](repeating: 0, count: 14)  // claims 80 bytes
        let broken = Self.fragments(Self.udpV6([1, 2]), id: 10, [0..<16, 16..<26], fragmentableHeaders: bad)
        guard case .dropped(_, .malformedHeaders)? = try Self.feed(&reassembler, broken) else {
            Issue.record("expected malformedHeaders"); return
        }
        #expect(reassembler.bufferedBytes == 0 && reassembler.openCount == 0)
    }

    @Test("Exact duplicates are dropped and counted; any other overlap discards the datagram and its later fragments")
    func duplicatesAndOverlaps() throws {
        let body = CaptureScenario.bytes(200, seed: 4)
        let packet = Self.udpV6(body)
        let parts = Self.fragments(packet, id: 1, [0..<96, 96..<208])
        var reassembler = IPv6Reassembler()
        #expect(Self.isPending(try Self.feed(&reassembler, [parts[0], parts[0], parts[0]])))
        let datagram = try #require(Self.completed(try Self.feed(&reassembler, [parts[1]])))
        #expect(try Self.udpPayload(datagram) == body && datagram.duplicates == 2 && datagram.fragmentCount == 2)

        // Partial overlap: [0, 96) then [88, 208).
        let overlapping = Self.fragments(packet, id: 2, [0..<96, 88..<208])
        let decodedKey = try IPPacket.decode(overlapping[0][...])
        let realKey = IPv6Reassembler.Key(source: decodedKey.source, destination: decodedKey.destination, identification: 2)
        #expect(try Self.feed(&reassembler, overlapping) == .dropped(realKey, .overlapping))
        #expect(reassembler.openCount == 1 && reassembler.bufferedBytes == 0)
        // The missing piece arriving later does not resurrect it (RFC 5722: not-yet-received fragments too).
        #expect(try Self.feed(&reassembler, Self.fragments(packet, id: 2, [96..<208]), at: 30) == .dropped(realKey, .overlapping))
        #expect(reassembler.drops[.overlapping] == 2)
        // Once its timer runs out the identification is free again.
        #expect(reassembler.expire(at: Self.time(61)).count == 1)
        #expect(Self.completed(try Self.feed(&reassembler, Self.fragments(packet, id: 2, [0..<96, 96..<208]), at: 61)) != nil)

        // Same range, different bytes: an overlap, not a duplicate.
        var altered = Self.fragments(packet, id: 3, [0..<96])[0]
        altered[60] ^= 0xFF
        let same = Self.fragments(packet, id: 3, [0..<96, 96..<208])
        guard case .dropped(_, .overlapping)? = try Self.feed(&reassembler, [same[0], altered]) else {
            Issue.record("expected an overlap"); return
        }
        #expect(Self.completed(try Self.feed(&reassembler, [same[1]])) == nil)
    }

    @Test("A missing fragment never completes; the datagram times out 60 s of capture time after its first fragment")
    func missingAndTimeout() throws {
        let packet = Self.udpV6(CaptureScenario.bytes(200, seed: 5))
        let parts = Self.fragments(packet, id: 4, [0..<64, 64..<128, 128..<208])
        var reassembler = IPv6Reassembler()
        #expect(Self.isPending(try Self.feed(&reassembler, [parts[0]], at: 100)))
        #expect(Self.isPending(try Self.feed(&reassembler, [parts[2]], at: 150)))
        #expect(reassembler.openCount == 1 && reassembler.bufferedBytes == 208)
        #expect(reassembler.expire(at: Self.time(160)).isEmpty)
        #expect(reassembler.expire(at: Self.time(161)).count == 1)
        #expect(reassembler.openCount == 0 && reassembler.bufferedBytes == 0 && reassembler.drops[.timedOut] == 1)
        // The late middle fragment opens a new datagram, which cannot complete alone.
        #expect(Self.isPending(try Self.feed(&reassembler, [parts[1]], at: 162)))
        // Expiry also happens on the next packet offered, whatever it is.
        _ = reassembler.add(try IPPacket.decode(packet[...]), at: Self.time(300))
        #expect(reassembler.openCount == 0 && reassembler.bufferedBytes == 0)
    }

    @Test("An atomic fragment is complete alone and leaves a datagram in progress with its identification alone")
    func atomic() throws {
        let body = CaptureScenario.bytes(40, seed: 8)
        let packet = Self.udpV6(body)
        let parts = Self.fragments(packet, id: 5, [0..<24, 24..<48])
        var reassembler = IPv6Reassembler()
        #expect(Self.isPending(try Self.feed(&reassembler, [parts[0]])))
        let atomic = Self.fragments(packet, id: 5, [0..<48])[0]
        let decoded = try IPPacket.decode(atomic[...])
        #expect(!decoded.isFragment && decoded.protocolNumber == 17)
        let alone = try #require(Self.completed(try Self.feed(&reassembler, [atomic])))
        #expect(try Self.udpPayload(alone) == body && alone.fragmentCount == 1 && alone.key.identification == 5)
        #expect(reassembler.openCount == 1 && reassembler.bufferedBytes == 24)
        let rest = try #require(Self.completed(try Self.feed(&reassembler, [parts[1]])))
        #expect(try Self.udpPayload(rest) == body)
    }

    @Test("Fragment-level errors: length not a multiple of 8, beyond 65 535 octets, empty; inconsistent ends")
    func fragmentErrors() throws {
        let packet = Self.udpV6(CaptureScenario.bytes(100, seed: 9))
        var reassembler = IPv6Reassembler()
        let ragged = Self.fragments(packet, id: 6, [0..<20], more: true)
        guard case .rejected(_, .lengthNotMultipleOf8)? = try Self.feed(&reassembler, ragged) else {
            Issue.record("expected lengthNotMultipleOf8"); return
        }
        let far = Self.fragments(Self.udpV6([UInt8](repeating: 1, count: 300)), id: 6, [0..<16], more: false)
        var beyond = far[0]
        beyond[42...43] = ArraySlice(SyntheticIP.bigEndian(UInt16(8190) << 3))  // offset 65 520 + 16 > 65 535
        guard case .rejected(_, .exceedsMaximumPayload)? = try Self.feed(&reassembler, [beyond]) else {
            Issue.record("expected exceedsMaximumPayload"); return
        }
        let empty = Self.fragments(packet, id: 6, [8..<8], more: true)
        guard case .rejected(_, .emptyFragment)? = try Self.feed(&reassembler, empty) else {
            Issue.record("expected emptyFragment"); return
        }
        #expect(reassembler.openCount == 0)
        // Two last fragments that disagree, and a last fragment before data already received.
        let a = Self.fragments(packet, id: 11, [96..<108])
        let b = Self.fragments(packet, id: 11, [64..<80], more: false)
        #expect(Self.isPending(try Self.feed(&reassembler, a)))
        guard case .dropped(_, .inconsistentLength)? = try Self.feed(&reassembler, b) else {
            Issue.record("expected inconsistentLength"); return
        }
        let c = Self.fragments(packet, id: 12, [96..<104], more: true)
        #expect(Self.isPending(try Self.feed(&reassembler, c)))
        guard case .dropped(_, .inconsistentLength)? = try Self.feed(&reassembler, b.map { frame in
            var copy = frame
            copy[44...47] = [0, 0, 0, 12]
            return copy
        }) else { Issue.record("expected inconsistentLength"); return }
        #expect(reassembler.openCount == 0 && reassembler.bufferedBytes == 0)
    }

    @Test("Open datagrams, bytes per datagram and total bytes stay within the limits")
    func limits() throws {
        var reassembler = IPv6Reassembler(limits: .init(maximumDatagrams: 4, maximumBytesPerDatagram: 1_000,
                                                       maximumBytes: 600, timeoutNanoseconds: 1_000_000_000))
        for id in 0..<10 as Range<UInt32> {
            let packet = Self.udpV6(CaptureScenario.bytes(100, seed: id))
            #expect(Self.isPending(try Self.feed(&reassembler, Self.fragments(packet, id: id, [0..<48]))))
            #expect(reassembler.openCount <= 4 && reassembler.bufferedBytes <= 600)
        }
        #expect(reassembler.openCount == 4 && reassembler.drops[.evicted] == 6)
        // Per datagram: a fragment ending past 1 000 bytes.
        let big = Self.fragments(Self.udpV6(CaptureScenario.bytes(1_200, seed: 1)), id: 99, [1_000..<1_008])
        guard case .dropped(_, .tooLarge)? = try Self.feed(&reassembler, big) else { Issue.record("expected tooLarge"); return }
        // In total: a 500-byte hole evicts older datagrams.
        let wide = Self.fragments(Self.udpV6(CaptureScenario.bytes(800, seed: 2)), id: 100, [400..<504])
        #expect(Self.isPending(try Self.feed(&reassembler, wide)))
        #expect(reassembler.bufferedBytes == 600 && reassembler.openCount == 3 && reassembler.drops[.evicted] == 8)
        _ = reassembler.expire(at: Self.time(5))
        #expect(reassembler.openCount == 0 && reassembler.bufferedBytes == 0)
    }

    @Test("IPReassembler hands out whole IPv4 and IPv6 packets")
    func combined() throws {
        var reassembler = IPReassembler()
        let v4 = PacketDecodingTests.udpV4(CaptureScenario.bytes(100, seed: 1), id: 77)
        let v4Parts = PacketDecodingTests.fragments(v4, [0..<56, 56..<108])
        let v6Body = CaptureScenario.bytes(100, seed: 2)
        let v6Parts = Self.fragments(Self.udpV6(v6Body), id: 77, [0..<56, 56..<108])
        var whole: [IPPacket] = []
        for frame in [v4Parts[1], v6Parts[1], v6Parts[0], v4Parts[0]] {
            switch reassembler.add(try IPPacket.decode(frame[...]), at: Self.time(0)) {
            case .complete(let packet, let count):
                #expect(count == 2)
                whole.append(packet)
            case .pending: break
            default: Issue.record("unexpected drop")
            }
        }
        #expect(whole.count == 2 && reassembler.bufferedBytes == 0)
        let udp = try whole.map { try UDPDatagram.decode($0.payload, source: $0.source, destination: $0.destination) }
        #expect(Array(udp[0].payload) == v6Body && Array(udp[1].payload) == CaptureScenario.bytes(100, seed: 1))
    }

    @Test("Random fragmentations with exact duplicates, in random order, reassemble exactly once to the original; overlaps never yield wrong bytes")
    func randomFragmentations() throws {
        var rng = SplitMix64(seed: 0x6F4A)
        var reassembler = IPv6Reassembler()
        var overlapRounds = 0
        for round in 0..<400 {
            let size = rng.int(1...1_500)
            let body = CaptureScenario.bytes(size, seed: UInt32(round))
            let packet = Self.udpV6(body)
            let data = size + 8
            // Disjoint pieces on 8-byte boundaries covering the datagram, some sent twice.
            var ranges: [Range<Int>] = []
            var start = 0
            while start < data {
                let end = min(data, start + 8 * rng.int(1...20))
                ranges.append(start..<end)
                if rng.chance(20), end - start < data { ranges.append(start..<end) }
                start = end
            }
            let overlap = rng.chance(15) && data > 16
            if overlap {
                overlapRounds += 1
                let from = 8 * rng.int(0...((data - 9) / 8))
                ranges.append(from..<min(data, from + 8 * rng.int(1...4) + 8))
                // Make sure it is not an exact copy of a piece.
                if ranges.dropLast().contains(ranges[ranges.count - 1]) { ranges[ranges.count - 1] = from..<min(data, from + 4) }
            }
            let parts = Self.fragments(packet, id: UInt32(round), ranges).shuffled(using: &rng)
            var completions = 0
            var sawOverlap = false
            for part in parts {
                let outcome = reassembler.add(try IPPacket.decode(part[...]), at: Self.time(Int64(round)))
                if let datagram = Self.completed(outcome) {
                    completions += 1
                    #expect(try Self.udpPayload(datagram) == body, "round \(round)")
                }
                if case .dropped(_, .overlapping)? = outcome { sawOverlap = true }
                if case .rejected? = outcome, !overlap { Issue.record("round \(round): rejected \(String(describing: outcome))") }
            }
            // Duplicates arriving after completion open a new datagram; only when every piece came twice can it complete again.
            if !overlap { #expect(completions >= 1 && (completions == 1 || Set(ranges).count < ranges.count), "round \(round): \(ranges)") }
            if sawOverlap { #expect(completions <= 1) }
            _ = reassembler.expire(at: Self.time(Int64(round) + 100))
            #expect(reassembler.bufferedBytes == 0 && reassembler.openCount == 0)
        }
        #expect(overlapRounds > 20)
    }
}
