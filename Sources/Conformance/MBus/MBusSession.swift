import CodecSupport
import MeterBus
import Transport

/// Executes the wired M-Bus step kinds on one connection, as an EN 13757-2 master does.
///
/// The master's FCB is tracked as libmbus, wmbusmeters and mbus4j do (fact sheet §1.5): after
/// SND_NKE or a successful selection the next REQ_UD uses FCB=1, and each REQ_UD without an
/// explicit `fcb` toggles it. Every frame sent and received goes to the evidence, decoded.
final class MBusSession: ProtocolSession {
    private let stream: any ByteStream
    private let evidence: EvidenceLog
    private var reader = FrameReader()
    /// When the first byte of what `reader` holds arrived.
    private var firstByteInstant: ContinuousClock.Instant?
    private var nextFCB = true
    /// The line settings at the start of the session; restored before each case.
    private var initialSettings: LineSettings?
    /// When the last request finished leaving the harness (the answer window starts there).
    /// `sent`: when `send` returned; `onWire`: when the last byte has left at the line's speed.
    private var requestEnd: (sent: ContinuousClock.Instant, onWire: ContinuousClock.Instant)?
    private var lastTelegram: Telegram?
    private var saved: [String: Telegram] = [:]
    private(set) var identity: [String: String] = [:]

    init(stream: any ByteStream, evidence: EvidenceLog) {
        self.stream = stream
        self.evidence = evidence
        self.initialSettings = (stream as? any LineControl)?.lineSettings
    }

    /// The settings on the line now (2400 8E1 when the transport has none, e.g. TCP).
    private var lineSettings: LineSettings {
        (stream as? any LineControl)?.lineSettings ?? .mbusDefault
    }

    /// 330 bit times + 50 ms at the current baud: the latest start of a slave's answer (fact sheet §1.10).
    var answerWindow: Duration {
        .nanoseconds(Int64(330) * 1_000_000_000 / Int64(lineSettings.baud)) + .milliseconds(50)
    }

    /// 11 bit times: the earliest start of a slave's answer (fact sheet §1.10).
    var minimumTurnaround: Duration {
        .nanoseconds(Int64(11) * 1_000_000_000 / Int64(lineSettings.baud))
    }

    // MARK: ProtocolSession

    func prepareCase(_ context: inout StepContext) async throws(TransportError) {
        saved = [:]
        lastTelegram = nil
        if let initialSettings, let line = stream as? any LineControl, line.lineSettings != initialSettings {
            // A previous case switched the baud rate and did not switch back: ask the slave to
            // return to the initial rate at the rate it is on now, then follow it.
            if let rate = BaudRate(rawValue: initialSettings.baud),
               let primary = context.pixit["primary_address"].map(ParameterValue.init(pixit:))?.intValue,
               let request = try? Frame.baudRateSwitch(address: UInt8(clamping: primary), baud: rate).encoded() {
                try await transmit(request, &context, what: "baud-rate switch back to \(rate) (restoring the line for the new case)")
                while let event = try await nextEvent(deadline: .now + answerWindow) {
                    record(event, &context, note: "answer to the restoring baud-rate switch, not judged")
                }
            }
            try await line.apply(initialSettings)
            await recordNotes(&context)
            context.log.append("line settings restored to \(initialSettings) for the new case")
        }
        // Bytes still arriving from the previous case (a late reply) are not this case's.
        var stale = reader.reset()
        firstByteInstant = nil
        while true {
            let chunk = try await stream.receive(maxCount: 4096, deadline: .now)
            if chunk.isEmpty { break }
            stale += chunk
        }
        if !stale.isEmpty {
            let id = evidence.append(.received, bytes: stale, note: "stale bytes from before the case, discarded")
            context.frames.append(id)
            context.log.append("discarded \(stale.count) stale byte(s) before the case: \(hex(stale))")
        }
    }

    func idle(for duration: Duration, in context: inout StepContext) async throws(TransportError) {
        let deadline = ContinuousClock.now + duration
        context.log.append("wait \(duration)")
        while ContinuousClock.now < deadline {
            guard let event = try await nextEvent(deadline: deadline) else { break }
            record(event, &context, note: "received during a wait, not judged")
        }
    }

