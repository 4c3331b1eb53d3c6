import CodecSupport

/// An xDLMS APDU (Green Book 9.5 COSEMpdu, LN referencing), decoded from the tag — fact sheet §5.
///
/// Decoding is total: bytes in, a value or a ``DLMSError`` whose offset counts from the tag.
/// ``encoded()`` of a decoded value gives back exactly the bytes it came from.
public enum XDLMSAPDU: Sendable, Hashable {
    /// `01` InitiateRequest (inside the AARQ user-information).
    case initiateRequest(InitiateRequest)
    /// `08` InitiateResponse (inside the AARE user-information).
    case initiateResponse(InitiateResponse)
    /// `0E` ConfirmedServiceError.
    case confirmedServiceError(ConfirmedServiceError)
    /// `0F` DataNotification.
    case dataNotification(DataNotification)
    /// `C0` get-request.
    case getRequest(GetRequest)
    /// `C1` set-request.
    case setRequest(SetRequest)
    /// `C2` event-notification-request.
    case eventNotificationRequest(EventNotificationRequest)
    /// `C3` action-request.
    case actionRequest(ActionRequest)
    /// `C4` get-response.
    case getResponse(GetResponse)
    /// `C5` set-response.
    case setResponse(SetResponse)
    /// `C7` action-response.
    case actionResponse(ActionResponse)
    /// `D8` exception-response.
    case exceptionResponse(ExceptionResponse)
    /// A glo-, ded- or general-ciphered APDU, decoded without keys by the Security module.
    case ciphered(CipheredAPDU)

    /// The APDU tags this enum decodes in the clear.
    public enum Tag: UInt8, Sendable, CaseIterable {
        /// initiateRequest.
        case initiateRequest = 0x01
        /// initiateResponse.
        case initiateResponse = 0x08
        /// confirmedServiceError.
        case confirmedServiceError = 0x0E
        /// data-notification.
        case dataNotification = 0x0F
        /// get-request.
        case getRequest = 0xC0
        /// set-request.
        case setRequest = 0xC1
        /// event-notification-request.
        case eventNotificationRequest = 0xC2
        /// action-request.
        case actionRequest = 0xC3
        /// get-response.
        case getResponse = 0xC4
        /// set-response.
        case setResponse = 0xC5
        /// action-response.
        case actionResponse = 0xC7
        /// exception-response.
        case exceptionResponse = 0xD8
    }

    /// SN-referencing tags (readRequest, writeRequest, …) recognised but not decoded.
    public static let shortNameTags: Set<UInt8> = [0x05, 0x06, 0x0C, 0x0D, 0x16, 0x18]

    /// Decodes exactly `bytes`; anything after the APDU is ``DLMSError/Code/trailingBytes``.
    public init(decoding bytes: [UInt8]) throws(DLMSError) {
        try self.init(decoding: bytes[...])
    }

    /// Decodes exactly `bytes`; error offsets count from `bytes.startIndex`.
    public init(decoding bytes: ArraySlice<UInt8>) throws(DLMSError) {
        var r = AXDRReader(bytes)
        self = try Self.decode(from: &r)
        try r.expectEnd("xDLMS APDU")
    }

    /// Decodes one APDU at the reader's position; the reader ends after it.
    public static func decode(from r: inout AXDRReader) throws(DLMSError) -> XDLMSAPDU {
        let start = r.offset
        guard let first = r.peek() else {
            throw DLMSError(.truncated, at: start, "xDLMS APDU: needed 1 byte for the tag, 0 left")
        }
        if CipheredServiceTag(rawValue: first) != nil {
            return .ciphered(try CipheredAPDU(parsing: &r))
        }
        guard let tag = Tag(rawValue: first) else {
            if shortNameTags.contains(first) {
                throw DLMSError(.unsupported, at: start, "SN-referencing APDU 0x\(axdrHex(first)) is not decoded")
            }
            throw DLMSError(.unknownTag, at: start, "0x\(axdrHex(first)) is not an xDLMS APDU tag")
        }
        _ = try r.readByte("APDU tag")
        switch tag {
        case .initiateRequest: return .initiateRequest(try InitiateRequest.decode(from: &r))
        case .initiateResponse: return .initiateResponse(try InitiateResponse.decode(from: &r))
        case .confirmedServiceError: return .confirmedServiceError(try ConfirmedServiceError.decode(from: &r))
        case .dataNotification: return .dataNotification(try DataNotification.decode(from: &r))
        case .getRequest: return .getRequest(try GetRequest.decode(from: &r))
        case .setRequest: return .setRequest(try SetRequest.decode(from: &r))
        case .eventNotificationRequest: return .eventNotificationRequest(try EventNotificationRequest.decode(from: &r))
        case .actionRequest: return .actionRequest(try ActionRequest.decode(from: &r))
        case .getResponse: return .getResponse(try GetResponse.decode(from: &r))
        case .setResponse: return .setResponse(try SetResponse.decode(from: &r))
        case .actionResponse: return .actionResponse(try ActionResponse.decode(from: &r))
        case .exceptionResponse: return .exceptionResponse(try ExceptionResponse.decode(from: &r))
        }
    }

