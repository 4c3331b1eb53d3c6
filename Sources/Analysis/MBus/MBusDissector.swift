import CodecSupport
import MeterBus

/// Wired M-Bus (EN 13757-2/-3) frames in TCP streams (transparent gateways), UDP datagrams and
/// serial records: frames cut per direction with the streaming ``FrameReader``, decoded with
/// ``Telegram/decode(_:table:requireValidChecksum:)`` (fields as `meterproof decode mbus --format json`),
/// master requests paired with slave replies (half duplex: a new request gives up the previous).
final class MBusDissector: Dissector {
    /// Default reply latency threshold when the line speed is unknown (TCP gateways): 1.3 s
    /// (fact sheet mbus.md §1.10: L's receive timeout at 300 Bd, above 330 bit times + 50 ms).
    static let defaultLatencyThreshold: Int64 = 1_300_000_000

    /// The answer window at a known line speed: 330 bit times + 50 ms (fact sheet mbus.md §1.10).
    static func answerWindow(bitsPerSecond: Int) -> Int64 {
        330 * 1_000_000_000 / Int64(max(1, bitsPerSecond)) + 50_000_000
    }

    /// The registration: no port of its own; the heuristic claims TCP/UDP streams and serial lines.
    static let registration = DissectorRegistration(
        protocolName: "mbus",
        heuristic: { bytes, complete in MBusHeuristic.matches(bytes, complete: complete) },
        makeDissector: { MBusDissector() },
        rules: [
            FindingRules.mbusChecksumError, FindingRules.mbusMalformedFrame, FindingRules.mbusUnexpectedAddress,
            FindingRules.mbusRequestWithoutResponse, FindingRules.mbusResponseWithoutRequest, FindingRules.mbusResponseLatency,
        ])

    private struct Flow {
        var reader = FrameReader()
        /// Stream offset of the next byte the reader will report.
        var offset: UInt64 = 0
        var spans = PacketSpans()
    }

    private var flows = [Flow(), Flow()]
    private var exchanges = ExchangeTracker()

    func receive(_ segment: StreamSegment, in context: DissectionContext) {
        let d = segment.direction.index
        if segment.isDatagram {
            flows[d] = Flow()
            flows[d].offset = 0
        }
        let end = segment.streamOffset + UInt64(segment.bytes.count)
        if flows[d].reader.bufferedCount == 0 { flows[d].offset = segment.streamOffset }
        flows[d].spans.add(start: segment.streamOffset, end: end, packets: segment.packets)
        flows[d].reader.append(segment.bytes)
        drain(segment.direction, in: context)
        if segment.isDatagram, let event = flows[d].reader.finish() { handle(event, direction: segment.direction, in: context) }
    }

    func gap(in direction: FlowDirection, byteCount: UInt64, at streamOffset: UInt64, in context: DissectionContext) {
        var flow = Flow()
        flow.offset = streamOffset + byteCount
        flows[direction.index] = flow
    }

    func finish(in context: DissectionContext) {
        let peerClosed = context.summary.closeReason == "fin" || context.summary.closeReason == "reset"
        for direction in FlowDirection.allCases {
            if let event = flows[direction.index].reader.finish(), peerClosed || isChecksum(event) {
                handle(event, direction: direction, in: context)
            }
        }
        for request in exchanges.finish() { unanswered(request, in: context) }
    }

    private func isChecksum(_ event: FrameReader.Event) -> Bool {
        if case let .error(error, _) = event { return error.code == .badChecksum }
        return false
    }

    private func drain(_ direction: FlowDirection, in context: DissectionContext) {
        while let event = flows[direction.index].reader.next() { handle(event, direction: direction, in: context) }
    }

