import CodecSupport
import DLMS

/// Per-file DLMS state: invocation counters per system title (replay detection spans conversations).
final class DLMSFileState {
    var counters = InvocationCounterTracker()
}

/// DLMS/COSEM over the wrapper (TCP streams, UDP datagrams) and HDLC (TCP streams, serial lines):
/// frames cut per direction, HDLC segments joined, APDUs decoded with the DLMS codec, ciphered
/// APDUs deciphered with the key store's keys for their system title (AARQ calling-AP-title,
/// AARE responding-AP-title, or the general-ciphering title). PDU fields are those of
/// `meterproof decode dlms --format json` (`framing`, `hdlc`/`wrapper`, `apdu`, `apdu_error`,
/// `deciphered`, `decipher_error`), plus `hdlc_segments` for joined HDLC segments.
final class DLMSDissector: Dissector {
    /// Default response latency threshold: 5 s (fact sheet dlms.md §1.10).
    static let defaultLatencyThreshold: Int64 = 5_000_000_000

    /// The registration: TCP/UDP port 4059, HDLC and wrapper heuristics.
    static let registration = DissectorRegistration(
        protocolName: "dlms", tcpPorts: [WrapperHeader.port], udpPorts: [WrapperHeader.port],
        heuristic: { bytes, complete in DLMSHeuristic.matches(bytes, complete: complete) },
        makeDissector: { DLMSDissector() },
        rules: [
            FindingRules.dlmsRequestWithoutResponse, FindingRules.dlmsResponseWithoutRequest, FindingRules.dlmsInvokeIDMismatch,
            FindingRules.dlmsResponseLatency, FindingRules.dlmsAARERejected, FindingRules.dlmsExceptionResponse,
            FindingRules.dlmsConfirmedServiceError, FindingRules.dlmsDataAccessError, FindingRules.dlmsCleartextMeterData,
            FindingRules.dlmsInvocationCounterReplay, FindingRules.dlmsGCMTagFailure, FindingRules.dlmsMalformedPDU,
        ])

    private var flows = [DLMSFlow(), DLMSFlow()]
    private var exchanges = ExchangeTracker()
    private var clientTitle: [UInt8]?
    private var serverTitle: [UInt8]?
    /// The current association is ciphered (context name with ciphering, or a ciphered APDU seen since the AARQ).
    private var cipheringSeen = false

    func receive(_ segment: StreamSegment, in context: DissectionContext) {
        let direction = segment.direction
        if segment.isDatagram {
            datagram(segment, in: context)
            return
        }
        flows[direction.index].receive(segment) { unit in handle(unit, direction: direction, in: context) }
    }

    func gap(in direction: FlowDirection, byteCount: UInt64, at streamOffset: UInt64, in context: DissectionContext) {
        flows[direction.index].gap(resumingAt: streamOffset + byteCount)
    }

    func finish(in context: DissectionContext) {
        let peerClosed = context.summary.closeReason == "fin" || context.summary.closeReason == "reset"
        for direction in FlowDirection.allCases {
            flows[direction.index].finish(reportTruncation: peerClosed) { unit in handle(unit, direction: direction, in: context) }
        }
        for request in exchanges.finish() { unanswered(request, in: context) }
    }

    // MARK: Units

