import Capture

/// The open conversations of one capture, bounded: TCP connections close with FIN/RST or follow
/// the reassembler (which evicts the least recently active beyond its limit); every conversation
/// closes after ``AnalysisOptions/idleTimeout`` of capture time without packets; UDP flows and
/// serial lines also close when the table is full (least recently active first). Closed
/// conversations keep only their summary.
final class ConversationTable {
    private let file: FileAnalysisState
    private let registry: DissectorRegistry
    private var flows: [FlowKey: Conversation] = [:]
    /// Open TCP conversations by (client, server), with addresses held by value: hashed for
    /// every TCP packet, so no arrays on the way.
    private var tcpByKey: [TCPTuple: Conversation] = [:]
    private var tick: UInt64 = 0

    init(file: FileAnalysisState, registry: DissectorRegistry) {
        self.file = file
        self.registry = registry
    }

    var openCount: Int { flows.count }

    /// The TCP conversation of a connection number, opening it for a new connection.
    func tcpOpened(number: Int, key: TCPConnectionKey, first: PacketRef) -> Conversation {
        let summary = file.newConversation(transport: .tcp, client: EndpointName(key.client), server: EndpointName(key.server),
                                           first: first)
        let conversation = Conversation(summary: summary, file: file, registry: registry, ports: [key.server.port, key.client.port])
        flows[.tcp(number)] = conversation
        conversation.tcpTuple = TCPTuple(key)
        tcpByKey[TCPTuple(key)] = conversation
        return conversation
    }

    func tcp(number: Int) -> Conversation? { flows[.tcp(number)] }

    /// The open TCP conversation a segment between these ends belongs to.
    func tcp(source: IPAddress, _ sourcePort: UInt16, destination: IPAddress, _ destinationPort: UInt16) -> Conversation? {
        tcpByKey[TCPTuple(client: source, clientPort: sourcePort, server: destination, serverPort: destinationPort)]
            ?? tcpByKey[TCPTuple(client: destination, clientPort: destinationPort, server: source, serverPort: sourcePort)]
    }

    func tcpClosed(number: Int, key: TCPConnectionKey, reason: String) {
        guard let conversation = flows.removeValue(forKey: .tcp(number)) else { return }
        if tcpByKey[TCPTuple(key)] === conversation { tcpByKey[TCPTuple(key)] = nil }
        conversation.close(reason: reason)
    }

    /// The UDP conversation between two endpoints (the sender of its first datagram is the client).
    func udp(source: CaptureEndpoint, destination: CaptureEndpoint, first: PacketRef) -> (Conversation, FlowDirection) {
        let key = FlowKey.udp(between: source, and: destination)
        if let existing = flows[key] {
            let direction: FlowDirection = existing.summary.client == EndpointName(source)
                && existing.summary.server == EndpointName(destination) ? .clientToServer : .serverToClient
            return (existing, direction)
        }
        makeRoom()
        let summary = file.newConversation(transport: .udp, client: EndpointName(source), server: EndpointName(destination),
                                           first: first)
        let conversation = Conversation(summary: summary, file: file, registry: registry,
                                        ports: [destination.port, source.port])
        flows[key] = conversation
        return (conversation, .clientToServer)
    }

    /// The serial conversation of an interface.
    func serial(section: Int, interface: Int, name: String, first: PacketRef) -> Conversation {
        let key = FlowKey.serial(section: section, interface: interface)
        if let existing = flows[key] { return existing }
        makeRoom()
        let summary = file.newConversation(transport: .serial, client: EndpointName(text: "harness"),
                                           server: EndpointName(text: name), first: first)
        let conversation = Conversation(summary: summary, file: file, registry: registry, ports: [])
        flows[key] = conversation
        return conversation
    }

    /// Marks activity (for eviction and idle closing).
    func touch(_ conversation: Conversation, _ packet: PacketRef) {
        tick &+= 1
        conversation.lastActivity = tick
        conversation.lastTime = packet.time
        conversation.summary.touch(packet)
    }

    /// Closes conversations idle since before `now - idleTimeout`. A TCP connection that speaks
    /// again later gets a new conversation (its dissector resynchronises mid-stream).
    func closeIdle(now: Int64) {
        let limit = now.subtractingReportingOverflow(file.options.idleTimeout).overflow ? Int64.min : now - file.options.idleTimeout
        let idle = flows.filter { $0.value.lastTime < limit }
        for (key, conversation) in idle.sorted(by: { $0.value.summary.id < $1.value.summary.id }) {
            flows[key] = nil
            if let tuple = conversation.tcpTuple, tcpByKey[tuple] === conversation { tcpByKey[tuple] = nil }
            conversation.close(reason: "idle")
        }
    }

    private func makeRoom() {
        guard flows.count >= file.options.maximumOpenConversations else { return }
        let candidates = flows.filter { key, _ in
            if case .tcp = key { return false }
            return true
        }
        guard let oldest = candidates.min(by: { $0.value.lastActivity < $1.value.lastActivity }) else { return }
        flows[oldest.key] = nil
        oldest.value.close(reason: "evicted")
    }

    /// Closes every open UDP and serial conversation at the end of the capture (TCP ones close
    /// through the reassembler's `finish()`), in order of opening.
    func closeAll(reason: String) {
        for (key, conversation) in flows.sorted(by: { $0.value.summary.id < $1.value.summary.id }) {
            flows[key] = nil
            conversation.close(reason: reason)
        }
        tcpByKey.removeAll()
    }
}

/// A TCP connection's ends by value.
struct TCPTuple: Hashable {
    var client: IPAddress
    var clientPort: UInt16
    var server: IPAddress
    var serverPort: UInt16

    init(client: IPAddress, clientPort: UInt16, server: IPAddress, serverPort: UInt16) {
        self.client = client
        self.clientPort = clientPort
        self.server = server
        self.serverPort = serverPort
    }

    init(_ key: TCPConnectionKey) {
        self.init(client: IPAddress(bytes: key.client.address), clientPort: key.client.port,
                  server: IPAddress(bytes: key.server.address), serverPort: key.server.port)
    }
}

extension IPAddress {
    /// The address of 4 (IPv4) or 16 (IPv6) network-order bytes; other lengths read as IPv6 zero-padded.
    init(bytes: [UInt8]) {
        if bytes.count == 4 {
            self = .v4(bytes.reduce(0) { $0 << 8 | UInt32($1) })
        } else {
            var high: UInt64 = 0
            var low: UInt64 = 0
            for i in 0..<16 {
                let byte = UInt64(i < bytes.count ? bytes[i] : 0)
                if i < 8 { high = high << 8 | byte } else { low = low << 8 | byte }
            }
            self = .v6(high: high, low: low)
        }
    }
}
