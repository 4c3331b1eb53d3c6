// IPv4 fragment reassembly (RFC 791 §3.2, RFC 815 hole filling) with bounded memory.

/// Reassembles IPv4 fragments keyed by (source, destination, identification, protocol).
///
/// Memory is bounded by ``Limits``: at most `maximumDatagrams` open datagrams and
/// `maximumBytes` buffered fragment bytes; the oldest open datagram (by first-fragment capture
/// time, then arrival) is evicted to make room. Open datagrams expire `timeout` after their first
/// fragment, measured in capture time. Overlaps are resolved deterministically: bytes already
/// received win ("first wins"), later fragments only fill holes; ``Datagram/overlapped`` records
/// that an overlap happened and ``Datagram/conflicting`` that overlapping bytes differed.
public struct IPv4Reassembler: Sendable {
    /// Bounds on buffered state.
    public struct Limits: Sendable, Hashable {
        /// Most datagrams open at once.
        public var maximumDatagrams: Int
        /// Most fragment payload bytes buffered across all open datagrams.
        public var maximumBytes: Int
        /// How long (capture time, nanoseconds) a datagram stays open after its first fragment.
        public var timeoutNanoseconds: Int64

        /// Limits; the defaults are 64 datagrams, 1 MiB and 30 s (the RFC 791 upper timer bound is 15 s…2 min).
        public init(maximumDatagrams: Int = 64, maximumBytes: Int = 1 << 20, timeoutNanoseconds: Int64 = 30_000_000_000) {
            self.maximumDatagrams = maximumDatagrams
            self.maximumBytes = maximumBytes
            self.timeoutNanoseconds = timeoutNanoseconds
        }
    }

    /// What identifies the fragments of one datagram.
    public struct Key: Sendable, Hashable {
        /// Source address.
        public var source: UInt32
        /// Destination address.
        public var destination: UInt32
        /// IP identification.
        public var identification: UInt16
        /// Protocol number.
        public var protocolNumber: UInt8
    }

    /// A complete datagram.
    public struct Datagram: Sendable, Hashable {
        /// Its key.
        public var key: Key
        /// The header of the first fragment (offset 0), or of the packet itself when unfragmented.
        public var header: IPv4Header
        /// The upper-layer payload: a slice of the packet when unfragmented, else the reassembled bytes.
        public var payload: ArraySlice<UInt8>
        /// How many fragments contributed (1 when unfragmented).
        public var fragmentCount: Int
        /// Whether fragments overlapped.
        public var overlapped: Bool
        /// Whether overlapping bytes disagreed (the first-received bytes were kept).
        public var conflicting: Bool
    }

    /// Why a datagram was given up.
    public enum DropReason: Sendable, Hashable {
        /// Its timer ran out.
        case timedOut
        /// Evicted to stay within ``Limits``.
        case evicted
        /// A fragment alone is larger than ``Limits/maximumBytes``.
        case tooLarge
        /// Fragments disagree about where the datagram ends, or data lies past its end.
        case inconsistentLength
    }

    /// The result of offering one packet.
    public enum Outcome: Sendable, Hashable {
        /// A complete datagram (the packet itself, or the last missing fragment arrived).
        case complete(Datagram)
        /// Buffered; more fragments are needed.
        case pending(Key)
        /// The packet's datagram was dropped.
        case dropped(Key, DropReason)
    }

    private struct Partial: Sendable {
        var firstSeen: Int64
        var serial: Int
        var buffer: [UInt8] = []
        var covered: [Range<Int>] = []  // sorted, disjoint, non-adjacent
        var totalLength: Int?
        var header: IPv4Header?
        var fragments = 0
        var overlapped = false
        var conflicting = false
    }

    /// The limits in force.
    public let limits: Limits
    private var open: [Key: Partial] = [:]
    private var serial = 0
    /// Bytes currently buffered.
    public private(set) var bufferedBytes = 0
    /// Datagrams dropped so far, by reason.
    public private(set) var drops: [DropReason: Int] = [:]

    /// A reassembler bounded by `limits`.
    public init(limits: Limits = Limits()) {
        self.limits = limits
    }

    /// Datagrams currently open.
    public var openCount: Int { open.count }

    /// Offers one decoded packet captured at `time`; `nil` for IPv6 (not reassembled here).
    public mutating func add(_ packet: IPPacket, at time: CaptureTime) -> Outcome? {
        guard case .v4(let header) = packet.header else { return nil }
        return add(header, payload: packet.payload, at: time)
    }

