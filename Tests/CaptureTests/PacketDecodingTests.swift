import CodecSupport
import Foundation
import Testing
@testable import Capture

/// Link-layer, IPv4/IPv6 and UDP decoding and IPv4 reassembly: packets from ``PcapngWriter`` read
/// back through ``CaptureReader``, hand-built frames of every link type, fragments, and a fuzz.
@Suite("PacketDecoding")
struct PacketDecodingTests {
    // MARK: Helpers

    /// A complete IPv4 UDP packet from the writer's own builder.
    static func udpV4(_ payload: [UInt8], id: UInt16 = 0x1234) -> [UInt8] {
        let addresses = SyntheticIP.Addresses(source: .v4(192, 0, 2, 1, port: 5000), destination: .v4(192, 0, 2, 2, port: 4059))
        return SyntheticIP.udp(addresses, payload: payload[...], ipID: id)
    }

    /// IPv4 fragments of `packet` carrying payload bytes `ranges` (offsets multiple of 8), header checksum fixed.
    static func fragments(_ packet: [UInt8], _ ranges: [Range<Int>]) -> [[UInt8]] {
        let headerLength = Int(packet[0] & 0x0F) * 4
        let data = Array(packet[headerLength...])
        return ranges.map { range in
            var header = Array(packet[0..<headerLength])
            let more = range.upperBound < data.count
            let field = UInt16(range.lowerBound / 8) | (more ? 0x2000 : 0)
            header[2...3] = ArraySlice(SyntheticIP.bigEndian(UInt16(headerLength + range.count)))
            header[6...7] = ArraySlice(SyntheticIP.bigEndian(field))
            header[10] = 0
            header[11] = 0
            let checksum = SyntheticIP.internetChecksum(header[...])
            header[10...11] = ArraySlice(SyntheticIP.bigEndian(checksum))
            return header + data[range]
        }
    }

    /// An IPv6 header with "no next header" and nothing after it.
    static let emptyV6: [UInt8] = [0x60, 0, 0, 0, 0, 0, 59, 64] + [UInt8](repeating: 0, count: 32)

    static func time(_ seconds: Int64) -> CaptureTime { CaptureTime(nanosecondsSince1970: seconds * 1_000_000_000) }

    /// Feeds fragments (decoded) to `reassembler`; returns the last outcome.
    static func feed(_ reassembler: inout IPv4Reassembler, _ frames: [[UInt8]], at seconds: Int64 = 0) throws
        -> IPv4Reassembler.Outcome? {
        var last: IPv4Reassembler.Outcome?
        for frame in frames {
            last = reassembler.add(try IPPacket.decode(frame[...]), at: time(seconds))
        }
        return last
    }

    static func completed(_ outcome: IPv4Reassembler.Outcome?) -> IPv4Reassembler.Datagram? {
        if case .complete(let datagram)? = outcome { return datagram }
        return nil
    }

    // MARK: Writer round trips

