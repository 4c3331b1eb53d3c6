import Foundation

/// A `--decode-as` mapping like tshark's `-d`: `tcp.port==4060,dlms`, `udp.port==4059,mbus`.
public struct DecodeAsRule: Sendable, Hashable, CustomStringConvertible {
    /// `tcp` or `udp`.
    public var transport: ConversationTransport
    /// The port (either end of the conversation).
    public var port: UInt16
    /// The protocol name of a registered dissector.
    public var protocolName: String

    /// A rule.
    public init(transport: ConversationTransport, port: UInt16, protocolName: String) {
        self.transport = transport
        self.port = port
        self.protocolName = protocolName
    }

    /// Parses `tcp.port==N,PROTO` or `udp.port==N,PROTO`; nil when the text has another form.
    public init?(parsing text: String) {
        let parts = text.split(separator: ",", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2, !parts[1].isEmpty else { return nil }
        let selector = parts[0].replacingOccurrences(of: " ", with: "")
        let transport: ConversationTransport
        let rest: Substring
        if selector.hasPrefix("tcp.port==") {
            transport = .tcp
            rest = selector.dropFirst("tcp.port==".count)
        } else if selector.hasPrefix("udp.port==") {
            transport = .udp
            rest = selector.dropFirst("udp.port==".count)
        } else {
            return nil
        }
        guard let port = UInt16(rest) else { return nil }
        self.init(transport: transport, port: port, protocolName: parts[1].lowercased())
    }

    public var description: String { "\(transport.rawValue).port==\(port),\(protocolName)" }
}
