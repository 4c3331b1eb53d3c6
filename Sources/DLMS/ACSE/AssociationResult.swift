import CodecSupport

/// Association-result of an AARE (fact sheet §4.7). Values outside 0…2 are kept as sent.
public struct AssociationResult: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    /// The INTEGER value.
    public var rawValue: Int64
    /// Wraps a value.
    public init(rawValue: Int64) { self.rawValue = rawValue }

    /// 0: accepted.
    public static let accepted = AssociationResult(rawValue: 0)
    /// 1: rejected-permanent.
    public static let rejectedPermanent = AssociationResult(rawValue: 1)
    /// 2: rejected-transient.
    public static let rejectedTransient = AssociationResult(rawValue: 2)

    /// The ASN.1 name, or nil for an undefined value.
    public var name: String? {
        switch rawValue {
        case 0: "accepted"
        case 1: "rejected-permanent"
        case 2: "rejected-transient"
        default: nil
        }
    }

    /// Name and value.
    public var description: String { "\(name ?? "undefined") (\(rawValue))" }
}

/// Result-source-diagnostic of an AARE (fact sheet §4.7): a CHOICE of acse-service-user `[1]` and
/// acse-service-provider `[2]`, each an INTEGER. Values without a name are kept as sent.
public enum ResultSourceDiagnostic: Sendable, Hashable, CustomStringConvertible {
    /// `[1]` acse-service-user.
    case serviceUser(Int64)
    /// `[2]` acse-service-provider.
    case serviceProvider(Int64)

    /// acse-service-user 0, null.
    public static let null = ResultSourceDiagnostic.serviceUser(0)
    /// acse-service-user 1, no-reason-given.
    public static let noReasonGiven = ResultSourceDiagnostic.serviceUser(1)
    /// acse-service-user 2, application-context-name-not-supported.
    public static let applicationContextNameNotSupported = ResultSourceDiagnostic.serviceUser(2)
    /// acse-service-user 11, authentication-mechanism-name-not-recognised.
    public static let authenticationMechanismNameNotRecognised = ResultSourceDiagnostic.serviceUser(11)
    /// acse-service-user 12, authentication-mechanism-name-required.
    public static let authenticationMechanismNameRequired = ResultSourceDiagnostic.serviceUser(12)
    /// acse-service-user 13, authentication-failure.
    public static let authenticationFailure = ResultSourceDiagnostic.serviceUser(13)
    /// acse-service-user 14, authentication-required (with result accepted: HLS passes 3/4 follow).
    public static let authenticationRequired = ResultSourceDiagnostic.serviceUser(14)

    /// Names of acse-service-user values 0…14 (U9, GX; JD/WS list only 0–2 and 11–14).
    public static let serviceUserNames: [String] = [
        "null", "no-reason-given", "application-context-name-not-supported",
        "calling-AP-title-not-recognized", "calling-AP-invocation-identifier-not-recognized",
        "calling-AE-qualifier-not-recognized", "calling-AE-invocation-identifier-not-recognized",
        "called-AP-title-not-recognized", "called-AP-invocation-identifier-not-recognized",
        "called-AE-qualifier-not-recognized", "called-AE-invocation-identifier-not-recognized",
        "authentication-mechanism-name-not-recognised", "authentication-mechanism-name-required",
        "authentication-failure", "authentication-required",
    ]
    /// Names of acse-service-provider values 0…2.
    public static let serviceProviderNames: [String] = ["null", "no-reason-given", "no-common-acse-version"]

    /// The INTEGER value.
    public var value: Int64 {
        switch self {
        case .serviceUser(let v), .serviceProvider(let v): v
        }
    }

    /// `acse-service-user` or `acse-service-provider`.
    public var source: String {
        switch self {
        case .serviceUser: "acse-service-user"
        case .serviceProvider: "acse-service-provider"
        }
    }

    /// The context tag number of the CHOICE alternative (1 or 2).
    public var choiceNumber: UInt32 {
        switch self {
        case .serviceUser: 1
        case .serviceProvider: 2
        }
    }

    /// The value's name, or nil when the table has none.
    public var name: String? {
        let table = choiceNumber == 1 ? Self.serviceUserNames : Self.serviceProviderNames
        return value >= 0 && value < Int64(table.count) ? table[Int(value)] : nil
    }

    /// Source, name and value.
    public var description: String { "\(source) \(name ?? "undefined") (\(value))" }

    /// `{source, value, name}`; name is null for a value without one.
    public var json: JSONValue {
        .object([
            ("source", .string(source)),
            ("value", .int(value)),
            ("name", name.map(JSONValue.string) ?? .null),
        ])
    }
}

/// Release-request-reason of an RLRQ (fact sheet §4.4): 0 normal, 1 urgent, 30 user-defined.
public struct ReleaseRequestReason: RawRepresentable, Sendable, Hashable {
    /// The INTEGER value.
    public var rawValue: Int64
    /// Wraps a value.
    public init(rawValue: Int64) { self.rawValue = rawValue }
    /// 0: normal.
    public static let normal = ReleaseRequestReason(rawValue: 0)
    /// 1: urgent.
    public static let urgent = ReleaseRequestReason(rawValue: 1)
    /// 30: user-defined (WS/JD ASN, U9, GX; the JD Java enum's 2 is not used).
    public static let userDefined = ReleaseRequestReason(rawValue: 30)
    /// The ASN.1 name, or nil.
    public var name: String? {
        switch rawValue {
        case 0: "normal"
        case 1: "urgent"
        case 30: "user-defined"
        default: nil
        }
    }
}

/// Release-response-reason of an RLRE (fact sheet §4.4): 0 normal, 1 not-finished, 30 user-defined.
public struct ReleaseResponseReason: RawRepresentable, Sendable, Hashable {
    /// The INTEGER value.
    public var rawValue: Int64
    /// Wraps a value.
    public init(rawValue: Int64) { self.rawValue = rawValue }
    /// 0: normal.
    public static let normal = ReleaseResponseReason(rawValue: 0)
    /// 1: not-finished.
    public static let notFinished = ReleaseResponseReason(rawValue: 1)
    /// 30: user-defined (WS/JD ASN, U9, GX; the JD Java enum's 2 is not used).
    public static let userDefined = ReleaseResponseReason(rawValue: 30)
    /// The ASN.1 name, or nil.
    public var name: String? {
        switch rawValue {
        case 0: "normal"
        case 1: "not-finished"
        case 30: "user-defined"
        default: nil
        }
    }
}