    @Test("UDP over IPv4 and IPv6 written by PcapngWriter decodes to ports, addresses and payloads")
    func writerUDP() throws {
        var scenario = CaptureScenario()
        let harness4 = CaptureEndpoint.v4(198, 51, 100, 1, port: 40000), device4 = CaptureEndpoint.v4(198, 51, 100, 2, port: 4059)
        let harness6 = CaptureEndpoint.v6(1, port: 40001), device6 = CaptureEndpoint.v6(2, port: 4059)
        let v4 = scenario.begin(.udp(harness: harness4, device: device4))
        scenario.send(CaptureScenario.bytes(40, seed: 6), on: v4)
        scenario.receive(CaptureScenario.bytes(41, seed: 7), on: v4)
        let v6 = scenario.begin(.udp(harness: harness6, device: device6))
        scenario.send(CaptureScenario.bytes(3, seed: 8), on: v6)
        scenario.receive(CaptureScenario.bytes(1000, seed: 9), on: v6)
        scenario.send([], on: v6)
        let folder = try ScratchFolder()
        let file = try CaptureReaderTests.write(scenario.writer.takeBytesCopy(), folder, "udp.pcapng")
        let (packets, error) = CaptureReader.readAll(path: file)
        #expect(error == nil)
        #expect(packets.count == scenario.written.count)
        for (packet, entry) in zip(packets, scenario.written) {
            let frame = try LinkLayer.decode(packet)
            let ip = try IPPacket.decode(frame.payload)
            #expect(ip.protocolNumber == UDPDatagram.protocolNumber)
            let udp = try UDPDatagram.decode(ip.payload, source: ip.source, destination: ip.destination)
            let isV6 = entry.session == v6
            let (harness, device) = isV6 ? (harness6, device6) : (harness4, device4)
            let (from, to) = entry.packet.direction == .toDevice ? (harness, device) : (device, harness)
            #expect(frame.network == (isV6 ? .ipv6 : .ipv4))
            #expect(ip.source.bytes == from.address && ip.destination.bytes == to.address)
            #expect(udp.sourcePort == from.port && udp.destinationPort == to.port)
            #expect(Array(udp.payload) == entry.packet.bytes)
            #expect(udp.hasChecksum)
        }
    }