    func execute(_ step: Step, in context: inout StepContext) async throws(TransportError) {
        do {
            switch step.kind {
            case "send": try await send(step, &context)
            case "expect_frame": try await expectFrame(step, &context, window: nil)
            case "expect_within": try await expectWithin(step, &context)
            case "expect_ack": try await expectAck(&context, what: "E5")
            case "expect_silence": try await expectSilence(step, &context)
            case "read_value": try readValue(step, &context)
            case "check_telegram": try checkTelegram(step, &context)
            case "select_secondary": try await selectSecondary(step, &context)
            case "switch_baud": try await switchBaud(step, &context)
            default: context.setVerdict(.error, "the M-Bus driver has no step '\(step.kind)'")
            }
        } catch let error as UndefinedReference {
            context.setVerdict(.error, "\(step.kind): \(error)")
        } catch let error as TransportError {
            throw error
        } catch {
            context.setVerdict(.error, "\(step.kind): \(error)")
        }
    }

    // MARK: Sending

    private func send(_ step: Step, _ context: inout StepContext) async throws {
        guard let frameParameter = try context.parameter("frame", of: step) else { return }
        let bytes: [UInt8]
        var what: String
        switch frameParameter {
        case .bytes(let raw):
            bytes = raw
            what = "frame"
        case .string(let builder):
            let address = try address(step, &context)
            let frame: Frame
            switch builder {
            case "snd_nke":
                frame = .sndNKE(address: address)
                nextFCB = true
            case "req_ud1", "req_ud2":
                let fcb = try explicitFCB(step, &context) ?? takeFCB()
                let fcv = try context.parameter("fcv", of: step).map { $0 == .bool(true) } ?? true
                var control = builder == "req_ud1" ? ControlField.reqUD1(fcb: fcb) : ControlField.reqUD2(fcb: fcb)
                if !fcv { control = ControlField(control.rawValue & ~0x10) }
                frame = .short(control: control, address: address)
            case "snd_ud":
                let ci = try context.parameter("ci", of: step)?.intValue ?? 0x51
                var data: [UInt8] = []
                switch try context.parameter("data", of: step) {
                case .bytes(let b)?: data = b
                case .string(let text)?:  // a ${…} PIXIT value holding hex
                    guard let b = ValueText.hexBytes(text) else {
                        context.setVerdict(.error, "data '${…}' must hold hex bytes")
                        return
                    }
                    data = b
                default: break
                }
                let fcb = try explicitFCB(step, &context) ?? takeFCB()
                frame = .userDataFrame(control: fcb ? .sndUDFCB : .sndUD, address: address, ci: UInt8(clamping: ci), data: data[...])
            case "application_reset":
                frame = .applicationReset(address: address)
            case "select_secondary":
                let text = try context.parameter("secondary_address", of: step)?.textValue ?? ""
                guard let secondary = SecondaryAddress(text) else {
                    context.setVerdict(.error, "secondary_address '\(text)' is not 16 hex digits")
                    return
                }
                frame = .selection(secondary: secondary)
            case "switch_baud":
                guard let baudText = try context.parameter("baud", of: step)?.textValue, let baud = Int(baudText).flatMap(BaudRate.init(rawValue:)) else {
                    context.setVerdict(.error, "switch_baud needs a baud rate of EN 13757-2")
                    return
                }
                frame = .baudRateSwitch(address: address, baud: baud)
            default:
                context.setVerdict(.error, "unknown frame builder '\(builder)'")
                return
            }
            bytes = try frame.encoded()
            what = builder.uppercased()
            if let c = frame.control { what += " (C=\(hex([c.rawValue])), A=\(address))" }
        default:
            context.setVerdict(.error, "frame must be a builder name or hex bytes")
            return
        }
        var outgoing = bytes
        if try context.parameter("checksum_error", of: step) == .bool(true), outgoing.count >= 5 {
            outgoing[outgoing.count - 2] ^= 0xFF
            what += " with a corrupted checksum"
        }
        try await transmit(outgoing, &context, what: what)
    }

