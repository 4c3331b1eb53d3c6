/// Builds the IPv4/IPv6 packets (LINKTYPE_RAW) that carry run bytes over a synthetic TCP or UDP
/// session: RFC 791/8200 headers, RFC 9293 TCP and RFC 768 UDP headers, RFC 1071 checksums.
enum SyntheticIP {
    static let protocolTCP: UInt8 = 6
    static let protocolUDP: UInt8 = 17

    /// TCP header flags (RFC 9293 §3.1).
    struct TCPFlags: OptionSet {
        let rawValue: UInt8
        static let fin = TCPFlags(rawValue: 0x01)
        static let syn = TCPFlags(rawValue: 0x02)
        static let psh = TCPFlags(rawValue: 0x08)
        static let ack = TCPFlags(rawValue: 0x10)
    }

    /// The window shift both ends announce in their SYN (RFC 7323): 65 535 × 2^14 ≈ 1 GiB, so
    /// harness writes that the device never acknowledges do not look like a full window.
    static let windowShift: UInt8 = 14

    /// Source and destination of one packet.
    struct Addresses {
        var source: CaptureEndpoint
        var destination: CaptureEndpoint
        var isIPv6: Bool { source.address.count == 16 }
    }

    /// An IP packet holding a TCP segment.
    static func tcp(_ addresses: Addresses, sequence: UInt32, acknowledgement: UInt32?, flags: TCPFlags,
                    payload: ArraySlice<UInt8>, ipID: UInt16) -> [UInt8] {
        var header: [UInt8] = []
        header += bigEndian(addresses.source.port)
        header += bigEndian(addresses.destination.port)
        header += bigEndian(sequence)
        header += bigEndian(acknowledgement ?? 0)
        var options: [UInt8] = []
        if flags.contains(.syn) {
            options += [2, 4] + bigEndian(UInt16(65_495))  // MSS
            options += [1, 3, 3, windowShift]  // NOP, window scale
        }
        let dataOffset = UInt8((20 + options.count) / 4)
        header.append(dataOffset << 4)
        header.append((acknowledgement == nil ? flags : flags.union(.ack)).rawValue)
        header += bigEndian(UInt16.max)  // window
        header += [0, 0]  // checksum, filled below
        header += [0, 0]  // urgent pointer
        header += options
        var segment = header
        segment += payload
        let checksum = transportChecksum(addresses, protocolNumber: protocolTCP, segment: segment)
        segment[16] = UInt8(checksum >> 8)
        segment[17] = UInt8(truncatingIfNeeded: checksum)
        return ipPacket(addresses, protocolNumber: protocolTCP, payload: segment, ipID: ipID)
    }

    /// An IP packet holding a UDP datagram.
    static func udp(_ addresses: Addresses, payload: ArraySlice<UInt8>, ipID: UInt16) -> [UInt8] {
        var datagram: [UInt8] = []
        datagram += bigEndian(addresses.source.port)
        datagram += bigEndian(addresses.destination.port)
        datagram += bigEndian(UInt16(clamping: 8 + payload.count))
        datagram += [0, 0]
        datagram += payload
        var checksum = transportChecksum(addresses, protocolNumber: protocolUDP, segment: datagram)
        if checksum == 0 { checksum = 0xFFFF }  // RFC 768: a computed zero is sent as all ones
        datagram[6] = UInt8(checksum >> 8)
        datagram[7] = UInt8(truncatingIfNeeded: checksum)
        return ipPacket(addresses, protocolNumber: protocolUDP, payload: datagram, ipID: ipID)
    }

    /// Wraps a transport segment in an IPv4 header (DF set, TTL 64, checksum) or an IPv6 header (hop limit 64).
    static func ipPacket(_ addresses: Addresses, protocolNumber: UInt8, payload: [UInt8], ipID: UInt16) -> [UInt8] {
        if addresses.isIPv6 {
            var packet: [UInt8] = [0x60, 0, 0, 0]
            packet += bigEndian(UInt16(clamping: payload.count))
            packet += [protocolNumber, 64]
            packet += addresses.source.address
            packet += addresses.destination.address
            return packet + payload
        }
        var header: [UInt8] = [0x45, 0]
        header += bigEndian(UInt16(clamping: 20 + payload.count))
        header += bigEndian(ipID)
        header += [0x40, 0]  // don't fragment, offset 0
        header += [64, protocolNumber, 0, 0]
        header += addresses.source.address
        header += addresses.destination.address
        let checksum = internetChecksum(header[...])
        header[10] = UInt8(checksum >> 8)
        header[11] = UInt8(truncatingIfNeeded: checksum)
        return header + payload
    }

    /// TCP/UDP checksum over the IPv4 or IPv6 pseudo-header and the segment (checksum field zero).
    static func transportChecksum(_ addresses: Addresses, protocolNumber: UInt8, segment: [UInt8]) -> UInt16 {
        var pseudo = addresses.source.address + addresses.destination.address
        if addresses.isIPv6 {
            pseudo += bigEndian(UInt32(clamping: segment.count))
            pseudo += [0, 0, 0, protocolNumber]
        } else {
            pseudo += [0, protocolNumber]
            pseudo += bigEndian(UInt16(clamping: segment.count))
        }
        return internetChecksum(pseudo[...], then: segment[...])
    }

    /// RFC 1071 checksum over `first` then `second` (``InternetChecksum``).
    static func internetChecksum(_ first: ArraySlice<UInt8>, then second: ArraySlice<UInt8> = []) -> UInt16 {
        InternetChecksum.checksum(first, then: second)
    }

    static func bigEndian(_ value: UInt16) -> [UInt8] {
        [UInt8(value >> 8), UInt8(truncatingIfNeeded: value)]
    }

    static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8(truncatingIfNeeded: value >> 16), UInt8(truncatingIfNeeded: value >> 8),
         UInt8(truncatingIfNeeded: value)]
    }
}
