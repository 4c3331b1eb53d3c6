// IPv6 fragment reassembly (RFC 8200 §4.5, RFC 5722, RFC 6946) with bounded memory.

/// Reassembles IPv6 fragments keyed by (source, destination, Fragment Identification), as
/// RFC 8200 §4.5 keys them (the Next Header is not part of the key; the offset-0 fragment's wins).
///
/// Policy, with its sources:
/// - **Overlaps discard the datagram** (RFC 5722 §4, carried into RFC 8200 §4.5): when a fragment
///   overlaps one already received, the datagram and every fragment of it still to come are
///   silently discarded. The key stays open, holding no bytes, until its timer runs out, so that
///   late fragments are dropped too (``DropReason/overlapping``) instead of opening a new datagram.
///   This differs from ``IPv4Reassembler`` (first-received bytes win): RFC 791 has no such rule, and
///   IPv6 receivers do discard.
/// - **Exact duplicates are dropped, not treated as overlaps** (RFC 8200 §4.5 allows it): a
///   fragment with the same offset, length and bytes as one received adds nothing and is counted in
///   ``Datagram/duplicates``. Same range with other bytes is an overlap.
/// - **Atomic fragments** (offset 0, M clear; RFC 6946 §4, RFC 8200 §4.5) are complete on their own
///   and never touch a datagram in progress with the same identification.
/// - **Fragment-level errors** (RFC 8200 §4.5): a non-last fragment whose length is not a multiple
///   of 8, a fragment that would make the reassembled payload exceed 65 535 octets, and an empty
///   fragment are discarded (``Outcome/rejected(_:_:)``); the datagram stays open.
/// - **Timeout**: 60 s of capture time after the first-arriving fragment (RFC 8200 §4.5).
/// - **Bounds** (``Limits``): open datagrams, bytes per datagram and bytes in total; the oldest open
///   datagram (first fragment's capture time, then arrival) is evicted to make room.
public struct IPv6Reassembler: Sendable {
    /// Bounds on buffered state.
    public struct Limits: Sendable, Hashable {
        /// Most datagrams open at once (discarded ones waiting for their timer included).
        public var maximumDatagrams: Int
        /// Most bytes of one datagram's fragmentable part.
        public var maximumBytesPerDatagram: Int
        /// Most fragment bytes buffered across all open datagrams.
        public var maximumBytes: Int
        /// How long (capture time, nanoseconds) a datagram stays open after its first fragment.
        public var timeoutNanoseconds: Int64

        /// Limits; the defaults are 64 datagrams, 65 535 bytes each, 1 MiB in all and RFC 8200's 60 s.
        public init(maximumDatagrams: Int = 64, maximumBytesPerDatagram: Int = 65_535, maximumBytes: Int = 1 << 20,
                    timeoutNanoseconds: Int64 = 60_000_000_000) {
            self.maximumDatagrams = max(1, maximumDatagrams)
            self.maximumBytesPerDatagram = max(0, maximumBytesPerDatagram)
            self.maximumBytes = max(0, maximumBytes)
            self.timeoutNanoseconds = timeoutNanoseconds
        }
    }

    /// What identifies the fragments of one datagram (RFC 8200 §4.5).
    public struct Key: Sendable, Hashable {
        /// Source address.
        public var source: IPAddress
        /// Destination address.
        public var destination: IPAddress
        /// Fragment Identification.
        public var identification: UInt32
    }

    /// A complete datagram.
    public struct Datagram: Sendable, Hashable {
        /// Its key (identification 0 and no fragment header for an unfragmented packet).
        public var key: Key
        /// The packet as reassembled: the first fragment's header with the Fragment header's offset 0
        /// and M clear, the extension headers of the fragmentable part walked, and the upper-layer
        /// payload (a slice of the reassembled bytes; of the packet itself when it was not fragmented).
        public var packet: IPPacket
        /// How many fragments contributed (1 when unfragmented or atomic).
        public var fragmentCount: Int
        /// Exact duplicate fragments that were dropped.
        public var duplicates: Int
    }

