// IPv4 (RFC 791) and IPv6 (RFC 8200) header decoding over slices, without copying the payload.

/// An IPv4 or IPv6 address, held by value (no allocation).
public enum IPAddress: Sendable, Hashable, CustomStringConvertible {
    /// An IPv4 address, big-endian order in the integer.
    case v4(UInt32)
    /// An IPv6 address as its two big-endian halves.
    case v6(high: UInt64, low: UInt64)

    /// The address bytes in network order (4 or 16), as in ``CaptureEndpoint/address``.
    public var bytes: [UInt8] {
        switch self {
        case .v4(let value): return (0..<4).map { UInt8(truncatingIfNeeded: value >> (24 - 8 * UInt32($0))) }
        case .v6(let high, let low):
            return (0..<8).map { UInt8(truncatingIfNeeded: high >> (56 - 8 * UInt64($0))) }
                + (0..<8).map { UInt8(truncatingIfNeeded: low >> (56 - 8 * UInt64($0))) }
        }
    }

    public var description: String {
        switch self {
        case .v4: return bytes.map(String.init).joined(separator: ".")
        case .v6(let high, let low):
            let words = [high >> 48, high >> 32, high >> 16, high, low >> 48, low >> 32, low >> 16, low]
            return words.map { String(UInt16(truncatingIfNeeded: $0), radix: 16) }.joined(separator: ":")
        }
    }
}

/// The IPv4 header fields.
public struct IPv4Header: Sendable, Hashable {
    /// Header length in bytes (IHL × 4).
    public var headerLength: Int
    /// Type of service / DSCP+ECN byte.
    public var typeOfService: UInt8
    /// Total length of the packet in bytes.
    public var totalLength: Int
    /// Identification.
    public var identification: UInt16
    /// The DF flag.
    public var dontFragment: Bool
    /// The MF flag.
    public var moreFragments: Bool
    /// Fragment offset in bytes (the field × 8).
    public var fragmentOffset: Int
    /// Time to live.
    public var timeToLive: UInt8
    /// The protocol number of the payload.
    public var protocolNumber: UInt8
    /// The header checksum as sent (verified by ``IPPacket/decode(_:verifyChecksum:)``).
    public var checksum: UInt16
    /// Source address.
    public var source: UInt32
    /// Destination address.
    public var destination: UInt32
    /// Whether this packet is a fragment (MF set or a non-zero offset).
    public var isFragment: Bool { moreFragments || fragmentOffset != 0 }
}

/// The IPv6 fixed header and what the extension-header walk found.
public struct IPv6Header: Sendable, Hashable {
    /// Traffic class.
    public var trafficClass: UInt8
    /// Flow label (20 bits).
    public var flowLabel: UInt32
    /// Payload length from the fixed header.
    public var payloadLength: Int
    /// Next Header of the fixed header.
    public var firstNextHeader: UInt8
    /// Hop limit.
    public var hopLimit: UInt8
    /// Source address.
    public var source: IPAddress
    /// Destination address.
    public var destination: IPAddress
    /// The extension headers walked, in order (0 hop-by-hop, 43 routing, 44 fragment, 60 destination options).
    public var extensionHeaders: [UInt8]
    /// The Fragment header, when there is one.
    public var fragment: Fragment?

    /// An IPv6 Fragment header (RFC 8200 §4.5).
    public struct Fragment: Sendable, Hashable {
        /// Offset in bytes.
        public var offset: Int
        /// The M flag.
        public var moreFragments: Bool
        /// Identification.
        public var identification: UInt32
    }
}

/// A decoded IP packet: header facts and a slice of the upper-layer payload.
public struct IPPacket: Sendable, Hashable {
    /// The version-specific header.
    public enum Header: Sendable, Hashable {
        case v4(IPv4Header)
        case v6(IPv6Header)
    }

