/// Cuts a TCP byte stream into wrapper PDUs (IEC 62056-47; fact sheet §3): feed bytes with
/// ``append(_:)`` in any chunks, then call ``next()`` until it returns nil.
///
/// TCP loses no bytes, so a header whose version is not `00 01` means the peer broke the
/// framing: the reader reports `.error(.badFraming)` for the first byte, drops it, and keeps
/// dropping one byte per error until a header with version 1 lines up (a best-effort resync
/// that reports every byte). Decisions depend only on the bytes, not on the chunking. Memory:
/// one PDU of at most 8 + 65535 bytes is held.
public struct WrapperReader: Sendable {
    /// What ``next()`` found.
    public enum Event: Equatable, Sendable {
        /// A PDU, its bytes (the frame's APDU is a slice of them) and its stream offset.
        case frame(WrapperFrame, bytes: [UInt8], offset: Int)
        /// A defect, the bytes dropped because of it, and the stream offset of the first.
        case error(DLMSError, discarded: [UInt8], offset: Int)
    }

    private var buffer: [UInt8] = []
    private var head = 0
    private var base = 0

    /// An empty reader.
    public init() {}

    /// Bytes received and not yet reported.
    public var bufferedCount: Int { buffer.count - head }

    /// Adds bytes received from the connection.
    public mutating func append(_ bytes: some Sequence<UInt8>) {
        if head > 0 {
            buffer.removeFirst(head)
            base += head
            head = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// The next event, or nil when more bytes are needed.
    public mutating func next() -> Event? {
        let pending = buffer[head...]
        let offset = base + head
        guard pending.count >= 2 else { return nil }
        let header: WrapperHeader
        do throws(DLMSError) {
            header = try WrapperHeader.decode(pending)
        } catch {
            if error.code == .truncated { return nil }
            return .error(error, discarded: consume(1), offset: offset)
        }
        let total = WrapperHeader.size + Int(header.length)
        guard pending.count >= total else { return nil }
        let bytes = consume(total)
        let frame = WrapperFrame(sourcePort: header.sourcePort, destinationPort: header.destinationPort,
                                 apdu: bytes[WrapperHeader.size...])
        return .frame(frame, bytes: bytes, offset: offset)
    }

    /// Ends the stream: a `.truncated` error for a partial PDU left over, else nil; empties the reader.
    public mutating func finish() -> Event? {
        guard head < buffer.count else { return nil }
        let rest = Array(buffer[head...])
        let offset = base + head
        base += buffer.count
        buffer.removeAll(keepingCapacity: true)
        head = 0
        let reason: String
        if rest.count >= WrapperHeader.size, let header = try? WrapperHeader.decode(rest[...]) {
            reason = "connection ended inside a PDU: \(WrapperHeader.size + Int(header.length)) bytes needed, \(rest.count) present"
        } else {
            reason = "connection ended inside a wrapper header: \(rest.count) byte(s) present"
        }
        return .error(DLMSError(.truncated, at: rest.count, reason), discarded: rest, offset: offset)
    }

    private mutating func consume(_ count: Int) -> [UInt8] {
        let taken = Array(buffer[head..<(head + count)])
        head += count
        return taken
    }
}
