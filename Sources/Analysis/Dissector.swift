import CodecSupport

/// Bytes handed to a dissector: in-order stream bytes of one direction (TCP, serial), or one
/// whole UDP datagram.
public struct StreamSegment {
    /// Which way the bytes went.
    public var direction: FlowDirection
    /// The bytes (a slice of the reassembled data or of the captured packet: not copied).
    public var bytes: ArraySlice<UInt8>
    /// Stream offset of the first byte in its direction (0 = first byte of the direction).
    public var streamOffset: UInt64
    /// The packets that carried the bytes.
    public var packets: [PacketRef]
    /// True for a UDP datagram: the bytes are one whole message.
    public var isDatagram: Bool
}

/// A protocol dissector for one conversation: gets the conversation's bytes, emits PDU records
/// and findings through the ``DissectionContext``. One instance per conversation, used from one
/// thread; its memory is what it buffers for that conversation.
public protocol Dissector: AnyObject {
    /// Bytes of one direction, in stream order (or one datagram).
    func receive(_ segment: StreamSegment, in context: DissectionContext)
    /// `byteCount` bytes of `direction` never arrived before `streamOffset` + `byteCount`: the
    /// dissector drops any partial PDU and resynchronises.
    func gap(in direction: FlowDirection, byteCount: UInt64, at streamOffset: UInt64, in context: DissectionContext)
    /// The conversation ended (FIN/RST, idle, eviction or end of capture): flush and run end checks.
    func finish(in context: DissectionContext)
}

/// What a dissector sees of its conversation and how it reports: PDU records (streamed to
/// `pdus.jsonl` at once), findings, and response latencies.
public final class DissectionContext {
    /// The conversation's number in its file (1-based, in order of first packet).
    public let conversation: Int
    /// TCP, UDP or serial.
    public let transport: ConversationTransport
    /// The client (see ``FlowDirection``).
    public let client: EndpointName
    /// The server.
    public let server: EndpointName
    /// The protocol the registry chose.
    public let protocolName: String
    let file: FileAnalysisState
    let summary: ConversationSummary

    init(conversation: Int, transport: ConversationTransport, client: EndpointName, server: EndpointName,
         protocolName: String, file: FileAnalysisState, summary: ConversationSummary) {
        self.conversation = conversation
        self.transport = transport
        self.client = client
        self.server = server
        self.protocolName = protocolName
        self.file = file
        self.summary = summary
    }

    /// The analysis options.
    public var options: AnalysisOptions { file.options }

    /// The serial line speed in force, when the capture recorded one (MeterProof's
    /// `line settings 2400 8E1` packet comments); nil for TCP/UDP.
    public var lineBitsPerSecond: Int? { summary.lineBitsPerSecond }

    /// Whether PDU records are written: when false, ``emitPDU(direction:packets:streamOffset:fields:)``
    /// only counts, so a dissector may skip building the fields.
    public var wantsFields: Bool { file.writesPDUs }

    /// State shared by all conversations of the file for one type (e.g. the DLMS invocation-counter tracker).
    public func shared<T: AnyObject>(_ type: T.Type, make: () -> T) -> T {
        file.shared(type, make: make)
    }

    /// Emits one decoded PDU: counted, and (when records are written) streamed to `pdus.jsonl`,
    /// not kept. `fields` builds what goes under the protocol's name (`"dlms": {…}`); it runs on the
    /// PDU stream's thread, so it must capture values only (decoded APDUs, bytes), never the dissector.
    public func emitPDU(direction: FlowDirection, packets: [PacketRef], streamOffset: UInt64?,
                        fields: @escaping @Sendable () -> JSONValue) {
        summary.pduCount += 1
        summary.pdusByDirection[direction.index] += 1
        file.writePDU(conversation: self, direction: direction, packets: packets, streamOffset: streamOffset, fields: fields)
    }

    /// Reports a finding about this conversation.
    public func report(_ rule: FindingRule, packets: [PacketRef], message: String) {
        summary.findingCount += 1
        file.report(rule, conversation: conversation, packets: packets, message: message)
    }

    /// `,"conversation":N,"transport":…,"src":…,"dst":…,"protocol":…,"direction":…,"stream_offset":`
    /// of this conversation's PDU records, per direction (serialised once).
    private var middles: [[UInt8]?] = [nil, nil]
    /// `,"PROTOCOL":`
    private(set) lazy var fieldsKey: [UInt8] = {
        var out: [UInt8] = [0x2C]
        JSONBytes.appendQuoted(protocolName, to: &out)
        out.append(0x3A)
        return out
    }()

    func recordMiddle(_ direction: FlowDirection) -> [UInt8] {
        if let cached = middles[direction.index] { return cached }
        let (source, destination) = direction == .clientToServer ? (client, server) : (server, client)
        var out: [UInt8] = []
        JSONBytes.appendString(raw: ",\"conversation\":\(conversation),\"transport\":", to: &out)
        JSONBytes.appendQuoted(transport.rawValue, to: &out)
        JSONBytes.appendString(raw: ",\"src\":", to: &out)
        JSONBytes.appendQuoted(source.description, to: &out)
        JSONBytes.appendString(raw: ",\"dst\":", to: &out)
        JSONBytes.appendQuoted(destination.description, to: &out)
        JSONBytes.appendString(raw: ",\"protocol\":", to: &out)
        JSONBytes.appendQuoted(protocolName, to: &out)
        JSONBytes.appendString(raw: ",\"direction\":", to: &out)
        JSONBytes.appendQuoted(direction.rawValue, to: &out)
        JSONBytes.appendString(raw: ",\"stream_offset\":", to: &out)
        middles[direction.index] = out
        return out
    }

    /// Records a request → response latency (nanoseconds).
    public func recordLatency(_ nanoseconds: Int64) {
        summary.latency.add(nanoseconds)
        file.latency.add(nanoseconds)
    }
}
