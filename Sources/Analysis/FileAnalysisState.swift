import CodecSupport

/// Everything one capture's analysis accumulates: findings (counted all, listed up to a bound per
/// rule), conversation summaries, totals, latencies, and the PDU stream to `pdus.jsonl`.
/// Used from the one thread that analyses the file.
final class FileAnalysisState {
    let options: AnalysisOptions
    let fileIndex: Int
    let path: String
    private let pduStream: PDUStream?

    private(set) var findings: [Finding] = []
    private(set) var findingCounts: [String: Int] = [:]
    private(set) var rulesSeen: [String: FindingRule] = [:]
    private(set) var pduCount = 0
    private(set) var pdusByProtocol: [String: Int] = [:]
    var latency = LatencyStats()
    private(set) var conversations: [ConversationSummary] = []
    private(set) var conversationCount = 0
    private var sharedState: [ObjectIdentifier: AnyObject] = [:]

    init(options: AnalysisOptions, fileIndex: Int, path: String, pduWriter: BufferedFileWriter?) {
        self.options = options
        self.fileIndex = fileIndex
        self.path = path
        self.pduStream = pduWriter.map(PDUStream.init(writer:))
    }

    /// Whether PDU records are written (dissectors skip building their JSON otherwise).
    var writesPDUs: Bool { pduStream != nil }

    func shared<T: AnyObject>(_ type: T.Type, make: () -> T) -> T {
        let key = ObjectIdentifier(type)
        if let existing = sharedState[key] as? T { return existing }
        let made = make()
        sharedState[key] = made
        return made
    }

    /// A new conversation summary (listed while under the bound).
    func newConversation(transport: ConversationTransport, client: EndpointName, server: EndpointName,
                         first: PacketRef) -> ConversationSummary {
        conversationCount += 1
        let summary = ConversationSummary(id: conversationCount, transport: transport, client: client, server: server, first: first)
        if conversations.count < options.maximumListedConversations { conversations.append(summary) }
        return summary
    }

    func report(_ rule: FindingRule, conversation: Int?, packets: [PacketRef], message: String) {
        let count = (findingCounts[rule.id] ?? 0) + 1
        findingCounts[rule.id] = count
        rulesSeen[rule.id] = rule
        guard count <= options.maximumListedFindingsPerRule else { return }
        findings.append(Finding(rule: rule, fileIndex: fileIndex, conversation: conversation, frames: packets.map(\.number),
                                time: packets.last?.time, message: message))
    }

    /// Counts one PDU and, when records are written, hands it to the PDU stream: the parts that
    /// are the same for every record of a conversation and direction are serialised once, the
    /// protocol fields are built by `fields` on the stream's thread.
    func writePDU(conversation: DissectionContext, direction: FlowDirection, packets: [PacketRef], streamOffset: UInt64?,
                  fields: @escaping @Sendable () -> JSONValue) {
        pduCount += 1
        pdusByProtocol[conversation.protocolName, default: 0] += 1
        guard let pduStream else { return }
        let time = packets.last?.time ?? 0
        var out = recordHead
        out.reserveCapacity(recordHead.count + 160)
        for (i, packet) in packets.enumerated() {
            if i > 0 { out.append(0x2C) }
            JSONBytes.appendUnsigned(UInt64(max(0, packet.number)), to: &out)
        }
        out.append(contentsOf: Self.timeKey)
        TimeText.appendISO8601(time, to: &out)
        out.append(contentsOf: Self.timeNanosecondsKey)
        JSONBytes.appendInteger(time, to: &out)
        out.append(contentsOf: conversation.recordMiddle(direction))
        if let streamOffset { JSONBytes.appendUnsigned(streamOffset, to: &out) } else { out.append(contentsOf: Self.null) }
        out.append(contentsOf: conversation.fieldsKey)
        pduStream.append(PDUStream.Job(head: out, fields: fields))
    }

    /// `{"file_index":N,"file":"PATH","frames":[`
    private lazy var recordHead: [UInt8] = {
        var out: [UInt8] = []
        JSONBytes.appendString(raw: "{\"file_index\":\(fileIndex),\"file\":", to: &out)
        JSONBytes.appendQuoted(path, to: &out)
        JSONBytes.appendString(raw: ",\"frames\":[", to: &out)
        return out
    }()
    private static let timeKey = Array("],\"time\":\"".utf8)
    private static let timeNanosecondsKey = Array("\",\"time_ns\":".utf8)
    private static let null = Array("null".utf8)

    /// Writes every pending record and stops the PDU stream; the first write error (`errno`), if any.
    func finish() -> Int32? { pduStream?.finish() }
}
