import CodecSupport
import DLMS
import Transport

/// What a GET, SET or ACTION came back with.
struct DLMSServiceOutcome {
    /// `success`, a Data-Access-Result / Action-Result name, or `exception: …` / `service-error: …`.
    var result: String
    /// The value returned (GET data, ACTION return parameters).
    var data: COSEMData?
    /// How many data blocks carried it (0: none).
    var blocks: Int
    /// The (deciphered) response, as decoded.
    var response: JSONValue

    /// `{"result", "type", "value", "data", "blocks", "response"}` for `expect` and `save_as`.
    var json: JSONValue {
        var members: [(String, JSONValue)] = [("result", .string(result))]
        if let data {
            members.append(("data", data.json))
            members.append(("type", .string(data.type.name)))
            if case .object(let m) = data.json, let value = m.first(where: { $0.0 == "value" })?.1 { members.append(("value", value)) }
        } else {
            members.append(("data", .null))
            members.append(("type", .null))
            members.append(("value", .null))
        }
        members.append(("blocks", .int(Int64(blocks))))
        members.append(("response", response))
        return .object(members)
    }
}

/// GET, SET, ACTION (with block transfer), raw APDUs, and checks on the values they return.
extension DLMSSession {
    /// Every field of a service outcome an `expect` may name.
    static let outcomeFields = ["result", "type", "value", "data", "blocks", "response"]

    // MARK: The request/response exchange

    /// Sends a plain xDLMS request (ciphered as the association requires) and returns the plain
    /// response, checking ciphering, the invocation counter and the invoke-id. nil: the verdict is set.
    func exchange(_ plain: [UInt8], invokeID: UInt8?, _ context: inout StepContext, what: String) async throws(TransportError) -> XDLMSAPDU? {
        var request = plain
        var ciphered = false
        if var association, let security = association.security, let form = association.cipherForm {
            var s = security
            do { request = try s.protect(apdu: plain, by: .client, form: form) } catch {
                context.setVerdict(.error, "cannot cipher the \(what): \(error)")
                return nil
            }
            advanceClientInvocationCounter(&s)
            association.security = s
            self.association = association
            ciphered = true
        }
        guard try await transmitAPDU(request, &context, what: what) else { return nil }
        let received = try await receiveAPDU(&context, deadline: .now + context.timeout)
        var bytes: [UInt8]
        switch received {
        case .apdu(let b, _): bytes = b
        case .violation(let why): context.setVerdict(.fail, why); return nil
        case .timeout(let why): context.setVerdict(.fail, "no response to the \(what) within \(context.timeout): \(why)"); return nil
        }
        if var association {
            switch DLMSResponseProtection.unwrap(bytes, requestWasCiphered: ciphered, association: &association) {
            case .success(let plainResponse): bytes = plainResponse
            case .failure(let violation):
                self.association = association
                context.setVerdict(.fail, violation.description)
                return nil
            }
            self.association = association
        }
        let apdu: XDLMSAPDU
        do { apdu = try XDLMSAPDU(decoding: bytes) } catch {
            context.setVerdict(.fail, "the response to the \(what) does not decode: \(error)")
            return nil
        }
        lastAPDU = apdu.json
        if let invokeID, let echoed = Self.invokeID(of: apdu), echoed != invokeID {
            context.setVerdict(.fail, "the response carries invoke-id \(echoed); the request carried \(invokeID) (a response echoes the request's invoke-id, fact sheet §5.6)")
            return nil
        }
        return apdu
    }

    static func invokeID(of apdu: XDLMSAPDU) -> UInt8? {
        switch apdu {
        case .getResponse(let r): r.invokeIDAndPriority.invokeID
        case .setResponse(let r): r.invokeIDAndPriority.invokeID
        case .actionResponse(let r): r.invokeIDAndPriority.invokeID
        default: nil
        }
    }

    static func errorOutcome(_ apdu: XDLMSAPDU) -> DLMSServiceOutcome? {
        switch apdu {
        case .exceptionResponse(let e): DLMSServiceOutcome(result: "exception: \(e)", data: nil, blocks: 0, response: apdu.json)
        case .confirmedServiceError(let e): DLMSServiceOutcome(result: "service-error: \(e)", data: nil, blocks: 0, response: apdu.json)
        default: nil
        }
    }

