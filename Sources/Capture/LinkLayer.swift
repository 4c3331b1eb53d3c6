// Link-layer decoding of captured frames down to the network-layer payload, without copying:
// every payload handed out is a slice of the caller's bytes.

/// Why a packet could not be decoded, and where: every decoder in this family is total, so any
/// byte sequence yields either a value or one of these.
public struct PacketDecodeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The layer whose header was being read.
    public enum Layer: Sendable, Equatable {
        case link, ipv4, ipv6, udp
    }

    /// What was wrong.
    public enum Kind: Sendable, Equatable {
        /// Fewer bytes than the header or a declared length needs.
        case truncated(needed: Int, available: Int)
        /// A link type this decoder does not know.
        case unsupportedLinkType(UInt16)
        /// A BSD loopback address family that is neither IPv4 nor IPv6.
        case unsupportedAddressFamily(UInt32)
        /// More stacked 802.1Q/802.1ad tags than ``LinkLayer/maximumVLANTags``.
        case tooManyVLANTags
        /// The IP version nibble is not the one expected (or neither 4 nor 6 on a raw link).
        case badVersion(UInt8)
        /// An IPv4 IHL below 5 words.
        case badHeaderLength(Int)
        /// A length field that contradicts the header it belongs to (IPv4 total length, UDP length).
        case badLength(Int)
        /// A header (IPv4) or pseudo-header (UDP) checksum that does not verify; `computed` is the
        /// ones'-complement sum over the covered bytes, which is 0xFFFF when they verify.
        case badChecksum(found: UInt16, computed: UInt16)
        /// A UDP checksum of zero over IPv6, where it is mandatory (RFC 8200 §8.1).
        case missingChecksum
        /// A fragment that would end beyond 65 535 bytes.
        case fragmentTooLong(Int)
    }

    /// The layer being decoded.
    public var layer: Layer
    /// Offset of the offending field, counted from the first byte given to that layer's decoder.
    public var offset: Int
    /// The problem.
    public var kind: Kind

    /// An error at `offset` of `layer`'s input.
    public init(layer: Layer, offset: Int, kind: Kind) {
        self.layer = layer
        self.offset = offset
        self.kind = kind
    }

    public var description: String { "\(layer) header, offset \(offset): \(kind)" }
}

/// Big-endian reads relative to a slice's start; `nil` instead of trapping when out of range.
extension ArraySlice<UInt8> {
    /// The byte at `offset` from `startIndex`.
    func pdByte(_ offset: Int) -> UInt8? {
        guard offset >= 0, offset < count else { return nil }
        return self[startIndex + offset]
    }

    /// The big-endian 16-bit value at `offset` from `startIndex`.
    func pdU16(_ offset: Int) -> UInt16? {
        guard offset >= 0, offset <= count - 2 else { return nil }
        return UInt16(self[startIndex + offset]) << 8 | UInt16(self[startIndex + offset + 1])
    }

    /// The big-endian 32-bit value at `offset` from `startIndex`.
    func pdU32(_ offset: Int) -> UInt32? {
        guard let high = pdU16(offset), let low = pdU16(offset + 2) else { return nil }
        return UInt32(high) << 16 | UInt32(low)
    }

    /// The big-endian 64-bit value at `offset` from `startIndex`.
    func pdU64(_ offset: Int) -> UInt64? {
        guard let high = pdU32(offset), let low = pdU32(offset + 4) else { return nil }
        return UInt64(high) << 32 | UInt64(low)
    }

    /// The bytes from `offset` (relative) to the end, or `nil` if `offset` is past the end.
    func pdSuffix(from offset: Int) -> ArraySlice<UInt8>? {
        guard offset >= 0, offset <= count else { return nil }
        return self[(startIndex + offset)...]
    }

    /// `length` bytes from `offset` (relative), or `nil` if they are not all there.
    func pdRange(_ offset: Int, _ length: Int) -> ArraySlice<UInt8>? {
        guard offset >= 0, length >= 0, offset <= count, length <= count - offset else { return nil }
        return self[(startIndex + offset)..<(startIndex + offset + length)]
    }
}

