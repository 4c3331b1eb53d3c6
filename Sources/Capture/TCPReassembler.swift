/// Which way bytes flow within a TCP connection.
public enum TCPDirection: Int, Sendable, Hashable, CaseIterable {
    /// From the connection's client (the sender of the SYN, or of the first segment seen) to its server.
    case clientToServer = 0
    /// From the server back to the client.
    case serverToClient = 1
}

/// A TCP connection's 4-tuple, oriented client → server.
public struct TCPConnectionKey: Sendable, Hashable, CustomStringConvertible {
    /// The end that sent the SYN (or, without a SYN, the first segment seen).
    public var client: CaptureEndpoint
    /// The other end.
    public var server: CaptureEndpoint

    /// A key from its two ends.
    public init(client: CaptureEndpoint, server: CaptureEndpoint) {
        self.client = client
        self.server = server
    }

    public var description: String { "\(client.address):\(client.port) → \(server.address):\(server.port)" }
}

/// Why a connection ended.
public enum TCPCloseReason: Sendable, Hashable {
    /// Both directions sent FIN and all bytes before each FIN were accounted for.
    case fin
    /// A RST arrived.
    case reset
    /// Evicted to stay within ``TCPReassembler/Limits/maxConnections``.
    case evicted
    /// ``TCPReassembler/finish()`` was called (end of capture) while the connection was open.
    case endOfCapture
}

/// One event of the reassembled stream of a connection.
public struct TCPStreamEvent: Sendable, Hashable {
    /// What happened.
    public enum Kind: Sendable, Hashable {
        /// The connection was first seen (always the first event of a connection).
        case opened
        /// In-order bytes of one direction starting at `streamOffset` (0 = first byte after the SYN,
        /// or the first byte of the first segment seen), with the packets that supplied them.
        case data(TCPDirection, [UInt8], streamOffset: UInt64, packetNumbers: [Int])
        /// Bytes that never arrived: the stream continues after them. Reported when buffered
        /// out-of-order data exceeds the limit or when the connection closes with a hole.
        case gap(TCPDirection, byteCount: UInt64, atStreamOffset: UInt64)
        /// A segment carried bytes for an already seen range that differ from the bytes seen first
        /// (which win): the compared range and the offending packet.
        case overlapConflict(TCPDirection, streamOffset: UInt64, byteCount: Int, packetNumber: Int)
        /// The connection ended; no further events follow for it.
        case closed(reason: TCPCloseReason)
    }

    /// The connection's 4-tuple.
    public var connection: TCPConnectionKey
    /// 1 for the first connection the reassembler opened, 2 for the next…; tells apart reuses of a 4-tuple.
    public var connectionNumber: Int
    /// What happened.
    public var kind: Kind

    /// An event.
    public init(connection: TCPConnectionKey, connectionNumber: Int, kind: Kind) {
        self.connection = connection
        self.connectionNumber = connectionNumber
        self.kind = kind
    }
}

/// Per-connection, per-direction TCP stream reassembly keyed by the 4-tuple.
///
/// Feed decoded segments in capture order with ``process(_:source:destination:packetNumber:)``; it
/// returns the events they cause, in order. Sequence numbers are compared modulo 2^32 (RFC 9293
/// §3.4) relative to the next expected byte, so streams may cross the wrap-around; stream offsets are
/// 64-bit and do not wrap. Out-of-order segments are buffered until the hole before them fills;
/// retransmitted bytes are compared with the bytes seen first (which win) and dropped, a difference
/// being reported as ``TCPStreamEvent/Kind/overlapConflict(_:streamOffset:byteCount:packetNumber:)``.
/// Nothing is guessed: a hole that cannot be filled becomes a ``TCPStreamEvent/Kind/gap(_:byteCount:atStreamOffset:)``.
///
/// Memory is bounded: per connection by ``Limits/maxBufferedBytesPerConnection`` (out-of-order data)
/// and ``Limits/maxBufferedSegmentsPerConnection`` (the pieces that data is held in, so that a flood
/// of 1-byte segments around holes costs neither memory per piece nor quadratic time), plus at most
/// twice ``Limits/retainedBytesPerDirection`` per direction (delivered bytes kept to check
/// retransmissions), and by ``Limits/maxConnections`` (the least recently active connection is
/// evicted, found in amortised constant time). Segments for an unknown 4-tuple open a connection only if they carry a SYN or data;
/// bytes before a direction's base (first byte after its SYN, else the first data segment seen) are dropped.
public struct TCPReassembler: Sendable {
    /// Memory bounds.
    public struct Limits: Sendable, Hashable {
        /// Out-of-order bytes a connection may hold (both directions); beyond it the earliest hole becomes a gap.
        public var maxBufferedBytesPerConnection: Int
        /// Open connections; opening one more evicts the least recently active.
        public var maxConnections: Int
        /// Delivered bytes kept per direction to compare retransmissions with.
        public var retainedBytesPerDirection: Int
        /// Out-of-order pieces (disjoint buffered runs) a connection may hold; beyond it the earliest
        /// hole becomes a gap. 4 096 full-sized segments are more than the byte limit holds anyway.
        public var maxBufferedSegmentsPerConnection: Int

