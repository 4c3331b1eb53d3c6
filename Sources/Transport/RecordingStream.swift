/// A tap around any `ByteStream`: forwards every call and records each chunk sent and received, and
/// each transport note (line-settings changes, echo mismatches), with monotonic and wall-clock time.
///
/// Line control (`apply`, `setModemLines`) is forwarded when the wrapped stream is a `LineControl`,
/// and throws `.unsupportedSetting` otherwise.
public final class RecordingStream: LineControl {
    /// The wrapped stream.
    public let inner: any ByteStream
    /// Where events go.
    public let recording: Recording

    /// Wraps `inner`, recording into `recording`. Notes the inner stream already holds (e.g. its
    /// opening line settings) are recorded on the first operation.
    public init(_ inner: any ByteStream, recording: Recording = Recording()) {
        self.inner = inner
        self.recording = recording
    }

    private func collectNotes() async {
        for note in await inner.takeNotes() {
            recording.append(.note(note.kind), instant: note.instant, date: note.date)
        }
    }

    public func send(_ bytes: [UInt8]) async throws(TransportError) {
        await collectNotes()
        recording.append(.sent(bytes))
        do {
            try await inner.send(bytes)
        } catch {
            await collectNotes()
            throw error
        }
        await collectNotes()  // e.g. an echo mismatch found while sending
    }

    public func receive(maxCount: Int, deadline: ContinuousClock.Instant) async throws(TransportError) -> [UInt8] {
        await collectNotes()
        let bytes = try await inner.receive(maxCount: maxCount, deadline: deadline)
        if !bytes.isEmpty { recording.append(.received(bytes)) }
        return bytes
    }

    public var lineSettings: LineSettings {
        (inner as? any LineControl)?.lineSettings ?? .standardDefault
    }

    public func apply(_ settings: LineSettings) async throws(TransportError) {
        guard let line = inner as? any LineControl else {
            throw .unsupportedSetting("line settings on a \(type(of: inner)) stream")
        }
        try await line.apply(settings)
        await collectNotes()
    }

    public func setModemLines(rts: Bool?, dtr: Bool?) async throws(TransportError) {
        guard let line = inner as? any LineControl else {
            throw .unsupportedSetting("RTS/DTR on a \(type(of: inner)) stream")
        }
        try await line.setModemLines(rts: rts, dtr: dtr)
        await collectNotes()
    }

    /// Notes are consumed into the recording; the tap hands none on.
    public func takeNotes() async -> [TransportNote] {
        await collectNotes()
        return []
    }

    public func close() async {
        await collectNotes()
        await inner.close()
    }
}
