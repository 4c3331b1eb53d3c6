import CodecSupport

/// A-ASSOCIATE response, AARE `[APPLICATION 1]` = `61` (fact sheet §4.3, §4.7, §4.10).
///
/// Components in SEQUENCE order, each at most once; what decodes re-encodes to the same bytes.
/// The responding authentication value (HLS StoC) is treated as a secret like the AARQ's.
public struct AARE: Sendable, Hashable {
    /// The APDU tag `61`.
    public static let tag = BERTag.application(1)

    /// `80` protocol-version.
    public var protocolVersion: BERBitString?
    /// `A1` application-context-name.
    public var applicationContextName: ApplicationContextName
    /// `A2` result.
    public var result: AssociationResult
    /// `A3` result-source-diagnostic.
    public var resultSourceDiagnostic: ResultSourceDiagnostic
    /// `A4` responding-AP-title (the server system title).
    public var respondingAPTitle: [UInt8]?
    /// `A5` responding-AE-qualifier (certificate).
    public var respondingAEQualifier: [UInt8]?
    /// `A6` responding-AP-invocation-identifier.
    public var respondingAPInvocationIdentifier: Int64?
    /// `A7` responding-AE-invocation-identifier.
    public var respondingAEInvocationIdentifier: Int64?
    /// `88` responder-acse-requirements.
    public var responderACSERequirements: ACSERequirements?
    /// `89` mechanism-name.
    public var mechanismName: MechanismName?
    /// `AA` responding-authentication-value: the HLS challenge StoC. Secret.
    public var respondingAuthenticationValue: AuthenticationValue?
    /// `BD` implementation-information (U9 lists it for the AARE; JD/WS ASN do not — accepted, per U9).
    public var implementationInformation: [UInt8]?
    /// `BE` user-information: InitiateResponse, ConfirmedServiceError, or ciphered.
    public var userInformation: UserInformation?

    /// An AARE; context, result and diagnostic are required.
    public init(
        protocolVersion: BERBitString? = nil,
        applicationContextName: ApplicationContextName,
        result: AssociationResult,
        resultSourceDiagnostic: ResultSourceDiagnostic,
        respondingAPTitle: [UInt8]? = nil, respondingAEQualifier: [UInt8]? = nil,
        respondingAPInvocationIdentifier: Int64? = nil, respondingAEInvocationIdentifier: Int64? = nil,
        responderACSERequirements: ACSERequirements? = nil,
        mechanismName: MechanismName? = nil,
        respondingAuthenticationValue: AuthenticationValue? = nil,
        implementationInformation: [UInt8]? = nil,
        userInformation: UserInformation? = nil
    ) {
        self.protocolVersion = protocolVersion
        self.applicationContextName = applicationContextName
        self.result = result
        self.resultSourceDiagnostic = resultSourceDiagnostic
        self.respondingAPTitle = respondingAPTitle
        self.respondingAEQualifier = respondingAEQualifier
        self.respondingAPInvocationIdentifier = respondingAPInvocationIdentifier
        self.respondingAEInvocationIdentifier = respondingAEInvocationIdentifier
        self.responderACSERequirements = responderACSERequirements
        self.mechanismName = mechanismName
        self.respondingAuthenticationValue = respondingAuthenticationValue
        self.implementationInformation = implementationInformation
        self.userInformation = userInformation
    }

    /// Component tags in SEQUENCE order.
    static let order: [BERTag] = [
        .context(0, constructed: false),
        .context(1, constructed: true), .context(2, constructed: true), .context(3, constructed: true),
        .context(4, constructed: true), .context(5, constructed: true), .context(6, constructed: true),
        .context(7, constructed: true),
        .context(8, constructed: false), .context(9, constructed: false), .context(10, constructed: true),
        .context(29, constructed: true), .context(30, constructed: true),
    ]

    /// Decodes exactly `bytes` (one AARE, nothing after it).
    public init(decoding bytes: [UInt8]) throws(DLMSError) {
        try self.init(decoding: bytes[...])
    }

    /// Decodes exactly `bytes`; error offsets count from `bytes.startIndex`.
    public init(decoding bytes: ArraySlice<UInt8>) throws(DLMSError) {
        try self.init(element: ACSEField.apdu(bytes, Self.tag, "AARE"))
    }

