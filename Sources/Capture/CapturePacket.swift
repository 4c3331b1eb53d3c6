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
    /// 4 bytes (IPv4) or 16 bytes (IPv6).
    public var address: [UInt8]
    public var port: UInt16

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

/// One chunk of bytes to write as a packet.
public struct CapturePacket: Sendable, Hashable {
    public var time: Date
    public var direction: CaptureDirection
    /// The bytes as they should appear (secrets already overwritten when `redacted`).
    public var bytes: [UInt8]
    /// A packet comment (`opt_comment`), e.g. a line-settings change that preceded it.
    public var comment: String?
    /// Marks the packet as redacted (a comment says so; the caller overwrote the secret bytes).
    public var redacted: Bool

    public init(time: Date, direction: CaptureDirection, bytes: [UInt8], comment: String? = nil, redacted: Bool = false) {
        self.time = time
        self.direction = direction
        self.bytes = bytes
        self.comment = comment
        self.redacted = redacted
    }
}
