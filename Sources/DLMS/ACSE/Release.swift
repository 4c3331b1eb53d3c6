import CodecSupport

/// A-RELEASE request, RLRQ `[APPLICATION 2]` = `62` (fact sheet §4.4): `[80 01 reason] [BE …]`.
public struct RLRQ: Sendable, Hashable {
    /// The APDU tag `62`.
    public static let tag = BERTag.application(2)
    static let order: [BERTag] = [.context(0, constructed: false), .context(30, constructed: true)]

    /// `80` reason.
    public var reason: ReleaseRequestReason?
    /// `BE` user-information (a ciphered InitiateRequest in a protected release).
    public var userInformation: UserInformation?

    /// An RLRQ.
    public init(reason: ReleaseRequestReason? = nil, userInformation: UserInformation? = nil) {
        self.reason = reason
        self.userInformation = userInformation
    }

    /// Decodes exactly `bytes`.
    public init(decoding bytes: [UInt8]) throws(DLMSError) { try self.init(decoding: bytes[...]) }

    /// Decodes exactly `bytes`; error offsets count from `bytes.startIndex`.
    public init(decoding bytes: ArraySlice<UInt8>) throws(DLMSError) {
        try self.init(element: ACSEField.apdu(bytes, Self.tag, "RLRQ"))
    }

    init(element: BERElement) throws(DLMSError) {
        self.init()
        var components = ACSEComponentReader(element, order: Self.order, apdu: "RLRQ")
        while let (index, e) = try components.next() {
            if index == 0 {
                reason = ReleaseRequestReason(rawValue: try ACSEField.implicitInteger(e, "release-request-reason"))
            } else {
                userInformation = try UserInformation(wrapper: e, "user-information")
            }
        }
    }

    /// The APDU bytes.
    public func encoded() -> [UInt8] {
        var w = ACSEComponentWriter()
        if let reason { w.append(Self.order[0], BERInteger.encode(reason.rawValue)) }
        if let userInformation { w.append(Self.order[1], userInformation.encodedInner()) }
        return w.finish(Self.tag).bytes
    }

    /// Stable snake_case description.
    public var json: JSONValue {
        var m: [(String, JSONValue)] = [("apdu", .string("rlrq"))]
        if let reason {
            m.append(("reason", .object([("value", .int(reason.rawValue)), ("name", reason.name.map(JSONValue.string) ?? .null)])))
        }
        if let userInformation { m.append(("user_information", userInformation.json)) }
        return .object(m)
    }
}

/// A-RELEASE response, RLRE `[APPLICATION 3]` = `63` (fact sheet §4.4): `[80 01 reason] [BE …]`.
public struct RLRE: Sendable, Hashable {
    /// The APDU tag `63`.
    public static let tag = BERTag.application(3)

    /// `80` reason.
    public var reason: ReleaseResponseReason?
    /// `BE` user-information (an InitiateResponse, plain or ciphered).
    public var userInformation: UserInformation?

    /// An RLRE.
    public init(reason: ReleaseResponseReason? = nil, userInformation: UserInformation? = nil) {
        self.reason = reason
        self.userInformation = userInformation
    }

    /// Decodes exactly `bytes`.
    public init(decoding bytes: [UInt8]) throws(DLMSError) { try self.init(decoding: bytes[...]) }

    /// Decodes exactly `bytes`; error offsets count from `bytes.startIndex`.
    public init(decoding bytes: ArraySlice<UInt8>) throws(DLMSError) {
        try self.init(element: ACSEField.apdu(bytes, Self.tag, "RLRE"))
    }

    init(element: BERElement) throws(DLMSError) {
        self.init()
        var components = ACSEComponentReader(element, order: RLRQ.order, apdu: "RLRE")
        while let (index, e) = try components.next() {
            if index == 0 {
                reason = ReleaseResponseReason(rawValue: try ACSEField.implicitInteger(e, "release-response-reason"))
            } else {
                userInformation = try UserInformation(wrapper: e, "user-information")
            }
        }
    }

    /// The APDU bytes.
    public func encoded() -> [UInt8] {
        var w = ACSEComponentWriter()
        if let reason { w.append(RLRQ.order[0], BERInteger.encode(reason.rawValue)) }
        if let userInformation { w.append(RLRQ.order[1], userInformation.encodedInner()) }
        return w.finish(Self.tag).bytes
    }

    /// Stable snake_case description.
    public var json: JSONValue {
        var m: [(String, JSONValue)] = [("apdu", .string("rlre"))]
        if let reason {
            m.append(("reason", .object([("value", .int(reason.rawValue)), ("name", reason.name.map(JSONValue.string) ?? .null)])))
        }
        if let userInformation { m.append(("user_information", userInformation.json)) }
        return .object(m)
    }
}