    /// Why a datagram or a fragment was given up.
    public enum DropReason: Sendable, Hashable {
        /// Its timer ran out.
        case timedOut
        /// Evicted to stay within ``Limits``.
        case evicted
        /// The datagram would exceed ``Limits/maximumBytesPerDatagram`` or ``Limits/maximumBytes``.
        case tooLarge
        /// Fragments disagree about where the datagram ends, or data lies past its end.
        case inconsistentLength
        /// A fragment overlapped one already received (RFC 5722): the datagram is discarded.
        case overlapping
        /// A fragment with M set whose length is not a multiple of 8 (RFC 8200 §4.5).
        case lengthNotMultipleOf8
        /// Offset plus length would make the reassembled payload exceed 65 535 octets (RFC 8200 §4.5).
        case exceedsMaximumPayload
        /// A fragment carrying no data.
        case emptyFragment
        /// The reassembled fragmentable part's extension headers do not decode.
        case malformedHeaders
    }

    /// The result of offering one packet.
    public enum Outcome: Sendable, Hashable {
        /// A complete datagram (the packet itself, or the last missing fragment arrived).
        case complete(Datagram)
        /// Buffered (or an exact duplicate); more fragments are needed.
        case pending(Key)
        /// The datagram was given up (or had been: a late fragment of a discarded datagram).
        case dropped(Key, DropReason)
        /// This fragment was discarded; its datagram stays open.
        case rejected(Key, DropReason)
    }

    private struct Partial: Sendable {
        var firstSeen: Int64
        var serial: Int
        var buffer: [UInt8] = []
        /// The fragments received, sorted and disjoint (overlaps discard the datagram).
        var fragments: [Range<Int>] = []
        var totalLength: Int?
        /// The offset-0 fragment's packet (header and where its fragmentable part began).
        var first: IPPacket?
        var duplicates = 0
        /// Discarded for an overlap: holds no bytes, drops every further fragment until it times out.
        var discarded = false
        var covered = 0
    }

    /// The limits in force.
    public let limits: Limits
    private var open: [Key: Partial] = [:]
    private var serial = 0
    private var earliestFirstSeen = Int64.max
    /// Bytes currently buffered.
    public private(set) var bufferedBytes = 0
    /// Datagrams (and, for fragment-level reasons, fragments) dropped so far, by reason.
    public private(set) var drops: [DropReason: Int] = [:]

    /// A reassembler bounded by `limits`.
    public init(limits: Limits = Limits()) {
        self.limits = limits
    }

    /// Datagrams currently open (discarded ones waiting for their timer included).
    public var openCount: Int { open.count }

