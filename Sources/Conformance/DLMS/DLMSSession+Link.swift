import CodecSupport
import DLMS
import Transport

/// Link steps (mode E, SNRM/UA, DISC, raw frames) and APDU transfer over HDLC or the wrapper.
extension DLMSSession {
    // MARK: Client SAP

    /// The client SAP a step names (`client`: a number, or public / reader / manager from the
    /// PIXIT), or the current one.
    func clientSAP(_ step: Step, _ context: inout StepContext) throws -> UInt16? {
        guard let value = try context.parameter("client", of: step) else { return nil }
        if let n = value.intValue { return UInt16(clamping: n) }
        switch value.textValue {
        case "public": return UInt16(clamping: pixitInt("public_client", context) ?? 16)
        case "reader": return UInt16(clamping: pixitInt("reader_client", context) ?? 32)
        case "manager": return UInt16(clamping: pixitInt("manager_client", context) ?? 1)
        default:
            context.setVerdict(.error, "client must be a SAP number or public, reader or manager")
            return nil
        }
    }

    // MARK: mode E

    func modeEOpenStep(_ step: Step, _ context: inout StepContext) async throws {
        try await openModeE(step, &context)
    }

    /// IEC 62056-21 mode E: sign-on at 300 Bd 7E1, identification, acknowledgement selecting HDLC at
    /// the rate the meter offers (or `baud`), then 8N1 at that rate after the switch delay (fact sheet §2).
    @discardableResult
    func openModeE(_ step: Step?, _ context: inout StepContext) async throws -> Bool {
        guard let line = stream as? any LineControl else {
            context.setVerdict(.inconc, "mode E needs a serial line; the transport has no line settings")
            return false
        }
        var opening = line.lineSettings
        opening.baud = ModeETiming.initialBaudRate
        opening.dataBits = 7
        opening.parity = .even
        opening.stopBits = 1
        try await line.apply(opening)
        await recordNotes(&context)
        let address = try step.flatMap { try context.parameter("device_address", of: $0)?.textValue } ?? ""
        let signOn: ModeESignOnRequest
        do { signOn = try ModeESignOnRequest(deviceAddress: address) } catch {
            context.setVerdict(.error, "device_address: \(error)")
            return false
        }
        try await transmitRaw(signOn.encoded(), &context, what: "mode E sign-on /?\(address)!")
        guard let identificationBytes = try await receiveLine(&context, timeout: ModeETiming.messageTimeout) else {
            context.setVerdict(.fail, "no identification message within \(ModeETiming.messageTimeout) after the sign-on (IEC 62056-21, fact sheet §2.1 step 2)")
            return false
        }
        let identification: ModeEIdentification
        do { identification = try ModeEIdentification.decode(identificationBytes) } catch {
            context.setVerdict(.fail, "the identification message does not decode: \(error) (fact sheet §2.1)")
            return false
        }
        identityValues["mode_e_identification"] = identification.identification
        identityValues["mode_e_manufacturer"] = identification.manufacturer
        guard let offered = identification.baudRate else {
            context.setVerdict(.fail, "baud-rate character 0x\(Self.hex([identification.baudCharacter])) is not one of 0–6 (fact sheet §2.2)")
            return false
        }
        var rate = offered
        if let step, let wanted = try context.parameter("baud", of: step)?.intValue {
            guard let r = ModeEBaudRate(baud: wanted), r.baud <= offered.baud else {
                context.setVerdict(.error, "baud \(wanted) is not a mode E rate at or below the offered \(offered.baud)")
                return false
            }
            rate = r
        }
        // The meter needs its reaction time before it listens again (fact sheet §2.4).
        try await Task.sleep(for: identification.minimumReactionTime) as Void
        let ack = ModeEOptionSelect.hdlc(rate)
        try await transmitRaw(ack.encoded(), &context, what: "mode E acknowledgement (HDLC, rate \(rate.baud))")
        // The meter changes its rate once its reaction time has passed; the client follows a little
        // later so that nothing it sends is lost in between: JD waits 150–250 ms, GX 1 s (fact
        // sheet §2.4). MeterProof waits the reaction time plus 100 ms, at least JD's 150 ms.
        let switchDelay = max(ModeETiming.baudRateSwitchDelay, identification.minimumReactionTime + .milliseconds(100))
        let acknowledged = ContinuousClock.now
        try await Task.sleep(for: switchDelay) as Void
        var hdlc = line.lineSettings
        hdlc.baud = rate.baud
        hdlc.dataBits = 8
        hdlc.parity = .none
        hdlc.stopBits = 1
        try await line.apply(hdlc)
        await recordNotes(&context)
        context.log.append("line switched \(Int(Runner.milliseconds(ContinuousClock.now - acknowledged).rounded())) ms after the acknowledgement")
        // JD reads the acknowledgement the meter may echo at the new rate; GX treats it as optional.
        var echo: [UInt8] = []
        let echoDeadline = ContinuousClock.now + .milliseconds(300)
        while echo.count < 6 {
            let chunk = try await stream.receive(maxCount: 6 - echo.count, deadline: echoDeadline)
            if chunk.isEmpty { break }
            echo += chunk
        }
        if !echo.isEmpty {
            let id = evidence.append(.received, bytes: echo, note: echo == ack.encoded() ? "mode E acknowledgement echoed at the new rate" : "bytes after the mode E switch")
            context.frames.append(id)
        }
        modeEOpen = true
        context.log.append("mode E: \(identification.manufacturer) offers \(offered.baud) Bd; now \(hdlc)")
        if context.verdict.verdict == .none, step != nil {
            context.setVerdict(.pass, "mode E opening done: 300 Bd 7E1 → \(rate.baud) Bd 8N1")
        }
        return true
    }

