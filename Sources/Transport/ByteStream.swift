/// A bidirectional byte stream to a device under test: serial line, pty, TCP connection or UDP socket.
///
/// Reads never block past their deadline and honour task cancellation (they throw `.cancelled`).
/// One `send` and one `receive` may be in flight at the same time; concurrent calls of the same kind
/// are serialised in call order.
public protocol ByteStream: Sendable {
    /// Writes all of `bytes` (for a datagram transport: one datagram).
    func send(_ bytes: [UInt8]) async throws(TransportError)

    /// Returns the bytes that arrive before `deadline`, at most `maxCount`, as soon as any arrive.
    ///
    /// An empty array means the deadline passed in silence; it is never returned before `deadline`.
    /// Bytes already waiting are returned even when the deadline has passed. For a datagram transport
    /// the result is one datagram (truncated to `maxCount`).
    func receive(maxCount: Int, deadline: ContinuousClock.Instant) async throws(TransportError) -> [UInt8]

    /// Closes the stream; pending operations end with `.closed`. Closing twice does nothing.
    func close() async

    /// Hands over (and forgets) what the transport noted since the last call: line-settings changes,
    /// echo mismatches. `RecordingStream` collects them into its recording.
    func takeNotes() async -> [TransportNote]
}

extension ByteStream {
    /// Transports that note nothing return no notes.
    public func takeNotes() async -> [TransportNote] { [] }

    /// `receive(maxCount:deadline:)` with a deadline `timeout` from now.
    public func receive(maxCount: Int, timeout: Duration) async throws(TransportError) -> [UInt8] {
        try await receive(maxCount: maxCount, deadline: .now + timeout)
    }
}

/// A stream whose line can be reconfigured in the middle of a session (serial port, pty).
public protocol LineControl: ByteStream {
    /// The settings in force now.
    var lineSettings: LineSettings { get }
    /// Changes baud rate and framing after pending output has been sent; the change is noted with its time.
    func apply(_ settings: LineSettings) async throws(TransportError)
    /// Raises (`true`) or lowers (`false`) RTS and DTR; `nil` leaves a line as it is.
    func setModemLines(rts: Bool?, dtr: Bool?) async throws(TransportError)
}
