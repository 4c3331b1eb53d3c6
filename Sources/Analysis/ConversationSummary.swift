import CodecSupport

/// What the report says about one conversation; updated as packets arrive, kept after it closes
/// (one small record per conversation, up to ``AnalysisOptions/maximumListedConversations``).
public final class ConversationSummary {
    /// Per-file number, 1-based in order of first packet.
    public let id: Int
    /// TCP, UDP or serial.
    public let transport: ConversationTransport
    /// The client end.
    public let client: EndpointName
    /// The server end.
    public let server: EndpointName
    /// The dissector's protocol, nil while undecided or when none claimed the bytes.
    public internal(set) var protocolName: String?
    /// A protocol the port suggests when no dissector claimed the bytes (`c12.22` on 1153).
    public internal(set) var portHint: String?
    /// First and last packet times (ns since 1970).
    public internal(set) var firstTime: Int64
    public internal(set) var lastTime: Int64
    /// First and last packet numbers.
    public internal(set) var firstFrame: Int
    public internal(set) var lastFrame: Int
    /// Packets attributed to the conversation.
    public internal(set) var packets = 0
    /// Payload bytes per direction (client → server, server → client).
    public internal(set) var bytes: [UInt64] = [0, 0]
    /// Bytes lost in TCP gaps.
    public internal(set) var gapBytes: UInt64 = 0
    /// PDUs decoded, and per direction.
    public internal(set) var pduCount = 0
    public internal(set) var pdusByDirection = [0, 0]
    /// Findings reported about it.
    public internal(set) var findingCount = 0
    /// Request → response latencies.
    public internal(set) var latency = LatencyStats()
    /// The serial line speed the capture recorded (a `line settings 2400 8E1` packet comment), if any.
    public internal(set) var lineBitsPerSecond: Int?
    /// Why it ended (`fin`, `reset`, `idle`, `evicted`, `end_of_capture`), nil while open.
    public internal(set) var closeReason: String?

    init(id: Int, transport: ConversationTransport, client: EndpointName, server: EndpointName, first: PacketRef) {
        self.id = id
        self.transport = transport
        self.client = client
        self.server = server
        self.firstTime = first.time
        self.lastTime = first.time
        self.firstFrame = first.number
        self.lastFrame = first.number
    }

    /// Records a packet of the conversation.
    func touch(_ packet: PacketRef) {
        packets += 1
        lastTime = max(lastTime, packet.time)
        lastFrame = packet.number
    }

    /// A value copy for the report.
    var record: ConversationRecord {
        ConversationRecord(id: id, transport: transport, client: client.description, server: server.description,
                           protocolName: protocolName, portHint: portHint, firstTime: firstTime, lastTime: lastTime,
                           firstFrame: firstFrame, lastFrame: lastFrame, packets: packets, bytes: bytes, gapBytes: gapBytes,
                           pduCount: pduCount, pdusByDirection: pdusByDirection, findingCount: findingCount, latency: latency,
                           closeReason: closeReason)
    }
}

/// A conversation as the report lists it.
public struct ConversationRecord: Sendable, Hashable {
    public var id: Int
    public var transport: ConversationTransport
    public var client: String
    public var server: String
    public var protocolName: String?
    public var portHint: String?
    public var firstTime: Int64
    public var lastTime: Int64
    public var firstFrame: Int
    public var lastFrame: Int
    public var packets: Int
    public var bytes: [UInt64]
    public var gapBytes: UInt64
    public var pduCount: Int
    public var pdusByDirection: [Int]
    public var findingCount: Int
    public var latency: LatencyStats
    public var closeReason: String?

    /// The `conversations[]` entry of report.json.
    public var json: JSONValue {
        .object([
            ("id", .int(Int64(id))), ("transport", .string(transport.rawValue)),
            ("client", .string(client)), ("server", .string(server)),
            ("protocol", protocolName.map(JSONValue.string) ?? .null), ("port_hint", portHint.map(JSONValue.string) ?? .null),
            ("first_time", .string(TimeText.iso8601(firstTime))), ("last_time", .string(TimeText.iso8601(lastTime))),
            ("first_frame", .int(Int64(firstFrame))), ("last_frame", .int(Int64(lastFrame))),
            ("packets", .int(Int64(packets))),
            ("bytes_client_to_server", .uint(bytes[0])), ("bytes_server_to_client", .uint(bytes[1])),
            ("gap_bytes", .uint(gapBytes)),
            ("pdus", .int(Int64(pduCount))), ("pdus_client_to_server", .int(Int64(pdusByDirection[0]))),
            ("pdus_server_to_client", .int(Int64(pdusByDirection[1]))),
            ("findings", .int(Int64(findingCount))), ("latency", latency.json),
            ("close_reason", closeReason.map(JSONValue.string) ?? .null),
        ])
    }
}
