import CodecSupport

/// A-ASSOCIATE request, AARQ `[APPLICATION 0]` = `60` (fact sheet §4.1–4.2, §4.9).
///
/// Components are read and written in the order of the ASN.1 SEQUENCE, each at most once; lengths
/// in the shortest form. What decodes re-encodes to the same bytes. The calling authentication
/// value is a secret: see ``secretRange`` and ``AuthenticationValue``.
public struct AARQ: Sendable, Hashable {
    /// The APDU tag `60`.
    public static let tag = BERTag.application(0)

    /// `80` protocol-version (default version1; normally omitted).
    public var protocolVersion: BERBitString?
    /// `A1` application-context-name.
    public var applicationContextName: ApplicationContextName
    /// `A2` called-AP-title.
    public var calledAPTitle: [UInt8]?
    /// `A3` called-AE-qualifier.
    public var calledAEQualifier: [UInt8]?
    /// `A4` called-AP-invocation-identifier.
    public var calledAPInvocationIdentifier: Int64?
    /// `A5` called-AE-invocation-identifier.
    public var calledAEInvocationIdentifier: Int64?
    /// `A6` calling-AP-title (the client system title when ciphering or HLS 5–7).
    public var callingAPTitle: [UInt8]?
    /// `A7` calling-AE-qualifier (U9: a public-key certificate).
    public var callingAEQualifier: [UInt8]?
    /// `A8` calling-AP-invocation-identifier.
    public var callingAPInvocationIdentifier: Int64?
    /// `A9` calling-AE-invocation-identifier (GX: the user id).
    public var callingAEInvocationIdentifier: Int64?
    /// `8A` sender-acse-requirements.
    public var senderACSERequirements: ACSERequirements?
    /// `8B` mechanism-name.
    public var mechanismName: MechanismName?
    /// `AC` calling-authentication-value: the LLS password or the HLS challenge CtoS. Secret.
    public var callingAuthenticationValue: AuthenticationValue?
    /// `BD` implementation-information, contents as sent.
    public var implementationInformation: [UInt8]?
    /// `BE` user-information: the xDLMS InitiateRequest, plain or ciphered.
    public var userInformation: UserInformation?

    /// An AARQ; only the application context name is required.
    public init(
        protocolVersion: BERBitString? = nil,
        applicationContextName: ApplicationContextName,
        calledAPTitle: [UInt8]? = nil, calledAEQualifier: [UInt8]? = nil,
        calledAPInvocationIdentifier: Int64? = nil, calledAEInvocationIdentifier: Int64? = nil,
        callingAPTitle: [UInt8]? = nil, callingAEQualifier: [UInt8]? = nil,
        callingAPInvocationIdentifier: Int64? = nil, callingAEInvocationIdentifier: Int64? = nil,
        senderACSERequirements: ACSERequirements? = nil,
        mechanismName: MechanismName? = nil,
        callingAuthenticationValue: AuthenticationValue? = nil,
        implementationInformation: [UInt8]? = nil,
        userInformation: UserInformation? = nil
    ) {
        self.protocolVersion = protocolVersion
        self.applicationContextName = applicationContextName
        self.calledAPTitle = calledAPTitle
        self.calledAEQualifier = calledAEQualifier
        self.calledAPInvocationIdentifier = calledAPInvocationIdentifier
        self.calledAEInvocationIdentifier = calledAEInvocationIdentifier
        self.callingAPTitle = callingAPTitle
        self.callingAEQualifier = callingAEQualifier
        self.callingAPInvocationIdentifier = callingAPInvocationIdentifier
        self.callingAEInvocationIdentifier = callingAEInvocationIdentifier
        self.senderACSERequirements = senderACSERequirements
        self.mechanismName = mechanismName
        self.callingAuthenticationValue = callingAuthenticationValue
        self.implementationInformation = implementationInformation
        self.userInformation = userInformation
    }

    /// Component tags in SEQUENCE order.
    static let order: [BERTag] = [
        .context(0, constructed: false),
        .context(1, constructed: true), .context(2, constructed: true), .context(3, constructed: true),
        .context(4, constructed: true), .context(5, constructed: true), .context(6, constructed: true),
        .context(7, constructed: true), .context(8, constructed: true), .context(9, constructed: true),
        .context(10, constructed: false), .context(11, constructed: false), .context(12, constructed: true),
        .context(29, constructed: true), .context(30, constructed: true),
    ]

    /// Decodes exactly `bytes` (one AARQ, nothing after it).
    public init(decoding bytes: [UInt8]) throws(DLMSError) {
        try self.init(decoding: bytes[...])
    }

    /// Decodes exactly `bytes`; error offsets count from `bytes.startIndex`.
    public init(decoding bytes: ArraySlice<UInt8>) throws(DLMSError) {
        try self.init(element: ACSEField.apdu(bytes, Self.tag, "AARQ"))
    }

