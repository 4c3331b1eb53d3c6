import DLMS
@testable import Simulators

/// A minimal DLMS client for the COSEM server tests, built on our own codec: AARQs for the three
/// clients, ciphering of requests and deciphering of responses for the manager.
final class COSEMTestClient {
    let server: COSEMServer
    let sap: UInt16
    let identity: DLMSSimulatorIdentity
    /// The manager's security context (client system title "MMM" 00 00 00 00 01).
    var security: SecurityContext
    var invocationCounter: UInt32 = 1
    var lastServerInvocationCounter: UInt32?
    /// Proposed conformance: 00 7E 1F (U9 / fact sheet §4.9).
    var conformance = Conformance(rawValue: 0x007E1F)
    var maxReceivePDU: UInt16 = 0xFFFF
    var dedicatedKey: [UInt8]?
    var clientChallenge: [UInt8] = Array("K56iVagYK56iVagY".utf8)
    let clientSystemTitle: [UInt8]

    init(_ server: COSEMServer, sap: UInt16, clientSystemTitle: [UInt8] = [0x4D, 0x4D, 0x4D, 0x00, 0x00, 0x00, 0x00, 0x01]) {
        self.server = server
        self.sap = sap
        self.clientSystemTitle = clientSystemTitle
        identity = server.identity
        security = SecurityContext(
            globalUnicastKey: identity.globalUnicastKey, authenticationKey: identity.authenticationKey,
            clientSystemTitle: try? SystemTitle(clientSystemTitle), serverSystemTitle: try? SystemTitle(identity.systemTitle))
    }

    static func publicClient(_ server: COSEMServer) -> COSEMTestClient { COSEMTestClient(server, sap: server.identity.publicClient) }
    static func reader(_ server: COSEMServer) -> COSEMTestClient { COSEMTestClient(server, sap: server.identity.readerClient) }
    static func manager(_ server: COSEMServer) -> COSEMTestClient { COSEMTestClient(server, sap: server.identity.managerClient) }

    var initiateRequest: [UInt8] {
        XDLMSAPDU.initiateRequest(InitiateRequest(dedicatedKey: dedicatedKey, proposedConformance: conformance,
                                                  clientMaxReceivePDUSize: maxReceivePDU)).encoded()
    }

    /// The AARQ this client normally sends.
    func aarq(password: [UInt8]? = nil) -> AARQ {
        switch sap {
        case identity.readerClient:
            return AARQ(applicationContextName: .logicalNameNoCiphering, senderACSERequirements: .authentication,
                        mechanismName: .lls, callingAuthenticationValue: .charstring(password ?? identity.password),
                        userInformation: UserInformation(initiateRequest))
        case identity.managerClient:
            let ciphered = (try? security.protect(apdu: initiateRequest, by: .client, invocationCounter: nextCounter())) ?? []
            return AARQ(applicationContextName: .logicalNameWithCiphering, callingAPTitle: clientSystemTitle,
                        senderACSERequirements: .authentication, mechanismName: .hlsGMAC,
                        callingAuthenticationValue: .charstring(clientChallenge), userInformation: UserInformation(ciphered))
        default:
            return AARQ(applicationContextName: .logicalNameNoCiphering, userInformation: UserInformation(initiateRequest))
        }
    }

    func nextCounter() -> UInt32 {
        defer { invocationCounter += 1 }
        return invocationCounter
    }

    /// Sends `aarq`, returns the decoded AARE.
    func associate(_ aarq: AARQ) throws -> AARE {
        let replies = server.handle(apdu: aarq.encoded(), from: sap)
        guard replies.count == 1 else { throw TestFailure("expected one AARE, got \(replies.count)") }
        let aare = try AARE(decoding: replies[0])
        if let content = aare.userInformation?.content, CipheredServiceTag(rawValue: content.first ?? 0) != nil {
            dedicatedKeyInUse = dedicatedKey
            security.dedicatedKey = dedicatedKey
        }
        return aare
    }
    var dedicatedKeyInUse: [UInt8]?

    /// Associates fully (HLS pass 3/4 for the manager); returns the AARE.
    @discardableResult
    func open() throws -> AARE {
        let aare = try associate(aarq())
        guard aare.result == .accepted else { throw TestFailure("association rejected: \(aare.resultSourceDiagnostic)") }
        if sap == identity.managerClient {
            let stoc = aare.respondingAuthenticationValue?.bytes ?? []
            let reply = try security.hlsGMACResponse(to: stoc, by: .client, invocationCounter: nextCounter())
            let response = try request(.actionRequest(.normal(InvokeIDAndPriority(invokeID: 1),
                CosemMethodDescriptor(classID: 15, instanceID: .currentAssociation, methodID: 1), parameters: .octetString(reply))))
            guard case let .actionResponse(.normal(_, result)) = response, result.result == .success,
                  case let .data(.octetString(fCtoS))? = result.returnParameters else {
                throw TestFailure("HLS pass 3/4 failed: \(response)")
            }
            try security.verifyHLSGMACResponse(fCtoS, to: clientChallenge, from: .server)
        }
        return aare
    }