/// What a link-layer frame carries.
public enum NetworkProtocol: Sendable, Hashable {
    /// An IPv4 packet.
    case ipv4
    /// An IPv6 packet.
    case ipv6
    /// MeterProof's serial link (LINKTYPE_USER0): the payload is the raw line bytes, no IP.
    case serial
    /// Anything else, by EtherType (or 802.3 length / SLL protocol value when below 0x0600).
    case other(etherType: UInt16)

    /// The protocol for an EtherType.
    public init(etherType: UInt16) {
        switch etherType {
        case 0x0800: self = .ipv4
        case 0x86DD: self = .ipv6
        default: self = .other(etherType: etherType)
        }
    }
}

/// One 802.1Q / 802.1ad tag.
public struct VLANTag: Sendable, Hashable {
    /// The tag protocol identifier (0x8100, 0x88A8 or 0x9100).
    public var tpid: UInt16
    /// Priority code point (3 bits).
    public var priority: UInt8
    /// Drop eligible indicator.
    public var dropEligible: Bool
    /// VLAN identifier (12 bits).
    public var id: UInt16
}

/// A decoded link-layer frame: the header facts and a slice of the network-layer payload.
public struct LinkFrame: Sendable, Hashable {
    /// The pcap/pcapng link type the frame was decoded as.
    public var linkType: UInt16
    /// What ``payload`` holds.
    public var network: NetworkProtocol
    /// VLAN tags, outermost first (Ethernet, SLL and SLL2).
    public var vlanTags: [VLANTag]
    /// The SLL/SLL2 packet type (0 to us, 4 sent by us, …), when the link has one.
    public var packetType: UInt16?
    /// The SLL2 interface index.
    public var interfaceIndex: UInt32?
    /// Offset of ``payload`` from the first byte of the frame.
    public var payloadOffset: Int
    /// The network-layer bytes (a slice of the input; Ethernet padding is trimmed later by IP).
    public var payload: ArraySlice<UInt8>
}

/// Link-layer decoders for the link types MeterProof reads.
public enum LinkLayer {
    /// LINKTYPE_NULL: BSD loopback, 4-byte address family in the writer's byte order.
    public static let null: UInt16 = 0
    /// LINKTYPE_ETHERNET.
    public static let ethernet: UInt16 = 1
    /// DLT_RAW as most BSDs number it.
    public static let dltRaw12: UInt16 = 12
    /// DLT_RAW as OpenBSD numbers it.
    public static let dltRaw14: UInt16 = 14
    /// LINKTYPE_RAW: a bare IPv4 or IPv6 packet.
    public static let raw: UInt16 = 101
    /// LINKTYPE_LOOP: OpenBSD loopback, address family big-endian.
    public static let loop: UInt16 = 108
    /// LINKTYPE_LINUX_SLL.
    public static let linuxSLL: UInt16 = 113
    /// LINKTYPE_USER0: MeterProof's serial link.
    public static let user0: UInt16 = 147
    /// LINKTYPE_IPV4.
    public static let ipv4: UInt16 = 228
    /// LINKTYPE_IPV6.
    public static let ipv6: UInt16 = 229
    /// LINKTYPE_LINUX_SLL2.
    public static let linuxSLL2: UInt16 = 276

    /// The most stacked VLAN tags accepted before giving up.
    public static let maximumVLANTags = 8

