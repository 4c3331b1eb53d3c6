/// Data-Access-Result (fact sheet §6.6: U9, JD/WS ASN, WS table and GX `ErrorCode` agree on every value).
public enum DataAccessResult: UInt8, Sendable, Hashable, CaseIterable {
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
    /// GX calls it long-get-or-read-aborted.
    case longGetAborted = 15
    case noLongGetInProgress = 16
    case longSetAborted = 17
    case noLongSetInProgress = 18
    case dataBlockNumberInvalid = 19
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
