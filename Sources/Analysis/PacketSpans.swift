/// Which packets carried which stream bytes of one direction, so a PDU at a stream range can name
/// its frame numbers. Holds only spans not yet consumed by a PDU (bounded by the dissector's buffer).
struct PacketSpans {
    private struct Span {
        var start: UInt64
        var end: UInt64
        var packets: [PacketRef]
    }

    private var spans: [Span] = []
    private var head = 0

    /// Records that `packets` carried the bytes `start..<end`.
    mutating func add(start: UInt64, end: UInt64, packets: [PacketRef]) {
        guard end > start else { return }
        spans.append(Span(start: start, end: end, packets: packets))
    }

    /// The packets carrying any byte of `start..<end` (in order, without repeats).
    func packets(from start: UInt64, to end: UInt64) -> [PacketRef] {
        var out: [PacketRef] = []
        var i = head
        while i < spans.count {
            let span = spans[i]
            if span.start >= end, end > start { break }
            if span.end > start && (span.start < end || end == start) {
                for packet in span.packets where out.last?.number != packet.number && !out.contains(packet) {
                    out.append(packet)
                }
            }
            i += 1
        }
        return out
    }

    /// Forgets spans wholly before `offset`.
    mutating func discard(before offset: UInt64) {
        while head < spans.count, spans[head].end <= offset { head += 1 }
        if head > 64, head * 2 > spans.count {
            spans.removeFirst(head)
            head = 0
        }
    }

    /// Forgets everything.
    mutating func removeAll() {
        spans.removeAll(keepingCapacity: true)
        head = 0
    }

    /// The last packet recorded, if any.
    var lastPacket: PacketRef? { spans.last?.packets.last }
}