    private func transmitRaw(_ bytes: [UInt8], _ context: inout StepContext, what: String) async throws(TransportError) {
        let id = evidence.append(.sent, bytes: bytes, note: what)
        context.frames.append(id)
        try await stream.send(bytes)
        await recordNotes(&context)
        context.log.append("sent \(what): \(Self.hex(bytes))")
    }

    /// Bytes up to CR LF, or nil at the timeout (what came is recorded either way).
    private func receiveLine(_ context: inout StepContext, timeout: Duration) async throws(TransportError) -> [UInt8]? {
        let deadline = ContinuousClock.now + timeout
        var bytes: [UInt8] = []
        while bytes.count < 128 {
            let chunk = try await stream.receive(maxCount: 128 - bytes.count, deadline: deadline)
            if chunk.isEmpty { break }
            bytes += chunk
            if bytes.count >= 2, bytes[bytes.count - 2] == 0x0D, bytes[bytes.count - 1] == 0x0A { break }
        }
        guard !bytes.isEmpty else { return nil }
        let text = String(decoding: bytes.filter { $0 >= 0x20 && $0 < 0x7F }, as: UTF8.self)
        let id = evidence.append(.received, bytes: bytes, note: "mode E identification \(text)")
        context.frames.append(id)
        return bytes
    }

    // MARK: connect / disconnect

