/// The last invocation counter seen from each system title, judging each new one — Green Book
/// 9.2.7.2.3: a receiver accepts only counters greater than the last one; an IV must never repeat
/// under one key.
///
/// A pure value the push listener and the capture analyser feed with each authenticated APDU;
/// rejected counters leave the state unchanged.
public struct InvocationCounterTracker: Sendable, Equatable {
    /// What a counter means relative to the last one accepted from the same system title.
    public enum Verdict: Sendable, Hashable {
        /// The first counter from this system title.
        case first
        /// Exactly one more than the last.
        case next
        /// Greater than the last by more than one; `skipped` counters were never seen.
        case gap(skipped: UInt32)
        /// Equal to the last: a replay, or an IV reused under the same key.
        case replay
        /// Smaller than the last: a replay of an older APDU or a counter reset.
        case decreased(last: UInt32)

        /// True when the counter is strictly greater than every earlier one (or the first).
        public var isAccepted: Bool {
            switch self {
            case .first, .next, .gap: true
            case .replay, .decreased: false
            }
        }
    }

    /// The last accepted counter per system title.
    public private(set) var lastAccepted: [SystemTitle: UInt32]

    /// An empty tracker.
    public init() {
        lastAccepted = [:]
    }

    /// Judges `counter` from `systemTitle` and records it when it is accepted.
    public mutating func observe(_ counter: UInt32, from systemTitle: SystemTitle) -> Verdict {
        let verdict = judge(counter, from: systemTitle)
        if verdict.isAccepted { lastAccepted[systemTitle] = counter }
        return verdict
    }

    /// Judges `counter` without recording it.
    public func judge(_ counter: UInt32, from systemTitle: SystemTitle) -> Verdict {
        guard let last = lastAccepted[systemTitle] else { return .first }
        if counter == last { return .replay }
        if counter < last { return .decreased(last: last) }
        return counter - last == 1 ? .next : .gap(skipped: counter - last - 1)
    }
}