    init(element: BERElement) throws(DLMSError) {
        var components = ACSEComponentReader(element, order: Self.order, apdu: "AARQ")
        var context: ApplicationContextName?
        self.init(applicationContextName: .logicalNameNoCiphering)
        while let (index, e) = try components.next() {
            switch index {
            case 0: protocolVersion = try ACSEField.implicitBitString(e, "protocol-version")
            case 1: context = ApplicationContextName(try ACSEField.explicitOID(e, "application-context-name"))
            case 2: calledAPTitle = try ACSEField.explicitOctetString(e, "called-AP-title")
            case 3: calledAEQualifier = try ACSEField.explicitOctetString(e, "called-AE-qualifier")
            case 4: calledAPInvocationIdentifier = try ACSEField.explicitInteger(e, "called-AP-invocation-identifier")
            case 5: calledAEInvocationIdentifier = try ACSEField.explicitInteger(e, "called-AE-invocation-identifier")
            case 6: callingAPTitle = try ACSEField.explicitOctetString(e, "calling-AP-title")
            case 7: callingAEQualifier = try ACSEField.explicitOctetString(e, "calling-AE-qualifier")
            case 8: callingAPInvocationIdentifier = try ACSEField.explicitInteger(e, "calling-AP-invocation-identifier")
            case 9: callingAEInvocationIdentifier = try ACSEField.explicitInteger(e, "calling-AE-invocation-identifier")
            case 10: senderACSERequirements = ACSERequirements(try ACSEField.implicitBitString(e, "sender-acse-requirements"))
            case 11: mechanismName = MechanismName(try ACSEField.implicitOID(e, "mechanism-name"))
            case 12: callingAuthenticationValue = try AuthenticationValue(wrapper: e, "calling-authentication-value")
            case 13: implementationInformation = Array(e.value)
            default: userInformation = try UserInformation(wrapper: e, "user-information")
            }
        }
        guard let context else {
            throw DLMSError(.badFraming, at: components.endOffset, "AARQ without application-context-name")
        }
        applicationContextName = context
    }

    /// The APDU bytes and the range of the authentication value's secret octets in them.
    public func encodedWithSecretRange() -> (bytes: [UInt8], secret: Range<Int>?) {
        var w = ACSEComponentWriter()
        let o = Self.order
        if let protocolVersion { w.append(o[0], protocolVersion.encodedContent()) }
        w.append(o[1], ACSEField.oid(applicationContextName.oid))
        if let calledAPTitle { w.append(o[2], ACSEField.octetString(calledAPTitle)) }
        if let calledAEQualifier { w.append(o[3], ACSEField.octetString(calledAEQualifier)) }
        if let calledAPInvocationIdentifier { w.append(o[4], ACSEField.integer(calledAPInvocationIdentifier)) }
        if let calledAEInvocationIdentifier { w.append(o[5], ACSEField.integer(calledAEInvocationIdentifier)) }
        if let callingAPTitle { w.append(o[6], ACSEField.octetString(callingAPTitle)) }
        if let callingAEQualifier { w.append(o[7], ACSEField.octetString(callingAEQualifier)) }
        if let callingAPInvocationIdentifier { w.append(o[8], ACSEField.integer(callingAPInvocationIdentifier)) }
        if let callingAEInvocationIdentifier { w.append(o[9], ACSEField.integer(callingAEInvocationIdentifier)) }
        if let senderACSERequirements { w.append(o[10], senderACSERequirements.bits.encodedContent()) }
        if let mechanismName { w.append(o[11], mechanismName.oid.encodedContent()) }
        if let callingAuthenticationValue { w.append(o[12], authentication: callingAuthenticationValue) }
        if let implementationInformation { w.append(o[13], implementationInformation) }
        if let userInformation { w.append(o[14], userInformation.encodedInner()) }
        return w.finish(Self.tag)
    }

    /// The APDU bytes.
    public func encoded() -> [UInt8] { encodedWithSecretRange().bytes }

    /// Where the calling authentication value's octets (LLS password, HLS CtoS) lie in
    /// ``encoded()`` — and so in the bytes this AARQ was decoded from — for redaction; nil without one.
    public var secretRange: Range<Int>? { encodedWithSecretRange().secret }

    /// Stable snake_case description; the authentication value shows only its length and `***`.
    public var json: JSONValue {
        var m: [(String, JSONValue)] = [("apdu", .string("aarq"))]
        if let protocolVersion { m.append(("protocol_version", .string(protocolVersion.bitText))) }
        m.append(("application_context", applicationContextName.json))
        if let calledAPTitle { m.append(("called_ap_title", ACSEField.hex(calledAPTitle))) }
        if let calledAEQualifier { m.append(("called_ae_qualifier", ACSEField.hex(calledAEQualifier))) }
        if let calledAPInvocationIdentifier { m.append(("called_ap_invocation_id", .int(calledAPInvocationIdentifier))) }
        if let calledAEInvocationIdentifier { m.append(("called_ae_invocation_id", .int(calledAEInvocationIdentifier))) }
        if let callingAPTitle { m.append(("calling_ap_title", ACSEField.hex(callingAPTitle))) }
        if let callingAEQualifier { m.append(("calling_ae_qualifier", ACSEField.hex(callingAEQualifier))) }
        if let callingAPInvocationIdentifier { m.append(("calling_ap_invocation_id", .int(callingAPInvocationIdentifier))) }
        if let callingAEInvocationIdentifier { m.append(("calling_ae_invocation_id", .int(callingAEInvocationIdentifier))) }
        if let senderACSERequirements { m.append(("sender_acse_requirements", senderACSERequirements.json)) }
        if let mechanismName { m.append(("mechanism", mechanismName.json)) }
        if let callingAuthenticationValue { m.append(("authentication_value", callingAuthenticationValue.json)) }
        if let implementationInformation { m.append(("implementation_information", ACSEField.hex(implementationInformation))) }
        if let userInformation { m.append(("user_information", userInformation.json)) }
        return .object(m)
    }
}