    private func handle(_ event: FrameReader.Event, direction: FlowDirection, in context: DissectionContext) {
        let d = direction.index
        let start = flows[d].offset
        let length: Int
        switch event {
        case let .frame(_, bytes): length = bytes.count
        case let .error(_, discarded): length = discarded.count
        case let .skipped(garbage): length = garbage.count
        }
        let end = start + UInt64(length)
        flows[d].offset = end
        let packets = flows[d].spans.packets(from: start, to: end)
        flows[d].spans.discard(before: end)
        switch event {
        case let .frame(frame, bytes):
            frameDecoded(frame, bytes: bytes, checksumOK: true, direction: direction, start: start, packets: packets, in: context)
        case let .error(error, discarded):
            if error.code == .badChecksum, let parsed = try? Frame.parse(discarded[...]) {
                context.report(FindingRules.mbusChecksumError, packets: packets,
                               message: "\(parsed.frame.kind.name) frame at \(direction.rawValue) stream offset \(start): \(error.reason)")
                frameDecoded(parsed.frame, bytes: discarded, checksumOK: false, direction: direction, start: start, packets: packets,
                             in: context)
            } else {
                context.report(FindingRules.mbusMalformedFrame, packets: packets,
                               message: "\(direction.rawValue) stream offset \(start + UInt64(max(0, error.offset))): \(error.reason) [\(error.code.rawValue)]")
            }
        case .skipped:
            break
        }
    }

    private func frameDecoded(_ frame: Frame, bytes: [UInt8], checksumOK: Bool, direction: FlowDirection, start: UInt64,
                              packets: [PacketRef], in context: DissectionContext) {
        let kind = frame.kind
        context.emitPDU(direction: direction, packets: packets, streamOffset: start) { () -> JSONValue in
            do throws(MeterBusError) {
                return try Telegram.decode(bytes[...], requireValidChecksum: false).json
            } catch {
                return .object([("frame", .object([("type", .string(kind.name))])),
                                ("error", .object([("code", .string(error.code.rawValue)), ("offset", .int(Int64(error.offset))),
                                                   ("message", .string(error.reason))]))])
            }
        }
        let time = packets.last?.time ?? 0
        let name = frame.control.map { "\(frame.kind.name) \($0.name)" } ?? frame.kind.name
        if let control = frame.control, control.isFromPrimary {
            // A slave ignores a frame with a wrong checksum and never answers the broadcast 0xFF (§1.2, §1.6).
            guard checksumOK, let address = frame.addressField, address.mayBeAnswered else { return }
            let request = ExchangeTracker.Pending(service: "mbus", correlation: Int(address.rawValue), packets: packets, time: time,
                                                  name: "\(name) to address \(address.rawValue)")
            for dropped in exchanges.request(request, halfDuplex: true) { unanswered(dropped, in: context) }
            return
        }
        // A slave frame: E5 or a reply.
        if let address = frame.address, !context.options.mbusAddresses.isEmpty, !context.options.mbusAddresses.contains(address) {
            context.report(FindingRules.mbusUnexpectedAddress, packets: packets,
                           message: "\(name) from address \(address), not among --mbus-addresses")
        }
        let (match, _) = exchanges.response(service: "mbus", correlation: nil)
        switch match {
        case let .answered(request, _):
            let latency = TimeText.elapsed(time, since: request.time)
            context.recordLatency(latency)
            let threshold = context.options.latencyThreshold(
                default: context.lineBitsPerSecond.map(Self.answerWindow) ?? Self.defaultLatencyThreshold)
            if latency > threshold {
                context.report(FindingRules.mbusResponseLatency, packets: request.packets + packets,
                               message: "\(name) came \(TimeText.milliseconds(latency)) after \(request.name) (threshold \(TimeText.milliseconds(threshold)))")
            }
        case .unsolicited:
            context.report(FindingRules.mbusResponseWithoutRequest, packets: packets, message: "\(name) answers no request")
        }
    }

    private func unanswered(_ request: ExchangeTracker.Pending, in context: DissectionContext) {
        context.report(FindingRules.mbusRequestWithoutResponse, packets: request.packets, message: "\(request.name) got no reply")
    }
}
