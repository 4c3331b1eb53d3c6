#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import CodecSupport
import Synchronization

/// One thing a run saw: bytes sent or received (one protocol frame, or bytes that are not one),
/// or a transport event (connection opened or closed, line settings changed, echo mismatch).
public struct EvidenceEntry: Sendable, Equatable {
    /// What the entry records.
    public enum Kind: Sendable, Equatable {
        /// Harness → device.
        case sent
        /// Device → harness.
        case received
        /// A transport event; `note` says what.
        case event
    }

    /// Position in the log, from 0.
    public var id: Int
    /// Monotonic and wall-clock time: for received bytes, when the first byte arrived.
    public var instant: ContinuousClock.Instant
    public var date: Date
    public var kind: Kind
    public var bytes: [UInt8]
    /// The codec's decoding, when the bytes decode.
    public var decoded: JSONValue?
    /// Why the bytes do not decode (with the offset), when they do not.
    public var decodeError: String?
    /// For events, and for bytes that need a word (e.g. "stale bytes before the case").
    public var note: String?
    /// The case during which it happened.
    public var caseId: String?
    /// Which connection to the device (1 for the first; a reopen after a broken transport is 2, …).
    public var connection: Int
}

/// The append-only evidence of a run, shared by the runner and the protocol sessions.
public final class EvidenceLog: Sendable {
    private struct State {
        var entries: [EvidenceEntry] = []
        var caseId: String?
        var connection = 0
    }

    private let state = Mutex(State())
    /// When the log was created (the run's start).
    public let startInstant: ContinuousClock.Instant
    public let startDate: Date

    public init(startInstant: ContinuousClock.Instant = .now, startDate: Date = Date()) {
        self.startInstant = startInstant
        self.startDate = startDate
    }

    /// The wall-clock date of a monotonic instant, anchored at the log's start.
    public func date(of instant: ContinuousClock.Instant) -> Date {
        let offset = instant - startInstant
        let seconds = Double(offset.components.seconds) + Double(offset.components.attoseconds) * 1e-18
        return startDate.addingTimeInterval(seconds)
    }

    /// Sets the case later entries belong to (nil between cases).
    public func setCase(_ id: String?) { state.withLock { $0.caseId = id } }

    /// Starts a new connection number and records the event; returns the number.
    @discardableResult
    public func beginConnection(note: String) -> Int {
        let number = state.withLock { s -> Int in s.connection += 1; return s.connection }
        append(.event, bytes: [], note: note)
        return number
    }

    /// The current connection number (0 before the first).
    public var connection: Int { state.withLock { $0.connection } }

    /// Appends an entry and returns its id.
    @discardableResult
    public func append(
        _ kind: EvidenceEntry.Kind, bytes: [UInt8], at instant: ContinuousClock.Instant = .now,
        decoded: JSONValue? = nil, decodeError: String? = nil, note: String? = nil
    ) -> Int {
        let date = date(of: instant)
        return state.withLock { s -> Int in
            let id = s.entries.count
            s.entries.append(EvidenceEntry(
                id: id, instant: instant, date: date, kind: kind, bytes: bytes, decoded: decoded,
                decodeError: decodeError, note: note, caseId: s.caseId, connection: s.connection))
            return id
        }
    }

    /// Every entry so far, in order.
    public var entries: [EvidenceEntry] { state.withLock { $0.entries } }
}