    /// Sends a plain APDU as is (no ciphering); returns the raw replies.
    func raw(_ bytes: [UInt8]) -> [[UInt8]] { server.handle(apdu: bytes, from: sap) }

    /// Sends `apdu` (ciphered with `form` for the manager) and decodes the single reply (deciphered).
    func request(_ apdu: XDLMSAPDU, form: CipheredAPDUForm = .serviceSpecific(.global)) throws -> XDLMSAPDU {
        try XDLMSAPDU(decoding: try requestBytes(apdu.encoded(), form: form))
    }

    /// As ``request(_:form:)`` on bytes; returns the plain reply bytes.
    func requestBytes(_ plain: [UInt8], form: CipheredAPDUForm = .serviceSpecific(.global)) throws -> [UInt8] {
        var bytes = plain
        let ciphered = sap == identity.managerClient
        if ciphered { bytes = try security.protect(apdu: plain, by: .client, form: form, invocationCounter: nextCounter()) }
        let replies = server.handle(apdu: bytes, from: sap)
        guard replies.count == 1 else { throw TestFailure("expected one reply, got \(replies.count)") }
        return ciphered ? try decipher(replies[0]) : replies[0]
    }

    /// Deciphers a server APDU (checks the server invocation counter increases).
    func decipher(_ bytes: [UInt8]) throws -> [UInt8] {
        guard CipheredServiceTag(rawValue: bytes.first ?? 0) != nil else { return bytes }
        let u = try security.unprotect(bytes: bytes, from: .server)
        lastServerInvocationCounter = u.header.invocationCounter
        return u.plaintext
    }

    /// GET normal of one attribute; the whole value (following data blocks).
    func get(_ classID: UInt16, _ obis: OBISCode, _ attribute: Int8, selection: SelectiveAccessDescriptor? = nil,
             invokeID: UInt8 = 1) throws -> GetDataResult {
        let item = AttributeDescriptorWithSelection(CosemAttributeDescriptor(classID: classID, instanceID: obis, attributeID: attribute),
                                                    accessSelection: selection)
        var response = try request(.getRequest(.normal(InvokeIDAndPriority(invokeID: invokeID), item)))
        var payload: [UInt8] = []
        while true {
            switch response {
            case let .getResponse(.normal(_, result)):
                return result
            case let .getResponse(.withDatablock(_, block)):
                switch block.result {
                case let .dataAccessResult(r): return .dataAccessResult(r)
                case let .rawData(chunk): payload += chunk
                }
                if block.lastBlock { return .data(try COSEMData(decodingExactly: payload[...])) }
                response = try request(.getRequest(.next(InvokeIDAndPriority(invokeID: invokeID), blockNumber: block.blockNumber)))
            default:
                throw TestFailure("unexpected reply \(response)")
            }
        }
    }

    /// GET returning the data, or throwing on a data-access-result.
    func value(_ classID: UInt16, _ obis: OBISCode, _ attribute: Int8, selection: SelectiveAccessDescriptor? = nil) throws -> COSEMData {
        switch try get(classID, obis, attribute, selection: selection) {
        case let .data(d): return d
        case let .dataAccessResult(r): throw TestFailure("GET \(obis) attr \(attribute): \(r.name)")
        }
    }

    /// SET normal; the result.
    func set(_ classID: UInt16, _ obis: OBISCode, _ attribute: Int8, _ value: COSEMData) throws -> DataAccessResult {
        let item = AttributeDescriptorWithSelection(CosemAttributeDescriptor(classID: classID, instanceID: obis, attributeID: attribute))
        guard case let .setResponse(.normal(_, r)) = try request(.setRequest(.normal(InvokeIDAndPriority(invokeID: 2), item, value: value))) else {
            throw TestFailure("no SET-Response-Normal")
        }
        return r
    }

    /// ACTION normal; result and return data.
    func action(_ classID: UInt16, _ obis: OBISCode, _ method: Int8, _ parameter: COSEMData? = .integer(0)) throws -> ActionResponseWithOptionalData {
        let d = CosemMethodDescriptor(classID: classID, instanceID: obis, methodID: method)
        guard case let .actionResponse(.normal(_, r)) = try request(.actionRequest(.normal(InvokeIDAndPriority(invokeID: 3), d, parameters: parameter))) else {
            throw TestFailure("no ACTION-Response-Normal")
        }
        return r
    }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A server whose clock does not move unless the test moves it.
func fixedServer(faults: Set<DLMSFault> = [], elapsed: @escaping () -> Double = { 0 }) -> COSEMServer {
    COSEMServer(configuration: COSEMServerConfiguration(faults: faults, clock: SimulatedClock(elapsed: elapsed)))
}