    /// Offers one decoded packet captured at `time`; `nil` for IPv4 (see ``IPv4Reassembler``).
    public mutating func add(_ packet: IPPacket, at time: CaptureTime) -> Outcome? {
        guard case .v6(let header) = packet.header else { return nil }
        expire(at: time)
        guard let fragment = header.fragment, fragment.moreFragments || fragment.offset != 0 else {
            // Unfragmented, or an atomic fragment (RFC 6946): complete in isolation.
            let key = Key(source: packet.source, destination: packet.destination,
                          identification: header.fragment?.identification ?? 0)
            return .complete(Datagram(key: key, packet: packet, fragmentCount: 1, duplicates: 0))
        }
        let key = Key(source: packet.source, destination: packet.destination, identification: fragment.identification)
        let data = packet.payload
        let start = fragment.offset
        let end = start + data.count
        // `payloadOffset` is the end of the Fragment header: the unfragmentable part lies before it.
        let unfragmentable = packet.payloadOffset - 8 - 40
        if data.isEmpty { return reject(key, .emptyFragment) }
        if fragment.moreFragments, data.count % 8 != 0 { return reject(key, .lengthNotMultipleOf8) }
        if unfragmentable + end > 65_535 { return reject(key, .exceedsMaximumPayload) }
        if open[key]?.discarded == true {
            drops[.overlapping, default: 0] += 1
            return .dropped(key, .overlapping)
        }
        guard end <= limits.maximumBytesPerDatagram, end <= limits.maximumBytes else { return drop(key, .tooLarge) }

        if open[key] == nil {
            while open.count >= limits.maximumDatagrams { evictOldest() }
            serial += 1
            open[key] = Partial(firstSeen: time.nanosecondsSince1970, serial: serial)
            earliestFirstSeen = min(earliestFirstSeen, time.nanosecondsSince1970)
        }
        guard var partial = open.removeValue(forKey: key) else { return .pending(key) }
        // Where the datagram ends.
        if !fragment.moreFragments {
            if let known = partial.totalLength, known != end { return discardTaken(partial, key, .inconsistentLength) }
            if let last = partial.fragments.last, last.upperBound > end {
                return discardTaken(partial, key, .inconsistentLength)
            }
            partial.totalLength = end
        } else if let known = partial.totalLength, end > known {
            return discardTaken(partial, key, .inconsistentLength)
        }
        // Overlaps and exact duplicates: the first fragment ending after `start`.
        var low = 0
        var high = partial.fragments.count
        while low < high {
            let mid = (low + high) / 2
            if partial.fragments[mid].upperBound <= start { low = mid + 1 } else { high = mid }
        }
        if low < partial.fragments.count, partial.fragments[low].lowerBound < end {
            let existing = partial.fragments[low]
            if existing == start..<end, partial.buffer[existing].elementsEqual(data) {
                partial.duplicates += 1
                open[key] = partial
                return .pending(key)
            }
            bufferedBytes -= partial.buffer.count
            partial.buffer = []
            partial.fragments = []
            partial.first = nil
            partial.discarded = true
            drops[.overlapping, default: 0] += 1
            open[key] = partial
            return .dropped(key, .overlapping)
        }
        // Room for the bytes.
        let growth = max(0, end - partial.buffer.count)
        while bufferedBytes + growth > limits.maximumBytes, !open.isEmpty { evictOldest() }
        if bufferedBytes + growth > limits.maximumBytes { return discardTaken(partial, key, .tooLarge) }
        if growth > 0 {
            partial.buffer.appendZeros(growth)
            bufferedBytes += growth
        }
        partial.buffer.replaceSubrange(start..<end, with: data)
        partial.fragments.insert(start..<end, at: low)
        partial.covered += end - start
        if start == 0 { partial.first = packet }

        if let total = partial.totalLength, let first = partial.first, partial.covered == total {
            bufferedBytes -= partial.buffer.count
            let count = partial.fragments.count
            let bytes = Array(partial.buffer[0..<total])
            guard let packet = try? Self.reassembled(first, fragmentable: bytes, unfragmentable: unfragmentableLength(first))
            else {
                drops[.malformedHeaders, default: 0] += 1
                return .dropped(key, .malformedHeaders)
            }
            return .complete(Datagram(key: key, packet: packet, fragmentCount: count, duplicates: partial.duplicates))
        }
        open[key] = partial
        return .pending(key)
    }

    /// Drops every open datagram whose timer has run out at `time`; returns their keys, oldest first.
    @discardableResult
    public mutating func expire(at time: CaptureTime) -> [Key] {
        let now = time.nanosecondsSince1970
        guard !open.isEmpty, now.subtractingReportingOverflow(earliestFirstSeen).partialValue > limits.timeoutNanoseconds
        else { return [] }
        let stale = open.filter { now.subtractingReportingOverflow($0.value.firstSeen).partialValue > limits.timeoutNanoseconds }
            .sorted { $0.value.serial < $1.value.serial }
        for (key, partial) in stale {
            open[key] = nil
            bufferedBytes -= partial.buffer.count
            drops[.timedOut, default: 0] += 1
        }
        earliestFirstSeen = open.values.map(\.firstSeen).min() ?? .max
        return stale.map(\.key)
    }

    private func unfragmentableLength(_ first: IPPacket) -> Int { first.payloadOffset - 8 - 40 }