    func connectStep(_ step: Step, _ context: inout StepContext) async throws {
        if let sap = try clientSAP(step, &context) { link.clientSAP = sap } else if context.verdict.verdict == .error { return }
        if link.framing == .wrapper {
            context.setVerdict(.pass, "the wrapper needs no link connection (client SAP \(link.clientSAP))")
            return
        }
        if isModeE(context), !modeEOpen {
            guard try await openModeE(nil, &context) else { return }
        }
        let maxTX = try context.parameter("max_info_tx", of: step)?.intValue
        let maxRX = try context.parameter("max_info_rx", of: step)?.intValue
        let windowTX = try context.parameter("window_tx", of: step)?.intValue
        let windowRX = try context.parameter("window_rx", of: step)?.intValue
        var parameters: HDLCParameters?
        if maxTX != nil || maxRX != nil || windowTX != nil || windowRX != nil {
            parameters = HDLCParameters(
                maximumInformationFieldLengthTransmit: maxTX ?? HDLCParameters.defaultMaximumInformationFieldLength,
                maximumInformationFieldLengthReceive: maxRX ?? HDLCParameters.defaultMaximumInformationFieldLength,
                windowSizeTransmit: windowTX ?? 1, windowSizeReceive: windowRX ?? 1)
        }
        guard let destination = link.serverAddress(), let source = link.clientAddress() else {
            context.setVerdict(.error, "the PIXIT HDLC addresses do not fit their sizes")
            return
        }
        let snrm: HDLCFrame
        do { snrm = try HDLCFrame.negotiation(.setNormalResponseMode, destination: destination, source: source, parameters: parameters) } catch {
            context.setVerdict(.error, "cannot build the SNRM: \(error)")
            return
        }
        link.resetConnection()
        try await transmitFrame(snrm, &context, what: "SNRM")
        guard let frame = try await expectHDLCFrame(&context, what: "UA to the SNRM (fact sheet §1.4, §1.8)") else { return }
        let json = decodeForEvidence((try? frame.encoded()) ?? []).0 ?? .null
        guard frame.frameType == .unnumberedAcknowledge else {
            context.setVerdict(.fail, "\(frame.frameType?.name ?? "an undefined frame") came instead of UA to the SNRM (fact sheet §1.4)")
            return
        }
        let ua: HDLCParameters
        do { ua = try frame.negotiatedParameters() ?? HDLCParameters(parameters: []) } catch {
            context.setVerdict(.fail, "the UA's parameter block does not decode: \(error) (fact sheet §1.8)")
            return
        }
        // UA values are the server's: its TX is what we receive, its RX what we may send (§1.8).
        let proposedRX = maxRX ?? HDLCParameters.defaultMaximumInformationFieldLength
        let proposedTX = maxTX ?? HDLCParameters.defaultMaximumInformationFieldLength
        var problems: [String] = []
        if ua.maximumInformationFieldLengthTransmit > proposedRX {
            problems.append("UA max info TX \(ua.maximumInformationFieldLengthTransmit) exceeds the client's proposed RX \(proposedRX)")
        }
        if ua.maximumInformationFieldLengthReceive > proposedTX {
            problems.append("UA max info RX \(ua.maximumInformationFieldLengthReceive) exceeds the client's proposed TX \(proposedTX)")
        }
        if ua.windowSizeTransmit > (windowRX ?? 1) {
            problems.append("UA window TX \(ua.windowSizeTransmit) exceeds the client's proposed RX window \(windowRX ?? 1)")
        }
        if ua.windowSizeReceive > (windowTX ?? 1) {
            problems.append("UA window RX \(ua.windowSizeReceive) exceeds the client's proposed TX window \(windowTX ?? 1)")
        }
        link.connected = true
        link.maxInfoReceive = ua.maximumInformationFieldLengthTransmit
        link.maxInfoTransmit = ua.maximumInformationFieldLengthReceive
        link.windowReceive = ua.windowSizeTransmit
        link.windowTransmit = ua.windowSizeReceive
        if !problems.isEmpty {
            context.setVerdict(.fail, problems.joined(separator: "; ") + " (each side takes the smaller value, fact sheet §1.8)")
        }
        try applyExpect(step, to: json, &context)
        try save(json, step, &context)
        if context.verdict.verdict == .none {
            context.setVerdict(.pass, "UA: max info TX \(ua.maximumInformationFieldLengthTransmit), RX \(ua.maximumInformationFieldLengthReceive), window TX \(ua.windowSizeTransmit), RX \(ua.windowSizeReceive)")
        }
    }

