/// The control bits of a TCP header (RFC 9293 §3.1, RFC 3168 for ECE/CWR).
public struct TCPSegmentFlags: OptionSet, Sendable, Hashable {
    /// The raw flag byte (byte 13 of the header).
    public let rawValue: UInt8
    /// Flags from the raw flag byte.
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    /// No more data from the sender.
    public static let fin = TCPSegmentFlags(rawValue: 0x01)
    /// Synchronize sequence numbers.
    public static let syn = TCPSegmentFlags(rawValue: 0x02)
    /// Reset the connection.
    public static let rst = TCPSegmentFlags(rawValue: 0x04)
    /// Push function.
    public static let psh = TCPSegmentFlags(rawValue: 0x08)
    /// The acknowledgement field is significant.
    public static let ack = TCPSegmentFlags(rawValue: 0x10)
    /// The urgent pointer is significant.
    public static let urg = TCPSegmentFlags(rawValue: 0x20)
    /// ECN echo.
    public static let ece = TCPSegmentFlags(rawValue: 0x40)
    /// Congestion window reduced.
    public static let cwr = TCPSegmentFlags(rawValue: 0x80)
}

/// Why bytes are not a TCP segment.
public enum TCPSegmentError: Error, Sendable, Equatable {
    /// Fewer than the 20 bytes of a fixed header.
    case truncated(length: Int)
    /// The data offset (in 32-bit words) is below 5 or points past the end of the bytes.
    case badDataOffset(words: Int, length: Int)
}

/// A decoded TCP segment (RFC 9293 §3.1): header fields, options skipped, payload as a slice of the input.
public struct TCPSegment: Sendable, Hashable {
    /// Source port.
    public var sourcePort: UInt16
    /// Destination port.
    public var destinationPort: UInt16
    /// Sequence number of the first octet (of the SYN, when `flags` holds `.syn`).
    public var sequenceNumber: UInt32
    /// Acknowledgement number (meaningful with `.ack`).
    public var acknowledgementNumber: UInt32
    /// Header length in 32-bit words (5…15).
    public var dataOffset: UInt8
    /// Control bits.
    public var flags: TCPSegmentFlags
    /// Receive window (unscaled).
    public var window: UInt16
    /// The checksum field as carried.
    public var checksum: UInt16
    /// Urgent pointer.
    public var urgentPointer: UInt16
    /// The bytes after the header (options are skipped, not interpreted).
    public var payload: ArraySlice<UInt8>

    /// A segment from its fields (for building and for tests).
    public init(sourcePort: UInt16, destinationPort: UInt16, sequenceNumber: UInt32,
                acknowledgementNumber: UInt32 = 0, dataOffset: UInt8 = 5, flags: TCPSegmentFlags = [],
                window: UInt16 = 65_535, checksum: UInt16 = 0, urgentPointer: UInt16 = 0,
                payload: ArraySlice<UInt8> = []) {
        self.sourcePort = sourcePort
        self.destinationPort = destinationPort
        self.sequenceNumber = sequenceNumber
        self.acknowledgementNumber = acknowledgementNumber
        self.dataOffset = dataOffset
        self.flags = flags
        self.window = window
        self.checksum = checksum
        self.urgentPointer = urgentPointer
        self.payload = payload
    }

    /// Header length in bytes (`dataOffset` × 4).
    public var headerLength: Int { Int(dataOffset) * 4 }

    /// Sequence space the segment occupies: payload bytes plus one each for SYN and FIN.
    public var sequenceLength: Int {
        payload.count + (flags.contains(.syn) ? 1 : 0) + (flags.contains(.fin) ? 1 : 0)
    }

    /// Decodes the TCP header at the start of `bytes`; never traps. The payload is the rest of
    /// `bytes` after the header (the caller trims it to the IP payload length first).
    public static func decode(_ bytes: ArraySlice<UInt8>) throws(TCPSegmentError) -> TCPSegment {
        guard bytes.count >= 20 else { throw .truncated(length: bytes.count) }
        let s = bytes.startIndex
        func u16(_ i: Int) -> UInt16 { UInt16(bytes[s + i]) << 8 | UInt16(bytes[s + i + 1]) }
        func u32(_ i: Int) -> UInt32 { UInt32(u16(i)) << 16 | UInt32(u16(i + 2)) }
        let words = Int(bytes[s + 12] >> 4)
        guard words >= 5, words * 4 <= bytes.count else {
            throw .badDataOffset(words: words, length: bytes.count)
        }
        return TCPSegment(
            sourcePort: u16(0), destinationPort: u16(2), sequenceNumber: u32(4), acknowledgementNumber: u32(8),
            dataOffset: UInt8(words), flags: TCPSegmentFlags(rawValue: bytes[s + 13]), window: u16(14),
            checksum: u16(16), urgentPointer: u16(18), payload: bytes[(s + words * 4)...])
    }

    /// Decodes a segment held in an array.
    public static func decode(_ bytes: [UInt8]) throws(TCPSegmentError) -> TCPSegment {
        try decode(bytes[...])
    }

    /// The RFC 1071 checksum over `pseudoHeader` followed by `segment` (the segment's checksum
    /// field must be zero to compute the value to send). The pseudo-header is whatever the IP layer
    /// defines: RFC 9293 §3.1 for IPv4 (12 bytes), RFC 8200 §8.1 for IPv6 (40 bytes).
    public static func checksum(pseudoHeader: some Collection<UInt8>, segment: some Collection<UInt8>) -> UInt16 {
        InternetChecksum.checksum(pseudoHeader, then: segment)
    }

    /// Whether the checksum carried in `segment` (the whole TCP segment, header and payload) is
    /// right for `pseudoHeader`.
    public static func verifyChecksum(segment: some Collection<UInt8>, pseudoHeader: some Collection<UInt8>) -> Bool {
        segment.count >= 20 && checksum(pseudoHeader: pseudoHeader, segment: segment) == 0
    }
}
