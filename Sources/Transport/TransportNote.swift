#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Something a transport observed besides the bytes themselves, stamped when it happened.
public struct TransportNote: Sendable, Equatable {
    /// What happened.
    public enum Kind: Sendable, Equatable {
        /// Line settings changed; `physical` is false on a pty, where they are only recorded.
        case lineSettings(LineSettings, physical: Bool)
        /// RTS/DTR were set (`nil`: left unchanged).
        case modemLines(rts: Bool?, dtr: Bool?)
        /// Local echo was expected after a send but other (or fewer) bytes came back; the bytes that came
        /// back are not dropped but delivered by the next `receive`.
        case echoMismatch(expected: [UInt8], received: [UInt8])
    }

    /// Monotonic time of the event.
    public let instant: ContinuousClock.Instant
    /// Wall-clock time of the event.
    public let date: Date
    /// What happened.
    public let kind: Kind

    /// A note stamped now.
    public init(_ kind: Kind, instant: ContinuousClock.Instant = .now, date: Date = Date()) {
        self.instant = instant
        self.date = date
        self.kind = kind
    }
}