    func disconnectStep(_ step: Step, _ context: inout StepContext) async throws {
        guard link.framing == .hdlc else {
            association = nil
            context.setVerdict(.pass, "the wrapper has no link disconnection")
            return
        }
        let expected = try context.parameter("expect_response", of: step)?.textValue ?? "ua"
        guard let disc = link.unnumbered(.disconnect) else {
            context.setVerdict(.error, "the PIXIT HDLC addresses do not fit their sizes")
            return
        }
        let wasConnected = link.connected
        try await transmitFrame(disc, &context, what: "DISC")
        association = nil
        link.resetConnection()
        if isModeE(context) { modeEOpen = false }
        guard let frame = try await expectHDLCFrame(&context, what: "answer to the DISC (UA in NRM, DM in NDM: fact sheet §1.4, §1.9)") else { return }
        let json = decodeForEvidence((try? frame.encoded()) ?? []).0 ?? .null
        let name = frame.frameType?.name ?? "undefined"
        switch expected {
        case "dm" where frame.frameType != .disconnectedMode:
            context.setVerdict(.fail, "\(name) came; a DISC in NDM must be answered with DM (fact sheet §1.4)")
        case "ua" where frame.frameType != .unnumberedAcknowledge:
            context.setVerdict(.fail, "\(name) came; a DISC in NRM must be answered with UA (fact sheet §1.4)")
        case "ua_or_dm" where frame.frameType != .unnumberedAcknowledge && frame.frameType != .disconnectedMode:
            context.setVerdict(.fail, "\(name) came; a DISC is answered with UA or DM (fact sheet §1.4)")
        default: break
        }
        try applyExpect(step, to: json, &context)
        if context.verdict.verdict == .none {
            context.setVerdict(.pass, "\(name) to the DISC\(wasConnected ? "" : " (link was not connected)")")
        }
    }

    /// Waits for one HDLC frame addressed to this client; gives `fail` for silence, an invalid frame
    /// or garbage first. Frames to other addresses are recorded and skipped.
    func expectHDLCFrame(_ context: inout StepContext, what: String) async throws(TransportError) -> HDLCFrame? {
        let deadline = ContinuousClock.now + context.timeout
        var garbage = 0
        while true {
            guard let item = try await nextEvent(deadline: deadline) else {
                context.setVerdict(.fail, garbage > 0 ? "\(garbage) byte(s) that are not an HDLC frame arrived, and no \(what) within \(context.timeout)"
                                   : "no \(what) within \(context.timeout) (the device stayed silent)")
                return nil
            }
            record(item.event, at: item.at, &context)
            switch item.event {
            case .hdlc(let frame, _):
                guard link.isForUs(frame) else {
                    context.log.append("frame for another address skipped")
                    continue
                }
                return frame
            case .invalid(_, let error):
                context.setVerdict(.fail, "invalid HDLC frame instead of the \(what): \(error) (fact sheet §1.1, §1.6)")
                return nil
            case .garbage(let bytes):
                garbage += bytes.count
            case .wrapper:
                context.setVerdict(.fail, "a wrapper frame came on an HDLC link")
                return nil
            }
        }
    }

    // MARK: raw frames