    private func datagram(_ segment: StreamSegment, in context: DissectionContext) {
        let bytes = segment.bytes
        switch DLMSMessage.detectFraming(bytes) {
        case .wrapper:
            do {
                let frame = try WrapperFrame.decode(bytes)
                handle(.wrapper(frame, start: 0, end: UInt64(bytes.count), packets: segment.packets), direction: segment.direction,
                       in: context)
            } catch {
                handle(.malformed(error, offset: UInt64(max(0, error.offset)), packets: segment.packets), direction: segment.direction,
                       in: context)
            }
        case .hdlc:
            var reader = HDLCFrameReader()
            reader.append(bytes)
            var events: [HDLCFrameReader.Event] = []
            while let event = reader.next() { events.append(event) }
            events += reader.finish()
            for event in events {
                switch event {
                case let .frame(frame, frameBytes, _):
                    var info = frame.information
                    if HDLCLLC.detect(in: info) != nil { info = info.dropFirst(3) }
                    let carries = (frame.frameType == .information || frame.frameType == .unnumberedInformation) && !info.isEmpty
                    handle(.hdlc(frameBytes: frameBytes, apdu: carries ? Array(info) : nil, frames: 1, start: 0,
                                 end: UInt64(frameBytes.count), packets: segment.packets), direction: segment.direction, in: context)
                case let .error(error, _, offset):
                    handle(.malformed(error, offset: UInt64(max(0, offset + error.offset)), packets: segment.packets),
                           direction: segment.direction, in: context)
                case .skipped:
                    break
                }
            }
        case .apdu:
            handleAPDU(.apdu, apdu: bytes, apduOffset: 0, direction: segment.direction, packets: segment.packets, start: nil,
                       in: context)
        }
    }

    /// How a PDU was framed, as values the PDU stream's thread turns into JSON.
    enum Framing: Sendable {
        case wrapper(sourcePort: UInt16, destinationPort: UInt16, length: Int)
        case hdlc(frameBytes: [UInt8], segments: Int)
        case apdu

        /// `framing` and the `wrapper` / `hdlc` (+ `hdlc_segments`) members, as `decode dlms` names them.
        var members: [(String, JSONValue)] {
            switch self {
            case let .wrapper(source, destination, length):
                return [("framing", .string("wrapper")), ("wrapper", .object([
                    ("version", .int(Int64(WrapperHeader.version))), ("source_wport", .int(Int64(source))),
                    ("destination_wport", .int(Int64(destination))), ("length", .int(Int64(length))),
                ]))]
            case let .hdlc(frameBytes, segments):
                var m: [(String, JSONValue)] = [("framing", .string("hdlc"))]
                if let parsed = try? HDLCFrame.parse(frameBytes[...]) { m.append(("hdlc", parsed.json)) }
                if segments > 1 { m.append(("hdlc_segments", .int(Int64(segments)))) }
                return m
            case .apdu:
                return [("framing", .string("apdu"))]
            }
        }
    }

    private func handle(_ unit: DLMSFlow.Unit, direction: FlowDirection, in context: DissectionContext) {
        switch unit {
        case let .wrapper(frame, start, _, packets):
            handleAPDU(.wrapper(sourcePort: frame.sourcePort, destinationPort: frame.destinationPort, length: frame.apdu.count),
                       apdu: frame.apdu, apduOffset: start + UInt64(WrapperHeader.size), direction: direction, packets: packets,
                       start: start, in: context)
        case let .hdlc(frameBytes, apdu, frames, start, _, packets):
            let framing = Framing.hdlc(frameBytes: frameBytes, segments: frames)
            if let apdu {
                handleAPDU(framing, apdu: apdu[...], apduOffset: start, direction: direction, packets: packets, start: start,
                           in: context)
            } else {
                context.emitPDU(direction: direction, packets: packets, streamOffset: start) { .object(framing.members) }
                // SNRM and DISC reset the link (fact sheet dlms.md §1.4): nothing outstanding will be answered.
                if frameBytes.count > 5, let type = HDLCControl(rawValue: Self.controlByte(of: frameBytes)).frameType,
                   type == .setNormalResponseMode || type == .disconnect {
                    for request in exchanges.abandon() { unanswered(request, in: context) }
                }
            }
        case let .malformed(error, offset, packets):
            context.report(FindingRules.dlmsMalformedPDU, packets: packets,
                           message: "\(direction.rawValue) stream offset \(offset): \(error.reason) [\(error.code.rawValue)]")
        }
    }

    /// The control byte of a whole HDLC frame: after the flag, the 2-byte format and the two addresses
    /// (each ends with a byte whose low bit is 1; fact sheet dlms.md §1.3).
    static func controlByte(of frame: [UInt8]) -> UInt8 {
        var i = 3
        for _ in 0..<2 {
            while i < frame.count - 1, frame[i] & 0x01 == 0 { i += 1 }
            i += 1
        }
        return i < frame.count ? frame[i] : 0
    }

