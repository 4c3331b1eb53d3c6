import CodecSupport
import DLMS
import Transport

/// Executes the DLMS/COSEM step kinds on one connection, as a DLMS client does: opens the link
/// (mode E, SNRM/UA, or the wrapper), associates (no security, LLS, HLS-GMAC with suite-0
/// ciphering), reads, writes and invokes COSEM objects, and releases. Every frame sent and
/// received goes to the evidence, decoded (and deciphered when the association has keys).
final class DLMSSession: ProtocolSession {
    let stream: any ByteStream
    let evidence: EvidenceLog
    var link: DLMSClientLink
    /// The open association, nil when idle.
    var association: DLMSAssociation?
    /// The last APDU received (decoded, deciphered), for `expect_apdu`, `read_value`.
    var lastAPDU: JSONValue?
    /// Whether the mode E opening has brought the line to HDLC.
    var modeEOpen = false
    /// The line settings at the start of the session (restored before each case).
    let initialSettings: LineSettings?
    var identityValues: [String: String] = [:]
    /// The last service outcome (`get`, `set`, `action`) as JSON, and its value.
    var lastResult: JSONValue?
    var lastData: COSEMData?
    /// Values kept by `save_as`, by name (their JSON is in the step context's `saved`).
    var savedData: [String: COSEMData] = [:]
    /// The client's invocation counter for ciphered APDUs; kept across associations and cases
    /// (starts at the PIXIT `client_invocation_counter`, default 1).
    var clientInvocationCounter: UInt32 = 1
    var clientInvocationCounterSet = false
    /// Distinguishes the HLS challenges of one session.
    var challengeCounter: UInt64 = 0
    /// Invoke-id of the next confirmed request (1–15, wrapping).
    var nextInvokeID: UInt8 = 1

    var identity: [String: String] { identityValues }

    init(stream: any ByteStream, evidence: EvidenceLog) {
        self.stream = stream
        self.evidence = evidence
        self.initialSettings = (stream as? any LineControl)?.lineSettings
        link = DLMSClientLink(framing: .wrapper, clientSAP: 16, serverLogical: 1, serverPhysical: 17, serverAddressSize: .four)
    }

    // MARK: ProtocolSession

    func prepareCase(_ context: inout StepContext) async throws(TransportError) {
        configureLink(&context)
        lastAPDU = nil
        lastResult = nil
        lastData = nil
        savedData = [:]
        if !clientInvocationCounterSet {
            clientInvocationCounter = UInt32(clamping: pixitInt("client_invocation_counter", context) ?? 1)
            clientInvocationCounterSet = true
        }
        // A case that stopped early leaves an association or an HDLC connection open: close them
        // so that this case starts idle. Answers are recorded but not judged.
        if association != nil || link.connected {
            context.log.append("closing what the previous case left open (not judged)")
            if link.framing == .hdlc, link.connected {
                if let disc = link.unnumbered(.disconnect) {
                    try await transmitFrame(disc, &context, what: "DISC (cleanup)")
                    _ = try await collect(for: .milliseconds(300), &context, note: "answer to the cleanup DISC, not judged")
                }
            } else if association != nil {
                try await transmitAPDU(RLRQ().encoded(), &context, what: "RLRQ (cleanup)")
                _ = try await collect(for: .milliseconds(300), &context, note: "answer to the cleanup RLRQ, not judged")
            }
            association = nil
            link.resetConnection()
            if link.framing == .hdlc, isModeE(context) { modeEOpen = false }
        }
        if let initialSettings, let line = stream as? any LineControl, line.lineSettings != initialSettings, !modeEOpen {
            try await line.apply(initialSettings)
            await recordNotes(&context)
        }
        var stale = link.drain()
        while true {
            let chunk = try await stream.receive(maxCount: 4096, deadline: .now)
            if chunk.isEmpty { break }
            stale += chunk
        }
        if !stale.isEmpty {
            let id = evidence.append(.received, bytes: stale, note: "stale bytes from before the case, discarded")
            context.frames.append(id)
            context.log.append("discarded \(stale.count) stale byte(s) before the case")
        }
    }

    func idle(for duration: Duration, in context: inout StepContext) async throws(TransportError) {
        context.log.append("wait \(duration)")
        _ = try await collect(for: duration, &context, note: "received during a wait, not judged")
    }

