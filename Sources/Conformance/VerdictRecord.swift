/// Accumulates `setverdict` calls for a step or a case: keeps the worst verdict and the reason
/// given with it. A later verdict that is not worse changes nothing, so a verdict never improves.
public struct VerdictRecord: Sendable, Hashable, Codable {
    /// The worst verdict set so far (`none` before any).
    public private(set) var verdict: Verdict
    /// The reason given with `verdict`, in words a vendor understands.
    public private(set) var reason: String?
    /// Whether `fail` is capped to `inconc` (the case is `unconfirmed`).
    public let unconfirmed: Bool

    /// An empty record; `unconfirmed` caps every later `fail` to `inconc`.
    public init(unconfirmed: Bool = false) {
        self.verdict = .none
        self.reason = nil
        self.unconfirmed = unconfirmed
    }

    /// Sets `verdict` with its reason if it is worse than the current one (TTCN-3 `setverdict`).
    /// For an unconfirmed record a `fail` is recorded as `inconc`, its reason prefixed accordingly.
    public mutating func set(_ newVerdict: Verdict, reason newReason: String) {
        let effective = newVerdict.capped(forUnconfirmed: unconfirmed)
        guard effective > verdict else { return }
        verdict = effective
        reason = effective == newVerdict
            ? newReason
            : "behaviour not confirmed by any public source, so fail is reported as inconc: \(newReason)"
    }

    /// Merges another record (e.g. a step's into its case's) with `setverdict` semantics.
    public mutating func merge(_ other: VerdictRecord) {
        guard other.verdict > .none else { return }
        set(other.verdict, reason: other.reason ?? "")
    }
}
