import CodecSupport

/// One thing wrong with a received push: a stable rule id, a severity and a reason that names the
/// rule and where it comes from (fact sheet section or implementation).
public struct PushFinding: Sendable, Hashable {
    /// How bad a finding is.
    public enum Severity: String, Sendable, Hashable {
        /// The push breaks a rule of the protocol or of the receiver's configuration.
        case fail
        /// The push could not be judged (no key for it, an unsupported suite).
        case inconclusive
    }

    /// The rules a push is checked against; the raw value is the stable id.
    public enum Rule: String, Sendable, Hashable, CaseIterable {
        /// The bytes are no DLMS message, or its APDU does not decode.
        case undecodable = "PUSH_UNDECODABLE"
        /// The APDU is neither a DataNotification nor an EventNotification (plain or ciphered).
        case notNotification = "PUSH_NOT_NOTIFICATION"
        /// Cleartext where ciphering (or authentication) is required.
        case cleartext = "PUSH_CLEARTEXT"
        /// Ciphered without authentication where authentication is required.
        case notAuthenticated = "PUSH_NOT_AUTHENTICATED"
        /// The authentication tag does not match the keys.
        case authenticationFailed = "PUSH_AUTH_TAG"
        /// The push could not be deciphered: key or system title missing, suite unsupported.
        case cannotDecipher = "PUSH_CANNOT_DECIPHER"
        /// The invocation counter equals the last one from the same system title.
        case counterReplayed = "PUSH_IC_REPLAY"
        /// The invocation counter is smaller than the last one from the same system title.
        case counterDecreased = "PUSH_IC_DECREASED"
        /// The time since the previous push from the same sender is outside interval ± tolerance.
        case interval = "PUSH_INTERVAL"
        /// The body's element count differs from the push object list.
        case contentCount = "PUSH_CONTENT_COUNT"
        /// A body element's type differs from the type the interface class declares for its attribute.
        case contentType = "PUSH_CONTENT_TYPE"

        /// The stable id.
        public var id: String { rawValue }

        /// Everything is a fail except what the receiver could not judge.
        public var severity: Severity { self == .cannotDecipher ? .inconclusive : .fail }

        /// Where the rule comes from, quoted in every reason.
        public var source: String {
            switch self {
            case .undecodable: "DLMS codec (DLMSMessage: HDLC fact sheet §1, wrapper §3, xDLMS §5)"
            case .notNotification: "fact sheet §5.10 (pushes carry DataNotification 0F or EventNotification C2)"
            case .cleartext: "listener configuration (--require), security control byte fact sheet §7.1"
            case .notAuthenticated: "listener configuration (--require authenticated), SC bit 4 fact sheet §7.1"
            case .authenticationFailed: "fact sheet §7.3–7.4 (IV = system title ‖ IC; AAD = SC ‖ AK; 12-byte tag)"
            case .cannotDecipher: "fact sheet §7.2–7.4; keys from --key/--auth-key/--keys"
            case .counterReplayed, .counterDecreased:
                "fact sheet §7.3 (IV = system title ‖ IC, never reused under one key) and §7.9 (IC incremented after every ciphered APDU); InvocationCounterTracker"
            case .interval: "listener configuration (--interval ± --tolerance)"
            case .contentCount:
                "push_object_list, fact sheet §8.3 IC 40 attribute 2; body = structure of one value per entry as Gurux generatePushSetupMessages builds it"
            case .contentType: "interface class catalog, fact sheet §8.3"
            }
        }
    }

    /// The rule broken.
    public var rule: Rule
    /// What was found, in words.
    public var reason: String
    /// The byte offset in the received message the finding points at, when it points at one.
    public var offset: Int?

    /// A finding; the reason gets the rule's source appended.
    public init(_ rule: Rule, _ reason: String, offset: Int? = nil) {
        self.rule = rule
        self.reason = "\(reason) — \(rule.source)"
        self.offset = offset
    }

    /// The stable id.
    public var id: String { rule.id }
    /// The severity.
    public var severity: Severity { rule.severity }
}

extension PushFinding: JSONRepresentable {
    /// `{id, severity, reason, offset?}`.
    public var json: JSONValue {
        var members: [(String, JSONValue)] = [
            ("id", .string(id)), ("severity", .string(severity.rawValue)), ("reason", .string(reason)),
        ]
        if let offset { members.append(("offset", .int(Int64(offset)))) }
        return .object(members)
    }
}