    func execute(_ step: Step, in context: inout StepContext) async throws(TransportError) {
        configureLink(&context)
        do {
            switch step.kind {
            case "mode_e_open": try await modeEOpenStep(step, &context)
            case "connect": try await connectStep(step, &context)
            case "disconnect": try await disconnectStep(step, &context)
            case "send_frame": try await sendFrameStep(step, &context)
            case "expect_frame": try await expectFrameStep(step, &context)
            case "expect_silence": try await expectSilenceStep(step, &context)
            case "associate": try await associateStep(step, &context)
            case "release": try await releaseStep(step, &context)
            case "send_apdu": try await sendAPDUStep(step, &context)
            case "expect_apdu": try await expectAPDUStep(step, &context)
            case "get": try await getStep(step, &context)
            case "set": try await setStep(step, &context)
            case "action": try await actionStep(step, &context)
            case "check_objects": try await checkObjectsStep(step, &context)
            case "check_value": try checkValueStep(step, &context)
            case "read_value": try readValueStep(step, &context)
            case "image_transfer": try await imageTransferStep(step, &context)
            default: context.setVerdict(.error, "the DLMS driver has no step '\(step.kind)'")
            }
        } catch let error as UndefinedReference {
            context.setVerdict(.error, "\(step.kind): \(error)")
        } catch let error as TransportError {
            association = nil
            link.resetConnection()
            modeEOpen = false
            throw error
        } catch {
            context.setVerdict(.error, "\(step.kind): \(error)")
        }
    }

    // MARK: Configuration

    /// Reads the link settings from the PIXIT (framing, addresses); the client SAP stays as the
    /// last `connect`/`associate` set it.
    func configureLink(_ context: inout StepContext) {
        let framing = pixitText("framing", context).flatMap(DLMSFraming.init(rawValue:)) ?? .wrapper
        if framing != link.framing {
            _ = link.drain()
            link.framing = framing
        }
        link.serverLogical = UInt16(clamping: pixitInt("server_logical_address", context) ?? 1)
        let size = pixitInt("server_address_size", context) ?? 4
        link.serverAddressSize = HDLCAddress.Size(rawValue: size) ?? .four
        link.serverPhysical = link.serverAddressSize == .one ? nil : UInt16(clamping: pixitInt("server_physical_address", context) ?? 17)
    }

    func pixitText(_ name: String, _ context: StepContext) -> String? {
        context.pixit[name].map(ParameterValue.init(pixit:))?.textValue
    }

    func pixitInt(_ name: String, _ context: StepContext) -> Int? {
        context.pixit[name].map(ParameterValue.init(pixit:))?.intValue
    }

    func pixitBool(_ name: String, _ context: StepContext) -> Bool? {
        switch context.pixit[name] {
        case .bool(let b)?: return b
        case .string(let s)?: return s == "true" ? true : (s == "false" ? false : nil)
        default: return nil
        }
    }

    /// A PIXIT key or system title: hex digits (a secret's text too).
    func pixitBytes(_ name: String, _ context: StepContext) -> [UInt8]? {
        switch context.pixit[name] {
        case .secret(let secret)?: return secret.revealText().flatMap(ValueText.hexBytes) ?? secret.reveal()
        case .string(let s)?: return ValueText.hexBytes(s)
        default: return nil
        }
    }

    /// A PIXIT password: the bytes of its text.
    func pixitPassword(_ name: String, _ context: StepContext) -> [UInt8]? {
        switch context.pixit[name] {
        case .secret(let secret)?: return secret.reveal()
        case .string(let s)?: return Array(s.utf8)
        case .int(let i)?: return Array(String(i).utf8)
        default: return nil
        }
    }

    func isModeE(_ context: StepContext) -> Bool { pixitBool("mode_e", context) ?? false }

    // MARK: Evidence

    /// Decodes `bytes` as a DLMS message for the evidence, deciphering with the association's keys.
    func decodeForEvidence(_ bytes: [UInt8]) -> (JSONValue?, String?) {
        do throws(DLMSError) {
            let message = try DLMSMessage.decode(bytes, security: association?.security)
            return (message.json, nil)
        } catch {
            return (nil, error.description)
        }
    }

    /// Sends raw bytes and records them.
    func transmitBytes(_ bytes: [UInt8], _ context: inout StepContext, what: String, decoded: JSONValue? = nil) async throws(TransportError) {
        // Bytes that arrive unasked between requests belong to no answer: keep them as evidence.
        try await absorbUnasked(&context)
        let (json, error) = decoded == nil ? decodeForEvidence(bytes) : (decoded, nil)
        let id = evidence.append(.sent, bytes: bytes, decoded: json, decodeError: error)
        context.frames.append(id)
        try await stream.send(bytes)
        await recordNotes(&context)
        context.log.append("sent \(what): \(Self.hex(bytes))")
    }