    private func explicitFCB(_ step: Step, _ context: inout StepContext) throws -> Bool? {
        guard let value = try context.parameter("fcb", of: step) else { return nil }
        let fcb = value == .bool(true)
        nextFCB = !fcb
        return fcb
    }

    private func takeFCB() -> Bool {
        defer { nextFCB.toggle() }
        return nextFCB
    }

    private func address(_ step: Step, _ context: inout StepContext) throws -> UInt8 {
        if let value = try context.parameter("address", of: step) {
            guard let n = value.intValue, (0...255).contains(n) else {
                throw UndefinedReference(name: "address (got \(value.textValue ?? "?"), expected 0–255)")
            }
            return UInt8(n)
        }
        if let n = context.pixit["primary_address"].map(ParameterValue.init(pixit:))?.intValue, (0...255).contains(n) { return UInt8(n) }
        throw UndefinedReference(name: "primary_address")
    }

    /// Sends bytes, records them, and notes when the request has left the line.
    private func transmit(_ bytes: [UInt8], _ context: inout StepContext, what: String) async throws(TransportError) {
        // Bytes that arrive unasked between requests belong to no answer: keep them as evidence.
        while let event = try await nextEvent(deadline: .now) {
            record(event, &context, note: "arrived before the request, unasked")
            context.log.append("unexpected bytes before sending \(what)")
        }
        reader.reset()
        firstByteInstant = nil
        let start = ContinuousClock.now
        let id = evidence.append(.sent, bytes: bytes, at: start, decoded: decodeJSON(bytes), decodeError: nil)
        context.frames.append(id)
        try await stream.send(bytes)
        await recordNotes(&context)
        // On a serial line the bytes need their own time on the wire before the answer window opens.
        // On a real serial line write() returns once the kernel has the bytes, before they are on
        // the wire: the window's end is counted from the later of that and their transmission time.
        let returned = ContinuousClock.now
        let onWire = stream is SerialPort ? lineSettings.characterTime * bytes.count : .zero
        requestEnd = (returned, max(returned, start + onWire))
        // An in-process line knows exactly when it took the bytes, however late this task ran.
        if let timed = stream as? any ArrivalTiming, let taken = timed.lastSendInstant { requestEnd = (taken, taken) }
        context.log.append("sent \(what): \(hex(bytes))")
    }

    // MARK: Receiving

    /// The next frame, error or garbage event, or nil when the deadline passes in silence.
    /// A partial frame at the deadline is reported as truncated.
    private func nextEvent(deadline: ContinuousClock.Instant) async throws(TransportError) -> FrameReader.Event? {
        while true {
            if let event = reader.next() { return event }
            let chunk = try await stream.receive(maxCount: 1024, deadline: deadline)
            if chunk.isEmpty {
                guard reader.bufferedCount > 0 else { return nil }
                return reader.finish()
            }
            if reader.bufferedCount == 0 {
                firstByteInstant = (stream as? any ArrivalTiming)?.lastArrivalInstant ?? .now
            }
            reader.append(chunk)
        }
    }

    /// Records an event as evidence; returns the decoded telegram for a frame that decodes.
    @discardableResult
    private func record(_ event: FrameReader.Event, _ context: inout StepContext, note: String? = nil) -> Result<Telegram, MeterBusError>? {
        let at = firstByteInstant ?? .now
        firstByteInstant = reader.bufferedCount > 0 ? .now : nil
        switch event {
        case .frame(_, let bytes):
            do throws(MeterBusError) {
                let telegram = try Telegram.decode(bytes)
                let id = evidence.append(.received, bytes: bytes, at: at, decoded: telegram.json, note: note)
                context.frames.append(id)
                return .success(telegram)
            } catch {
                let id = evidence.append(.received, bytes: bytes, at: at, decoded: frameOnlyJSON(bytes), decodeError: error.description, note: note)
                context.frames.append(id)
                return .failure(error)
            }
        case .error(let error, let discarded):
            let id = evidence.append(.received, bytes: discarded, at: at, decoded: frameOnlyJSON(discarded), decodeError: error.description, note: note)
            context.frames.append(id)
            return .failure(error)
        case .skipped(let garbage):
            let id = evidence.append(.received, bytes: garbage, at: at, decodeError: "\(garbage.count) byte(s) that are not an M-Bus frame", note: note)
            context.frames.append(id)
            return nil
        }
    }