    /// The tag byte.
    public var tag: UInt8 {
        switch self {
        case .initiateRequest: Tag.initiateRequest.rawValue
        case .initiateResponse: Tag.initiateResponse.rawValue
        case .confirmedServiceError: Tag.confirmedServiceError.rawValue
        case .dataNotification: Tag.dataNotification.rawValue
        case .getRequest: Tag.getRequest.rawValue
        case .setRequest: Tag.setRequest.rawValue
        case .eventNotificationRequest: Tag.eventNotificationRequest.rawValue
        case .actionRequest: Tag.actionRequest.rawValue
        case .getResponse: Tag.getResponse.rawValue
        case .setResponse: Tag.setResponse.rawValue
        case .actionResponse: Tag.actionResponse.rawValue
        case .exceptionResponse: Tag.exceptionResponse.rawValue
        case let .ciphered(c): c.tag.rawValue
        }
    }

    /// The COSEMpdu ASN.1 name of the APDU (`get-request`, `initiateResponse`, `glo-get-request`, …).
    public var name: String {
        switch self {
        case .initiateRequest: "initiateRequest"
        case .initiateResponse: "initiateResponse"
        case .confirmedServiceError: "confirmedServiceError"
        case .dataNotification: "data-notification"
        case .getRequest: "get-request"
        case .setRequest: "set-request"
        case .eventNotificationRequest: "event-notification-request"
        case .actionRequest: "action-request"
        case .getResponse: "get-response"
        case .setResponse: "set-response"
        case .actionResponse: "action-response"
        case .exceptionResponse: "exception-response"
        case let .ciphered(c): c.tag.name
        }
    }

    /// The invoke-id-and-priority of GET/SET/ACTION APDUs, else nil.
    public var invokeIDAndPriority: InvokeIDAndPriority? {
        switch self {
        case let .getRequest(x): x.invokeIDAndPriority
        case let .getResponse(x): x.invokeIDAndPriority
        case let .setRequest(x): x.invokeIDAndPriority
        case let .setResponse(x): x.invokeIDAndPriority
        case let .actionRequest(x): x.invokeIDAndPriority
        case let .actionResponse(x): x.invokeIDAndPriority
        default: nil
        }
    }

    /// The bytes on the wire.
    public func encoded() -> [UInt8] {
        if case let .ciphered(c) = self { return c.encoded() }
        var w = AXDRWriter()
        w.append(tag)
        switch self {
        case let .initiateRequest(x): x.encode(into: &w)
        case let .initiateResponse(x): x.encode(into: &w)
        case let .confirmedServiceError(x): x.encode(into: &w)
        case let .dataNotification(x): x.encode(into: &w)
        case let .getRequest(x): x.encode(into: &w)
        case let .setRequest(x): x.encode(into: &w)
        case let .eventNotificationRequest(x): x.encode(into: &w)
        case let .actionRequest(x): x.encode(into: &w)
        case let .getResponse(x): x.encode(into: &w)
        case let .setResponse(x): x.encode(into: &w)
        case let .actionResponse(x): x.encode(into: &w)
        case let .exceptionResponse(x): x.encode(into: &w)
        case .ciphered: break
        }
        return w.bytes
    }
}

extension XDLMSAPDU: JSONRepresentable {
    /// `{"apdu": "get-request", "type": "normal", "invoke_id": 1, "priority": "high", "service_class": "confirmed",
    /// "class_id": 1, "obis": "0-0:43.1.0*255", "attribute_id": 2, …}`; ciphered APDUs nest the
    /// Security module's description under `ciphered`.
    public var json: JSONValue {
        var m: [(String, JSONValue)] = [("apdu", .string(name)), ("tag", .uint(UInt64(tag)))]
        switch self {
        case let .initiateRequest(x): m += x.jsonMembers
        case let .initiateResponse(x): m += x.jsonMembers
        case let .confirmedServiceError(x): m += x.jsonMembers
        case let .dataNotification(x): m += x.jsonMembers
        case let .getRequest(x): m += x.jsonMembers
        case let .setRequest(x): m += x.jsonMembers
        case let .eventNotificationRequest(x): m += x.jsonMembers
        case let .actionRequest(x): m += x.jsonMembers
        case let .getResponse(x): m += x.jsonMembers
        case let .setResponse(x): m += x.jsonMembers
        case let .actionResponse(x): m += x.jsonMembers
        case let .exceptionResponse(x): m += x.jsonMembers
        case let .ciphered(c): m.append(("ciphered", c.json))
        }
        return .object(m)
    }
}
