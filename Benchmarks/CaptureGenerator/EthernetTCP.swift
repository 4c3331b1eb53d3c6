/// One side of a TCP connection as seen on the capturing Ethernet segment.
struct TCPEndpoint {
    var mac: [UInt8]
    var ip: UInt32
    var port: UInt16
    /// IPv4 TTL of this side's packets at the capture point (meters are a few hops away).
    var ttl: UInt8
}

struct TCPFlags: OptionSet {
    let rawValue: UInt8
    static let fin = TCPFlags(rawValue: 0x01)
    static let syn = TCPFlags(rawValue: 0x02)
    static let psh = TCPFlags(rawValue: 0x08)
    static let ack = TCPFlags(rawValue: 0x10)
}

/// Ethernet II ‖ IPv4 (20 bytes, DF) ‖ TCP frames with correct IPv4 and TCP checksums.
enum EthernetTCP {
    static let headerLength = 14 + 20 + 20

    /// A frame from `source` to `destination`; `options` (a multiple of 4 bytes) follow the TCP header.
    static func frame(from source: TCPEndpoint, to destination: TCPEndpoint, ipID: UInt16, sequence: UInt32,
                      acknowledgement: UInt32, flags: TCPFlags, window: UInt16, options: [UInt8] = [],
                      payload: ArraySlice<UInt8>) -> [UInt8] {
        let tcpLength = 20 + options.count + payload.count
        let ipLength = 20 + tcpLength
        var f: [UInt8] = []
        f.reserveCapacity(14 + ipLength)
        f += destination.mac
        f += source.mac
        f += [0x08, 0x00]
        // IPv4
        let ipStart = f.count
        f += [0x45, 0x00, UInt8(ipLength >> 8), UInt8(truncatingIfNeeded: ipLength)]
        f += [UInt8(ipID >> 8), UInt8(truncatingIfNeeded: ipID), 0x40, 0x00]
        f += [source.ttl, 6, 0, 0]
        append32(&f, source.ip)
        append32(&f, destination.ip)
        let ipSum = checksum(f, ipStart..<ipStart + 20, initial: 0)
        f[ipStart + 10] = UInt8(ipSum >> 8)
        f[ipStart + 11] = UInt8(truncatingIfNeeded: ipSum)
        // TCP
        let tcpStart = f.count
        f += [UInt8(source.port >> 8), UInt8(truncatingIfNeeded: source.port)]
        f += [UInt8(destination.port >> 8), UInt8(truncatingIfNeeded: destination.port)]
        append32(&f, sequence)
        append32(&f, flags.contains(.ack) ? acknowledgement : 0)
        f += [UInt8((20 + options.count) / 4) << 4, flags.rawValue]
        f += [UInt8(window >> 8), UInt8(truncatingIfNeeded: window), 0, 0, 0, 0]
        f += options
        f += payload
        // Pseudo-header: source, destination, zero, protocol, TCP length.
        var pseudo = (source.ip >> 16) + (source.ip & 0xFFFF) + (destination.ip >> 16) + (destination.ip & 0xFFFF)
        pseudo += 6 + UInt32(tcpLength)
        let tcpSum = checksum(f, tcpStart..<f.count, initial: pseudo)
        f[tcpStart + 16] = UInt8(tcpSum >> 8)
        f[tcpStart + 17] = UInt8(truncatingIfNeeded: tcpSum)
        return f
    }

    /// RFC 1071 ones' complement of the ones' complement sum of `bytes[range]` plus `initial`.
    static func checksum(_ bytes: [UInt8], _ range: Range<Int>, initial: UInt32) -> UInt16 {
        var sum = UInt64(initial)
        bytes.withUnsafeBufferPointer { p in
            var i = range.lowerBound
            while i + 1 < range.upperBound {
                sum &+= UInt64(p[i]) << 8 | UInt64(p[i + 1])
                i += 2
            }
            if i < range.upperBound { sum &+= UInt64(p[i]) << 8 }
        }
        while sum >> 16 != 0 { sum = (sum & 0xFFFF) + (sum >> 16) }
        return ~UInt16(truncatingIfNeeded: sum)
    }

    static func append32(_ f: inout [UInt8], _ v: UInt32) {
        f += [UInt8(v >> 24), UInt8(truncatingIfNeeded: v >> 16), UInt8(truncatingIfNeeded: v >> 8), UInt8(truncatingIfNeeded: v)]
    }
}
