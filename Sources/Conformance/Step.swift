/// One step of a case as written in a suite, its parameters already checked against its `StepKind`.
public struct Step: Sendable, Hashable {
    /// The step kind's name, e.g. `send`.
    public var kind: String
    /// Parameter values by name (only declared parameters, each of its declared type).
    public var parameters: [String: ParameterValue]
    /// This step's own timeout, if given (`timeout:` beside the step key).
    public var timeout: Duration?
    /// Where the step is written.
    public var location: SourceLocation

    public init(kind: String, parameters: [String: ParameterValue], timeout: Duration? = nil, location: SourceLocation) {
        self.kind = kind
        self.parameters = parameters
        self.timeout = timeout
        self.location = location
    }
}
