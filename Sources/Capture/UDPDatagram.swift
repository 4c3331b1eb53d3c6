// UDP (RFC 768) datagram decoding with pseudo-header checksum verification for IPv4 and IPv6.

/// A decoded UDP datagram; ``payload`` is a slice of the input.
public struct UDPDatagram: Sendable, Hashable {
    /// UDP protocol number.
    public static let protocolNumber: UInt8 = 17

    /// Source port.
    public var sourcePort: UInt16
    /// Destination port.
    public var destinationPort: UInt16
    /// The UDP length field (header + data).
    public var length: Int
    /// The checksum as sent; 0 over IPv4 means none was computed.
    public var checksum: UInt16
    /// The data after the 8-byte header, up to ``length``.
    public var payload: ArraySlice<UInt8>

    /// Whether the sender computed a checksum.
    public var hasChecksum: Bool { checksum != 0 }

    /// Decodes the datagram in `bytes` (the IP payload) sent from `source` to `destination`.
    ///
    /// The checksum is verified over the pseudo-header unless `verifyChecksum` is false; a zero
    /// checksum is accepted over IPv4 (none computed) and rejected over IPv6.
    public static func decode(_ bytes: ArraySlice<UInt8>, source: IPAddress, destination: IPAddress,
                              verifyChecksum: Bool = true) throws(PacketDecodeError) -> UDPDatagram {
        func fail(_ offset: Int, _ kind: PacketDecodeError.Kind) -> PacketDecodeError {
            PacketDecodeError(layer: .udp, offset: offset, kind: kind)
        }
        guard let sourcePort = bytes.pdU16(0), let destinationPort = bytes.pdU16(2), let lengthField = bytes.pdU16(4),
              let checksum = bytes.pdU16(6) else {
            throw fail(min(bytes.count, 8), .truncated(needed: 8, available: bytes.count))
        }
        let length = Int(lengthField)
        guard length >= 8 else { throw fail(4, .badLength(length)) }
        guard let datagram = bytes.pdRange(0, length), let payload = datagram.pdSuffix(from: 8) else {
            throw fail(bytes.count, .truncated(needed: length, available: bytes.count))
        }
        if verifyChecksum {
            let isV6: Bool
            if case .v6 = source { isV6 = true } else { isV6 = false }
            if checksum == 0 {
                if isV6 { throw fail(6, .missingChecksum) }
            } else {
                var sum: UInt64 = 0
                for address in [source, destination] {
                    switch address {
                    case .v4(let value): sum &+= UInt64(value >> 16) + UInt64(value & 0xFFFF)
                    case .v6(let high, let low):
                        for half in [high, low] {
                            sum &+= (half >> 48) + (half >> 32 & 0xFFFF) + (half >> 16 & 0xFFFF) + (half & 0xFFFF)
                        }
                    }
                }
                sum &+= UInt64(protocolNumber) + UInt64(length)
                InternetChecksum.add(datagram, to: &sum)
                let folded = InternetChecksum.fold(sum)
                guard folded == 0xFFFF else { throw fail(6, .badChecksum(found: checksum, computed: folded)) }
            }
        }
        return UDPDatagram(sourcePort: sourcePort, destinationPort: destinationPort, length: length,
                           checksum: checksum, payload: payload)
    }
}
