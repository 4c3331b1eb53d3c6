/// What became of one case in a run.
public enum CaseOutcome: Sendable, Hashable {
    /// The case ran and ended with this verdict and reason.
    case executed(VerdictRecord)
    /// The case does not apply to the device (its `requires` are not met); never changes the exit status.
    case notApplicable(reason: String)

    /// The verdict counted for the exit status; `nil` for a not-applicable case.
    public var countedVerdict: Verdict? {
        switch self {
        case .executed(let record): record.verdict
        case .notApplicable: nil
        }
    }

    /// Whether the outcome changes the exit status (everything except `pass` and not applicable).
    public var affectsExitStatus: Bool {
        guard let verdict = countedVerdict else { return false }
        return verdict != .pass
    }
}