    func transmitFrame(_ frame: HDLCFrame, _ context: inout StepContext, what: String) async throws(TransportError) {
        let bytes: [UInt8]
        do throws(DLMSError) { bytes = try frame.encoded() } catch {
            context.setVerdict(.error, "cannot encode \(what): \(error)")
            return
        }
        try await transmitBytes(bytes, &context, what: what)
    }

    private func absorbUnasked(_ context: inout StepContext) async throws(TransportError) {
        while true {
            let chunk = try await stream.receive(maxCount: 4096, deadline: .now)
            if chunk.isEmpty { break }
            link.feed(chunk, at: .now)
        }
        while !link.pending.isEmpty {
            let item = link.pending.removeFirst()
            record(item.event, at: item.at, &context, note: "arrived before the request, unasked")
        }
    }

    /// The next link event, or nil at the deadline (a partial frame then becomes an event).
    func nextEvent(deadline: ContinuousClock.Instant) async throws(TransportError) -> (event: DLMSLinkEvent, at: ContinuousClock.Instant)? {
        while true {
            if !link.pending.isEmpty { return link.pending.removeFirst() }
            let chunk = try await stream.receive(maxCount: 4096, deadline: deadline)
            if chunk.isEmpty {
                guard link.hasPartialFrame else { return nil }
                link.flushPartial(at: .now)
                if link.pending.isEmpty { return nil }
                continue
            }
            let at = (stream as? any ArrivalTiming)?.lastArrivalInstant ?? .now
            link.feed(chunk, at: at)
        }
    }

    /// Records an event as evidence.
    func record(_ event: DLMSLinkEvent, at: ContinuousClock.Instant, _ context: inout StepContext, note: String? = nil) {
        let id: Int
        switch event {
        case .hdlc(_, let bytes), .wrapper(_, let bytes):
            let (json, error) = decodeForEvidence(bytes)
            id = evidence.append(.received, bytes: bytes, at: at, decoded: json, decodeError: error, note: note)
        case .invalid(let bytes, let error):
            id = evidence.append(.received, bytes: bytes, at: at, decodeError: error.description, note: note)
        case .garbage(let bytes):
            id = evidence.append(.received, bytes: bytes, at: at, decodeError: "\(bytes.count) byte(s) that are not a \(link.framing == .hdlc ? "HDLC" : "wrapper") frame", note: note)
        }
        context.frames.append(id)
    }

    /// Records everything that arrives within `duration`; returns the events.
    func collect(for duration: Duration, _ context: inout StepContext, note: String) async throws(TransportError) -> [DLMSLinkEvent] {
        let deadline = ContinuousClock.now + duration
        var events: [DLMSLinkEvent] = []
        while let item = try await nextEvent(deadline: deadline) {
            record(item.event, at: item.at, &context, note: note)
            events.append(item.event)
        }
        return events
    }

    func recordNotes(_ context: inout StepContext) async {
        for note in await stream.takeNotes() {
            let id = evidence.append(.event, bytes: [], at: note.instant, note: MBusSession.describe(note.kind))
            context.frames.append(id)
        }
    }

    static func hex(_ bytes: some Collection<UInt8>) -> String {
        let shown = bytes.count > 64 ? HexText.format(Array(bytes.prefix(64)), separator: " ") + " … (\(bytes.count) bytes)" : HexText.format(Array(bytes), separator: " ")
        return shown
    }

    /// Applies a step's `expect` matchers to `json`; returns whether all held.
    @discardableResult
    func applyExpect(_ step: Step, to json: JSONValue, _ context: inout StepContext) throws -> Bool {
        guard case .matchers(let matchers)? = step.parameters["expect"] else { return true }
        var ok = true
        for matcher in matchers {
            let expected = try context.resolve(matcher.expected)
            let actual = FieldMatching.lookup(matcher.field, in: json)
            if let problem = FieldMatching.mismatch(field: matcher.field, actual: actual, expected: expected) {
                context.setVerdict(.fail, problem)
                ok = false
            } else {
                context.log.append("\(matcher.field) = \(FieldMatching.show(actual))")
            }
        }
        return ok
    }

    /// Stores `json` under the step's `save_as` name.
    func save(_ json: JSONValue, _ step: Step, _ context: inout StepContext) throws {
        if let name = try context.parameter("save_as", of: step)?.textValue {
            context.saved[name] = json
        }
    }

    func takeInvokeID() -> UInt8 {
        defer { nextInvokeID = nextInvokeID >= 15 ? 1 : nextInvokeID + 1 }
        return nextInvokeID
    }
}
