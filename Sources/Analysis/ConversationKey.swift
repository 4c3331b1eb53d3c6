import Capture

/// The transport a conversation runs over.
public enum ConversationTransport: String, Sendable, Hashable {
    /// A TCP connection (reassembled per direction).
    case tcp
    /// A UDP flow between two endpoints.
    case udp
    /// A serial line recorded by MeterProof (LINKTYPE_USER0, direction in `epb_flags`).
    case serial
}

/// An endpoint as text: `address:port` (IPv6 in brackets), or the serial interface's name.
public struct EndpointName: Sendable, Hashable, CustomStringConvertible {
    /// The text.
    public var description: String

    /// An IP endpoint.
    init(_ endpoint: CaptureEndpoint) {
        if endpoint.address.count == 4 {
            description = endpoint.address.map(String.init).joined(separator: ".") + ":\(endpoint.port)"
        } else {
            var words: [String] = []
            var i = 0
            while i + 1 < endpoint.address.count {
                words.append(String(UInt16(endpoint.address[i]) << 8 | UInt16(endpoint.address[i + 1]), radix: 16))
                i += 2
            }
            description = "[" + words.joined(separator: ":") + "]:\(endpoint.port)"
        }
    }

    /// Free text (serial lines).
    init(text: String) { description = text }
}

/// What identifies a UDP flow or a serial line in the conversation table (TCP uses the
/// reassembler's connection key).
enum FlowKey: Hashable {
    /// Endpoints in canonical order (the lower one first), so both directions share a key.
    case udp(CaptureEndpoint, CaptureEndpoint)
    /// pcapng section and interface of a serial link.
    case serial(section: Int, interface: Int)
    /// A TCP connection by its reassembler number.
    case tcp(Int)

    /// The canonical UDP key of a datagram between two endpoints.
    static func udp(between a: CaptureEndpoint, and b: CaptureEndpoint) -> FlowKey {
        let swap = a.address.lexicographicallyPrecedes(b.address) ? false
            : (a.address == b.address ? a.port > b.port : true)
        return swap ? .udp(b, a) : .udp(a, b)
    }
}