    /// Waits for one frame; garbage before it and invalid frames give `fail`. Returns the telegram.
    private func receiveTelegram(_ context: inout StepContext, deadline: ContinuousClock.Instant, what: String) async throws(TransportError)
        -> (telegram: Telegram, firstByte: ContinuousClock.Instant)? {
        var garbage = 0
        while true {
            let firstByte = firstByteInstant
            guard let event = try await nextEvent(deadline: deadline) else {
                if garbage > 0 {
                    context.setVerdict(.fail, "\(garbage) byte(s) that are not an M-Bus frame arrived, and no \(what) within \(context.timeout)")
                } else {
                    context.setVerdict(.fail, "no \(what) within \(context.timeout) (the device stayed silent)")
                }
                return nil
            }
            let arrival = firstByteInstant == nil ? (firstByte ?? .now) : (firstByte ?? .now)
            switch record(event, &context) {
            case .success(let telegram)?:
                if garbage > 0 {
                    context.setVerdict(.fail, "\(garbage) byte(s) of garbage arrived before the start byte of the \(what) (EN 13757-2 allows nothing before the start byte)")
                }
                lastTelegram = telegram
                noteIdentity(telegram)
                return (telegram, arrival)
            case .failure(let error)?:
                if case .frame = event {
                    context.setVerdict(.fail, "the \(what) does not decode: \(error.description)")
                } else {
                    context.setVerdict(.fail, "invalid frame instead of a \(what): \(error.description)")
                }
                return nil
            case nil:
                if case .skipped(let bytes) = event {
                    garbage += bytes.count
                    context.log.append("garbage: \(hex(bytes))")
                }
            }
        }
    }

    private func expectFrame(_ step: Step, _ context: inout StepContext, window: (min: Duration, max: Duration)?) async throws {
        let deadline = ContinuousClock.now + context.timeout
        guard let (telegram, arrival) = try await receiveTelegram(&context, deadline: deadline, what: "frame") else { return }
        if let window, let requestEnd {
            let delay = arrival - requestEnd.onWire
            let shown = "\(Int((Runner.milliseconds(delay)).rounded())) ms"
            if delay > window.max {
                context.setVerdict(.fail, "the answer started \(shown) after the request; the window ends at \(Int(Runner.milliseconds(window.max).rounded())) ms (330 bit times + 50 ms at \(lineSettings.baud) Bd, EN 13757-2, fact sheet §1.10)")
                return
            }
            if arrival - requestEnd.sent < window.min {
                context.setVerdict(.fail, "the answer started \(Int(Runner.milliseconds(arrival - requestEnd.sent).rounded())) ms after the request, earlier than \(Int(Runner.milliseconds(window.min).rounded())) ms (11 bit times)")
                return
            }
            context.log.append("answer started \(shown) after the request")
        }
        let json = telegram.json
        if case .matchers(let matchers)? = step.parameters["expect"] {
            for matcher in matchers {
                let expected = try context.resolve(matcher.expected)
                let actual = FieldMatching.lookup(matcher.field, in: json)
                if let problem = FieldMatching.mismatch(field: matcher.field, actual: actual, expected: expected) {
                    context.setVerdict(.fail, problem)
                } else {
                    context.log.append("\(matcher.field) = \(FieldMatching.show(actual))")
                }
            }
        }
        if let name = try context.parameter("save_as", of: step)?.textValue {
            saved[name] = telegram
            context.saved[name] = json
        }
        if context.verdict.verdict == .none { context.setVerdict(.pass, "\(telegram.frame.kind.name) frame as expected") }
    }

