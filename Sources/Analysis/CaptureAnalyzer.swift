import Capture
import Foundation

/// The streaming pipeline for one capture: packets → link layer → IP (IPv4 fragments reassembled)
/// → TCP (per-direction reassembly; gaps reported to the dissector) / UDP / serial records →
/// conversations → dissectors → PDU records (streamed to `pdus.jsonl`) and findings.
///
/// Memory is bounded by the open conversations (each holds its reassembly and dissector buffers),
/// never by the capture size: packets are dropped once processed, PDU records are written at once.
/// Synchronous: run it on a dedicated thread (``AnalysisRun`` does), never on the cooperative pool.
public struct CaptureAnalyzer: Sendable {
    /// Options.
    public var options: AnalysisOptions
    /// The dissectors.
    public var registry: DissectorRegistry

    /// An analyser.
    public init(options: AnalysisOptions = AnalysisOptions(), registry: DissectorRegistry = .standard) {
        self.options = options
        self.registry = registry
    }

    /// Analyses `path` (the `fileIndex`-th argument), writing PDU records to `pduPath` when given;
    /// `progress` gets the bytes read so far now and then.
    public func analyze(path: String, fileIndex: Int, pduPath: String? = nil,
                        progress: ((UInt64) -> Void)? = nil) -> FileResult {
        let started = Date()
        var result = FileResult(fileIndex: fileIndex, path: path, size: Self.fileSize(path))
        let writer = options.pduRecords ? pduPath.flatMap { BufferedFileWriter(path: $0) } : nil
        let file = FileAnalysisState(options: options, fileIndex: fileIndex, path: path, pduWriter: writer)
        let table = ConversationTable(file: file, registry: registry)
        var tcp = TCPReassembler(limits: .init(maxConnections: options.maximumOpenConversations))
        var fragments = IPReassembler()
        var number = 0
        var lastTime: Int64 = 0
        var lastIdleCheck: Int64 = .min / 2
        // Packet numbers MeterProof's writer marked redacted (rare: an AARQ/AARE of a run capture),
        // so that stream data carried by an earlier redacted packet keeps the mark. Bounded.
        var redactedNumbers = Set<Int>()

        func handleTCP(_ events: [TCPStreamEvent], packet: PacketRef) {
            for event in events {
                switch event.kind {
                case .opened:
                    let conversation = table.tcpOpened(number: event.connectionNumber, key: event.connection, first: packet)
                    table.touch(conversation, packet)
                case let .data(direction, bytes, offset, numbers):
                    // After an idle close the connection speaks again: a new conversation.
                    let conversation = table.tcp(number: event.connectionNumber)
                        ?? table.tcpOpened(number: event.connectionNumber, key: event.connection, first: packet)
                    let refs = numbers.map { PacketRef(number: $0, time: packet.time, redacted: redactedNumbers.contains($0)) }
                    conversation.receive(StreamSegment(direction: FlowDirection(direction), bytes: bytes[...], streamOffset: offset,
                                                       packets: refs.isEmpty ? [packet] : refs, isDatagram: false))
                case let .gap(direction, count, offset):
                    table.tcp(number: event.connectionNumber)?.gap(in: FlowDirection(direction), byteCount: count, at: offset,
                                                                  packet: packet)
                case let .overlapConflict(direction, offset, count, packetNumber):
                    file.report(FindingRules.tcpOverlapConflict, conversation: table.tcp(number: event.connectionNumber)?.summary.id,
                                packets: [PacketRef(number: packetNumber, time: packet.time)],
                                message: "\(count) retransmitted byte(s) at offset \(offset) of the \(FlowDirection(direction).rawValue) stream differ from the bytes seen first (kept)")
                case .closed(let reason):
                    let text: String
                    switch reason {
                    case .fin: text = "fin"
                    case .reset: text = "reset"
                    case .evicted: text = "evicted"
                    case .endOfCapture: text = "end_of_capture"
                    }
                    table.tcpClosed(number: event.connectionNumber, key: event.connection, reason: text)
                }
            }
        }

        func transport(_ protocolNumber: UInt8, _ payload: ArraySlice<UInt8>, source: IPAddress, destination: IPAddress,
                       packet: PacketRef) {
            switch protocolNumber {
            case 6:
                let segment: TCPSegment
                do { segment = try TCPSegment.decode(payload) } catch {
                    file.report(FindingRules.undecodablePacket, conversation: nil, packets: [packet], message: "TCP header: \(error)")
                    return
                }
                if let conversation = table.tcp(source: source, segment.sourcePort, destination: destination, segment.destinationPort) {
                    table.touch(conversation, packet)
                }
                let from = CaptureEndpoint(address: source.bytes, port: segment.sourcePort)
                let to = CaptureEndpoint(address: destination.bytes, port: segment.destinationPort)
                handleTCP(tcp.process(segment, source: from, destination: to, packetNumber: packet.number), packet: packet)
            case 17:
                let datagram: UDPDatagram
                do { datagram = try UDPDatagram.decode(payload, source: source, destination: destination, verifyChecksum: false) } catch {
                    file.report(FindingRules.undecodablePacket, conversation: nil, packets: [packet], message: "UDP header: \(error)")
                    return
                }
                let from = CaptureEndpoint(address: source.bytes, port: datagram.sourcePort)
                let to = CaptureEndpoint(address: destination.bytes, port: datagram.destinationPort)
                let (conversation, direction) = table.udp(source: from, destination: to, first: packet)
                table.touch(conversation, packet)
                guard !datagram.payload.isEmpty else { return }
                conversation.receive(StreamSegment(direction: direction, bytes: datagram.payload, streamOffset: 0, packets: [packet],
                                                   isDatagram: true))
            default:
                result.otherPackets += 1
            }
        }

        do {
            let reader = try CaptureReader(path: path)
            result.format = switch reader.format {
            case .pcapng: "pcapng"
            case .pcap: "pcap"
            }
            while let captured = try reader.next() {
                number += 1
                if let time = captured.timestamp?.nanosecondsSince1970 { lastTime = time }
                let packet = PacketRef(number: number, time: lastTime,
                                       redacted: !captured.comments.isEmpty && captured.comments.contains(PcapngWriter.redactedComment))
                if packet.redacted, redactedNumbers.count < 1 << 16 { redactedNumbers.insert(number) }
                if result.firstTime == nil { result.firstTime = lastTime }
                if number & 0xFFF == 0 { progress?(captured.fileOffset) }
                // Idle UDP and serial conversations close as capture time passes (checked at most
                // ten times per idle period, so the scan stays cheap).
                if TimeText.elapsed(lastTime, since: lastIdleCheck) > options.idleTimeout / 10 {
                    lastIdleCheck = lastTime
                    table.closeIdle(now: lastTime)
                }
                let frame: LinkFrame
                do { frame = try LinkLayer.decode(captured) } catch {
                    if case .unsupportedLinkType(let type) = error.kind {
                        // The capture cannot be analysed as it is: exit status 2, the rest is still read.
                        result.unsupportedPackets += 1
                        if result.problem == nil {
                            result.problem = CaptureProblem(offset: captured.fileOffset,
                                                            message: "\(path) at offset \(captured.fileOffset): unsupported link type \(type) (interface \(captured.interfaceIndex)); its packets are skipped")
                        }
                        continue
                    }
                    file.report(FindingRules.undecodablePacket, conversation: nil, packets: [packet], message: "link layer: \(error)")
                    continue
                }
                switch frame.network {
                case .serial:
                    let name = reader.interfaces.indices.contains(captured.interfaceIndex)
                        ? reader.interfaces[captured.interfaceIndex].name ?? "serial \(captured.interfaceIndex)" : "serial \(captured.interfaceIndex)"
                    let conversation = table.serial(section: captured.section, interface: captured.interfaceIndex, name: name, first: packet)
                    table.touch(conversation, packet)
                    for comment in captured.comments {
                        if let speed = Self.lineSpeed(in: comment) { conversation.summary.lineBitsPerSecond = speed }
                    }
                    guard !frame.payload.isEmpty else { continue }
                    let direction: FlowDirection = captured.direction == .fromDevice ? .serverToClient : .clientToServer
                    conversation.receiveSerial(frame.payload, direction: direction, packet: packet)
                case .ipv4, .ipv6:
                    let ip: IPPacket
                    do { ip = try IPPacket.decode(frame.payload, verifyChecksum: false) } catch {
                        file.report(FindingRules.undecodablePacket, conversation: nil, packets: [packet], message: "IP header: \(error)")
                        continue
                    }
                    if ip.isFragment {
                        result.ipFragments += 1
                        switch fragments.add(ip, at: CaptureTime(nanosecondsSince1970: lastTime)) {
                        case .complete(let whole, _):
                            transport(whole.protocolNumber, whole.payload, source: whole.source, destination: whole.destination,
                                      packet: packet)
                        case .droppedV4(let key, let reason):
                            file.report(FindingRules.ipFragmentDropped, conversation: nil, packets: [packet],
                                        message: "IPv4 datagram \(key.identification) from \(IPAddress.v4(key.source)) to \(IPAddress.v4(key.destination)) given up: \(reason)")
                        case .droppedV6(let key, let reason):
                            file.report(FindingRules.ipFragmentDropped, conversation: nil, packets: [packet],
                                        message: "IPv6 datagram \(key.identification) from \(key.source) to \(key.destination) given up: \(reason)")
                        case .pending:
                            break
                        }
                    } else {
                        transport(ip.protocolNumber, ip.payload, source: ip.source, destination: ip.destination, packet: packet)
                    }
                case .other:
                    result.otherPackets += 1
                }
            }
        } catch {
            // A read error ends the file; it outranks an unsupported link type seen before.
            result.problem = CaptureProblem(offset: error.offset, message: error.description)
        }
        let end = PacketRef(number: number, time: lastTime)
        handleTCP(tcp.finish(), packet: end)
        table.closeAll(reason: "end_of_capture")
        if let failure = file.finish() {
            result.problem = result.problem ?? CaptureProblem(offset: 0, message: "cannot write PDU records: \(String(cString: strerror(failure)))")
        }
        result.packets = number
        result.lastTime = number > 0 ? lastTime : nil
        result.pduCount = file.pduCount
        result.pdusByProtocol = file.pdusByProtocol
        result.findings = file.findings
        result.findingCounts = file.findingCounts
        result.rules = file.rulesSeen
        result.conversations = file.conversations.map(\.record)
        result.conversationCount = file.conversationCount
        result.latency = file.latency
        result.elapsedSeconds = Date().timeIntervalSince(started)
        progress?(result.size)
        return result
    }

    /// The bit rate of a MeterProof `line settings 2400 8E1 …` packet comment.
    static func lineSpeed(in comment: String) -> Int? {
        guard let range = comment.range(of: "line settings ") else { return nil }
        let digits = comment[range.upperBound...].prefix { $0.isNumber }
        guard let speed = Int(digits), speed > 0 else { return nil }
        return speed
    }

    static func fileSize(_ path: String) -> UInt64 {
        var info = stat()
        return stat(path, &info) == 0 ? UInt64(info.st_size) : 0
    }
}
