import DLMS

/// GET, SET and ACTION (fact sheet §5.8–5.9) over the object store.
///
/// Decisions: an undecodable APDU with a known service tag → ExceptionResponse service-not-allowed
/// / other-reason; an unknown tag → service-unknown / service-not-supported; a service or variant
/// outside the negotiated conformance → service-not-allowed / service-not-supported (fact sheet §5.5).
/// Data-Access-Result: no such object → object-undefined (4); class id not the object's →
/// object-class-inconsistent (9); attribute index outside the class → object-undefined; no access
/// right → read-write-denied (3); SET value of the wrong type → type-unmatched (12); selective
/// access the attribute does not offer → other-reason (250).
extension COSEMServer {
    func respond(to plain: [UInt8], _ association: COSEMServerAssociation) -> [UInt8]? {
        let apdu: XDLMSAPDU
        do {
            apdu = try XDLMSAPDU(decoding: plain)
        } catch {
            let known = [0xC0, 0xC1, 0xC3].contains(plain.first ?? 0)
            return ExceptionResponse(stateError: known ? .serviceNotAllowed : .serviceUnknown,
                                     serviceError: known ? .otherReason : .serviceNotSupported).apdu
        }
        switch apdu {
        case let .getRequest(request):
            if case .next = request {} else { association.getTransfer = nil }
            return get(request, association)
        case let .setRequest(request):
            association.getTransfer = nil
            return set(request, association)
        case let .actionRequest(request):
            association.getTransfer = nil
            return action(request, association)
        default:
            return ExceptionResponse(stateError: .serviceUnknown, serviceError: .serviceNotSupported).apdu
        }
    }

    /// The invoke-id-and-priority to answer with (echoed; the invoke-id-not-echoed fault clears the id).
    func echo(_ invoke: InvokeIDAndPriority) -> InvokeIDAndPriority {
        configuration.has(.invokeIDNotEchoed) ? InvokeIDAndPriority(rawValue: invoke.rawValue & 0xF0) : invoke
    }

    /// Whether `needed` was negotiated (always under the ignores-conformance fault).
    func allows(_ needed: Conformance, _ association: COSEMServerAssociation) -> Bool {
        configuration.has(.ignoresConformance) || association.conformance.isSuperset(of: needed)
    }

    static let serviceNotSupported = ExceptionResponse(stateError: .serviceNotAllowed, serviceError: .serviceNotSupported).apdu

    func context(_ association: COSEMServerAssociation) -> COSEMCallContext {
        COSEMCallContext(server: self, association: association)
    }

    // MARK: GET

    func get(_ request: GetRequest, _ association: COSEMServerAssociation) -> [UInt8] {
        guard allows(.get, association) else { return Self.serviceNotSupported }
        let invoke = echo(request.invokeIDAndPriority)
        switch request {
        case let .normal(_, item):
            if item.accessSelection != nil, !allows(.selectiveAccess, association) { return Self.serviceNotSupported }
            let result = read(item, association)
            return deliver(GetResponse.normal(invoke, result), headerLength: 3, invoke: invoke, association)
        case let .withList(_, items):
            guard allows(.multipleReferences, association) else { return Self.serviceNotSupported }
            if items.contains(where: { $0.accessSelection != nil }), !allows(.selectiveAccess, association) {
                return Self.serviceNotSupported
            }
            let results = items.map { read($0, association) }
            return deliver(GetResponse.withList(invoke, results), headerLength: 3, invoke: invoke, association)
        case let .next(_, number):
            guard var transfer = association.getTransfer else {
                return XDLMSAPDU.getResponse(.normal(invoke, .dataAccessResult(.noLongGetInProgress))).encoded()
            }
            guard number == transfer.lastBlockNumber else {
                association.getTransfer = nil
                return XDLMSAPDU.getResponse(.withDatablock(invoke, DataBlockG(
                    lastBlock: true, blockNumber: number, result: .dataAccessResult(.dataBlockNumberInvalid)))).encoded()
            }
            let block = transfer.nextBlock()
            association.getTransfer = transfer.isFinished ? nil : transfer
            return XDLMSAPDU.getResponse(.withDatablock(invoke, block)).encoded()
        }
    }