    private func expectWithin(_ step: Step, _ context: inout StepContext) async throws {
        var maxDelay = answerWindow
        if case .duration(let d)? = try context.parameter("max", of: step) { maxDelay = d }
        var minDelay = minimumTurnaround
        if case .duration(let d)? = try context.parameter("min", of: step) { minDelay = d }
        // Wait long enough past the window to tell a late answer from none.
        context.timeout = max(context.timeout, maxDelay + .milliseconds(1500))
        try await expectFrame(step, &context, window: (minDelay, maxDelay))
    }

    private func expectAck(_ context: inout StepContext, what: String) async throws(TransportError) {
        let deadline = ContinuousClock.now + context.timeout
        guard let (telegram, _) = try await receiveTelegram(&context, deadline: deadline, what: what) else { return }
        if case .ack = telegram.frame {
            if context.verdict.verdict == .none { context.setVerdict(.pass, "E5 received") }
        } else {
            context.setVerdict(.fail, "a \(telegram.frame.kind.name) frame came instead of the single character E5")
        }
    }

    private func expectSilence(_ step: Step, _ context: inout StepContext) async throws {
        var duration = answerWindow
        if case .duration(let d)? = try context.parameter("duration", of: step) { duration = d }
        let deadline = ContinuousClock.now + duration
        var heard: [String] = []
        while let event = try await nextEvent(deadline: deadline) {
            if case .success(let telegram)? = record(event, &context) {
                lastTelegram = telegram
                heard.append(telegram.frame.kind == .ack ? "E5" : "a \(telegram.frame.kind.name) frame")
            } else {
                heard.append("bytes that are not a frame")
            }
        }
        if heard.isEmpty {
            context.setVerdict(.pass, "no answer within \(Int(Runner.milliseconds(duration).rounded())) ms, as required")
        } else {
            context.setVerdict(.fail, "the device answered (\(heard.joined(separator: ", "))) where it must stay silent for \(Int(Runner.milliseconds(duration).rounded())) ms")
        }
    }

    // MARK: Reading and checking

    private func telegram(named name: String?, _ context: inout StepContext) -> Telegram? {
        if let name {
            guard let telegram = saved[name] else {
                context.setVerdict(.error, "no telegram was saved as '\(name)' earlier in the case")
                return nil
            }
            return telegram
        }
        guard let lastTelegram else {
            context.setVerdict(.inconc, "no telegram has been received in this case to read from")
            return nil
        }
        return lastTelegram
    }

    private func readValue(_ step: Step, _ context: inout StepContext) throws {
        guard let field = try context.parameter("field", of: step)?.textValue, let name = try context.parameter("as", of: step)?.textValue else { return }
        guard let telegram = telegram(named: try context.parameter("from", of: step)?.textValue, &context) else { return }
        guard let value = FieldMatching.lookup(field, in: telegram.json) else {
            context.setVerdict(.inconc, "the telegram has no field \(field)")
            return
        }
        context.variables[name] = value
        context.log.append("${\(name)} = \(FieldMatching.show(value))")
    }

    private func checkTelegram(_ step: Step, _ context: inout StepContext) throws {
        guard let ruleName = try context.parameter("rule", of: step)?.textValue, let rule = TelegramCheck(rawValue: ruleName) else { return }
        guard let telegram = telegram(named: try context.parameter("telegram", of: step)?.textValue, &context) else { return }
        var previous: Telegram?
        if rule.needsPrevious {
            guard let name = try context.parameter("previous", of: step)?.textValue else {
                context.setVerdict(.error, "rule \(ruleName) needs `previous`")
                return
            }
            guard let p = self.telegram(named: name, &context) else { return }
            previous = p
        }
        var address: SecondaryAddress?
        if rule == .headerMatchesAddress {
            let text = try context.parameter("secondary_address", of: step)?.textValue
                ?? context.pixit["secondary_address"].map(ParameterValue.init(pixit:))?.textValue ?? ""
            guard let parsed = SecondaryAddress(text) else {
                context.setVerdict(.error, "secondary_address '\(text)' is not 16 hex digits")
                return
            }
            address = parsed
        }
        let problems = rule.problems(telegram, previous: previous, secondaryAddress: address)
        if problems.isEmpty {
            context.setVerdict(.pass, "\(ruleName) holds for \(telegram.records.count) record(s)")
        } else {
            let shown = problems.prefix(5).joined(separator: "; ") + (problems.count > 5 ? "; and \(problems.count - 5) more" : "")
            context.setVerdict(.fail, "\(ruleName): \(shown)")
        }
    }