    func sendFrameStep(_ step: Step, _ context: inout StepContext) async throws {
        guard let frameParameter = try context.parameter("frame", of: step) else { return }
        if case .bytes(let raw) = frameParameter {
            try await transmitBytes(raw, &context, what: "frame")
            if context.verdict.verdict == .none { context.setVerdict(.pass, "sent") }
            return
        }
        guard let builder = frameParameter.textValue else {
            context.setVerdict(.error, "frame must be a builder name or hex bytes")
            return
        }
        if let sap = try clientSAP(step, &context) { link.clientSAP = sap }
        var information: [UInt8] = []
        if case .bytes(let b)? = try context.parameter("information", of: step) { information = b }
        if let size = try context.parameter("information_size", of: step)?.intValue, size > 0 {
            information = (0..<size).map { UInt8(truncatingIfNeeded: $0) }
        }
        if builder == "wrapper" {
            let version = try context.parameter("version", of: step)?.intValue ?? 1
            let source = try context.parameter("source", of: step)?.intValue ?? Int(link.clientSAP)
            let destinationPort = try context.parameter("destination", of: step)?.intValue ?? Int(link.serverLogical)
            let length = try context.parameter("length", of: step)?.intValue ?? information.count
            var bytes: [UInt8] = []
            for v in [version, source, destinationPort, length] { bytes += [UInt8(truncatingIfNeeded: v >> 8), UInt8(truncatingIfNeeded: v)] }
            try await transmitBytes(bytes + information, &context, what: "wrapper frame")
            if context.verdict.verdict == .none { context.setVerdict(.pass, "sent") }
            return
        }
        guard var destination = link.serverAddress(), let source = link.clientAddress() else {
            context.setVerdict(.error, "the PIXIT HDLC addresses do not fit their sizes")
            return
        }
        if let upper = try context.parameter("destination_upper", of: step)?.intValue {
            let lower = try context.parameter("destination_lower", of: step)?.intValue
            let size = try context.parameter("address_size", of: step)?.intValue.flatMap(HDLCAddress.Size.init(rawValue:)) ?? (lower == nil ? .one : .four)
            do { destination = try HDLCAddress(upper: UInt16(clamping: upper), lower: lower.map { UInt16(clamping: $0) }, size: size) } catch {
                context.setVerdict(.error, "destination address: \(error)")
                return
            }
        } else if let size = try context.parameter("address_size", of: step)?.intValue.flatMap(HDLCAddress.Size.init(rawValue:)) {
            do { destination = try HDLCAddress(upper: link.serverLogical, lower: size == .one ? nil : link.serverPhysical ?? 0, size: size) } catch {
                context.setVerdict(.error, "destination address: \(error)")
                return
            }
        }
        let poll = try context.parameter("poll", of: step).map { $0 == .bool(true) } ?? true
        let segmented = try context.parameter("segmented", of: step) == .bool(true)
        let llc = try context.parameter("llc", of: step).map { $0 == .bool(true) } ?? true
        let ns = try context.parameter("n_s", of: step)?.intValue.map { UInt8($0 & 7) } ?? link.sendSequence
        let nr = try context.parameter("n_r", of: step)?.intValue.map { UInt8($0 & 7) } ?? link.receiveSequence
        var frame: HDLCFrame
        switch builder {
        case "snrm", "disc", "ui", "ua", "dm":
            let type: HDLCControl.FrameType = switch builder {
            case "snrm": .setNormalResponseMode
            case "disc": .disconnect
            case "ui": .unnumberedInformation
            case "ua": .unnumberedAcknowledge
            default: .disconnectedMode
            }
            let info = builder == "ui" && llc ? HDLCLLC.command.bytes + information : information
            guard let f = HDLCFrame.unnumbered(type, destination: destination, source: source, pollFinal: poll, information: info[...]) else {
                context.setVerdict(.error, "cannot build \(builder)")
                return
            }
            frame = f
        case "rr":
            frame = HDLCFrame.receiveReady(destination: destination, source: source, receiveSequence: nr, pollFinal: poll)
        case "rnr":
            frame = HDLCFrame.receiveNotReady(destination: destination, source: source, receiveSequence: nr, pollFinal: poll)
        case "i":
            let info = llc ? HDLCLLC.command.bytes + information : information
            frame = HDLCFrame.information(destination: destination, source: source, sendSequence: ns, receiveSequence: nr,
                                          pollFinal: poll, segmented: segmented, information: info[...])
            if try context.parameter("n_s", of: step) == nil { link.sendSequence = (link.sendSequence + 1) & 7 }
        case "control":
            guard let raw = try context.parameter("control", of: step)?.intValue else {
                context.setVerdict(.error, "frame 'control' needs `control`, the control byte")
                return
            }
            frame = HDLCFrame(destination: destination, source: source, control: HDLCControl(rawValue: UInt8(truncatingIfNeeded: raw)), information: information[...], segmented: segmented)
        default:
            context.setVerdict(.error, "unknown frame builder '\(builder)' (snrm, disc, ui, ua, dm, rr, rnr, i, control, wrapper, or hex)")
            return
        }
        if segmented, builder != "i", builder != "control" { frame.segmented = true }
        var destinationBytes = destination.encoded()
        if case .bytes(let raw)? = try context.parameter("destination_hex", of: step) { destinationBytes = raw }
        var sourceBytes = source.encoded()
        if try context.parameter("client_address_size", of: step)?.intValue == 2 {
            // A client address in the 2-byte form (invalid: a client address is one byte, §1.3).
            sourceBytes = [UInt8(truncatingIfNeeded: link.clientSAP << 1), 0x03]
        }
        let typeNibble: UInt8 = try context.parameter("format_error", of: step) == .bool(true) ? 0x9 : 0xA
        let lengthDelta = try context.parameter("length_delta", of: step)?.intValue ?? 0
        var bytes = Self.rawFrame(typeNibble: typeNibble, segmented: frame.segmented, destination: destinationBytes, source: sourceBytes,
                                  control: frame.control.rawValue, information: Array(frame.information), lengthDelta: lengthDelta)
        var what = builder.uppercased()
        if typeNibble != 0xA { what += " with frame format type 9" }
        if lengthDelta != 0 { what += " with its length field off by \(lengthDelta)" }
        if let info = try context.parameter("information_size", of: step)?.intValue, info > 0 { what += " (\(info) information bytes)" }
        if try context.parameter("fcs_error", of: step) == .bool(true), bytes.count >= 4 {
            bytes[bytes.count - 2] ^= 0xFF
            what += " with a wrong FCS"
        }
        if try context.parameter("hcs_error", of: step) == .bool(true), !frame.information.isEmpty {
            let hcsIndex = 1 + 2 + destinationBytes.count + sourceBytes.count + 1
            if hcsIndex < bytes.count - 3 { bytes[hcsIndex] ^= 0xFF; what += " with a wrong HCS" }
        }
        if let cut = try context.parameter("truncate", of: step)?.intValue, cut > 0, cut < bytes.count {
            bytes = Array(bytes.prefix(bytes.count - cut)) + [HDLCFrame.flag]
            what += " cut short by \(cut) byte(s)"
        }
        switch try context.parameter("drop_flags", of: step)?.textValue {
        case "opening"?: bytes.removeFirst(); what += " without its opening flag"
        case "closing"?: bytes.removeLast(); what += " without its closing flag"
        case "both"?: bytes.removeFirst(); bytes.removeLast(); what += " without flags"
        default: break
        }
        try await transmitBytes(bytes, &context, what: what)
        if context.verdict.verdict == .none { context.setVerdict(.pass, "sent \(what)") }
    }

