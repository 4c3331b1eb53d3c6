#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Synchronization

/// One recorded event of a session: bytes one way or the other, or a transport note.
public struct RecordedEvent: Sendable, Equatable {
    /// What was recorded.
    public enum Kind: Sendable, Equatable {
        /// Bytes handed to the transport (harness → device).
        case sent([UInt8])
        /// Bytes received from the transport (device → harness).
        case received([UInt8])
        /// A line-settings change, modem-line change or echo mismatch.
        case note(TransportNote.Kind)
    }

    /// Which way bytes went.
    public enum Direction: Sendable, Equatable { case toDevice, fromDevice }

    /// Position in the recording, from 0.
    public let sequence: Int
    /// Monotonic time.
    public let instant: ContinuousClock.Instant
    /// Wall-clock time.
    public let date: Date
    /// What was recorded.
    public let kind: Kind

    /// The direction of a byte event; nil for notes.
    public var direction: Direction? {
        switch kind {
        case .sent: .toDevice
        case .received: .fromDevice
        case .note: nil
        }
    }

    /// The bytes of a byte event; empty for notes.
    public var bytes: [UInt8] {
        switch kind {
        case .sent(let b), .received(let b): b
        case .note: []
        }
    }
}

/// A thread-safe, append-only log of a session's events (the evidence a run capture is written from).
public final class Recording: Sendable {
    private let events = Mutex<[RecordedEvent]>([])

    /// An empty recording.
    public init() {}

    /// Appends an event stamped now (or at the given times).
    public func append(_ kind: RecordedEvent.Kind, instant: ContinuousClock.Instant = .now, date: Date = Date()) {
        events.withLock { $0.append(RecordedEvent(sequence: $0.count, instant: instant, date: date, kind: kind)) }
    }

    /// Every event so far, in order.
    public var snapshot: [RecordedEvent] { events.withLock { $0 } }
}
