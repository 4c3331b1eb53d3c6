/// A stream that knows exactly when its bytes moved, independent of when the caller's task ran:
/// an in-process simulator does (it schedules its replies); a descriptor-based stream only knows
/// when it read them. Timing checks use these instants when a stream offers them.
public protocol ArrivalTiming: ByteStream {
    /// When the bytes of the last `send` were taken.
    var lastSendInstant: ContinuousClock.Instant? { get }
    /// When the first byte returned by the last non-empty `receive` became available.
    var lastArrivalInstant: ContinuousClock.Instant? { get }
}
