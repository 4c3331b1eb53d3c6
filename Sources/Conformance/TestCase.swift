/// A test case: a test purpose with its expected behaviour as steps (ISO/IEC 9646 / TDL-TO).
public struct TestCase: Sendable, Hashable {
    /// Stable identifier, e.g. `MBUS_LL_P01`.
    public var id: String
    /// One line.
    public var title: String
    /// What the case establishes ("when … then …").
    public var purpose: String
    /// Standards, clauses and sources that settle the behaviour (at least one).
    public var references: [Reference]
    /// ETSI M2M smart-metering use cases or M/441 functions served, e.g. `F1 remote reading`.
    public var usecases: [String]
    /// PICS terms that must all hold for the case to apply.
    public var requires: [PICSRequirement]
    /// `true` when no public source confirms the behaviour (`confirmed: false`): the runner caps
    /// `fail` to `inconc` (`Verdict.capped(forUnconfirmed:)`).
    public var unconfirmed: Bool
    /// Why public sources disagree, when they do (`disputed:`); such a case is always PICS-gated.
    public var disputed: String?
    /// Timeout of steps that give none.
    public var defaultStepTimeout: Duration
    /// The steps, in order.
    public var steps: [Step]
    /// Where the case starts.
    public var location: SourceLocation

    public init(
        id: String, title: String, purpose: String, references: [Reference], usecases: [String] = [],
        requires: [PICSRequirement] = [], unconfirmed: Bool = false, disputed: String? = nil,
        defaultStepTimeout: Duration = TestSuite.engineDefaultStepTimeout, steps: [Step], location: SourceLocation
    ) {
        self.id = id
        self.title = title
        self.purpose = purpose
        self.references = references
        self.usecases = usecases
        self.requires = requires
        self.unconfirmed = unconfirmed
        self.disputed = disputed
        self.defaultStepTimeout = defaultStepTimeout
        self.steps = steps
        self.location = location
    }

    /// The timeout the runner applies to `step`: its own, else the case's default.
    public func timeout(for step: Step) -> Duration {
        step.timeout ?? defaultStepTimeout
    }
}