        /// Limits; the defaults suit captures of meter sessions.
        public init(maxBufferedBytesPerConnection: Int = 1 << 20, maxConnections: Int = 4_096,
                    retainedBytesPerDirection: Int = 64 << 10, maxBufferedSegmentsPerConnection: Int = 4_096) {
            self.maxBufferedBytesPerConnection = max(0, maxBufferedBytesPerConnection)
            self.maxBufferedSegmentsPerConnection = max(1, maxBufferedSegmentsPerConnection)
            self.maxConnections = max(1, maxConnections)
            self.retainedBytesPerDirection = max(0, retainedBytesPerDirection)
        }
    }

    /// Bytes of one segment (or part of one) waiting for the hole before them.
    struct Chunk: Sendable {
        var offset: UInt64
        var bytes: [UInt8]
        var packetNumber: Int
        var end: UInt64 { offset + UInt64(bytes.count) }
    }

    /// One direction of a connection.
    struct Flow: Sendable {
        /// Sequence number of stream offset 0, once known.
        var base: UInt32?
        /// Offset of the next byte to deliver.
        var nextOffset: UInt64 = 0
        /// Out-of-order chunks, sorted, non-overlapping, all at or after `nextOffset`.
        var pending: [Chunk] = []
        var pendingBytes = 0
        /// The last delivered bytes, ending at `nextOffset` (emptied at a gap).
        var history: [UInt8] = []
        /// Offset of the FIN, once seen.
        var finOffset: UInt64?

        var isFinished: Bool { finOffset.map { nextOffset >= $0 } ?? false }

        /// The stream offset of `sequence`, relative to the next expected byte (±2^31); negative
        /// before the base; nil without a base.
        func offset(of sequence: UInt32) -> Int64? {
            guard let base else { return nil }
            let expected = base &+ UInt32(truncatingIfNeeded: nextOffset)
            let delta = Int64(Int32(bitPattern: sequence &- expected))
            return Int64(clamping: nextOffset) + delta
        }
    }

    struct Connection: Sendable {
        var key: TCPConnectionKey
        var number: Int
        var lastActivity: UInt64
        var flows = [Flow(), Flow()]
    }

    /// The bounds in force.
    public let limits: Limits
    private var connections: [TCPConnectionKey: Connection] = [:]
    private var openedCount = 0
    private var tick: UInt64 = 0
    /// (activity tick, connection) in tick order; an entry is stale once its connection has moved
    /// on (or gone). The oldest live entry is the least recently active connection.
    private var recency: [(tick: UInt64, key: TCPConnectionKey)] = []
    private var recencyHead = 0
    private var pendingBytesTotal = 0
    private var pendingSegmentsTotal = 0

    /// A reassembler with `limits`.
    public init(limits: Limits = Limits()) { self.limits = limits }

    /// Connections currently open.
    public var openConnectionCount: Int { connections.count }

    /// Out-of-order bytes buffered over all open connections.
    public var bufferedByteCount: Int { pendingBytesTotal }

    /// Out-of-order pieces buffered over all open connections.
    public var bufferedSegmentCount: Int { pendingSegmentsTotal }

