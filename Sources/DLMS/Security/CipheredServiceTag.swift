/// Which key family ciphers an APDU: the global keys (glo-, general-glo-ciphering) or the
/// dedicated key of the association (ded-, general-ded-ciphering) — Green Book 9.2.7.2.
public enum CipheringKind: String, Sendable, Hashable, CaseIterable {
    /// Global unicast (or, with SC bit 6, broadcast) encryption key.
    case global
    /// The dedicated key carried in the InitiateRequest of the association.
    case dedicated
}

/// The APDU tags of ciphered xDLMS APDUs — Green Book 9.5 (COSEMpdu ASN.1), IEC 62056-5-3.
///
/// Service-specific tags wrap one plain APDU type (`glo-get-request` protects a `get-request`);
/// `general-glo-ciphering` and `general-ded-ciphering` wrap any APDU and carry the sender's
/// system title.
public enum CipheredServiceTag: UInt8, Sendable, Hashable, CaseIterable {
    /// [33] glo-initiateRequest.
    case gloInitiateRequest = 0x21
    /// [37] glo-readRequest (SN).
    case gloReadRequest = 0x25
    /// [38] glo-writeRequest (SN).
    case gloWriteRequest = 0x26
    /// [40] glo-initiateResponse.
    case gloInitiateResponse = 0x28
    /// [44] glo-readResponse (SN).
    case gloReadResponse = 0x2C
    /// [45] glo-writeResponse (SN).
    case gloWriteResponse = 0x2D
    /// [46] glo-confirmedServiceError.
    case gloConfirmedServiceError = 0x2E
    /// [54] glo-unconfirmedWriteRequest (SN).
    case gloUnconfirmedWriteRequest = 0x36
    /// [56] glo-informationReportRequest (SN).
    case gloInformationReportRequest = 0x38
    /// [65] ded-initiateRequest.
    case dedInitiateRequest = 0x41
    /// [69] ded-readRequest (SN).
    case dedReadRequest = 0x45
    /// [70] ded-writeRequest (SN).
    case dedWriteRequest = 0x46
    /// [72] ded-initiateResponse.
    case dedInitiateResponse = 0x48
    /// [76] ded-readResponse (SN).
    case dedReadResponse = 0x4C
    /// [77] ded-writeResponse (SN).
    case dedWriteResponse = 0x4D
    /// [78] ded-confirmedServiceError.
    case dedConfirmedServiceError = 0x4E
    /// [86] ded-unconfirmedWriteRequest (SN).
    case dedUnconfirmedWriteRequest = 0x56
    /// [88] ded-informationReportRequest (SN).
    case dedInformationReportRequest = 0x58
    /// [200] glo-get-request.
    case gloGetRequest = 0xC8
    /// [201] glo-set-request.
    case gloSetRequest = 0xC9
    /// [202] glo-event-notification-request.
    case gloEventNotificationRequest = 0xCA
    /// [203] glo-action-request.
    case gloActionRequest = 0xCB
    /// [204] glo-get-response.
    case gloGetResponse = 0xCC
    /// [205] glo-set-response.
    case gloSetResponse = 0xCD
    /// [207] glo-action-response.
    case gloActionResponse = 0xCF
    /// [208] ded-get-request.
    case dedGetRequest = 0xD0
    /// [209] ded-set-request.
    case dedSetRequest = 0xD1
    /// [210] ded-event-notification-request.
    case dedEventNotificationRequest = 0xD2
    /// [211] ded-actionRequest.
    case dedActionRequest = 0xD3
    /// [212] ded-get-response.
    case dedGetResponse = 0xD4
    /// [213] ded-set-response.
    case dedSetResponse = 0xD5
    /// [215] ded-action-response.
    case dedActionResponse = 0xD7
    /// [219] general-glo-ciphering: system title, then the ciphered content.
    case generalGloCiphering = 0xDB
    /// [220] general-ded-ciphering: system title, then the ciphered content.
    case generalDedCiphering = 0xDC

    /// Global or dedicated key.
    public var kind: CipheringKind {
        switch rawValue {
        case 0x21...0x38, 0xC8...0xCF, 0xDB: .global
        default: .dedicated
        }
    }

    /// True for general-glo-ciphering and general-ded-ciphering (which carry a system title).
    public var isGeneral: Bool { self == .generalGloCiphering || self == .generalDedCiphering }

    /// The tag of the plain APDU this service-specific tag protects; nil for the general forms.
    ///
    /// LN services: glo = plain + 8, ded = plain + 16; initiate and SN services: glo = plain + 32,
    /// ded = plain + 64.
    public var plainTag: UInt8? {
        switch rawValue {
        case 0x21...0x38: rawValue - 0x20
        case 0x41...0x58: rawValue - 0x40
        case 0xC8...0xCF: rawValue - 0x08
        case 0xD0...0xD7: rawValue - 0x10
        default: nil
        }
    }

    /// The service-specific tag protecting a plain APDU tag with `kind`, or nil when the standard
    /// defines none (then only the general forms apply, e.g. for data-notification).
    public static func protecting(plainTag: UInt8, with kind: CipheringKind) -> CipheredServiceTag? {
        allCases.first { !$0.isGeneral && $0.kind == kind && $0.plainTag == plainTag }
    }

    /// The general form for `kind`.
    public static func general(_ kind: CipheringKind) -> CipheredServiceTag {
        kind == .global ? .generalGloCiphering : .generalDedCiphering
    }

    /// The name in the standard's ASN.1 (`glo-get-request`, `ded-initiateRequest`, …).
    public var name: String {
        switch self {
        case .gloInitiateRequest: "glo-initiateRequest"
        case .gloReadRequest: "glo-readRequest"
        case .gloWriteRequest: "glo-writeRequest"
        case .gloInitiateResponse: "glo-initiateResponse"
        case .gloReadResponse: "glo-readResponse"
        case .gloWriteResponse: "glo-writeResponse"
        case .gloConfirmedServiceError: "glo-confirmedServiceError"
        case .gloUnconfirmedWriteRequest: "glo-unconfirmedWriteRequest"
        case .gloInformationReportRequest: "glo-informationReportRequest"
        case .dedInitiateRequest: "ded-initiateRequest"
        case .dedReadRequest: "ded-readRequest"
        case .dedWriteRequest: "ded-writeRequest"
        case .dedInitiateResponse: "ded-initiateResponse"
        case .dedReadResponse: "ded-readResponse"
        case .dedWriteResponse: "ded-writeResponse"
        case .dedConfirmedServiceError: "ded-confirmedServiceError"
        case .dedUnconfirmedWriteRequest: "ded-unconfirmedWriteRequest"
        case .dedInformationReportRequest: "ded-informationReportRequest"
        case .gloGetRequest: "glo-get-request"
        case .gloSetRequest: "glo-set-request"
        case .gloEventNotificationRequest: "glo-event-notification-request"
        case .gloActionRequest: "glo-action-request"
        case .gloGetResponse: "glo-get-response"
        case .gloSetResponse: "glo-set-response"
        case .gloActionResponse: "glo-action-response"
        case .dedGetRequest: "ded-get-request"
        case .dedSetRequest: "ded-set-request"
        case .dedEventNotificationRequest: "ded-event-notification-request"
        case .dedActionRequest: "ded-actionRequest"
        case .dedGetResponse: "ded-get-response"
        case .dedSetResponse: "ded-set-response"
        case .dedActionResponse: "ded-action-response"
        case .generalGloCiphering: "general-glo-ciphering"
        case .generalDedCiphering: "general-ded-ciphering"
        }
    }
}