    // MARK: GET

    /// Reads one attribute, following GET-Response-with-datablock to the last block (fact sheet §5.9).
    func read(_ descriptor: AttributeDescriptorWithSelection, _ context: inout StepContext) async throws(TransportError) -> DLMSServiceOutcome? {
        let invoke = takeInvokeID()
        let iid = InvokeIDAndPriority(invokeID: invoke)
        var what = "GET \(descriptor.descriptor.classID)/\(descriptor.descriptor.instanceID)/\(descriptor.descriptor.attributeID)"
        if let s = descriptor.accessSelection { what += " (selector \(s.accessSelector))" }
        guard var apdu = try await exchange(XDLMSAPDU.getRequest(.normal(iid, descriptor)).encoded(), invokeID: invoke, &context, what: what) else { return nil }
        var raw: [UInt8] = []
        var blocks = 0
        while true {
            if let error = Self.errorOutcome(apdu) { return error }
            guard case .getResponse(let response) = apdu else {
                context.setVerdict(.fail, "a \(apdu.name) came instead of a GET-Response")
                return nil
            }
            switch response {
            case .normal(_, .data(let data)):
                return DLMSServiceOutcome(result: "success", data: data, blocks: 0, response: apdu.json)
            case .normal(_, .dataAccessResult(let r)):
                return DLMSServiceOutcome(result: r.name, data: nil, blocks: 0, response: apdu.json)
            case .withList:
                context.setVerdict(.fail, "a GET-Response-With-List came to a GET-Request-Normal")
                return nil
            case .withDatablock(_, let block):
                blocks += 1
                if let association, !association.conformance.contains(.blockTransferWithGetOrRead) {
                    context.setVerdict(.fail, "the server used GET with data block, which the association did not agree (conformance bit 11, fact sheet §5.3)")
                    return nil
                }
                guard block.blockNumber == UInt32(blocks) else {
                    context.setVerdict(.fail, "data block number \(block.blockNumber) where \(blocks) was due (block numbers count up from 1, fact sheet §5.9)")
                    return nil
                }
                switch block.result {
                case .dataAccessResult(let r):
                    return DLMSServiceOutcome(result: r.name, data: nil, blocks: blocks, response: apdu.json)
                case .rawData(let bytes):
                    raw += bytes
                }
                if raw.count > 16 << 20 {
                    context.setVerdict(.fail, "the block-transferred value exceeds 16 MiB")
                    return nil
                }
                if block.lastBlock {
                    do {
                        let data = try COSEMData(decodingExactly: raw[...])
                        return DLMSServiceOutcome(result: "success", data: data, blocks: blocks, response: apdu.json)
                    } catch {
                        context.setVerdict(.fail, "the \(blocks) data blocks joined do not decode as one Data value: \(error)")
                        return nil
                    }
                }
                guard let next = try await exchange(XDLMSAPDU.getRequest(.next(iid, blockNumber: block.blockNumber)).encoded(), invokeID: invoke, &context, what: "GET next (block \(block.blockNumber) received)") else { return nil }
                apdu = next
            }
        }
    }

    func descriptor(_ step: Step, _ context: inout StepContext, attributeKey: String = "attribute") throws -> CosemAttributeDescriptor? {
        guard let classID = try context.parameter("class", of: step)?.intValue,
              let obisText = try context.parameter("obis", of: step)?.textValue,
              let attribute = try context.parameter(attributeKey, of: step)?.intValue else {
            context.setVerdict(.error, "\(step.kind) needs class, obis and \(attributeKey)")
            return nil
        }
        guard let obis = try? OBISCode(parsing: obisText) else {
            context.setVerdict(.error, "obis '\(obisText)' is not an OBIS code such as 0.0.1.0.0.255")
            return nil
        }
        return CosemAttributeDescriptor(classID: UInt16(clamping: classID), instanceID: obis, attributeID: Int8(clamping: attribute))
    }