    // MARK: APDUs

    private func handleAPDU(_ framing: Framing, apdu bytes: ArraySlice<UInt8>, apduOffset: UInt64,
                            direction: FlowDirection, packets: [PacketRef], start: UInt64?, in context: DissectionContext) {
        let decoded: DLMSMessage.APDU
        do {
            decoded = try DLMSMessage.decodeAPDU(bytes)
        } catch {
            context.emitPDU(direction: direction, packets: packets, streamOffset: start) {
                .object(framing.members + [("apdu_error", DLMSMessage.errorJSON(error))])
            }
            undecodedRequest(bytes, packets: packets, in: context)
            // A well-formed APDU the codec does not decode (short-name referencing) is not malformed:
            // its record carries the apdu_error, no finding.
            guard error.code != .unsupported else { return }
            context.report(FindingRules.dlmsMalformedPDU, packets: packets,
                           message: "APDU at \(direction.rawValue) stream offset \(apduOffset) does not decode: \(error.reason) at APDU offset \(error.offset) (stream offset \(apduOffset + UInt64(max(0, error.offset)))) [\(error.code.rawValue)]")
            return
        }
        var plain: DLMSMessage.APDU?
        var decipherError: DLMSError?
        if case .xdlms(.ciphered(let ciphered)) = decoded {
            let outcome = decipher(ciphered, bytes: bytes, role: DLMSRole(decoded), direction: direction, packets: packets,
                                   in: context)
            plain = outcome.plain
            decipherError = outcome.error
        }
        let deciphered = plain
        let failure = decipherError
        context.emitPDU(direction: direction, packets: packets, streamOffset: start) {
            var members = framing.members
            members.append(("apdu", decoded.json))
            if let deciphered { members.append(("deciphered", deciphered.json)) }
            if let failure { members.append(("decipher_error", DLMSMessage.errorJSON(failure))) }
            return .object(members)
        }
        check(decoded, plain: plain, packets: packets, in: context)
    }

    private func decipher(_ apdu: CipheredAPDU, bytes: ArraySlice<UInt8>, role: DLMSRole, direction: FlowDirection,
                          packets: [PacketRef], in context: DissectionContext) -> (plain: DLMSMessage.APDU?, error: DLMSError?) {
        cipheringSeen = true
        let party: SecurityParty
        switch role {
        case .request: party = .client
        case .response, .unconfirmed: party = .server
        case .other: party = direction == .clientToServer ? .client : .server
        }
        let carried = apdu.systemTitle.flatMap { $0.isEmpty ? nil : $0 }
        let senderTitle = carried ?? (party == .client ? clientTitle : serverTitle)
        var plain: DLMSMessage.APDU?
        var failure: DLMSError?
        var tagFailed = false
        let ring = context.options.dlmsKeys
        if !ring.isEmpty, let keys = [carried, serverTitle, clientTitle].compactMap({ $0 }).lazy.compactMap(ring.keys(for:)).first {
            let security = SecurityContext(
                globalUnicastKey: keys.ek?.reveal(), authenticationKey: keys.ak?.reveal(),
                clientSystemTitle: clientTitle.flatMap { try? SystemTitle($0) } ?? (party == .client ? carried.flatMap { try? SystemTitle($0) } : nil),
                serverSystemTitle: serverTitle.flatMap { try? SystemTitle($0) } ?? (party == .server ? carried.flatMap { try? SystemTitle($0) } : nil))
            do {
                let unprotected = try security.unprotect(bytes: bytes, from: party)
                do {
                    plain = try DLMSMessage.decodeAPDU(unprotected.plaintext[...])
                } catch {
                    failure = error
                    context.report(FindingRules.dlmsMalformedPDU, packets: packets,
                                   message: "deciphered APDU (IC \(apdu.invocationCounter)) does not decode: \(error.reason) at plaintext offset \(error.offset) [\(error.code.rawValue)]")
                }
            } catch {
                failure = error
                if error.code == .authenticationFailed {
                    tagFailed = true
                    let title = senderTitle.map { HexText.format($0, separator: "") } ?? "unknown"
                    context.report(FindingRules.dlmsGCMTagFailure, packets: packets,
                                   message: "\(apdu.tag.name) from \(party.rawValue) (system title \(title), IC \(apdu.invocationCounter)): the GCM authentication tag does not verify with the key store's keys")
                }
            }
        }
        if !tagFailed, let senderTitle, let title = try? SystemTitle(senderTitle) {
            let state = context.shared(DLMSFileState.self) { DLMSFileState() }
            let verdict = state.counters.observe(apdu.invocationCounter, from: title)
            switch verdict {
            case .replay:
                context.report(FindingRules.dlmsInvocationCounterReplay, packets: packets,
                               message: "invocation counter \(apdu.invocationCounter) of system title \(title) repeats the last one (replay or IV reuse)")
            case .decreased(let last):
                context.report(FindingRules.dlmsInvocationCounterReplay, packets: packets,
                               message: "invocation counter \(apdu.invocationCounter) of system title \(title) is below the last one, \(last)")
            case .first, .next, .gap:
                break
            }
        }
        return (plain, failure)
    }