    /// Decodes one frame of `linkType`.
    public static func decode(linkType: UInt16, _ bytes: ArraySlice<UInt8>) throws(PacketDecodeError) -> LinkFrame {
        switch linkType {
        case ethernet:
            guard bytes.count >= 14 else { throw truncated(14, bytes) }
            return try etherTyped(linkType, bytes, typeOffset: 12, packetType: nil, interfaceIndex: nil)
        case linuxSLL:
            guard bytes.count >= 16, let packetType = bytes.pdU16(0) else { throw truncated(16, bytes) }
            return try etherTyped(linkType, bytes, typeOffset: 14, packetType: packetType, interfaceIndex: nil)
        case linuxSLL2:
            guard bytes.count >= 20, let protocolType = bytes.pdU16(0), let index = bytes.pdU32(4),
                  let packetType = bytes.pdByte(10) else { throw truncated(20, bytes) }
            return try etherTyped(linkType, bytes, typeOffset: 0, packetType: UInt16(packetType), interfaceIndex: index,
                                  firstType: protocolType, payloadStart: 20)
        case raw, dltRaw12, dltRaw14:
            guard let first = bytes.pdByte(0) else { throw truncated(1, bytes) }
            switch first >> 4 {
            case 4: return frame(linkType, .ipv4, bytes, 0)
            case 6: return frame(linkType, .ipv6, bytes, 0)
            default: throw PacketDecodeError(layer: .link, offset: 0, kind: .badVersion(first >> 4))
            }
        case ipv4:
            return frame(linkType, .ipv4, bytes, 0)
        case ipv6:
            return frame(linkType, .ipv6, bytes, 0)
        case null, loop:
            guard bytes.count >= 4, let bigEndian = bytes.pdU32(0) else { throw truncated(4, bytes) }
            // LINKTYPE_NULL is in the capturing host's order: a family fits in 16 bits, so a value
            // with high bits set was written little-endian.
            let family = linkType == loop || bigEndian & 0xFFFF_0000 == 0 ? bigEndian : bigEndian.byteSwapped
            switch family {
            case 2: return frame(linkType, .ipv4, bytes, 4)
            case 10, 24, 28, 30: return frame(linkType, .ipv6, bytes, 4)
            default: throw PacketDecodeError(layer: .link, offset: 0, kind: .unsupportedAddressFamily(family))
            }
        case user0:
            return frame(linkType, .serial, bytes, 0)
        default:
            throw PacketDecodeError(layer: .link, offset: 0, kind: .unsupportedLinkType(linkType))
        }
    }

    /// Decodes a captured packet by its own link type.
    public static func decode(_ packet: CapturedPacket) throws(PacketDecodeError) -> LinkFrame {
        try decode(linkType: packet.linkType, packet.data[...])
    }

    private static func truncated(_ needed: Int, _ bytes: ArraySlice<UInt8>) -> PacketDecodeError {
        PacketDecodeError(layer: .link, offset: bytes.count, kind: .truncated(needed: needed, available: bytes.count))
    }

    private static func frame(_ linkType: UInt16, _ network: NetworkProtocol, _ bytes: ArraySlice<UInt8>,
                              _ offset: Int, tags: [VLANTag] = [], packetType: UInt16? = nil,
                              interfaceIndex: UInt32? = nil) -> LinkFrame {
        LinkFrame(linkType: linkType, network: network, vlanTags: tags, packetType: packetType,
                  interfaceIndex: interfaceIndex, payloadOffset: offset,
                  payload: bytes.pdSuffix(from: offset) ?? bytes[bytes.endIndex...])
    }

    /// Reads the EtherType at `typeOffset` (or uses `firstType`), then any VLAN tags that follow.
    private static func etherTyped(_ linkType: UInt16, _ bytes: ArraySlice<UInt8>, typeOffset: Int, packetType: UInt16?,
                                   interfaceIndex: UInt32?, firstType: UInt16? = nil,
                                   payloadStart: Int? = nil) throws(PacketDecodeError) -> LinkFrame {
        guard var type = firstType ?? bytes.pdU16(typeOffset) else { throw truncated(typeOffset + 2, bytes) }
        var offset = payloadStart ?? typeOffset + 2
        var tags: [VLANTag] = []
        while type == 0x8100 || type == 0x88A8 || type == 0x9100 {
            guard tags.count < maximumVLANTags else {
                throw PacketDecodeError(layer: .link, offset: offset, kind: .tooManyVLANTags)
            }
            guard let tci = bytes.pdU16(offset), let inner = bytes.pdU16(offset + 2) else {
                throw PacketDecodeError(layer: .link, offset: min(offset, bytes.count),
                                        kind: .truncated(needed: offset + 4, available: bytes.count))
            }
            tags.append(VLANTag(tpid: type, priority: UInt8(tci >> 13), dropEligible: tci & 0x1000 != 0, id: tci & 0x0FFF))
            type = inner
            offset += 4
        }
        return frame(linkType, NetworkProtocol(etherType: type), bytes, offset, tags: tags, packetType: packetType,
                     interfaceIndex: interfaceIndex)
    }
}
