/// Cuts a byte stream from a wired M-Bus line into frames (EN 13757-2; fact sheet §1.1), the way
/// swift-nio's `ByteToMessageDecoder` does: feed bytes with ``append(_:)`` in whatever chunks the
/// line delivers, then call ``next()`` until it returns nil ("need more data").
///
/// The reader is meant for a half-duplex master/slave line where frames are separated in time.
/// E5 and 10 can also occur inside garbage; a stray E5 is reported as an ack and a stray 10
/// as a failed short frame. That is inherent in the framing, and the runner limits it by
/// calling ``reset()`` at each request boundary.
///
/// Policy:
/// - **Garbage.** Bytes before a start byte (E5, 10, 68) are collected and reported as one
///   `.skipped` event when the next start byte arrives, or in pieces of ``maximumGarbage``
///   bytes when none comes.
/// - **Incomplete frame.** `next()` returns nil and waits; at most one maximal frame
///   (261 bytes) is held.
/// - **Bad checksum** (start bytes, L fields and stop byte all consistent): the whole frame is
///   dropped and reported as `.error(.badChecksum, discarded: frame bytes)`;
///   `Frame.parse(discarded)` still gives its fields.
/// - **Any other defect** (L fields differ, L below 3, second 68 missing, stop byte wrong):
///   `.error(code, discarded: [start byte])`. Only the start byte is dropped and the search
///   restarts at the next byte, since the real frame may begin inside the rejected one.
///
/// Decisions depend only on the bytes, never on how they were chunked, so byte-by-byte,
/// whole and batched feeding give the same events. Memory: beyond what was appended and not
/// yet consumed by `next()`, the reader keeps at most ``maximumGarbage`` + 261 bytes.
public struct FrameReader: Sendable {
    /// What ``next()`` found.
    public enum Event: Equatable, Sendable {
        /// A valid frame and its bytes; the frame's user data is a slice of `bytes`.
        case frame(Frame, bytes: [UInt8])
        /// An invalid frame: the error (offsets relative to its start byte) and the bytes
        /// dropped because of it.
        case error(MeterBusError, discarded: [UInt8])
        /// Bytes that preceded a start byte (or filled the garbage limit) and were dropped.
        case skipped(garbage: [UInt8])
    }

    /// The most garbage bytes reported in one `.skipped` event and held at once.
    public let maximumGarbage: Int

    private var buffer: [UInt8] = []
    /// Index in `buffer` of the first unconsumed byte.
    private var head = 0
    /// Number of garbage bytes (no start byte among them) at `head`, already scanned.
    private var garbageCount = 0

    /// A reader that reports garbage in pieces of at most `maximumGarbage` bytes (at least 1).
    public init(maximumGarbage: Int = 64) {
        self.maximumGarbage = max(1, maximumGarbage)
    }

    /// The number of bytes received and not yet reported in an event.
    public var bufferedCount: Int { buffer.count - head }

    /// Adds bytes received from the line.
    public mutating func append(_ bytes: some Sequence<UInt8>) {
        compact()
        buffer.append(contentsOf: bytes)
    }

    /// The next event, or nil when more bytes are needed.
    public mutating func next() -> Event? {
        // Garbage: scan forward to the next start byte.
        while head + garbageCount < buffer.count, garbageCount < maximumGarbage,
              !Self.isStartByte(buffer[head + garbageCount]) {
            garbageCount += 1
        }
        if garbageCount > 0 {
            let atStartByte = head + garbageCount < buffer.count
            guard atStartByte || garbageCount >= maximumGarbage else { return nil }
            return .skipped(garbage: consume(garbageCount))
        }
        guard head < buffer.count else { return nil }

        let pending = buffer[head...]
        switch Frame.boundary(of: pending) {
        case .needMore:
            return nil
        case let .invalid(error):
            return .error(error, discarded: consume(1))
        case let .complete(length):
            let bytes = Array(buffer[head..<(head + length)])
            let parsed: ParsedFrame
            do {
                parsed = try Frame.parseComplete(bytes[...])
            } catch {
                return .error(error, discarded: consume(1))
            }
            if let error = parsed.checksumError {
                _ = consume(length)
                return .error(error, discarded: bytes)
            }
            _ = consume(length)
            return .frame(parsed.frame, bytes: bytes)
        }
    }

    /// Ends the stream: reports what is left as `.skipped` garbage or as a `.truncated`
    /// frame, and empties the reader. Nil when nothing is left. Call ``next()`` until nil first.
    public mutating func finish() -> Event? {
        guard head < buffer.count else { reset(); return nil }
        let rest = Array(buffer[head...])
        reset()
        if Self.isStartByte(rest[0]) {
            return .error(Frame.truncation(of: rest[...], total: nil), discarded: rest)
        }
        return .skipped(garbage: rest)
    }

    /// Drops everything buffered (the runner calls it at a request boundary) and returns it.
    @discardableResult
    public mutating func reset() -> [UInt8] {
        let dropped = Array(buffer[head...])
        buffer.removeAll(keepingCapacity: true)
        head = 0
        garbageCount = 0
        return dropped
    }

    private mutating func consume(_ count: Int) -> [UInt8] {
        let taken = Array(buffer[head..<(head + count)])
        head += count
        garbageCount = 0
        return taken
    }

    private mutating func compact() {
        guard head > 0 else { return }
        buffer.removeFirst(head)
        head = 0
    }

    private static func isStartByte(_ byte: UInt8) -> Bool {
        byte == Frame.ackByte || byte == Frame.shortStartByte || byte == Frame.longStartByte
    }
}