    /// The response, or its first data block when it exceeds the client's max receive PDU size
    /// (with ciphering overhead). `headerLength` bytes (tag, choice, invoke) precede the payload;
    /// for normal the payload starts after the Get-Data-Result choice.
    private func deliver(_ response: GetResponse, headerLength: Int, invoke: InvokeIDAndPriority,
                         _ association: COSEMServerAssociation) -> [UInt8] {
        let encoded = XDLMSAPDU.getResponse(response).encoded()
        let overhead = association.ciphered ? 32 : 0
        let limit = association.clientMaxReceivePDUSize - overhead
        guard encoded.count > limit else { return encoded }
        guard allows(.blockTransferWithGetOrRead, association) else {
            return XDLMSAPDU.getResponse(.normal(invoke, .dataAccessResult(.otherReason))).encoded()
        }
        var payload = Array(encoded.dropFirst(headerLength))
        if case let .normal(_, result) = response {
            guard case let .data(value) = result else { return encoded }
            payload = value.encoded()
        }
        var transfer = GetBlockTransfer(payload: payload, blockSize: max(16, limit - 14),
                                        skipsBlockTwo: configuration.has(.blockNumberSkip))
        let block = transfer.nextBlock()
        association.getTransfer = transfer.isFinished ? nil : transfer
        return XDLMSAPDU.getResponse(.withDatablock(invoke, block)).encoded()
    }

    /// One attribute read, with access rights and selective access.
    func read(_ item: AttributeDescriptorWithSelection, _ association: COSEMServerAssociation) -> GetDataResult {
        let d = item.descriptor
        let object: COSEMObject
        switch store.resolve(classID: d.classID, logicalName: d.instanceID, role: association.role) {
        case let .failure(r): return .dataAccessResult(r)
        case let .success(o): object = o
        }
        let attribute = Int(d.attributeID)
        guard attribute >= 1, attribute <= object.attributeCount else { return .dataAccessResult(.objectUndefined) }
        if association.state == .pendingHLS { return .dataAccessResult(.readWriteDenied) }
        // The ignores-access-rights fault leaks reads only; writes and methods keep their rights.
        if !object.accessMode(attribute, for: association.role).allowsRead && !configuration.has(.ignoresAccessRights) {
            return .dataAccessResult(.readWriteDenied)
        }
        if let selection = item.accessSelection {
            guard object.policy.selectors[attribute]?.contains(Int8(bitPattern: selection.accessSelector)) == true else {
                return .dataAccessResult(.otherReason)
            }
        }
        switch object.get(attribute, selection: item.accessSelection, in: context(association)) {
        case let .value(v): return .data(v)
        case let .failure(r): return .dataAccessResult(r)
        }
    }

    // MARK: SET

    func set(_ request: SetRequest, _ association: COSEMServerAssociation) -> [UInt8] {
        guard allows(.set, association) else { return Self.serviceNotSupported }
        let invoke = echo(request.invokeIDAndPriority)
        let response: SetResponse
        switch request {
        case let .normal(_, item, value):
            response = .normal(invoke, write(item, value, association))
        case let .withList(_, items, values):
            guard allows(.multipleReferences, association) else { return Self.serviceNotSupported }
            let results = items.enumerated().map { i, item in
                i < values.count ? write(item, values[i], association) : DataAccessResult.typeUnmatched
            }
            response = .withList(invoke, results)
        case let .withFirstDatablock(_, item, block):
            guard allows(.blockTransferWithSetOrWrite, association) else { return Self.serviceNotSupported }
            association.setTransfer = InboundBlockTransfer(attributes: [item], isList: false)
            response = continueSet(block, invoke, association)
        case let .withListAndFirstDatablock(_, items, block):
            guard allows([.blockTransferWithSetOrWrite, .multipleReferences], association) else { return Self.serviceNotSupported }
            association.setTransfer = InboundBlockTransfer(attributes: items, isList: true)
            response = continueSet(block, invoke, association)
        case let .withDatablock(_, block):
            guard association.setTransfer != nil else {
                return XDLMSAPDU.setResponse(.normal(invoke, .noLongSetInProgress)).encoded()
            }
            response = continueSet(block, invoke, association)
        }
        return XDLMSAPDU.setResponse(response).encoded()
    }

    private func continueSet(_ block: DataBlockSA, _ invoke: InvokeIDAndPriority, _ association: COSEMServerAssociation) -> SetResponse {
        guard var transfer = association.setTransfer, transfer.accept(block) else {
            association.setTransfer = nil
            return .lastDatablock(invoke, .dataBlockNumberInvalid, blockNumber: block.blockNumber)
        }
        guard block.lastBlock else {
            association.setTransfer = transfer
            return .datablock(invoke, blockNumber: block.blockNumber)
        }
        association.setTransfer = nil
        guard let values = transfer.values(), values.count == transfer.attributes.count else {
            return transfer.isList
                ? .lastDatablockWithList(invoke, transfer.attributes.map { _ in .typeUnmatched }, blockNumber: block.blockNumber)
                : .lastDatablock(invoke, .typeUnmatched, blockNumber: block.blockNumber)
        }
        let results = zip(transfer.attributes, values).map { write($0, $1, association) }
        if transfer.isList { return .lastDatablockWithList(invoke, results, blockNumber: block.blockNumber) }
        return .lastDatablock(invoke, results.first ?? .typeUnmatched, blockNumber: block.blockNumber)
    }