    /// Takes one TCP segment sent from `source` to `destination`, captured as packet `packetNumber`,
    /// and returns the events it causes, in order.
    public mutating func process(_ segment: TCPSegment, source: CaptureEndpoint, destination: CaptureEndpoint,
                                 packetNumber: Int) -> [TCPStreamEvent] {
        var events: [TCPStreamEvent] = []
        let flags = segment.flags
        let forward = TCPConnectionKey(client: source, server: destination)
        let backward = TCPConnectionKey(client: destination, server: source)
        var key: TCPConnectionKey
        var direction: TCPDirection
        if connections[forward] != nil {
            (key, direction) = (forward, .clientToServer)
        } else if connections[backward] != nil {
            (key, direction) = (backward, .serverToClient)
        } else {
            guard !flags.contains(.rst), flags.contains(.syn) || !segment.payload.isEmpty else { return [] }
            let fromServer = flags.contains(.syn) && flags.contains(.ack)
            (key, direction) = fromServer ? (backward, .serverToClient) : (forward, .clientToServer)
            if connections.count >= limits.maxConnections, let oldest = popLeastRecentlyActive() {
                pendingBytesTotal -= oldest.flows[0].pendingBytes + oldest.flows[1].pendingBytes
                pendingSegmentsTotal -= oldest.flows[0].pending.count + oldest.flows[1].pending.count
                close(oldest, reason: .evicted, into: &events)
            }
            openedCount += 1
            connections[key] = Connection(key: key, number: openedCount, lastActivity: tick)
            events.append(TCPStreamEvent(connection: key, connectionNumber: openedCount, kind: .opened))
        }
        guard var connection = connections.removeValue(forKey: key) else { return events }
        tick &+= 1
        connection.lastActivity = tick
        let bytesBefore = connection.flows[0].pendingBytes + connection.flows[1].pendingBytes
        let segmentsBefore = connection.flows[0].pending.count + connection.flows[1].pending.count
        let d = direction.rawValue
        let number = connection.number
        func emit(_ kind: TCPStreamEvent.Kind) {
            events.append(TCPStreamEvent(connection: key, connectionNumber: number, kind: kind))
        }

        let isSYN = flags.contains(.syn)
        let dataSequence = isSYN ? segment.sequenceNumber &+ 1 : segment.sequenceNumber
        if connection.flows[d].base == nil, isSYN || !segment.payload.isEmpty {
            connection.flows[d].base = dataSequence
        }
        if let offset = connection.flows[d].offset(of: dataSequence) {
            if !segment.payload.isEmpty {
                Self.insert(segment.payload, at: offset, packetNumber: packetNumber, into: &connection.flows[d],
                            direction: direction, retain: limits.retainedBytesPerDirection, emit: emit)
                Self.deliver(&connection.flows[d], direction: direction, retain: limits.retainedBytesPerDirection,
                             emit: emit)
            }
            let finOffset = offset + Int64(segment.payload.count)
            if flags.contains(.fin), connection.flows[d].finOffset == nil, finOffset >= 0 {
                connection.flows[d].finOffset = UInt64(finOffset)
            }
        }
        // Stay within the buffer limits: skip the earliest hole of the fuller direction.
        while true {
            let (a, b) = (connection.flows[0], connection.flows[1])
            let fuller: Int
            if a.pendingBytes + b.pendingBytes > limits.maxBufferedBytesPerConnection {
                fuller = a.pendingBytes >= b.pendingBytes ? 0 : 1
            } else if a.pending.count + b.pending.count > limits.maxBufferedSegmentsPerConnection {
                fuller = a.pending.count >= b.pending.count ? 0 : 1
            } else {
                break
            }
            Self.skipHole(&connection.flows[fuller], direction: TCPDirection(rawValue: fuller) ?? .clientToServer,
                          retain: limits.retainedBytesPerDirection, emit: emit)
        }
        if flags.contains(.rst) {
            close(connection, reason: .reset, into: &events)
            pendingBytesTotal -= bytesBefore
            pendingSegmentsTotal -= segmentsBefore
        } else if connection.flows[0].isFinished, connection.flows[1].isFinished {
            close(connection, reason: .fin, into: &events)
            pendingBytesTotal -= bytesBefore
            pendingSegmentsTotal -= segmentsBefore
        } else {
            pendingBytesTotal += connection.flows[0].pendingBytes + connection.flows[1].pendingBytes - bytesBefore
            pendingSegmentsTotal += connection.flows[0].pending.count + connection.flows[1].pending.count - segmentsBefore
            connections[key] = connection
            noteActivity(key, tick: tick)
        }
        return events
    }