    // MARK: Compound steps

    private func selectSecondary(_ step: Step, _ context: inout StepContext) async throws {
        let text = try context.parameter("secondary_address", of: step)?.textValue ?? ""
        guard let secondary = SecondaryAddress(text) else {
            context.setVerdict(.error, "secondary_address '\(text)' is not 16 hex digits")
            return
        }
        let wantAck = try context.parameter("expect_ack", of: step).map { $0 == .bool(true) } ?? true
        try await transmit(try Frame.selection(secondary: secondary).encoded(), &context, what: "selection of \(secondary)")
        if wantAck {
            let timeout = context.timeout
            context.timeout = timeout
            try await expectAck(&context, what: "E5 to the selection")
            if context.verdict.verdict <= .pass { nextFCB = true }
        } else {
            try await expectSilence(Step(kind: "expect_silence", parameters: [:], location: step.location), &context)
        }
    }

    private func switchBaud(_ step: Step, _ context: inout StepContext) async throws {
        guard let baudText = try context.parameter("baud", of: step)?.textValue, let rate = Int(baudText).flatMap(BaudRate.init(rawValue:)) else {
            context.setVerdict(.error, "switch_baud needs a baud rate of EN 13757-2")
            return
        }
        let address = try address(step, &context)
        try await transmit(try Frame.baudRateSwitch(address: address, baud: rate).encoded(), &context, what: "baud-rate switch to \(rate) (CI \(hex([rate.ciCode])))")
        try await expectAck(&context, what: "E5 to the baud-rate switch")
        guard context.verdict.verdict <= .pass else { return }
        guard let line = stream as? any LineControl else {
            context.setVerdict(.inconc, "the transport is not a serial line, so the harness cannot follow the switch to \(rate)")
            return
        }
        var settings = line.lineSettings
        settings.baud = rate.rawValue
        try await line.apply(settings)
        await recordNotes(&context)
        context.log.append("line now \(settings)")
    }

    // MARK: Evidence helpers

    private func recordNotes(_ context: inout StepContext) async {
        // Transport notes (line settings, echo mismatches) are events in the evidence.
        for note in await stream.takeNotes() {
            let id = evidence.append(.event, bytes: [], at: note.instant, note: Self.describe(note.kind))
            context.frames.append(id)
        }
    }

    static func describe(_ kind: TransportNote.Kind) -> String {
        switch kind {
        case .lineSettings(let settings, let physical): "line settings \(settings)\(physical ? "" : " (recorded only: not a physical line)")"
        case .modemLines(let rts, let dtr): "modem lines RTS=\(rts.map { $0 ? "on" : "off" } ?? "unchanged") DTR=\(dtr.map { $0 ? "on" : "off" } ?? "unchanged")"
        case .echoMismatch(let expected, let received): "local echo mismatch: sent \(hex(expected)), echoed \(hex(received))"
        }
    }

    private func noteIdentity(_ telegram: Telegram) {
        guard identity.isEmpty, case .long(let header)? = telegram.variableData?.header else { return }
        identity = [
            "id": header.id, "manufacturer": header.manufacturer.letters, "version": String(header.version),
            "medium": "\(header.deviceType.name) (0x\(hex([header.deviceType.rawValue])))",
        ]
    }

    private func decodeJSON(_ bytes: [UInt8]) -> JSONValue? {
        try? Telegram.decode(bytes, requireValidChecksum: false).json
    }

    private func frameOnlyJSON(_ bytes: [UInt8]) -> JSONValue? {
        guard let parsed = try? Frame.parse(bytes) else { return nil }
        return Telegram(parsed: parsed, userData: nil).json
    }
}

private func hex(_ bytes: [UInt8]) -> String { HexText.format(bytes, separator: " ") }