    /// One attribute write, with access rights and the class's type check.
    func write(_ item: AttributeDescriptorWithSelection, _ value: COSEMData, _ association: COSEMServerAssociation) -> DataAccessResult {
        let d = item.descriptor
        let object: COSEMObject
        switch store.resolve(classID: d.classID, logicalName: d.instanceID, role: association.role) {
        case let .failure(r): return r
        case let .success(o): object = o
        }
        let attribute = Int(d.attributeID)
        guard attribute >= 1, attribute <= object.attributeCount else { return .objectUndefined }
        guard association.state == .associated else { return .readWriteDenied }
        guard object.accessMode(attribute, for: association.role).allowsWrite else { return .readWriteDenied }
        if item.accessSelection != nil { return .otherReason }
        if let ic = object.interfaceClass, !ic.check(attribute: attribute, value: value).isEmpty { return .typeUnmatched }
        return object.set(attribute, value: value, in: context(association))
    }

    // MARK: ACTION

    func action(_ request: ActionRequest, _ association: COSEMServerAssociation) -> [UInt8] {
        guard allows(.action, association) else { return Self.serviceNotSupported }
        let invoke = echo(request.invokeIDAndPriority)
        let response: ActionResponse
        switch request {
        case let .normal(_, method, parameters):
            response = .normal(invoke, call(method, parameters, association))
        case let .withList(_, methods, parameters):
            guard allows(.multipleReferences, association) else { return Self.serviceNotSupported }
            response = .withList(invoke, methods.enumerated().map { i, m in
                call(m, i < parameters.count ? parameters[i] : nil, association)
            })
        case let .withFirstPblock(_, method, block):
            guard allows(.blockTransferWithAction, association) else { return Self.serviceNotSupported }
            association.actionTransfer = InboundBlockTransfer(methods: [method], isList: false)
            response = continueAction(block, invoke, association)
        case let .withListAndFirstPblock(_, methods, block):
            guard allows([.blockTransferWithAction, .multipleReferences], association) else { return Self.serviceNotSupported }
            association.actionTransfer = InboundBlockTransfer(methods: methods, isList: true)
            response = continueAction(block, invoke, association)
        case let .withPblock(_, block):
            guard association.actionTransfer != nil else {
                return XDLMSAPDU.actionResponse(.normal(invoke, ActionResponseWithOptionalData(result: .noLongActionInProgress))).encoded()
            }
            response = continueAction(block, invoke, association)
        case .nextPblock:
            // Action responses are never sent in blocks by this server.
            response = .normal(invoke, ActionResponseWithOptionalData(result: .noLongActionInProgress))
        }
        return XDLMSAPDU.actionResponse(response).encoded()
    }

    private func continueAction(_ block: DataBlockSA, _ invoke: InvokeIDAndPriority, _ association: COSEMServerAssociation) -> ActionResponse {
        guard var transfer = association.actionTransfer, transfer.accept(block) else {
            association.actionTransfer = nil
            return .normal(invoke, ActionResponseWithOptionalData(result: .otherReason))
        }
        guard block.lastBlock else {
            association.actionTransfer = transfer
            return .nextPblock(invoke, blockNumber: block.blockNumber)
        }
        association.actionTransfer = nil
        guard let values = transfer.values(), values.count == transfer.methods.count else {
            return .normal(invoke, ActionResponseWithOptionalData(result: .typeUnmatched))
        }
        let results = zip(transfer.methods, values).map { call($0, $1, association) }
        if transfer.isList { return .withList(invoke, results) }
        return .normal(invoke, results.first ?? ActionResponseWithOptionalData(result: .typeUnmatched))
    }

    /// One method invocation, with access rights and the class's parameter type check.
    func call(_ d: CosemMethodDescriptor, _ parameters: COSEMData?, _ association: COSEMServerAssociation) -> ActionResponseWithOptionalData {
        func result(_ r: ActionResult) -> ActionResponseWithOptionalData { ActionResponseWithOptionalData(result: r) }
        let object: COSEMObject
        switch store.resolve(classID: d.classID, logicalName: d.instanceID, role: association.role) {
        case let .failure(r): return result(ActionResult(rawValue: r.rawValue) ?? .objectUndefined)
        case let .success(o): object = o
        }
        let method = Int(d.methodID)
        guard method >= 1, method <= object.methodCount else { return result(.objectUndefined) }
        let isHLSReply = object.classID == 15 && method == 1
        if association.state == .pendingHLS && !isHLSReply { return result(.readWriteDenied) }
        guard object.methodAccess(method, for: association.role) else { return result(.readWriteDenied) }
        let parameter = parameters ?? .nullData
        if parameters != nil, let ic = object.interfaceClass, !ic.check(method: method, parameter: parameter).isEmpty {
            return result(.typeUnmatched)
        }
        let outcome = object.invoke(method, parameter: parameter, in: context(association))
        return ActionResponseWithOptionalData(result: outcome.result, returnParameters: outcome.returnData.map { .data($0) })
    }
}