    init(element: BERElement) throws(DLMSError) {
        var components = ACSEComponentReader(element, order: Self.order, apdu: "AARE")
        var context: ApplicationContextName?
        var result: AssociationResult?
        var diagnostic: ResultSourceDiagnostic?
        self.init(applicationContextName: .logicalNameNoCiphering, result: .accepted, resultSourceDiagnostic: .null)
        while let (index, e) = try components.next() {
            switch index {
            case 0: protocolVersion = try ACSEField.implicitBitString(e, "protocol-version")
            case 1: context = ApplicationContextName(try ACSEField.explicitOID(e, "application-context-name"))
            case 2: result = AssociationResult(rawValue: try ACSEField.explicitInteger(e, "result"))
            case 3: diagnostic = try Self.diagnostic(e)
            case 4: respondingAPTitle = try ACSEField.explicitOctetString(e, "responding-AP-title")
            case 5: respondingAEQualifier = try ACSEField.explicitOctetString(e, "responding-AE-qualifier")
            case 6: respondingAPInvocationIdentifier = try ACSEField.explicitInteger(e, "responding-AP-invocation-identifier")
            case 7: respondingAEInvocationIdentifier = try ACSEField.explicitInteger(e, "responding-AE-invocation-identifier")
            case 8: responderACSERequirements = ACSERequirements(try ACSEField.implicitBitString(e, "responder-acse-requirements"))
            case 9: mechanismName = MechanismName(try ACSEField.implicitOID(e, "mechanism-name"))
            case 10: respondingAuthenticationValue = try AuthenticationValue(wrapper: e, "responding-authentication-value")
            case 11: implementationInformation = Array(e.value)
            default: userInformation = try UserInformation(wrapper: e, "user-information")
            }
        }
        guard let context else {
            throw DLMSError(.badFraming, at: components.endOffset, "AARE without application-context-name")
        }
        guard let result else {
            throw DLMSError(.badFraming, at: components.endOffset, "AARE without result")
        }
        guard let diagnostic else {
            throw DLMSError(.badFraming, at: components.endOffset, "AARE without result-source-diagnostic")
        }
        applicationContextName = context
        self.result = result
        resultSourceDiagnostic = diagnostic
    }

    /// `A3 { A1 { INTEGER } | A2 { INTEGER } }`.
    private static func diagnostic(_ e: BERElement) throws(DLMSError) -> ResultSourceDiagnostic {
        var r = e.children()
        let choice = try r.read("result-source-diagnostic")
        try r.expectEnd("result-source-diagnostic")
        if choice.tag == .context(1, constructed: true) {
            return .serviceUser(try ACSEField.explicitInteger(choice, "acse-service-user"))
        }
        if choice.tag == .context(2, constructed: true) {
            return .serviceProvider(try ACSEField.explicitInteger(choice, "acse-service-provider"))
        }
        throw DLMSError(.unknownTag, at: choice.offset,
                        "result-source-diagnostic: choice \(choice.tag) is not acse-service-user A1 or acse-service-provider A2")
    }

    /// The APDU bytes and the range of the responding authentication value's octets in them.
    public func encodedWithSecretRange() -> (bytes: [UInt8], secret: Range<Int>?) {
        var w = ACSEComponentWriter()
        let o = Self.order
        if let protocolVersion { w.append(o[0], protocolVersion.encodedContent()) }
        w.append(o[1], ACSEField.oid(applicationContextName.oid))
        w.append(o[2], ACSEField.integer(result.rawValue))
        w.append(o[3], BERWriter.tlv(.context(resultSourceDiagnostic.choiceNumber, constructed: true),
                                     ACSEField.integer(resultSourceDiagnostic.value)))
        if let respondingAPTitle { w.append(o[4], ACSEField.octetString(respondingAPTitle)) }
        if let respondingAEQualifier { w.append(o[5], ACSEField.octetString(respondingAEQualifier)) }
        if let respondingAPInvocationIdentifier { w.append(o[6], ACSEField.integer(respondingAPInvocationIdentifier)) }
        if let respondingAEInvocationIdentifier { w.append(o[7], ACSEField.integer(respondingAEInvocationIdentifier)) }
        if let responderACSERequirements { w.append(o[8], responderACSERequirements.bits.encodedContent()) }
        if let mechanismName { w.append(o[9], mechanismName.oid.encodedContent()) }
        if let respondingAuthenticationValue { w.append(o[10], authentication: respondingAuthenticationValue) }
        if let implementationInformation { w.append(o[11], implementationInformation) }
        if let userInformation { w.append(o[12], userInformation.encodedInner()) }
        return w.finish(Self.tag)
    }

    /// The APDU bytes.
    public func encoded() -> [UInt8] { encodedWithSecretRange().bytes }

    /// Where the responding authentication value's octets (HLS StoC) lie in ``encoded()``; nil without one.
    public var secretRange: Range<Int>? { encodedWithSecretRange().secret }

    /// Stable snake_case description; the authentication value shows only its length and `***`.
    public var json: JSONValue {
        var m: [(String, JSONValue)] = [("apdu", .string("aare"))]
        if let protocolVersion { m.append(("protocol_version", .string(protocolVersion.bitText))) }
        m.append(("application_context", applicationContextName.json))
        m.append(("result", .object([("value", .int(result.rawValue)), ("name", result.name.map(JSONValue.string) ?? .null)])))
        m.append(("diagnostic", resultSourceDiagnostic.json))
        if let respondingAPTitle { m.append(("responding_ap_title", ACSEField.hex(respondingAPTitle))) }
        if let respondingAEQualifier { m.append(("responding_ae_qualifier", ACSEField.hex(respondingAEQualifier))) }
        if let respondingAPInvocationIdentifier { m.append(("responding_ap_invocation_id", .int(respondingAPInvocationIdentifier))) }
        if let respondingAEInvocationIdentifier { m.append(("responding_ae_invocation_id", .int(respondingAEInvocationIdentifier))) }
        if let responderACSERequirements { m.append(("responder_acse_requirements", responderACSERequirements.json)) }
        if let mechanismName { m.append(("mechanism", mechanismName.json)) }
        if let respondingAuthenticationValue { m.append(("authentication_value", respondingAuthenticationValue.json)) }
        if let implementationInformation { m.append(("implementation_information", ACSEField.hex(implementationInformation))) }
        if let userInformation { m.append(("user_information", userInformation.json)) }
        return .object(m)
    }
}