    /// The header.
    public var header: Header
    /// Source address.
    public var source: IPAddress
    /// Destination address.
    public var destination: IPAddress
    /// The upper-layer protocol (after IPv6 extension headers): 6 TCP, 17 UDP, …
    public var protocolNumber: UInt8
    /// Offset of ``payload`` from the first byte of the IP packet.
    public var payloadOffset: Int
    /// The upper-layer bytes (trailing link padding beyond the declared length removed). For a
    /// fragment this is only this fragment's data; see ``IPv4Reassembler``.
    public var payload: ArraySlice<UInt8>

    /// Whether this is a fragment of a larger datagram.
    public var isFragment: Bool {
        switch header {
        case .v4(let v4): return v4.isFragment
        case .v6(let v6): return v6.fragment.map { $0.moreFragments || $0.offset != 0 } ?? false
        }
    }

    /// Decodes an IPv4 or IPv6 packet by its version nibble.
    public static func decode(_ bytes: ArraySlice<UInt8>, verifyChecksum: Bool = true) throws(PacketDecodeError) -> IPPacket {
        guard let first = bytes.pdByte(0) else {
            throw PacketDecodeError(layer: .ipv4, offset: 0, kind: .truncated(needed: 1, available: 0))
        }
        switch first >> 4 {
        case 4: return try decodeV4(bytes, verifyChecksum: verifyChecksum)
        case 6: return try decodeV6(bytes)
        default: throw PacketDecodeError(layer: .ipv4, offset: 0, kind: .badVersion(first >> 4))
        }
    }

    /// Decodes an IPv4 packet; the header checksum must verify unless `verifyChecksum` is false.
    public static func decodeV4(_ bytes: ArraySlice<UInt8>, verifyChecksum: Bool = true) throws(PacketDecodeError) -> IPPacket {
        func fail(_ offset: Int, _ kind: PacketDecodeError.Kind) -> PacketDecodeError {
            PacketDecodeError(layer: .ipv4, offset: offset, kind: kind)
        }
        guard bytes.count >= 20, let first = bytes.pdByte(0), let tos = bytes.pdByte(1), let total = bytes.pdU16(2),
              let id = bytes.pdU16(4), let flags = bytes.pdU16(6), let ttl = bytes.pdByte(8), let proto = bytes.pdByte(9),
              let checksum = bytes.pdU16(10), let source = bytes.pdU32(12), let destination = bytes.pdU32(16) else {
            throw fail(min(bytes.count, 20), .truncated(needed: 20, available: bytes.count))
        }
        guard first >> 4 == 4 else { throw fail(0, .badVersion(first >> 4)) }
        let headerLength = Int(first & 0x0F) * 4
        guard headerLength >= 20 else { throw fail(0, .badHeaderLength(headerLength)) }
        guard headerLength <= bytes.count, let headerBytes = bytes.pdRange(0, headerLength) else {
            throw fail(bytes.count, .truncated(needed: headerLength, available: bytes.count))
        }
        let totalLength = Int(total)
        guard totalLength >= headerLength else { throw fail(2, .badLength(totalLength)) }
        guard totalLength <= bytes.count, let payload = bytes.pdRange(headerLength, totalLength - headerLength) else {
            throw fail(bytes.count, .truncated(needed: totalLength, available: bytes.count))
        }
        if verifyChecksum {
            var sum: UInt64 = 0
            InternetChecksum.add(headerBytes, to: &sum)
            let folded = InternetChecksum.fold(sum)
            guard folded == 0xFFFF else { throw fail(10, .badChecksum(found: checksum, computed: folded)) }
        }
        let header = IPv4Header(headerLength: headerLength, typeOfService: tos, totalLength: totalLength,
                                identification: id, dontFragment: flags & 0x4000 != 0, moreFragments: flags & 0x2000 != 0,
                                fragmentOffset: Int(flags & 0x1FFF) * 8, timeToLive: ttl, protocolNumber: proto,
                                checksum: checksum, source: source, destination: destination)
        return IPPacket(header: .v4(header), source: .v4(source), destination: .v4(destination), protocolNumber: proto,
                        payloadOffset: headerLength, payload: payload)
    }