    func getStep(_ step: Step, _ context: inout StepContext) async throws {
        guard let d = try descriptor(step, &context) else { return }
        var selection: SelectiveAccessDescriptor?
        if let selector = try context.parameter("access_selector", of: step)?.intValue {
            guard let parameters = try context.parameter("access_parameters", of: step) else {
                context.setVerdict(.error, "access_selector needs access_parameters")
                return
            }
            guard let data = try COSEMDataInput.make(parameters, &context) else { return }
            selection = SelectiveAccessDescriptor(accessSelector: UInt8(clamping: selector), accessParameters: data)
        } else if let range = try context.parameter("range", of: step) {
            guard let data = try COSEMDataInput.rangeDescriptor(range, &context) else { return }
            selection = SelectiveAccessDescriptor(accessSelector: 1, accessParameters: data)
        } else if let entries = try context.parameter("entries", of: step) {
            guard let data = try COSEMDataInput.entryDescriptor(entries, &context) else { return }
            selection = SelectiveAccessDescriptor(accessSelector: 2, accessParameters: data)
        }
        let allowidleFlag = try context.parameter("allow_idle", of: step) == .bool(true)
        guard association != nil || allowidleFlag else {
            context.setVerdict(.inconc, "no association is open (an `associate` step must come first)")
            return
        }
        guard let outcome = try await read(AttributeDescriptorWithSelection(d, accessSelection: selection), &context) else { return }
        try finish(outcome, step, &context, what: "GET")
    }

    /// Applies `expect`, `save_as` and `as`; without an `expect` on `result`, anything but success fails.
    func finish(_ outcome: DLMSServiceOutcome, _ step: Step, _ context: inout StepContext, what: String) throws {
        let json = outcome.json
        lastResult = json
        lastData = outcome.data
        try save(json, step, &context)
        if let name = try context.parameter("save_as", of: step)?.textValue { savedData[name] = outcome.data }
        if let name = try context.parameter("as", of: step)?.textValue {
            context.variables[name] = FieldMatching.lookup("value", in: json) ?? .null
        }
        var expectsResult = false
        if case .matchers(let matchers)? = step.parameters["expect"] { expectsResult = matchers.contains { $0.field == "result" } }
        if !expectsResult, outcome.result != "success" {
            context.setVerdict(.fail, "\(what) answered \(outcome.result) (Data-Access-Result / Action-Result, fact sheet §6.6, §6.7)")
            return
        }
        try applyExpect(step, to: json, &context)
        if context.verdict.verdict == .none {
            let shown = outcome.data.map { "\($0.type.name)" } ?? "no data"
            context.setVerdict(.pass, "\(what): \(outcome.result)\(outcome.result == "success" ? " (\(shown)\(outcome.blocks > 0 ? ", \(outcome.blocks) blocks" : ""))" : "")")
        }
    }

    // MARK: SET

    func setStep(_ step: Step, _ context: inout StepContext) async throws {
        guard let d = try descriptor(step, &context) else { return }
        guard let valueParameter = try context.parameter("value", of: step) else {
            context.setVerdict(.error, "set needs a value")
            return
        }
        guard let value = try COSEMDataInput.make(valueParameter, &context) else { return }
        guard association != nil else {
            context.setVerdict(.inconc, "no association is open (an `associate` step must come first)")
            return
        }
        guard let outcome = try await write(AttributeDescriptorWithSelection(d), value: value, &context) else { return }
        try finish(outcome, step, &context, what: "SET")
    }