    /// An HDLC frame assembled from its parts with correct HCS and FCS for what it says — also when
    /// the parts are wrong on purpose (a format type other than A, a length field off, an address
    /// of an invalid size), so that only the intended defect is present (fact sheet §1.1, §1.6).
    static func rawFrame(typeNibble: UInt8, segmented: Bool, destination: [UInt8], source: [UInt8], control: UInt8,
                         information: [UInt8], lengthDelta: Int) -> [UInt8] {
        let length = 2 + destination.count + source.count + 1 + (information.isEmpty ? 0 : 2 + information.count) + 2 + lengthDelta
        let format = UInt16(typeNibble & 0x0F) << 12 | (segmented ? 0x0800 : 0) | UInt16(clamping: max(0, length)) & 0x07FF
        var body: [UInt8] = [UInt8(format >> 8), UInt8(format & 0xFF)] + destination + source + [control]
        if !information.isEmpty {
            body += HDLCFrameCheck.wireBytes(HDLCFrameCheck.compute(body))
            body += information
        }
        body += HDLCFrameCheck.wireBytes(HDLCFrameCheck.compute(body))
        return [HDLCFrame.flag] + body + [HDLCFrame.flag]
    }

    func expectFrameStep(_ step: Step, _ context: inout StepContext) async throws {
        if case .duration(let silence)? = try context.parameter("allow_silence", of: step) {
            // Silence passes too: wait that long for anything at all before judging a frame.
            guard let item = try await nextEvent(deadline: .now + silence) else {
                context.setVerdict(.pass, "no answer within \(Int(Runner.milliseconds(silence).rounded())) ms: the frame was discarded")
                return
            }
            link.pending.insert(item, at: 0)
        }
        switch link.framing {
        case .hdlc:
            guard let frame = try await expectHDLCFrame(&context, what: "frame") else { return }
            if frame.frameType == .information, let ns = frame.control.sendSequence, ns == link.receiveSequence {
                link.receiveSequence = (ns + 1) & 7
            }
            let json = decodeForEvidence((try? frame.encoded()) ?? []).0 ?? .null
            try applyExpect(step, to: json, &context)
            try save(json, step, &context)
            if context.verdict.verdict == .none { context.setVerdict(.pass, "\(frame.frameType?.name ?? "frame") as expected") }
        case .wrapper:
            let deadline = ContinuousClock.now + context.timeout
            guard let item = try await nextEvent(deadline: deadline) else {
                context.setVerdict(.fail, "no frame within \(context.timeout) (the device stayed silent)")
                return
            }
            record(item.event, at: item.at, &context)
            guard case .wrapper(_, let bytes) = item.event else {
                context.setVerdict(.fail, "an invalid wrapper frame arrived")
                return
            }
            let json = decodeForEvidence(bytes).0 ?? .null
            try applyExpect(step, to: json, &context)
            try save(json, step, &context)
            if context.verdict.verdict == .none { context.setVerdict(.pass, "wrapper frame as expected") }
        }
    }