    /// Decodes an IPv6 packet, walking hop-by-hop, routing, fragment and destination-options headers.
    ///
    /// The walk stops after the Fragment header of a fragment (M set or a non-zero offset): what
    /// follows is fragment data (RFC 8200 §4.5), so ``payload`` is this fragment's data and
    /// ``protocolNumber`` the Fragment header's Next Header; ``IPv6Reassembler`` walks the rest once
    /// the datagram is whole. Past an atomic fragment (offset 0, M clear; RFC 6946) the walk goes on.
    public static func decodeV6(_ bytes: ArraySlice<UInt8>) throws(PacketDecodeError) -> IPPacket {
        func fail(_ offset: Int, _ kind: PacketDecodeError.Kind) -> PacketDecodeError {
            PacketDecodeError(layer: .ipv6, offset: offset, kind: kind)
        }
        guard bytes.count >= 40, let word = bytes.pdU32(0), let length = bytes.pdU16(4), let next = bytes.pdByte(6),
              let hops = bytes.pdByte(7), let sh = bytes.pdU64(8), let sl = bytes.pdU64(16), let dh = bytes.pdU64(24),
              let dl = bytes.pdU64(32) else {
            throw fail(min(bytes.count, 40), .truncated(needed: 40, available: bytes.count))
        }
        guard word >> 28 == 6 else { throw fail(0, .badVersion(UInt8(word >> 28))) }
        let payloadLength = Int(length)
        guard let packet = bytes.pdRange(0, 40 + payloadLength) else {
            throw fail(bytes.count, .truncated(needed: 40 + payloadLength, available: bytes.count))
        }
        var header = IPv6Header(trafficClass: UInt8(truncatingIfNeeded: word >> 20), flowLabel: word & 0xFFFFF,
                                payloadLength: payloadLength, firstNextHeader: next, hopLimit: hops,
                                source: .v6(high: sh, low: sl), destination: .v6(high: dh, low: dl),
                                extensionHeaders: [], fragment: nil)
        let (nextHeader, offset) = try walkExtensionHeaders(packet, from: 40, nextHeader: next, into: &header)
        let payload = packet.pdSuffix(from: offset) ?? packet[packet.endIndex...]
        return IPPacket(header: .v6(header), source: header.source, destination: header.destination,
                        protocolNumber: nextHeader, payloadOffset: offset, payload: payload)
    }

    /// Walks the extension headers of `bytes` (an IPv6 packet, or a reassembled fragmentable part)
    /// from `offset`, starting with `nextHeader`; records each in `header` and returns the
    /// upper-layer protocol and where it starts. Stops after the Fragment header of a fragment.
    static func walkExtensionHeaders(_ bytes: ArraySlice<UInt8>, from start: Int, nextHeader first: UInt8,
                                     into header: inout IPv6Header) throws(PacketDecodeError) -> (UInt8, Int) {
        var nextHeader = first
        var offset = start
        while true {
            switch nextHeader {
            case 0, 43, 60, 44:
                guard let following = bytes.pdByte(offset), let lengthByte = bytes.pdByte(offset + 1) else {
                    throw PacketDecodeError(layer: .ipv6, offset: min(offset, bytes.count),
                                            kind: .truncated(needed: offset + 8, available: bytes.count))
                }
                let extLength = nextHeader == 44 ? 8 : (Int(lengthByte) + 1) * 8
                guard extLength <= bytes.count - offset else {
                    throw PacketDecodeError(layer: .ipv6, offset: offset,
                                            kind: .truncated(needed: offset + extLength, available: bytes.count))
                }
                var isFragment = false
                if nextHeader == 44, let field = bytes.pdU16(offset + 2), let id = bytes.pdU32(offset + 4) {
                    let fragment = IPv6Header.Fragment(offset: Int(field >> 3) * 8, moreFragments: field & 1 != 0,
                                                       identification: id)
                    header.fragment = fragment
                    isFragment = fragment.offset != 0 || fragment.moreFragments
                }
                header.extensionHeaders.append(nextHeader)
                nextHeader = following
                offset += extLength
                // Past the Fragment header of a fragment, what follows is fragment data, not headers.
                if isFragment { return (nextHeader, offset) }
            default:
                return (nextHeader, offset)
            }
        }
    }
}
