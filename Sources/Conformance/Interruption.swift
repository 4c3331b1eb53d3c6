import Synchronization

/// A request to stop a run early (Ctrl-C): the runner finishes the current step, marks the rest
/// as not run and still returns a complete result.
public final class Interruption: Sendable {
    private let requested = Atomic<Bool>(false)

    public init() {}

    /// Asks the run to stop after the current step.
    public func request() { requested.store(true, ordering: .sequentiallyConsistent) }

    /// Whether a stop was asked for.
    public var isRequested: Bool { requested.load(ordering: .sequentiallyConsistent) }
}