    /// Offers one IPv4 packet (its header and payload) captured at `time`.
    public mutating func add(_ header: IPv4Header, payload: ArraySlice<UInt8>, at time: CaptureTime) -> Outcome {
        let now = time.nanosecondsSince1970
        expire(at: time)
        let key = Key(source: header.source, destination: header.destination, identification: header.identification,
                      protocolNumber: header.protocolNumber)
        guard header.isFragment else {
            return .complete(Datagram(key: key, header: header, payload: payload, fragmentCount: 1,
                                      overlapped: false, conflicting: false))
        }
        let start = header.fragmentOffset
        let end = start + payload.count
        guard end <= 65_535 - header.headerLength else { return drop(key, .inconsistentLength) }
        guard end <= limits.maximumBytes else { return drop(key, .tooLarge) }

        if open[key] == nil {
            while open.count >= max(limits.maximumDatagrams, 1) { evictOldest() }
            serial += 1
            open[key] = Partial(firstSeen: now, serial: serial)
        }
        guard var partial = open.removeValue(forKey: key) else { return .pending(key) }
        // Consistency of the datagram's end.
        if !header.moreFragments {
            if let known = partial.totalLength, known != end { return dropTaken(partial, key, .inconsistentLength) }
            if let last = partial.covered.last, last.upperBound > end { return dropTaken(partial, key, .inconsistentLength) }
            partial.totalLength = end
        } else if let known = partial.totalLength, end > known {
            return dropTaken(partial, key, .inconsistentLength)
        }
        if start == 0 { partial.header = partial.header ?? header }
        partial.fragments += 1

        // Fill only the holes of [start, end): first-received bytes win.
        let growth = max(0, end - partial.buffer.count)
        while bufferedBytes + growth > limits.maximumBytes, !open.isEmpty { evictOldest() }
        if bufferedBytes + growth > limits.maximumBytes { return dropTaken(partial, key, .tooLarge) }
        if growth > 0 {
            partial.buffer.appendZeros(growth)
            bufferedBytes += growth
        }
        var cursor = start
        var merged: [Range<Int>] = []
        var newRange = start..<end
        for range in partial.covered {
            if range.upperBound < newRange.lowerBound || range.lowerBound > newRange.upperBound {
                merged.append(range)
                continue
            }
            // Overlapping or adjacent: copy the hole before it, compare the overlap.
            if range.lowerBound > cursor { copy(payload, start, cursor..<min(range.lowerBound, end), into: &partial.buffer) }
            let overlap = max(range.lowerBound, start)..<min(range.upperBound, end)
            if !overlap.isEmpty {
                partial.overlapped = true
                for index in overlap where partial.buffer[index] != payload[payload.startIndex + index - start] {
                    partial.conflicting = true
                    break
                }
            }
            cursor = max(cursor, range.upperBound)
            newRange = min(newRange.lowerBound, range.lowerBound)..<max(newRange.upperBound, range.upperBound)
        }
        if cursor < end { copy(payload, start, cursor..<end, into: &partial.buffer) }
        if !newRange.isEmpty { merged.append(newRange) }
        merged.sort { $0.lowerBound < $1.lowerBound }
        partial.covered = merged

        if let total = partial.totalLength, let header = partial.header, partial.covered == [0..<total] {
            bufferedBytes -= partial.buffer.count
            var complete = header
            complete.moreFragments = false
            complete.fragmentOffset = 0
            complete.totalLength = header.headerLength + total
            return .complete(Datagram(key: key, header: complete, payload: partial.buffer[0..<total],
                                      fragmentCount: partial.fragments, overlapped: partial.overlapped,
                                      conflicting: partial.conflicting))
        }
        open[key] = partial
        return .pending(key)
    }

    /// Drops every open datagram whose timer has run out at `time`; returns their keys.
    @discardableResult
    public mutating func expire(at time: CaptureTime) -> [Key] {
        guard !open.isEmpty else { return [] }
        let now = time.nanosecondsSince1970
        let stale = open.filter { now.subtractingReportingOverflow($0.value.firstSeen).partialValue > limits.timeoutNanoseconds }
            .sorted { $0.value.serial < $1.value.serial }
        for (key, partial) in stale {
            open[key] = nil
            bufferedBytes -= partial.buffer.count
            drops[.timedOut, default: 0] += 1
        }
        return stale.map(\.key)
    }

    private func copy(_ payload: ArraySlice<UInt8>, _ start: Int, _ range: Range<Int>, into buffer: inout [UInt8]) {
        guard !range.isEmpty else { return }
        let from = payload.startIndex + range.lowerBound - start
        buffer.replaceSubrange(range, with: payload[from..<(from + range.count)])
    }

    private mutating func evictOldest() {
        guard let oldest = open.min(by: { ($0.value.firstSeen, $0.value.serial) < ($1.value.firstSeen, $1.value.serial) })
        else { return }
        open[oldest.key] = nil
        bufferedBytes -= oldest.value.buffer.count
        drops[.evicted, default: 0] += 1
    }

    private mutating func drop(_ key: Key, _ reason: DropReason) -> Outcome {
        if let partial = open.removeValue(forKey: key) { return dropTaken(partial, key, reason) }
        drops[reason, default: 0] += 1
        return .dropped(key, reason)
    }

    private mutating func dropTaken(_ partial: Partial, _ key: Key, _ reason: DropReason) -> Outcome {
        bufferedBytes -= partial.buffer.count
        drops[reason, default: 0] += 1
        return .dropped(key, reason)
    }
}

/// 64 KiB of zeros, copied in one piece to open the holes of a reassembly buffer.
private let zeroBytes = [UInt8](repeating: 0, count: 1 << 16)

extension Array where Element == UInt8 {
    /// Appends `count` zero bytes by copying from a shared block of zeros: one `memcpy` per 64 KiB
    /// instead of an element-by-element loop (which, unoptimised, made each far fragment of a flood
    /// cost milliseconds).
    mutating func appendZeros(_ count: Int) {
        var left = count
        while left > 0 {
            let step = Swift.min(left, zeroBytes.count)
            append(contentsOf: zeroBytes[0..<step])
            left -= step
        }
    }
}