    @Test("TCP sessions written by PcapngWriter decode to addresses, ports and protocol 6")
    func writerTCP() throws {
        var scenario = CaptureScenario()
        let harness = CaptureEndpoint.v4(192, 0, 2, 1, port: 49152), device = CaptureEndpoint.v4(192, 0, 2, 100, port: 10001)
        let session = scenario.begin(.tcp(harness: harness, device: device))
        scenario.send([1, 2, 3], on: session)
        scenario.receive(CaptureScenario.bytes(200, seed: 3), on: session)
        scenario.end(session)
        let six = scenario.begin(.tcp(harness: .v6(1, port: 50000), device: .v6(2, port: 4059)))
        scenario.send([9], on: six)
        scenario.end(six)
        let folder = try ScratchFolder()
        let file = try CaptureReaderTests.write(scenario.writer.takeBytesCopy(), folder, "tcp.pcapng")
        let (packets, error) = CaptureReader.readAll(path: file)
        #expect(error == nil)
        #expect(packets.count > 6)
        var payload: [UInt8] = []
        for packet in packets {
            let ip = try IPPacket.decode(try LinkLayer.decode(packet).payload)
            #expect(ip.protocolNumber == 6)
            let ports = [ip.payload.pdU16(0), ip.payload.pdU16(2)]
            #expect(ports == [harness.port, device.port] || ports == [device.port, harness.port]
                    || ports == [50000, 4059] || ports == [4059, 50000])
            if ip.source == .v4(0xC000_0264), let offsetByte = ip.payload.pdByte(12) {
                payload += ip.payload.dropFirst(Int(offsetByte >> 4) * 4)
            }
        }
        #expect(payload == CaptureScenario.bytes(200, seed: 3))
    }

    // MARK: Link layers

    @Test("Ethernet with 802.1Q and QinQ tags, padding trimmed by IPv4")
    func ethernet() throws {
        let ip = Self.udpV4([0xAA, 0xBB])
        let macs = [UInt8](repeating: 0x02, count: 12)
        let plain = try LinkLayer.decode(linkType: LinkLayer.ethernet, (macs + [0x08, 0x00] + ip + [0, 0, 0, 0])[...])
        #expect(plain.network == .ipv4 && plain.vlanTags.isEmpty && plain.payloadOffset == 14)
        let decoded = try IPPacket.decode(plain.payload)
        #expect(Array(try UDPDatagram.decode(decoded.payload, source: decoded.source, destination: decoded.destination).payload) == [0xAA, 0xBB])

        let qinq = macs + [0x88, 0xA8, 0x20, 0x64, 0x81, 0x00, 0xF0, 0x05, 0x86, 0xDD] + Self.emptyV6
        let frame = try LinkLayer.decode(linkType: LinkLayer.ethernet, qinq[...])
        #expect(frame.network == .ipv6 && frame.payloadOffset == 22)
        #expect(frame.vlanTags == [VLANTag(tpid: 0x88A8, priority: 1, dropEligible: false, id: 100),
                                   VLANTag(tpid: 0x8100, priority: 7, dropEligible: true, id: 5)])
        let v6 = try IPPacket.decode(frame.payload)
        #expect(v6.payload.isEmpty && v6.protocolNumber == 59)

        let arp = try LinkLayer.decode(linkType: 1, (macs + [0x08, 0x06, 1, 2])[...])
        #expect(arp.network == .other(etherType: 0x0806) && Array(arp.payload) == [1, 2])
        #expect(throws: PacketDecodeError.self) { try LinkLayer.decode(linkType: 1, (macs + [0x81, 0x00, 0])[...]) }
        let deep = macs + Array([[UInt8]](repeating: [0x81, 0x00, 0, 1], count: 9).joined()) + [0x81, 0x00, 0, 1, 0x08, 0x00]
        #expect(throws: PacketDecodeError(layer: .link, offset: 12 + 2 + 8 * 4,  kind: .tooManyVLANTags)) {
            try LinkLayer.decode(linkType: 1, deep[...])
        }
    }

    @Test("Linux cooked SLL and SLL2")
    func cooked() throws {
        let ip = Self.udpV4([7])
        let sll: [UInt8] = [0, 4, 0, 1, 0, 6, 1, 2, 3, 4, 5, 6, 0, 0, 0x08, 0x00] + ip
        let one = try LinkLayer.decode(linkType: LinkLayer.linuxSLL, sll[...])
        #expect(one.network == .ipv4 && one.packetType == 4 && one.payloadOffset == 16)
        #expect(Array(try IPPacket.decode(one.payload).payload.suffix(1)) == [7])

        let sll2: [UInt8] = [0x86, 0xDD, 0, 0, 0, 0, 0, 3, 0, 1, 0, 6, 1, 2, 3, 4, 5, 6, 0, 0] + [0x60] + [UInt8](repeating: 0, count: 39)
        let two = try LinkLayer.decode(linkType: LinkLayer.linuxSLL2, sll2[...])
        #expect(two.network == .ipv6 && two.interfaceIndex == 3 && two.packetType == 0 && two.payloadOffset == 20)
        #expect(throws: PacketDecodeError.self) { try LinkLayer.decode(linkType: 276, sll2.prefix(19)) }
        #expect(throws: PacketDecodeError.self) { try LinkLayer.decode(linkType: 113, sll.prefix(15)) }
    }

    @Test("BSD null/loop in both byte orders, raw DLT 12/14/101, USER0 serial, unknown types")
    func otherLinks() throws {
        let ip = Self.udpV4([1, 2, 3])
        for header in [[2, 0, 0, 0], [0, 0, 0, 2]] as [[UInt8]] {
            let frame = try LinkLayer.decode(linkType: LinkLayer.null, (header + ip)[...])
            #expect(frame.network == .ipv4 && frame.payloadOffset == 4)
        }
        for family in [10, 24, 28, 30] as [UInt8] {
            #expect(try LinkLayer.decode(linkType: 0, ([family, 0, 0, 0] + [0x60])[...]).network == .ipv6)
            #expect(try LinkLayer.decode(linkType: 0, ([0, 0, 0, family] + [0x60])[...]).network == .ipv6)
        }
        #expect(try LinkLayer.decode(linkType: LinkLayer.loop, ([0, 0, 0, 2] + ip)[...]).network == .ipv4)
        #expect(throws: PacketDecodeError(layer: .link, offset: 0, kind: .unsupportedAddressFamily(7))) {
            try LinkLayer.decode(linkType: 0, [7, 0, 0, 0][...])
        }
        for type in [12, 14, 101] as [UInt16] {
            let frame = try LinkLayer.decode(linkType: type, ip[...])
            #expect(frame.network == .ipv4 && frame.payload.count == ip.count)
            #expect(throws: PacketDecodeError(layer: .link, offset: 0, kind: .badVersion(5))) {
                try LinkLayer.decode(linkType: type, [0x50][...])
            }
        }
        let serial = try LinkLayer.decode(linkType: LinkLayer.user0, [0x10, 0x40, 0xFE][...])
        #expect(serial.network == .serial && Array(serial.payload) == [0x10, 0x40, 0xFE])
        #expect(throws: PacketDecodeError(layer: .link, offset: 0, kind: .unsupportedLinkType(999))) {
            try LinkLayer.decode(linkType: 999, [][...])
        }
    }

    // MARK: IP and UDP

    @Test("IPv4 header fields, checksum, lengths; UDP checksum over the pseudo-header")
    func ipv4AndUDP() throws {
        let packet = Self.udpV4(Array(0..<10), id: 0xBEEF)
        let ip = try IPPacket.decode(packet[...])
        guard case .v4(let header) = ip.header else { Issue.record("not v4"); return }
        #expect(header.headerLength == 20 && header.totalLength == 38 && header.identification == 0xBEEF)
        #expect(header.dontFragment && !header.isFragment && header.timeToLive == 64 && header.protocolNumber == 17)
        #expect(ip.source == .v4(0xC000_0201) && ip.source.description == "192.0.2.1")
        var corrupt = packet
        corrupt[8] = 63
        #expect(throws: PacketDecodeError.self) { try IPPacket.decode(corrupt[...]) }
        #expect(try IPPacket.decode(corrupt[...], verifyChecksum: false).payload.count == 18)
        var shortIHL = packet
        shortIHL[0] = 0x44
        #expect(throws: PacketDecodeError(layer: .ipv4, offset: 0, kind: .badHeaderLength(16))) {
            try IPPacket.decode(shortIHL[...])
        }
        #expect(throws: PacketDecodeError(layer: .ipv4, offset: 37, kind: .truncated(needed: 38, available: 37))) {
            try IPPacket.decode(packet.dropLast())
        }
        let udp = try UDPDatagram.decode(ip.payload, source: ip.source, destination: ip.destination)
        #expect(udp.sourcePort == 5000 && udp.destinationPort == 4059 && udp.length == 18 && Array(udp.payload) == Array(0..<10))
        var bad = Array(ip.payload)
        bad[9] ^= 1
        #expect(throws: PacketDecodeError.self) { try UDPDatagram.decode(bad[...], source: ip.source, destination: ip.destination) }
        bad[6] = 0
        bad[7] = 0
        #expect(try UDPDatagram.decode(bad[...], source: ip.source, destination: ip.destination).hasChecksum == false)
        #expect(throws: PacketDecodeError(layer: .udp, offset: 6, kind: .missingChecksum)) {
            try UDPDatagram.decode(bad[...], source: .v6(high: 1, low: 2), destination: .v6(high: 3, low: 4))
        }
        #expect(throws: PacketDecodeError(layer: .udp, offset: 4, kind: .badLength(7))) {
            try UDPDatagram.decode([0, 1, 0, 2, 0, 7, 0, 0][...], source: ip.source, destination: ip.destination)
        }
    }

    @Test("IPv6 extension headers: hop-by-hop, routing, destination options, fragment")
    func ipv6Extensions() throws {
        let addresses = SyntheticIP.Addresses(source: .v6(1, port: 7), destination: .v6(2, port: 8))
        let plain = SyntheticIP.udp(addresses, payload: [5, 6, 7][...], ipID: 0)
        let udp = Array(plain[40...])
        // hop-by-hop(8) → routing(16) → destination options(8) → fragment(8) → UDP
        let hop: [UInt8] = [43, 0, 1, 4, 0, 0, 0, 0]
        let routing: [UInt8] = [60, 1, 0, 0, 0, 0, 0, 0] + [UInt8](repeating: 0, count: 8)
        let options: [UInt8] = [44, 0, 1, 4, 0, 0, 0, 0]
        let fragment: [UInt8] = [17, 0, 0, 0, 0, 0, 0, 42]
        let extensions = hop + routing + options + fragment
        var packet = Array(plain[0..<40])
        packet[4...5] = ArraySlice(SyntheticIP.bigEndian(UInt16(extensions.count + udp.count)))
        packet[6] = 0
        packet += extensions + udp
        let ip = try IPPacket.decode(packet[...])
        guard case .v6(let header) = ip.header else { Issue.record("not v6"); return }
        #expect(header.extensionHeaders == [0, 43, 60, 44])
        #expect(header.fragment == IPv6Header.Fragment(offset: 0, moreFragments: false, identification: 42))
        #expect(ip.protocolNumber == 17 && ip.payloadOffset == 80 && !ip.isFragment)
        let datagram = try UDPDatagram.decode(ip.payload, source: ip.source, destination: ip.destination)
        #expect(Array(datagram.payload) == [5, 6, 7] && datagram.sourcePort == 7)
        // A routing header claiming more bytes than there are.
        var broken = packet
        broken[49] = 200
        #expect(throws: PacketDecodeError.self) { try IPPacket.decode(broken[...]) }
        // A non-first fragment: the walk stops at the fragment header.
        var later = packet
        later[74...75] = [0, 0x11]
        let tail = try IPPacket.decode(later[...])
        #expect(tail.isFragment && tail.protocolNumber == 17 && tail.payloadOffset == 80)
    }

    // MARK: Reassembly

    @Test("IPv4 fragments in order, out of order and shuffled reassemble to the datagram")
    func reassembly() throws {
        let packet = Self.udpV4(CaptureScenario.bytes(100, seed: 11))
        let whole = Array(try IPPacket.decode(packet[...]).payload)
        let parts = Self.fragments(packet, [0..<48, 48..<96, 96..<108])
        var rng = SplitMix64(seed: 5)
        for order in [parts, parts.reversed(), [parts[1], parts[2], parts[0]], parts.shuffled(using: &rng)] {
            var reassembler = IPv4Reassembler()
            let datagram = try #require(Self.completed(try Self.feed(&reassembler, order)))
            #expect(Array(datagram.payload) == whole && datagram.fragmentCount == 3 && !datagram.overlapped)
            #expect(datagram.header.totalLength == 128 && !datagram.header.isFragment)
            let udp = try UDPDatagram.decode(datagram.payload, source: .v4(datagram.key.source), destination: .v4(datagram.key.destination))
            #expect(Array(udp.payload) == CaptureScenario.bytes(100, seed: 11))
            #expect(reassembler.openCount == 0 && reassembler.bufferedBytes == 0)
        }
        // Unfragmented packets pass straight through as slices.
        var reassembler = IPv4Reassembler()
        #expect(Self.completed(try Self.feed(&reassembler, [packet]))?.payload.count == 108)
    }

    @Test("Overlapping fragments: first-received bytes win; missing last fragment never completes")
    func overlapsAndGaps() throws {
        let packet = Self.udpV4(CaptureScenario.bytes(100, seed: 12))
        let whole = Array(try IPPacket.decode(packet[...]).payload)
        var reassembler = IPv4Reassembler()
        var overlapping = Self.fragments(packet, [0..<56, 40..<96, 88..<108])
        overlapping[1][20 + 2] ^= 0xFF  // payload byte 42 differs in the second (overlapping) fragment
        let datagram = try #require(Self.completed(try Self.feed(&reassembler, overlapping)))
        #expect(Array(datagram.payload) == whole && datagram.overlapped && datagram.conflicting)
        // The same fragments in another order: the earlier copy still wins.
        let again = try #require(Self.completed(try Self.feed(&reassembler, [overlapping[1], overlapping[0], overlapping[2]])))
        var expected = whole
        expected[42] ^= 0xFF
        #expect(Array(again.payload) == expected)
        // Duplicate first fragment, no last fragment: pending, then timed out.
        let noLast = Self.fragments(packet, [0..<48, 48..<96, 0..<48])
        guard case .pending? = try Self.feed(&reassembler, noLast, at: 10) else { Issue.record("expected pending"); return }
        #expect(reassembler.openCount == 1 && reassembler.bufferedBytes == 96)
        #expect(reassembler.expire(at: Self.time(39)).isEmpty)
        #expect(reassembler.expire(at: Self.time(41)).count == 1)
        #expect(reassembler.openCount == 0 && reassembler.bufferedBytes == 0 && reassembler.drops[.timedOut] == 1)
        // Two different "last" fragments disagree about the end.
        let last1 = Self.fragments(packet, [96..<108])[0]
        var last2 = Self.fragments(packet, [88..<108])[0]
        last2[6...7] = [0, 11]  // offset 88, MF clear
        #expect(try Self.feed(&reassembler, [last1]).map { if case .pending = $0 { true } else { false } } == true)
        var shorter = Self.fragments(Self.udpV4(CaptureScenario.bytes(60, seed: 12)), [64..<68])[0]
        shorter[4...5] = [0x12, 0x34]
        shorter[10...11] = [0, 0]
        shorter[10...11] = ArraySlice(SyntheticIP.bigEndian(SyntheticIP.internetChecksum(shorter[0..<20])))
        guard case .dropped(_, .inconsistentLength)? = try Self.feed(&reassembler, [shorter]) else {
            Issue.record("expected inconsistent length"); return
        }
        #expect(reassembler.openCount == 0 && reassembler.bufferedBytes == 0)
    }

    @Test("Open datagrams and buffered bytes stay within the limits")
    func limits() throws {
        var reassembler = IPv4Reassembler(limits: .init(maximumDatagrams: 4, maximumBytes: 300, timeoutNanoseconds: 1_000_000_000))
        for id in 0..<10 as Range<UInt16> {
            let packet = Self.udpV4(CaptureScenario.bytes(100, seed: UInt32(id)), id: id)
            _ = try Self.feed(&reassembler, Self.fragments(packet, [0..<48]), at: 0)
            #expect(reassembler.openCount <= 4 && reassembler.bufferedBytes <= 300)
        }
        #expect(reassembler.openCount == 4 && reassembler.drops[.evicted] == 6)
        // Byte limit: a far fragment alone exceeds it.
        let big = Self.fragments(Self.udpV4(CaptureScenario.bytes(400, seed: 1), id: 99), [400..<408])
        guard case .dropped(_, .tooLarge)? = try Self.feed(&reassembler, big) else { Issue.record("expected tooLarge"); return }
        // Bytes force eviction of older datagrams (each 48 bytes + a 200-byte one).
        let wide = Self.fragments(Self.udpV4(CaptureScenario.bytes(300, seed: 2), id: 100), [200..<248])
        _ = try Self.feed(&reassembler, wide)
        #expect(reassembler.bufferedBytes <= 300 && reassembler.openCount <= 2)
        // Capture time moving on expires everything.
        _ = reassembler.expire(at: Self.time(5))
        #expect(reassembler.openCount == 0 && reassembler.bufferedBytes == 0)
    }

    @Test("Random overlapping fragmentations in random order always reassemble exactly once")
    func randomFragmentations() throws {
        var rng = SplitMix64(seed: 0xF4A6)
        var reassembler = IPv4Reassembler()
        for round in 0..<300 {
            let size = rng.int(1...600)
            let packet = Self.udpV4(CaptureScenario.bytes(size, seed: UInt32(round)), id: UInt16(round))
            let data = size + 8
            // Pieces on 8-byte boundaries that cover the datagram, with random overlaps and duplicates.
            var ranges: [Range<Int>] = []
            var start = 0
            while start < data {
                let end = min(data, start + 8 * rng.int(1...10))
                ranges.append(start..<end)
                if rng.chance(30) { ranges.append((start / 8 * 8)..<min(data, end + 8 * rng.int(0...3))) }
                start = end - (rng.chance(30) && end - start > 8 && end < data ? 8 : 0)
            }
            let parts = Self.fragments(packet, ranges).shuffled(using: &rng)
            var completions = 0
            for part in parts {
                let outcome = reassembler.add(try IPPacket.decode(part[...]), at: Self.time(0))
                if let datagram = Self.completed(outcome) {
                    completions += 1
                    #expect(Array(datagram.payload) == Array(try IPPacket.decode(packet[...]).payload))
                }
            }
            // Duplicates arriving after completion open a new partial datagram, which then times out.
            #expect(completions >= 1, "round \(round): \(ranges)")
            _ = reassembler.expire(at: Self.time(1_000))
            #expect(reassembler.bufferedBytes == 0)
        }
    }

    // MARK: Fuzz

    @Test("20 000 random and mutated inputs never trap")
    func fuzz() async throws {
        var rng = SplitMix64(seed: 0x5EED_CA97)
        let v6 = SyntheticIP.udp(SyntheticIP.Addresses(source: .v6(1, port: 1), destination: .v6(2, port: 2)), payload: [1, 2, 3][...], ipID: 0)
        let v4 = Self.udpV4(CaptureScenario.bytes(64, seed: 3))
        let macs = [UInt8](repeating: 0, count: 12)
        let seeds: [(UInt16, [UInt8])] = [
            (1, macs + [0x81, 0x00, 0, 5, 0x08, 0x00] + v4), (1, macs + [0x86, 0xDD] + v6),
            (113, [0, 0, 0, 1, 0, 6, 1, 2, 3, 4, 5, 6, 0, 0, 0x08, 0x00] + v4),
            (276, [0x86, 0xDD, 0, 0, 0, 0, 0, 1, 0, 1, 0, 6, 1, 2, 3, 4, 5, 6, 0, 0] + v6),
            (0, [2, 0, 0, 0] + v4), (101, v6), (12, v4)] + Self.fragments(v4, [0..<40, 40..<72]).map { (14, $0) }
        let linkTypes: [UInt16] = [0, 1, 12, 14, 101, 108, 113, 147, 228, 229, 276, 999]
        var reassembler = IPv4Reassembler(limits: .init(maximumDatagrams: 8, maximumBytes: 4096))
        var decodedUDP = 0
        for iteration in 0..<20_000 {
            if iteration % 500 == 0 { await Task.yield() }
            var linkType: UInt16
            var bytes: [UInt8]
            if rng.chance(30) {
                linkType = rng.pick(linkTypes)
                bytes = (0..<rng.int(0...80)).map { _ in rng.byte() }
            } else {
                (linkType, bytes) = rng.pick(seeds)
                for _ in 0..<rng.int(1...4) {
                    switch rng.int(0...3) {
                    case 0 where !bytes.isEmpty: bytes[rng.int(0...(bytes.count - 1))] = rng.byte()
                    case 1: bytes = Array(bytes.prefix(rng.int(0...bytes.count)))
                    case 2 where !bytes.isEmpty: bytes[rng.int(0...(bytes.count - 1))] ^= UInt8(1) << UInt8(rng.int(0...7))
                    default: bytes.insert(rng.byte(), at: rng.int(0...bytes.count))
                    }
                }
            }
            // Offset slices too, so nothing assumes startIndex == 0.
            let padded = [0xEE] + bytes
            guard let frame = try? LinkLayer.decode(linkType: linkType, padded.dropFirst()) else { continue }
            #expect(frame.payload.endIndex <= padded.endIndex)
            guard let ip = try? IPPacket.decode(frame.payload, verifyChecksum: rng.chance(50)) else { continue }
            if let outcome = reassembler.add(ip, at: Self.time(Int64(iteration / 100))), case .complete(let datagram) = outcome {
                #expect(datagram.payload.count <= 65_535)
            }
            #expect(reassembler.openCount <= 8 && reassembler.bufferedBytes <= 4096)
            if ip.protocolNumber == 17,
               (try? UDPDatagram.decode(ip.payload, source: ip.source, destination: ip.destination, verifyChecksum: rng.chance(50))) != nil {
                decodedUDP += 1
            }
        }
        #expect(decodedUDP > 100)
    }
}
