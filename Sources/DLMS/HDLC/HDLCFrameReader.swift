/// Cuts a byte stream from a serial line into HDLC frames (IEC 62056-46; fact sheet §1.1), the
/// way swift-nio's `ByteToMessageDecoder` does: feed bytes with ``append(_:)`` in whatever
/// chunks the line delivers, then call ``next()`` until it returns nil ("need more data").
///
/// Policy:
/// - **Garbage.** Bytes before a `7E` are reported as one `.skipped` event when the next `7E`
///   arrives, or in pieces of ``maximumGarbage`` bytes when none comes. A `7E` followed by
///   another `7E` is an idle flag and is skipped too.
/// - **Shared flags.** A frame's closing flag may also open the next frame (JD's
///   `HdlcMessageDecoder` reads frames back to back that way); such a frame's event starts at
///   the previous frame's closing flag, so the two events overlap by that one byte.
/// - **Incomplete frame.** `next()` returns nil and waits; at most one maximal frame (2049
///   bytes) is held.
/// - **Bad HCS/FCS, or a defect inside a frame whose FCS is right** (flags and length
///   consistent): the whole frame is dropped and reported as `.error`; `HDLCFrame.parse` on the
///   discarded bytes still gives the fields when only a check is wrong.
/// - **Any other defect** (format type not A, length below 7, closing flag missing): only the
///   opening flag is dropped and the search restarts at the next byte, since the real frame
///   may begin inside the rejected one.
///
/// Decisions depend only on the bytes, never on how they were chunked, so byte-by-byte, whole
/// and batched feeding give the same events. Offsets in events count from the first byte ever
/// appended; error offsets count from the frame's opening flag.
public struct HDLCFrameReader: Sendable {
    /// What ``next()`` found.
    public enum Event: Equatable, Sendable {
        /// A valid frame, its bytes (flags included; the frame's information is a slice of
        /// them) and the stream offset of its opening flag.
        case frame(HDLCFrame, bytes: [UInt8], offset: Int)
        /// An invalid frame: the error (offset from its opening flag), the bytes dropped because
        /// of it, and the stream offset of the first of them.
        case error(DLMSError, discarded: [UInt8], offset: Int)
        /// Bytes that preceded a `7E` (or filled the garbage limit) and were dropped.
        case skipped(garbage: [UInt8], offset: Int)
    }

    /// The most garbage bytes reported in one `.skipped` event and held at once.
    public let maximumGarbage: Int

    private var buffer: [UInt8] = []
    /// Index in `buffer` of the first unconsumed byte.
    private var head = 0
    /// Garbage bytes (no `7E` among them) at `head`, already scanned.
    private var garbageCount = 0
    /// Stream offset of `buffer[0]`.
    private var base = 0
    /// `buffer[head]` is the closing flag of a frame already reported.
    private var sharedFlagAtHead = false
    /// Set by ``finish()``: no more bytes will come.
    private var finishing = false

    /// A reader that reports garbage in pieces of at most `maximumGarbage` bytes (at least 1).
    public init(maximumGarbage: Int = 64) {
        self.maximumGarbage = max(1, maximumGarbage)
    }

    /// The number of bytes received and not yet reported in an event.
    public var bufferedCount: Int { buffer.count - head - (sharedFlagAtHead ? 1 : 0) }

    /// Adds bytes received from the line.
    public mutating func append(_ bytes: some Sequence<UInt8>) {
        compact()
        buffer.append(contentsOf: bytes)
    }