    func expectSilenceStep(_ step: Step, _ context: inout StepContext) async throws {
        var duration: Duration = .seconds(1)
        if case .duration(let d)? = try context.parameter("duration", of: step) { duration = d }
        let events = try await collect(for: duration, &context, note: "received where silence was required")
        if events.isEmpty {
            context.setVerdict(.pass, "no answer within \(Int(Runner.milliseconds(duration).rounded())) ms, as required")
        } else {
            let what = events.map { event -> String in
                switch event {
                case .hdlc(let f, _): return f.frameType?.name ?? "a frame"
                case .wrapper: return "a wrapper frame"
                case .invalid: return "an invalid frame"
                case .garbage: return "bytes that are not a frame"
                }
            }
            context.setVerdict(.fail, "the device answered (\(what.joined(separator: ", "))) where it must stay silent for \(Int(Runner.milliseconds(duration).rounded())) ms")
        }
    }

    // MARK: APDU transfer

    /// Sends an APDU: one wrapper frame, or I frames (segmented to the negotiated length, each
    /// segment answered by RR before the next, fact sheet §1.9). Gives `fail` when the server does
    /// not acknowledge a segment. Returns whether the whole APDU left.
    @discardableResult
    func transmitAPDU(_ apdu: [UInt8], _ context: inout StepContext, what: String) async throws(TransportError) -> Bool {
        switch link.framing {
        case .wrapper:
            let bytes: [UInt8]
            do throws(DLMSError) { bytes = try link.wrapperFrame(apdu) } catch {
                context.setVerdict(.error, "cannot frame \(what): \(error)")
                return false
            }
            try await transmitBytes(bytes, &context, what: what)
            return true
        case .hdlc:
            let frames: [HDLCFrame]
            do throws(DLMSError) { frames = try link.informationFrames(apdu) } catch {
                context.setVerdict(.error, "cannot frame \(what): \(error)")
                return false
            }
            for (index, frame) in frames.enumerated() {
                let label = frames.count > 1 ? "\(what) (segment \(index + 1)/\(frames.count))" : what
                try await transmitFrame(frame, &context, what: label)
                guard frame.segmented else { continue }
                guard let answer = try await expectHDLCFrame(&context, what: "RR to segment \(index + 1)") else { return false }
                guard answer.frameType == .receiveReady else {
                    context.setVerdict(.fail, "\(answer.frameType?.name ?? "an undefined frame") came instead of RR to a segmented I frame (fact sheet §1.9)")
                    return false
                }
                let expectedNR = (Int(frame.control.sendSequence ?? 0) + 1) & 7
                if let nr = answer.control.receiveSequence, Int(nr) != expectedNR {
                    context.setVerdict(.fail, "RR carries N(R) \(nr); \(expectedNR) acknowledges the segment (fact sheet §1.9)")
                    return false
                }
            }
            return true
        }
    }

