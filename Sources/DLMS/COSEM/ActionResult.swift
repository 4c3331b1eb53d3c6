/// Action-Result (fact sheet §6.7: U9 `ActionResultStatus`, JD/WS ASN and the WS table agree).
public enum ActionResult: UInt8, Sendable, Hashable, CaseIterable {
    /// 0: success.
    case success = 0
    /// 1: hardware-fault.
    case hardwareFault = 1
    /// 2: temporary-failure.
    case temporaryFailure = 2
    /// 3: read-write-denied.
    case readWriteDenied = 3
    /// 4: object-undefined.
    case objectUndefined = 4
    /// 9: object-class-inconsistent.
    case objectClassInconsistent = 9
    /// 11: object-unavailable.
    case objectUnavailable = 11
    /// 12: type-unmatched.
    case typeUnmatched = 12
    /// 13: scope-of-access-violated.
    case scopeOfAccessViolated = 13
    /// 14: data-block-unavailable.
    case dataBlockUnavailable = 14
    /// 15: long-action-aborted.
    case longActionAborted = 15
    /// 16: no-long-action-in-progress.
    case noLongActionInProgress = 16
    /// 250: other-reason.
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