    /// The offset-0 fragment's header with the fragmentable part's extension headers walked.
    private static func reassembled(_ first: IPPacket, fragmentable bytes: [UInt8],
                                    unfragmentable: Int) throws(PacketDecodeError) -> IPPacket {
        guard case .v6(var header) = first.header else { return first }
        header.fragment?.moreFragments = false
        header.fragment?.offset = 0
        header.payloadLength = unfragmentable + bytes.count
        let (protocolNumber, offset) = try IPPacket.walkExtensionHeaders(bytes[...], from: 0,
                                                                         nextHeader: first.protocolNumber, into: &header)
        return IPPacket(header: .v6(header), source: first.source, destination: first.destination,
                        protocolNumber: protocolNumber, payloadOffset: first.payloadOffset + offset,
                        payload: bytes[offset...])
    }

    private mutating func evictOldest() {
        guard let oldest = open.min(by: { ($0.value.firstSeen, $0.value.serial) < ($1.value.firstSeen, $1.value.serial) })
        else { return }
        open[oldest.key] = nil
        bufferedBytes -= oldest.value.buffer.count
        drops[.evicted, default: 0] += 1
    }

    private mutating func reject(_ key: Key, _ reason: DropReason) -> Outcome {
        drops[reason, default: 0] += 1
        return .rejected(key, reason)
    }

    private mutating func drop(_ key: Key, _ reason: DropReason) -> Outcome {
        if let partial = open.removeValue(forKey: key) { return discardTaken(partial, key, reason) }
        drops[reason, default: 0] += 1
        return .dropped(key, reason)
    }

    private mutating func discardTaken(_ partial: Partial, _ key: Key, _ reason: DropReason) -> Outcome {
        bufferedBytes -= partial.buffer.count
        drops[reason, default: 0] += 1
        return .dropped(key, reason)
    }
}

extension IPv4Reassembler.Datagram {
    /// The datagram as a decoded packet: the first fragment's header (offset 0, MF clear, total
    /// length of the whole) and the reassembled upper-layer payload.
    public var packet: IPPacket {
        IPPacket(header: .v4(header), source: .v4(key.source), destination: .v4(key.destination),
                 protocolNumber: header.protocolNumber, payloadOffset: header.headerLength, payload: payload)
    }
}

/// IPv4 and IPv6 reassembly behind one call: every decoded IP packet goes in, whole packets come out.
public struct IPReassembler: Sendable {
    /// What one packet led to.
    public enum Outcome: Sendable, Hashable {
        /// A whole packet (unfragmented, or the fragment that completed a datagram) and how many
        /// fragments made it.
        case complete(IPPacket, fragmentCount: Int)
        /// A fragment was buffered; nothing to deliver yet.
        case pending
        /// An IPv4 datagram was given up.
        case droppedV4(IPv4Reassembler.Key, IPv4Reassembler.DropReason)
        /// An IPv6 datagram or fragment was given up (``IPv6Reassembler/Outcome``).
        case droppedV6(IPv6Reassembler.Key, IPv6Reassembler.DropReason)
    }

    /// The IPv4 half.
    public var v4: IPv4Reassembler
    /// The IPv6 half.
    public var v6: IPv6Reassembler

    /// Reassemblers with the given limits.
    public init(v4 limits4: IPv4Reassembler.Limits = .init(), v6 limits6: IPv6Reassembler.Limits = .init()) {
        v4 = IPv4Reassembler(limits: limits4)
        v6 = IPv6Reassembler(limits: limits6)
    }

    /// Bytes buffered by both halves.
    public var bufferedBytes: Int { v4.bufferedBytes + v6.bufferedBytes }

    /// Offers one decoded packet captured at `time`.
    public mutating func add(_ packet: IPPacket, at time: CaptureTime) -> Outcome {
        switch packet.header {
        case .v4(let header):
            switch v4.add(header, payload: packet.payload, at: time) {
            case .complete(let datagram): return .complete(datagram.packet, fragmentCount: datagram.fragmentCount)
            case .pending: return .pending
            case .dropped(let key, let reason): return .droppedV4(key, reason)
            }
        case .v6:
            switch v6.add(packet, at: time) {
            case .complete(let datagram)?: return .complete(datagram.packet, fragmentCount: datagram.fragmentCount)
            case .pending?, nil: return .pending
            case .dropped(let key, let reason)?, .rejected(let key, let reason)?: return .droppedV6(key, reason)
            }
        }
    }
}