    // MARK: Checks

    private func check(_ apdu: DLMSMessage.APDU, plain: DLMSMessage.APDU?, packets: [PacketRef], in context: DissectionContext) {
        let effective = plain ?? apdu
        let name = Self.name(of: effective)
        switch apdu {
        case .acse(.aarq(let aarq)):
            // A new association: requests of the previous one will not be answered any more.
            for request in exchanges.abandon(keeping: ["association"]) { unanswered(request, in: context) }
            if let title = aarq.callingAPTitle, !title.isEmpty { clientTitle = title }
            // Each association sets the expectation afresh: a ciphered context, or a ciphered APDU within it.
            cipheringSeen = aarq.applicationContextName.usesCiphering
        case .acse(.aare(let aare)):
            if let title = aare.respondingAPTitle, !title.isEmpty { serverTitle = title }
            if aare.result != .accepted {
                context.report(FindingRules.dlmsAARERejected, packets: packets,
                               message: "AARE result \(aare.result), diagnostic \(aare.resultSourceDiagnostic)")
            } else if aare.applicationContextName.usesCiphering {
                cipheringSeen = true
            }
        default:
            break
        }
        let time = packets.last?.time ?? 0
        switch DLMSRole(effective) {
        case let .request(service, invokeID):
            let dropped = exchanges.request(.init(service: service, correlation: invokeID, packets: packets, time: time, name: name))
            for request in dropped { unanswered(request, in: context) }
        case let .response(service, invokeID):
            let (match, unansweredRequests) = exchanges.response(service: service, correlation: invokeID)
            for request in unansweredRequests { unanswered(request, in: context) }
            switch match {
            case let .answered(request, mismatch):
                let latency = TimeText.elapsed(time, since: request.time)
                context.recordLatency(latency)
                let threshold = context.options.latencyThreshold(default: Self.defaultLatencyThreshold)
                if latency > threshold {
                    context.report(FindingRules.dlmsResponseLatency, packets: request.packets + packets,
                                   message: "\(name) came \(TimeText.milliseconds(latency)) after its \(request.name) (threshold \(TimeText.milliseconds(threshold)))")
                }
                if mismatch {
                    context.report(FindingRules.dlmsInvokeIDMismatch, packets: request.packets + packets,
                                   message: "\(name) carries invoke-id \(invokeID.map(String.init) ?? "?"), its \(request.name) carried \(request.correlation.map(String.init) ?? "?")")
                }
            case .unsolicited:
                context.report(FindingRules.dlmsResponseWithoutRequest, packets: packets,
                               message: "\(name)\(invokeID.map { " (invoke-id \($0))" } ?? "") answers no outstanding \(service.map { "\($0) " } ?? "")request")
            }
        case .unconfirmed, .other:
            break
        }
        checkResults(effective, name: name, packets: packets, in: context)
        if context.options.expectCiphering || cipheringSeen, Self.carriesMeterData(apdu) {
            let why = context.options.expectCiphering ? "--expect-ciphering" : "a ciphered association earlier in the conversation"
            context.report(FindingRules.dlmsCleartextMeterData, packets: packets,
                           message: "\(name) carries meter data in clear although ciphering is expected (\(why))")
        }
    }