    /// The next event, or nil when more bytes are needed.
    public mutating func next() -> Event? {
        while true {
            if sharedFlagAtHead {
                guard head + 1 < buffer.count else {
                    if finishing { dropSharedFlag() }
                    return nil
                }
                if buffer[head + 1] == HDLCFrame.flag {
                    dropSharedFlag()
                    continue
                }
                switch HDLCFrame.boundary(of: buffer[head...]) {
                case .needMore:
                    if finishing { dropSharedFlag(); continue }
                    return nil
                case .invalid:
                    dropSharedFlag()
                    continue
                case let .complete(length):
                    if let event = frameEvent(length: length, sharedOpening: true) { return event }
                    dropSharedFlag()
                    continue
                }
            }

            // Garbage: scan forward to the next flag.
            while head + garbageCount < buffer.count, garbageCount < maximumGarbage,
                  buffer[head + garbageCount] != HDLCFrame.flag {
                garbageCount += 1
            }
            if garbageCount > 0 {
                let atFlag = head + garbageCount < buffer.count
                guard atFlag || garbageCount >= maximumGarbage || finishing else { return nil }
                let offset = base + head
                return .skipped(garbage: consume(garbageCount), offset: offset)
            }
            guard head < buffer.count else { return nil }
            let offset = base + head
            guard head + 1 < buffer.count else {
                return finishing ? .skipped(garbage: consume(1), offset: offset) : nil
            }
            if buffer[head + 1] == HDLCFrame.flag {
                return .skipped(garbage: consume(1), offset: offset)
            }
            switch HDLCFrame.boundary(of: buffer[head...]) {
            case let .needMore(total):
                guard finishing else { return nil }
                let present = buffer.count - head
                let reason = total.map { "stream ended inside a frame: \($0) bytes needed, \(present) present" }
                    ?? "stream ended inside a frame header: \(present) bytes present"
                return .error(DLMSError(.truncated, at: present, reason), discarded: consume(1), offset: offset)
            case let .invalid(error):
                return .error(error, discarded: consume(1), offset: offset)
            case let .complete(length):
                if let event = frameEvent(length: length, sharedOpening: false) { return event }
                // Unreachable: an unshared opening flag always yields an event.
                return nil
            }
        }
    }

    /// Ends the stream: returns the events for everything still buffered (garbage, a
    /// `.truncated` frame) and empties the reader. Call ``next()`` until nil first.
    public mutating func finish() -> [Event] {
        finishing = true
        var out: [Event] = []
        while let event = next() { out.append(event) }
        finishing = false
        reset()
        return out
    }

    /// Drops everything buffered (the runner calls it at a request boundary) and returns it.
    @discardableResult
    public mutating func reset() -> [UInt8] {
        if sharedFlagAtHead { head += 1 }
        let dropped = Array(buffer[head...])
        base += buffer.count
        buffer.removeAll(keepingCapacity: true)
        head = 0
        garbageCount = 0
        sharedFlagAtHead = false
        return dropped
    }

    /// The event for a complete-by-length frame at `head`, or nil when a shared opening flag
    /// turns out not to open a frame (the caller then drops the flag silently).
    private mutating func frameEvent(length: Int, sharedOpening: Bool) -> Event? {
        let offset = base + head
        let bytes = Array(buffer[head..<(head + length)])
        let closingOK = bytes.last == HDLCFrame.flag
        let parsed: HDLCParsedFrame
        do throws(DLMSError) {
            parsed = try HDLCFrame.parseComplete(bytes[...])
        } catch {
            if closingOK, Self.frameCheckIsRight(bytes) {
                return wholeFrame(.error(error, discarded: bytes, offset: offset), length: length)
            }
            if sharedOpening { return nil }
            return .error(error, discarded: consume(1), offset: offset)
        }
        if let error = parsed.checkError {
            return wholeFrame(.error(error, discarded: bytes, offset: offset), length: length)
        }
        return wholeFrame(.frame(parsed.frame, bytes: bytes, offset: offset), length: length)
    }

    /// Consumes a whole frame but keeps its closing flag, which may open the next frame.
    private mutating func wholeFrame(_ event: Event, length: Int) -> Event {
        head += length - 1
        garbageCount = 0
        sharedFlagAtHead = true
        return event
    }

    private static func frameCheckIsRight(_ bytes: [UInt8]) -> Bool {
        guard bytes.count >= 5 else { return false }
        return HDLCFrameCheck.compute(bytes[1..<(bytes.count - 3)])
            == HDLCFrameCheck.value(low: bytes[bytes.count - 3], high: bytes[bytes.count - 2])
    }

    private mutating func dropSharedFlag() {
        head += 1
        sharedFlagAtHead = false
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
        base += head
        head = 0
    }
}