    /// Writes one attribute; values longer than the server's PDU size go in data blocks (fact sheet §5.9).
    func write(_ descriptor: AttributeDescriptorWithSelection, value: COSEMData, _ context: inout StepContext) async throws(TransportError) -> DLMSServiceOutcome? {
        let invoke = takeInvokeID()
        let iid = InvokeIDAndPriority(invokeID: invoke)
        let what = "SET \(descriptor.descriptor.classID)/\(descriptor.descriptor.instanceID)/\(descriptor.descriptor.attributeID)"
        let plain = XDLMSAPDU.setRequest(.normal(iid, descriptor, value: value)).encoded()
        let limit = max(64, (association?.serverMaxPDU ?? 0) - 40)
        var apdu: XDLMSAPDU
        if plain.count <= limit || association?.conformance.contains(.blockTransferWithSetOrWrite) != true {
            guard let a = try await exchange(plain, invokeID: invoke, &context, what: what) else { return nil }
            apdu = a
        } else {
            let raw = value.encoded()
            let size = limit - 20
            var number: UInt32 = 1
            var offset = 0
            while true {
                let end = min(raw.count, offset + size)
                let last = end == raw.count
                let block = DataBlockSA(lastBlock: last, blockNumber: number, rawData: Array(raw[offset..<end]))
                let request: SetRequest = number == 1 ? .withFirstDatablock(iid, descriptor, block) : .withDatablock(iid, block)
                guard let a = try await exchange(XDLMSAPDU.setRequest(request).encoded(), invokeID: invoke, &context, what: "\(what) block \(number)") else { return nil }
                apdu = a
                if last { break }
                guard case .setResponse(.datablock(_, let acknowledged)) = a, acknowledged == number else {
                    if let error = Self.errorOutcome(a) { return error }
                    context.setVerdict(.fail, "block \(number) of the SET was not acknowledged with SET-Response-Datablock \(number) (fact sheet §5.9)")
                    return nil
                }
                number += 1
                offset = end
            }
        }
        if let error = Self.errorOutcome(apdu) { return error }
        switch apdu {
        case .setResponse(.normal(_, let r)), .setResponse(.lastDatablock(_, let r, _)):
            return DLMSServiceOutcome(result: r.name, data: nil, blocks: 0, response: apdu.json)
        default:
            context.setVerdict(.fail, "a \(apdu.name) came instead of a SET-Response")
            return nil
        }
    }

    // MARK: ACTION

    func actionStep(_ step: Step, _ context: inout StepContext) async throws {
        guard let classID = try context.parameter("class", of: step)?.intValue,
              let obisText = try context.parameter("obis", of: step)?.textValue,
              let method = try context.parameter("method", of: step)?.intValue else {
            context.setVerdict(.error, "action needs class, obis and method")
            return
        }
        guard let obis = try? OBISCode(parsing: obisText) else {
            context.setVerdict(.error, "obis '\(obisText)' is not an OBIS code")
            return
        }
        var parameters: COSEMData?
        if let p = try context.parameter("parameters", of: step) {
            guard let data = try COSEMDataInput.make(p, &context) else { return }
            parameters = data
        }
        guard association != nil else {
            context.setVerdict(.inconc, "no association is open (an `associate` step must come first)")
            return
        }
        let descriptor = CosemMethodDescriptor(classID: UInt16(clamping: classID), instanceID: obis, methodID: Int8(clamping: method))
        guard let outcome = try await invoke(method: descriptor, parameters: parameters, &context, what: "ACTION \(classID)/\(obis)/\(method)") else { return }
        try finish(outcome, step, &context, what: "ACTION")
    }

    /// Invokes one method (ACTION-Request-Normal).
    func invoke(method: CosemMethodDescriptor, parameters: COSEMData?, _ context: inout StepContext, what: String) async throws(TransportError) -> DLMSServiceOutcome? {
        let invoke = takeInvokeID()
        let iid = InvokeIDAndPriority(invokeID: invoke)
        guard let apdu = try await exchange(XDLMSAPDU.actionRequest(.normal(iid, method, parameters: parameters)).encoded(), invokeID: invoke, &context, what: what) else { return nil }
        if let error = Self.errorOutcome(apdu) { return error }
        guard case .actionResponse(.normal(_, let response)) = apdu else {
            context.setVerdict(.fail, "a \(apdu.name) came instead of an ACTION-Response-Normal")
            return nil
        }
        var data: COSEMData?
        if case .data(let d)? = response.returnParameters { data = d }
        if case .dataAccessResult(let r)? = response.returnParameters, response.result == .success {
            return DLMSServiceOutcome(result: r.name, data: nil, blocks: 0, response: apdu.json)
        }
        return DLMSServiceOutcome(result: response.result.name, data: data, blocks: 0, response: apdu.json)
    }