    /// Records that `key` was active at `tick`; compacts the queue when stale entries dominate.
    private mutating func noteActivity(_ key: TCPConnectionKey, tick: UInt64) {
        recency.append((tick, key))
        let live = recency.count - recencyHead
        if live > 4 * connections.count + 1_024 {
            recency = recency[recencyHead...].filter { connections[$0.key]?.lastActivity == $0.tick }
            recencyHead = 0
        }
    }

    /// Removes and returns the least recently active connection.
    private mutating func popLeastRecentlyActive() -> Connection? {
        while recencyHead < recency.count {
            let entry = recency[recencyHead]
            recencyHead += 1
            if recencyHead > 4_096, recencyHead * 2 > recency.count {
                recency.removeFirst(recencyHead)
                recencyHead = 0
            }
            if let connection = connections[entry.key], connection.lastActivity == entry.tick {
                connections[entry.key] = nil
                return connection
            }
        }
        return nil
    }

    /// Closes every open connection (oldest first), reporting remaining holes as gaps and flushing
    /// buffered data, each ending with `.closed(reason: .endOfCapture)`.
    public mutating func finish() -> [TCPStreamEvent] {
        var events: [TCPStreamEvent] = []
        for connection in connections.values.sorted(by: { $0.number < $1.number }) {
            close(connection, reason: .endOfCapture, into: &events)
        }
        connections = [:]
        recency = []
        recencyHead = 0
        pendingBytesTotal = 0
        pendingSegmentsTotal = 0
        return events
    }

    /// Flushes both directions of `connection` (gaps for holes, buffered data, a gap up to an
    /// unreached FIN) and appends `.closed`.
    private func close(_ connection: Connection, reason: TCPCloseReason, into events: inout [TCPStreamEvent]) {
        func emit(_ kind: TCPStreamEvent.Kind) {
            events.append(TCPStreamEvent(connection: connection.key, connectionNumber: connection.number, kind: kind))
        }
        for direction in TCPDirection.allCases {
            var flow = connection.flows[direction.rawValue]
            while !flow.pending.isEmpty {
                Self.skipHole(&flow, direction: direction, retain: 0, emit: emit)
            }
            if let fin = flow.finOffset, fin > flow.nextOffset {
                emit(.gap(direction, byteCount: fin - flow.nextOffset, atStreamOffset: flow.nextOffset))
            }
        }
        emit(.closed(reason: reason))
    }

    /// Reports the hole before the first buffered chunk as a gap, then delivers what follows it.
    private static func skipHole(_ flow: inout Flow, direction: TCPDirection, retain: Int,
                                 emit: (TCPStreamEvent.Kind) -> Void) {
        guard let first = flow.pending.first else { return }
        if first.offset > flow.nextOffset {
            emit(.gap(direction, byteCount: first.offset - flow.nextOffset, atStreamOffset: flow.nextOffset))
            flow.nextOffset = first.offset
            flow.history = []
        }
        deliver(&flow, direction: direction, retain: retain, emit: emit)
    }

    /// Delivers the buffered chunks that continue the stream, as one `.data` event.
    private static func deliver(_ flow: inout Flow, direction: TCPDirection, retain: Int,
                                emit: (TCPStreamEvent.Kind) -> Void) {
        let start = flow.nextOffset
        var bytes: [UInt8] = []
        var packets: [Int] = []
        var taken = 0
        while taken < flow.pending.count, flow.pending[taken].offset == flow.nextOffset {
            let chunk = flow.pending[taken]
            bytes += chunk.bytes
            if !packets.contains(chunk.packetNumber) { packets.append(chunk.packetNumber) }
            flow.nextOffset = chunk.end
            flow.pendingBytes -= chunk.bytes.count
            taken += 1
        }
        guard taken > 0 else { return }
        flow.pending.removeFirst(taken)
        if retain > 0 {
            flow.history += bytes
            if flow.history.count > 2 * retain { flow.history.removeFirst(flow.history.count - retain) }
        }
        emit(.data(direction, bytes, streamOffset: start, packetNumbers: packets))
    }

