/// Action-Result (fact sheet §6.7: U9 `ActionResultStatus`, JD/WS ASN and the WS table agree).
public enum ActionResult: UInt8, Sendable, Hashable, CaseIterable {
    case success = 0
    case hardwareFault = 1
    case temporaryFailure = 2
    case readWriteDenied = 3
    case objectUndefined = 4
    case objectClassInconsistent = 9
    case objectUnavailable = 11
    case typeUnmatched = 12
    case scopeOfAccessViolated = 13
    case dataBlockUnavailable = 14
    case longActionAborted = 15
    case noLongActionInProgress = 16
    case otherReason = 250

    /// The standard's name (`long-action-aborted`).
    public var name: String {
        switch self {
        case .success: "success"
        case .hardwareFault: "hardware-fault"
        case .temporaryFailure: "temporary-failure"
        case .readWriteDenied: "read-write-denied"
        case .objectUndefined: "object-undefined"
        case .objectClassInconsistent: "object-class-inconsistent"
        case .objectUnavailable: "object-unavailable"
        case .typeUnmatched: "type-unmatched"
        case .scopeOfAccessViolated: "scope-of-access-violated"
        case .dataBlockUnavailable: "data-block-unavailable"
        case .longActionAborted: "long-action-aborted"
        case .noLongActionInProgress: "no-long-action-in-progress"
        case .otherReason: "other-reason"
        }
    }

    /// The result named `name`, or nil.
    public init?(name: String) {
        guard let r = Self.allCases.first(where: { $0.name == name }) else { return nil }
        self = r
    }

    /// Decodes the one-byte enumeration; values no source defines are ``DLMSError/Code/unknownTag``.
    public init(byte: UInt8) throws(DLMSError) {
        guard let r = ActionResult(rawValue: byte) else {
            throw DLMSError(.unknownTag, at: 0, "Action-Result \(byte) is not defined")
        }
        self = r
    }
}
