#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Which way bytes went between the harness and the device.
public enum CaptureDirection: Sendable, Hashable {
    /// Harness → device (pcapng `epb_flags` outbound).
    case toDevice
    /// Device → harness (pcapng `epb_flags` inbound).
    case fromDevice
}

/// An IP endpoint of a synthetic TCP or UDP session.
public struct CaptureEndpoint: Sendable, Hashable {
    /// 4 bytes (IPv4) or 16 bytes (IPv6); both ends of a session must have the same length.
    public var address: [UInt8]
    /// The TCP or UDP port.
    public var port: UInt16

    /// An endpoint from raw address bytes (network order) and a port.
    public init(address: [UInt8], port: UInt16) {
        self.address = address
        self.port = port
    }
}

/// How one session reached the device; decides the pcapng interface and framing of its packets.
public enum CaptureLink: Sendable, Hashable {
    /// A serial line, pty or in-process simulator: raw bytes, direction in `epb_flags`
    /// (link type and layout documented in `Captures/README.md`). `name` is the device path or URL.
    case serial(name: String)
    /// A TCP connection: written as IPv4/IPv6 + TCP with a synthetic handshake, sequence numbers and FIN.
    case tcp(harness: CaptureEndpoint, device: CaptureEndpoint)
    /// UDP datagrams between the two endpoints.
    case udp(harness: CaptureEndpoint, device: CaptureEndpoint)
}

/// A capture timestamp with nanosecond resolution (the pcapng `if_tsresol` of every interface we write).
///
/// `Date` holds a `Double` of seconds since 2001, which near today resolves about 0.1 µs; use
/// ``init(nanosecondsSince1970:)`` when the exact nanosecond matters.
public struct CaptureTime: Sendable, Hashable, Comparable {
    /// Nanoseconds since 1970-01-01T00:00:00Z.
    public var nanosecondsSince1970: Int64

    /// A timestamp from nanoseconds since the Unix epoch.
    public init(nanosecondsSince1970: Int64) {
        self.nanosecondsSince1970 = nanosecondsSince1970
    }

    /// The timestamp nearest to `date` (whole seconds and fraction converted separately, so no
    /// precision is lost beyond what `Date` holds).
    public init(_ date: Date) {
        let sinceReference = date.timeIntervalSinceReferenceDate
        guard sinceReference.isFinite else {
            self.nanosecondsSince1970 = 0
            return
        }
        let whole = sinceReference.rounded(.down)
        let fraction = sinceReference - whole  // exact: both are doubles of the same magnitude
        let seconds = Int64(exactly: whole.clamped(to: -9.0e9...9.0e9)) ?? 0
        let nanoseconds = Int64((fraction * 1_000_000_000).rounded())
        self.nanosecondsSince1970 = (seconds + 978_307_200) * 1_000_000_000 + nanoseconds
    }

    /// The same instant as a `Date` (rounded to what a `Double` holds).
    public var date: Date {
        let seconds = nanosecondsSince1970.quotientAndRemainder(dividingBy: 1_000_000_000)
        return Date(timeIntervalSince1970: Double(seconds.quotient) + Double(seconds.remainder) / 1_000_000_000)
    }

    /// Earlier timestamps sort first.
    public static func < (lhs: CaptureTime, rhs: CaptureTime) -> Bool {
        lhs.nanosecondsSince1970 < rhs.nanosecondsSince1970
    }
}

extension Double {
    fileprivate func clamped(to range: ClosedRange<Double>) -> Double {
        Swift.min(Swift.max(self, range.lowerBound), range.upperBound)
    }
}

/// One chunk of bytes to write as a packet.
public struct CapturePacket: Sendable, Hashable {
    /// When the bytes were sent or received, to the nanosecond.
    public var timestamp: CaptureTime
    /// Which way the bytes went.
    public var direction: CaptureDirection
    /// The bytes as they should appear (secrets already overwritten when `redacted`).
    public var bytes: [UInt8]
    /// A packet comment (`opt_comment`), e.g. a line-settings change that preceded it.
    public var comment: String?
    /// Marks the packet as redacted (a comment says so; the caller overwrote the secret bytes).
    public var redacted: Bool

    /// When the bytes were sent or received, as a `Date`.
    public var time: Date {
        get { timestamp.date }
        set { timestamp = CaptureTime(newValue) }
    }

    /// A packet stamped with a `Date`.
    public init(time: Date, direction: CaptureDirection, bytes: [UInt8], comment: String? = nil, redacted: Bool = false) {
        self.init(timestamp: CaptureTime(time), direction: direction, bytes: bytes, comment: comment, redacted: redacted)
    }

    /// A packet stamped with an exact nanosecond timestamp.
    public init(timestamp: CaptureTime, direction: CaptureDirection, bytes: [UInt8], comment: String? = nil,
                redacted: Bool = false) {
        self.timestamp = timestamp
        self.direction = direction
        self.bytes = bytes
        self.comment = comment
        self.redacted = redacted
    }
}
