import CodecSupport

/// Everything one capture's analysis accumulates: findings (counted all, listed up to a bound per
/// rule), conversation summaries, totals, latencies, and the PDU stream to `pdus.jsonl`.
/// Used from the one thread that analyses the file.
final class FileAnalysisState {
    let options: AnalysisOptions
    let fileIndex: Int
    let path: String
    private let pduWriter: BufferedFileWriter?

    private(set) var findings: [Finding] = []
    private(set) var findingCounts: [String: Int] = [:]
    private(set) var rulesSeen: [String: FindingRule] = [:]
    private(set) var pduCount = 0
    private(set) var pdusByProtocol: [String: Int] = [:]
    var latency = LatencyStats()
    private(set) var conversations: [ConversationSummary] = []
    private(set) var conversationCount = 0
    private var sharedState: [ObjectIdentifier: AnyObject] = [:]
    private let fileName: JSONValue

    init(options: AnalysisOptions, fileIndex: Int, path: String, pduWriter: BufferedFileWriter?) {
        self.options = options
        self.fileIndex = fileIndex
        self.path = path
        self.pduWriter = pduWriter
        self.fileName = .string(path)
    }

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

    func writePDU(conversation: DissectionContext, direction: FlowDirection, packets: [PacketRef], streamOffset: UInt64?,
                  fields: JSONValue) {
        pduCount += 1
        pdusByProtocol[conversation.protocolName, default: 0] += 1
        guard let pduWriter else { return }
        let (source, destination) = direction == .clientToServer
            ? (conversation.client, conversation.server) : (conversation.server, conversation.client)
        let time = packets.last?.time ?? 0
        let record = JSONValue.object([
            ("file_index", .int(Int64(fileIndex))), ("file", fileName),
            ("frames", .array(packets.map { .int(Int64($0.number)) })),
            ("time", .string(TimeText.iso8601(time))), ("time_ns", .int(time)),
            ("conversation", .int(Int64(conversation.conversation))), ("transport", .string(conversation.transport.rawValue)),
            ("src", .string(source.description)), ("dst", .string(destination.description)),
            ("protocol", .string(conversation.protocolName)), ("direction", .string(direction.rawValue)),
            ("stream_offset", streamOffset.map { .uint($0) } ?? .null),
            (conversation.protocolName, fields),
        ])
        pduWriter.writeLine(record.serialized())
    }

    func flush() { pduWriter?.flush() }
}
