/// Data-Access-Result (fact sheet §6.6: U9, JD/WS ASN, WS table and GX `ErrorCode` agree on every value).
public enum DataAccessResult: UInt8, Sendable, Hashable, CaseIterable {
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
    /// GX calls it long-get-or-read-aborted.
    case longGetAborted = 15
    /// 16: no-long-get-in-progress.
    case noLongGetInProgress = 16
    /// 17: long-set-aborted.
    case longSetAborted = 17
    /// 18: no-long-set-in-progress.
    case noLongSetInProgress = 18
    /// 19: data-block-number-invalid.
    case dataBlockNumberInvalid = 19
    /// 250: other-reason.
    case otherReason = 250

    /// The standard's name (`read-write-denied`).
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
        case .longGetAborted: "long-get-aborted"
        case .noLongGetInProgress: "no-long-get-in-progress"
        case .longSetAborted: "long-set-aborted"
        case .noLongSetInProgress: "no-long-set-in-progress"
        case .dataBlockNumberInvalid: "data-block-number-invalid"
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
        guard let r = DataAccessResult(rawValue: byte) else {
            throw DLMSError(.unknownTag, at: 0, "Data-Access-Result \(byte) is not defined")
        }
        self = r
    }
}