    private func checkResults(_ apdu: DLMSMessage.APDU, name: String, packets: [PacketRef], in context: DissectionContext) {
        guard case .xdlms(let x) = apdu else { return }
        func dar(_ results: [String]) {
            guard !results.isEmpty else { return }
            context.report(FindingRules.dlmsDataAccessError, packets: packets, message: "\(name): \(results.joined(separator: ", "))")
        }
        switch x {
        case .exceptionResponse(let e):
            context.report(FindingRules.dlmsExceptionResponse, packets: packets,
                           message: "ExceptionResponse: state-error \(e.stateError.name), service-error \(e.serviceError.name)")
        case .confirmedServiceError(let e):
            context.report(FindingRules.dlmsConfirmedServiceError, packets: packets,
                           message: "ConfirmedServiceError: \(e.serviceName), \(e.errorName) \(e.errorValueName ?? String(e.errorValue))")
        case .getResponse(let r):
            switch r {
            case .normal(_, .dataAccessResult(let e)) where e != .success: dar([e.name])
            case .withList(_, let items):
                dar(items.compactMap { if case .dataAccessResult(let e) = $0, e != .success { e.name } else { nil } })
            case .withDatablock(_, let block):
                if case .dataAccessResult(let e) = block.result, e != .success { dar([e.name]) }
            default: break
            }
        case .setResponse(let r):
            switch r {
            case .normal(_, let e) where e != .success: dar([e.name])
            case .lastDatablock(_, let e, _) where e != .success: dar([e.name])
            case .withList(_, let l), .lastDatablockWithList(_, let l, _): dar(l.filter { $0 != .success }.map(\.name))
            default: break
            }
        case .actionResponse(let r):
            switch r {
            case .normal(_, let a) where a.result != .success: dar([a.result.name])
            case .withList(_, let l): dar(l.filter { $0.result != .success }.map(\.result.name))
            default: break
            }
        default:
            break
        }
    }

    /// A request whose body does not decode still expects an answer (often an ExceptionResponse):
    /// registered by its tag (fact sheet dlms.md §5.1, §5.11), with the invoke-id byte when present.
    private func undecodedRequest(_ bytes: ArraySlice<UInt8>, packets: [PacketRef], in context: DissectionContext) {
        guard let tag = bytes.first else { return }
        let service: String
        switch tag {
        case 0x60: service = "association"
        case 0x62: service = "release"
        case 0xC0: service = "get"
        case 0xC1: service = "set"
        case 0xC3: service = "action"
        case 0x05, 0x06: service = "sn"
        default: return
        }
        let invoke = (0xC0...0xC3).contains(tag) && bytes.count > 2 ? Int(bytes[bytes.startIndex + 2] & 0x0F) : nil
        let dropped = exchanges.request(.init(service: service, correlation: invoke, packets: packets, time: packets.last?.time ?? 0,
                                              name: "undecodable request (tag \(HexText.format([tag])))"))
        for request in dropped { unanswered(request, in: context) }
    }

    private func unanswered(_ request: ExchangeTracker.Pending, in context: DissectionContext) {
        context.report(FindingRules.dlmsRequestWithoutResponse, packets: request.packets,
                       message: "\(request.name)\(request.correlation.map { " (invoke-id \($0))" } ?? "") got no response")
    }

    /// Cleartext APDUs that carry meter data: GET/SET/ACTION responses and notifications.
    static func carriesMeterData(_ apdu: DLMSMessage.APDU) -> Bool {
        guard case .xdlms(let x) = apdu else { return false }
        switch x {
        case .getResponse, .setResponse, .actionResponse, .dataNotification, .eventNotificationRequest: return true
        default: return false
        }
    }

    /// The APDU's name as the fact sheet writes it (`get-response`, `AARQ`).
    static func name(of apdu: DLMSMessage.APDU) -> String {
        switch apdu {
        case .acse(let a): a.name
        case .xdlms(let x): x.name
        }
    }
}
