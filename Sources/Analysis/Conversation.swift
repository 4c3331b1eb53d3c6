/// One open conversation: its summary, and its dissector once the registry has chosen one.
/// Until then (heuristic pending) the first bytes are held, at most
/// ``DissectorRegistry/heuristicWindow`` of the first direction plus the segments carrying them.
final class Conversation {
    let summary: ConversationSummary
    private let file: FileAnalysisState
    private let registry: DissectorRegistry
    private var dissector: (any Dissector)?
    private var context: DissectionContext?
    /// No dissector will be chosen (port hint, or the heuristics declined).
    private var declined = false
    private var held: [(direction: FlowDirection, bytes: [UInt8], offset: UInt64, packets: [PacketRef], datagram: Bool)] = []
    private var window: [UInt8] = []
    private var windowDirection: FlowDirection?
    /// Sequence number of the last activity (for eviction) and capture time.
    var lastActivity: UInt64 = 0
    var lastTime: Int64 = 0
    let isSerial: Bool
    /// The TCP connection's ends, for a TCP conversation.
    var tcpTuple: TCPTuple?

    init(summary: ConversationSummary, file: FileAnalysisState, registry: DissectorRegistry, ports: [UInt16]) {
        self.summary = summary
        self.file = file
        self.registry = registry
        self.isSerial = summary.transport == .serial
        if summary.transport != .serial {
            if let registration = registry.byPort(summary.transport, ports: ports, decodeAs: file.options.decodeAs) {
                start(registration)
            } else if let hint = ports.lazy.compactMap({ registry.portHints[$0] }).first {
                summary.portHint = hint
                declined = true
            } else if registry.portIsKnown(summary.transport, ports: ports) {
                declined = true
            }
        }
    }

    private func start(_ registration: DissectorRegistration) {
        summary.protocolName = registration.protocolName
        let dissector = registration.makeDissector()
        self.dissector = dissector
        context = DissectionContext(conversation: summary.id, transport: summary.transport, client: summary.client,
                                    server: summary.server, protocolName: registration.protocolName, file: file,
                                    summary: summary)
    }

    /// Bytes of one direction (or a datagram).
    func receive(_ segment: StreamSegment) {
        summary.bytes[segment.direction.index] += UInt64(segment.bytes.count)
        dispatch(segment)
    }

    private func dispatch(_ segment: StreamSegment) {
        if let dissector, let context {
            dissector.receive(segment, in: context)
            return
        }
        guard !declined else { return }
        if windowDirection == nil { windowDirection = segment.direction }
        if segment.isDatagram {
            held.append((segment.direction, Array(segment.bytes), segment.streamOffset, segment.packets, true))
            decide(on: segment.bytes, complete: true)
            return
        }
        if segment.direction != windowDirection, !window.isEmpty {
            // The first speaker's turn is over: decide on what it sent.
            decide(on: window[...], complete: true)
            dispatch(segment)
            return
        }
        held.append((segment.direction, Array(segment.bytes), segment.streamOffset, segment.packets, false))
        if segment.direction == windowDirection {
            window.append(contentsOf: segment.bytes.prefix(DissectorRegistry.heuristicWindow - window.count))
        }
        if window.count >= DissectorRegistry.heuristicWindow { decide(on: window[...], complete: false) }
    }

    private func decide(on bytes: ArraySlice<UInt8>, complete: Bool) {
        if let registration = registry.byHeuristic(bytes, complete: complete, serial: isSerial) {
            start(registration)
            let replay = held
            held = []
            window = []
            for item in replay {
                guard let dissector, let context else { break }
                dissector.receive(StreamSegment(direction: item.direction, bytes: item.bytes[...], streamOffset: item.offset,
                                                packets: item.packets, isDatagram: item.datagram), in: context)
            }
        } else {
            declined = true
            held = []
            window = []
        }
    }

    /// Stream offsets of the serial line per direction.
    private var serialOffsets: [UInt64] = [0, 0]

    /// One serial record.
    func receiveSerial(_ bytes: ArraySlice<UInt8>, direction: FlowDirection, packet: PacketRef) {
        let offset = serialOffsets[direction.index]
        serialOffsets[direction.index] += UInt64(bytes.count)
        receive(StreamSegment(direction: direction, bytes: bytes, streamOffset: offset, packets: [packet], isDatagram: false))
    }

    /// Bytes lost in a TCP gap.
    func gap(in direction: FlowDirection, byteCount: UInt64, at offset: UInt64, packet: PacketRef) {
        summary.gapBytes += byteCount
        file.report(FindingRules.tcpGap, conversation: summary.id, packets: [packet],
                    message: "\(byteCount) byte(s) missing from the \(direction.rawValue.replacingOccurrences(of: "_", with: " ")) stream at offset \(offset)")
        summary.findingCount += 1
        if let dissector, let context {
            dissector.gap(in: direction, byteCount: byteCount, at: offset, in: context)
        } else if !declined {
            // Undecided: what is held is no longer a clean start.
            if !window.isEmpty { decide(on: window[...], complete: true) } else { declined = true; held = [] }
            if let dissector, let context { dissector.gap(in: direction, byteCount: byteCount, at: offset, in: context) }
        }
    }

    /// Closes the conversation.
    func close(reason: String) {
        summary.closeReason = reason
        if dissector == nil, !declined, !window.isEmpty || !held.isEmpty {
            let bytes = window.isEmpty ? (held.first?.bytes[...] ?? []) : window[...]
            decide(on: bytes, complete: true)
        }
        if let dissector, let context { dissector.finish(in: context) }
        dissector = nil
        context = nil
        held = []
    }
}