    /// Receives one APDU: a wrapper frame from the logical device to this client, or I frames
    /// (checking N(S), N(R) and the LLC header, answering segments with RR) joined together.
    func receiveAPDU(_ context: inout StepContext, deadline: ContinuousClock.Instant) async throws(TransportError) -> DLMSLinkReceive {
        var assembled: [UInt8] = []
        var frames = 0
        var garbage = 0
        while true {
            guard let item = try await nextEvent(deadline: deadline) else {
                if frames > 0 { return .timeout("\(frames) segment(s) arrived, the last one still announcing more") }
                return .timeout(garbage > 0 ? "\(garbage) byte(s) that are not a frame arrived, and no response" : "the device stayed silent")
            }
            record(item.event, at: item.at, &context)
            switch item.event {
            case .garbage(let bytes):
                garbage += bytes.count
                context.log.append("garbage: \(Self.hex(bytes))")
            case .invalid(_, let error):
                return .violation("invalid \(link.framing == .hdlc ? "HDLC" : "wrapper") frame: \(error) (fact sheet \(link.framing == .hdlc ? "§1.1, §1.6" : "§3"))")
            case .wrapper(let frame, _):
                guard link.framing == .wrapper else { return .violation("a wrapper frame came on an HDLC link") }
                if frame.sourcePort != link.serverLogical || frame.destinationPort != link.clientSAP {
                    return .violation("wrapper ports source \(frame.sourcePort) → destination \(frame.destinationPort); the answer must come from wPort \(link.serverLogical) to \(link.clientSAP) (fact sheet §3)")
                }
                return .apdu(Array(frame.apdu), frames: 1)
            case .hdlc(let frame, _):
                guard link.isForUs(frame) else {
                    context.log.append("frame for another address skipped")
                    continue
                }
                switch frame.frameType {
                case .information?:
                    let ns = frame.control.sendSequence ?? 0
                    if ns != link.receiveSequence {
                        return .violation("I frame with N(S) \(ns) where \(link.receiveSequence) was due (N(S) counts up mod 8, fact sheet §1.9)")
                    }
                    link.receiveSequence = (ns + 1) & 7
                    if let nr = frame.control.receiveSequence, nr != link.sendSequence {
                        return .violation("I frame with N(R) \(nr); the client's next N(S) is \(link.sendSequence) (fact sheet §1.9)")
                    }
                    var info = frame.information
                    if frames == 0 {
                        let (llc, rest) = HDLCLLC.split(info)
                        guard llc == .response else {
                            return .violation(llc == nil ? "I frame without the LLC header E6 E7 00 (fact sheet §1.7)"
                                              : "I frame with the request LLC header E6 E6 00 instead of E6 E7 00 (fact sheet §1.7)")
                        }
                        info = rest
                    }
                    assembled += info
                    frames += 1
                    if assembled.count > 0x10000 + 3 { return .violation("the segmented APDU exceeds 65 539 bytes") }
                    if frame.segmented {
                        // More segments follow; the server waits for RR after a frame with F = 1
                        // (every frame with window 1, the window's last otherwise; fact sheet §1.9).
                        guard frame.control.pollFinal else { continue }
                        guard let rr = link.receiveReady() else { return .violation("cannot build RR") }
                        try await transmitFrame(rr, &context, what: "RR (N(R) \(link.receiveSequence)) for the next segment")
                        continue
                    }
                    return .apdu(assembled, frames: frames)
                case .disconnectedMode?:
                    link.resetConnection()
                    return .violation("DM came: the server is in disconnected mode (no SNRM/UA before, or it dropped the link)")
                case .frameReject?:
                    return .violation("FRMR came: the server rejected the client's frame")
                default:
                    context.log.append("\(frame.frameType?.name ?? "undefined") frame while waiting for an I frame, skipped")
                }
            }
        }
    }
}
