import DLMS

/// What an APDU is in an exchange: a confirmed request, a response (to a service, or to any
/// service for ExceptionResponse and ConfirmedServiceError), or neither — fact sheet dlms.md
/// §4.1 (ACSE tags), §5.1 (xDLMS tag table), §5.6 (service-class bit).
enum DLMSRole: Equatable {
    case request(service: String, invokeID: Int?)
    case response(service: String?, invokeID: Int?)
    case unconfirmed
    case other

    /// The role of a decoded APDU.
    init(_ apdu: DLMSMessage.APDU) {
        switch apdu {
        case .acse(.aarq): self = .request(service: "association", invokeID: nil)
        case .acse(.aare): self = .response(service: "association", invokeID: nil)
        case .acse(.rlrq): self = .request(service: "release", invokeID: nil)
        case .acse(.rlre): self = .response(service: "release", invokeID: nil)
        case .xdlms(let x): self = DLMSRole(x)
        }
    }

    init(_ apdu: XDLMSAPDU) {
        func request(_ service: String, _ i: InvokeIDAndPriority) -> DLMSRole {
            i.serviceClass == .confirmed ? .request(service: service, invokeID: Int(i.invokeID)) : .unconfirmed
        }
        switch apdu {
        case .getRequest(let r): self = request("get", r.invokeIDAndPriority)
        case .setRequest(let r): self = request("set", r.invokeIDAndPriority)
        case .actionRequest(let r): self = request("action", r.invokeIDAndPriority)
        case .getResponse(let r): self = .response(service: "get", invokeID: Int(r.invokeIDAndPriority.invokeID))
        case .setResponse(let r): self = .response(service: "set", invokeID: Int(r.invokeIDAndPriority.invokeID))
        case .actionResponse(let r): self = .response(service: "action", invokeID: Int(r.invokeIDAndPriority.invokeID))
        case .exceptionResponse, .confirmedServiceError: self = .response(service: nil, invokeID: nil)
        case .dataNotification, .eventNotificationRequest: self = .unconfirmed
        case .initiateRequest, .initiateResponse: self = .other
        case .ciphered(let c): self = DLMSRole(cipheredTag: c.tag)
        }
    }

    /// The role a service-specific ciphered tag implies (invoke-id unknown until deciphered).
    init(cipheredTag tag: CipheredServiceTag) {
        switch tag.plainTag {
        case 0xC0?: self = .request(service: "get", invokeID: nil)
        case 0xC1?: self = .request(service: "set", invokeID: nil)
        case 0xC3?: self = .request(service: "action", invokeID: nil)
        case 0xC4?: self = .response(service: "get", invokeID: nil)
        case 0xC5?: self = .response(service: "set", invokeID: nil)
        case 0xC7?: self = .response(service: "action", invokeID: nil)
        case 0xD8?, 0x0E?: self = .response(service: nil, invokeID: nil)
        case 0x0F?, 0xC2?: self = .unconfirmed
        default: self = .other
        }
    }

    /// Whether the client sends it (requests, and the initiate-request inside an AARQ).
    var isFromClient: Bool {
        if case .request = self { return true }
        return false
    }
}