    /// Adds `payload` (starting at stream `offset`) to `flow`: bytes already delivered or buffered are
    /// compared with those seen first and dropped; the rest is buffered in order.
    private static func insert(_ payload: ArraySlice<UInt8>, at offset: Int64, packetNumber: Int, into flow: inout Flow,
                               direction: TCPDirection, retain: Int, emit: (TCPStreamEvent.Kind) -> Void) {
        var data = payload
        var start = offset
        if start < 0 {  // Before the base: not part of the stream as seen.
            data = data.dropFirst(Int(clamping: -start))
            start = 0
        }
        guard !data.isEmpty else { return }
        var cursor = UInt64(start)
        let end = cursor + UInt64(data.count)
        func bytes(_ from: UInt64, _ to: UInt64) -> ArraySlice<UInt8> {
            let lower = data.startIndex + Int(from - UInt64(start))
            return data[lower..<(lower + Int(to - from))]
        }
        // Already delivered: compare with the retained history.
        if cursor < flow.nextOffset {
            let overlapEnd = min(end, flow.nextOffset)
            let historyStart = flow.nextOffset - UInt64(flow.history.count)
            let from = max(cursor, historyStart)
            if from < overlapEnd {
                let h = Int(from - historyStart)
                let seen = flow.history[h..<(h + Int(overlapEnd - from))]
                if !seen.elementsEqual(bytes(from, overlapEnd)) {
                    emit(.overlapConflict(direction, streamOffset: from, byteCount: Int(overlapEnd - from),
                                          packetNumber: packetNumber))
                }
            }
            cursor = overlapEnd
        }
        guard cursor < end else { return }
        // Buffered: first chunk whose end is past the cursor (ends are sorted).
        var low = 0
        var high = flow.pending.count
        while low < high {
            let mid = (low + high) / 2
            if flow.pending[mid].end <= cursor { low = mid + 1 } else { high = mid }
        }
        var pieces: [Chunk] = []
        var index = low
        while cursor < end, index < flow.pending.count, flow.pending[index].offset < end {
            let chunk = flow.pending[index]
            if chunk.offset > cursor {
                pieces.append(Chunk(offset: cursor, bytes: Array(bytes(cursor, chunk.offset)), packetNumber: packetNumber))
            }
            let from = max(cursor, chunk.offset)
            let to = min(end, chunk.end)
            let c = Int(from - chunk.offset)
            if !chunk.bytes[c..<(c + Int(to - from))].elementsEqual(bytes(from, to)) {
                emit(.overlapConflict(direction, streamOffset: from, byteCount: Int(to - from), packetNumber: packetNumber))
            }
            cursor = to
            index += 1
        }
        if cursor < end {
            pieces.append(Chunk(offset: cursor, bytes: Array(bytes(cursor, end)), packetNumber: packetNumber))
        }
        guard !pieces.isEmpty else { return }
        if pieces.count == 1 {
            // One piece (the common case, and a flood of tiny segments): insert it in place.
            let piece = pieces[0]
            var position = low
            while position < flow.pending.count, flow.pending[position].offset < piece.offset { position += 1 }
            flow.pending.insert(piece, at: position)
            flow.pendingBytes += piece.bytes.count
            return
        }
        // Pieces lie in the holes between pending[low-…] and the chunks walked; merge them in sorted.
        var merged: [Chunk] = []
        merged.reserveCapacity(flow.pending.count + pieces.count)
        merged += flow.pending[..<low]
        var p = 0
        for chunk in flow.pending[low...] {
            while p < pieces.count, pieces[p].offset < chunk.offset {
                merged.append(pieces[p])
                p += 1
            }
            merged.append(chunk)
        }
        merged += pieces[p...]
        for piece in pieces { flow.pendingBytes += piece.bytes.count }
        flow.pending = merged
    }
}