    // MARK: Raw APDUs

    func sendAPDUStep(_ step: Step, _ context: inout StepContext) async throws {
        guard case .bytes(var apdu)? = try context.parameter("apdu", of: step) else {
            context.setVerdict(.error, "send_apdu needs apdu: hex bytes")
            return
        }
        let cipher = try context.parameter("cipher", of: step)?.textValue ?? "none"
        if cipher != "none" {
            guard var association, var security = association.security else {
                context.setVerdict(.inconc, "cipher needs a ciphered association")
                return
            }
            var counter = clientInvocationCounter
            switch cipher {
            case "replay": counter = clientInvocationCounter &- 1
            case "wrong_key": security.globalUnicastKey = security.globalUnicastKey?.map { $0 ^ 0x5A }
            default: break
            }
            do {
                apdu = try security.protect(apdu: apdu, by: .client, form: association.cipherForm ?? .serviceSpecific(.global), invocationCounter: counter)
            } catch {
                context.setVerdict(.error, "cannot cipher the APDU: \(error)")
                return
            }
            if cipher == "wrong_tag", apdu.count > 1 { apdu[apdu.count - 1] ^= 0xFF }
            if cipher != "replay" {
                var s = association.security ?? security
                advanceClientInvocationCounter(&s)
                association.security = s
                self.association = association
            }
            context.log.append("ciphered (\(cipher)) with invocation counter \(counter)")
        }
        try await transmitAPDU(apdu, &context, what: "APDU")
        if context.verdict.verdict == .none { context.setVerdict(.pass, "sent") }
    }

    func expectAPDUStep(_ step: Step, _ context: inout StepContext) async throws {
        var silence: Duration?
        if case .duration(let d)? = try context.parameter("allow_silence", of: step) { silence = d }
        let received = try await receiveAPDU(&context, deadline: .now + (silence ?? context.timeout))
        if case .timeout = received, let silence {
            context.setVerdict(.pass, "no APDU within \(Int(Runner.milliseconds(silence).rounded())) ms: the request was discarded")
            return
        }
        var bytes: [UInt8]
        switch received {
        case .apdu(let b, _): bytes = b
        case .violation(let why): context.setVerdict(.fail, why); return
        case .timeout(let why): context.setVerdict(.fail, "no APDU within \(context.timeout): \(why)"); return
        }
        var deciphered = false
        if let tag = bytes.first, CipheredServiceTag(rawValue: tag) != nil, let security = association?.security,
           let plain = try? security.unprotect(bytes: bytes, from: .server) {
            bytes = plain.plaintext
            deciphered = true
        }
        var json: JSONValue
        do throws(DLMSError) {
            let message = try DLMSMessage.decode(bytes)
            json = message.apdu.map { apdu -> JSONValue in
                switch apdu {
                case .acse(let a): a.json
                case .xdlms(let x): x.json
                }
            } ?? .null
            if let error = message.apduError {
                context.setVerdict(.fail, "the APDU does not decode: \(error)")
                return
            }
        } catch {
            context.setVerdict(.fail, "the APDU does not decode: \(error)")
            return
        }
        json = Self.merging(json, key: "deciphered", value: .bool(deciphered))
        lastAPDU = json
        try applyExpect(step, to: json, &context)
        try save(json, step, &context)
        if context.verdict.verdict == .none { context.setVerdict(.pass, "APDU as expected") }
    }

    // MARK: Values

    func readValueStep(_ step: Step, _ context: inout StepContext) throws {
        guard let field = try context.parameter("field", of: step)?.textValue, let name = try context.parameter("as", of: step)?.textValue else { return }
        let source: JSONValue?
        if let from = try context.parameter("from", of: step)?.textValue { source = context.saved[from] } else { source = lastResult ?? lastAPDU }
        guard let source, let value = FieldMatching.lookup(field, in: source) else {
            context.setVerdict(.inconc, "no \(field) to read")
            return
        }
        context.variables[name] = value
        context.log.append("${\(name)} = \(FieldMatching.show(value))")
        if context.verdict.verdict == .none { context.setVerdict(.pass, "read \(field)") }
    }
}
