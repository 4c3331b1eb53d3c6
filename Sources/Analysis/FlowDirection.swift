import Capture

/// Which way bytes went within a conversation: the client is the end that opened it (TCP SYN
/// sender; the first sender of a UDP flow; the harness on a serial line, whose outbound records
/// go to the device).
public enum FlowDirection: String, Sendable, Hashable, CaseIterable {
    /// Client → server (harness → device on a serial line).
    case clientToServer = "client_to_server"
    /// Server → client (device → harness).
    case serverToClient = "server_to_client"

    /// The direction of a reassembled TCP stream.
    init(_ tcp: TCPDirection) {
        self = tcp == .clientToServer ? .clientToServer : .serverToClient
    }

    /// Index 0 for client → server, 1 for server → client (per-direction arrays).
    var index: Int { self == .clientToServer ? 0 : 1 }
}

/// One captured packet, as findings and PDU records cite it: its 1-based number in the file and its time.
public struct PacketRef: Sendable, Hashable {
    /// 1 for the file's first packet.
    public var number: Int
    /// Capture time, nanoseconds since 1970 (0 when the block had no timestamp).
    public var time: Int64
    /// The packet says its secret bytes were overwritten (MeterProof's redaction comment), so its
    /// checksums cannot be right: dissectors decode its frames anyway.
    public var redacted: Bool

    /// A reference.
    public init(number: Int, time: Int64, redacted: Bool = false) {
        self.number = number
        self.time = time
        self.redacted = redacted
    }
}
