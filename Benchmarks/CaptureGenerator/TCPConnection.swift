/// A packet a conversation has produced but not yet written, and the planted findings whose PDU it
/// completes (the sidecar names them by frame number).
struct PendingPacket {
    var time: UInt64
    var frame: [UInt8]
    var plants: [PlantedFinding.Kind] = []
}

/// Packets in time order for one conversation; consumed from the front.
struct Outbox {
    private var items: [PendingPacket] = []
    private var head = 0

    var isEmpty: Bool { head == items.count }
    var first: PendingPacket? { head < items.count ? items[head] : nil }

    mutating func append(_ packet: PendingPacket) { items.append(packet) }

    mutating func attachPlant(_ kind: PlantedFinding.Kind) { items[items.count - 1].plants.append(kind) }

    mutating func popFirst() -> PendingPacket? {
        guard head < items.count else { return nil }
        let packet = items[head]
        head += 1
        if head == items.count {
            items.removeAll(keepingCapacity: true)
            head = 0
        }
        return packet
    }
}

/// Sequence numbers, IP ids and segmentation of one TCP connection, as captured next to the head
/// end: the head end's packets are stamped when they leave, the meter's when they arrive.
struct TCPConnection {
    enum Side { case initiator, responder }

    let initiator: TCPEndpoint
    let responder: TCPEndpoint
    /// Which side is the head end (the initiator of a poll, the responder to a push).
    let headEnd: Side
    /// Maximum segment size both sides announce.
    let mss: Int
    private var initiatorNext: UInt32
    private var responderNext: UInt32
    private var initiatorIPID: UInt16
    private var responderIPID: UInt16

    init(initiator: TCPEndpoint, responder: TCPEndpoint, headEnd: Side, mss: Int, rng: inout SeededRandom) {
        self.initiator = initiator
        self.responder = responder
        self.headEnd = headEnd
        self.mss = mss
        initiatorNext = UInt32(truncatingIfNeeded: rng.next())
        responderNext = UInt32(truncatingIfNeeded: rng.next())
        initiatorIPID = UInt16(truncatingIfNeeded: rng.next())
        responderIPID = UInt16(truncatingIfNeeded: rng.next())
    }

    static func other(_ side: Side) -> Side { side == .initiator ? .responder : .initiator }

    /// Gap between back-to-back segments of one write (µs): the head end's LAN, the meter's slow link.
    func segmentGap(_ side: Side) -> UInt64 { side == headEnd ? 15 : 180 }

    private func window(_ side: Side) -> UInt16 { side == headEnd ? 64_240 : 8_192 }

    private mutating func packet(from side: Side, flags: TCPFlags, options: [UInt8] = [],
                                 payload: ArraySlice<UInt8> = [], at time: UInt64) -> PendingPacket {
        let consumed = UInt32(payload.count) + (flags.contains(.syn) || flags.contains(.fin) ? 1 : 0)
        let frame: [UInt8]
        if side == .initiator {
            frame = EthernetTCP.frame(from: initiator, to: responder, ipID: initiatorIPID, sequence: initiatorNext,
                                      acknowledgement: responderNext, flags: flags, window: window(side),
                                      options: options, payload: payload)
            initiatorIPID &+= 1
            initiatorNext &+= consumed
        } else {
            frame = EthernetTCP.frame(from: responder, to: initiator, ipID: responderIPID, sequence: responderNext,
                                      acknowledgement: initiatorNext, flags: flags, window: window(side),
                                      options: options, payload: payload)
            responderIPID &+= 1
            responderNext &+= consumed
        }
        return PendingPacket(time: time, frame: frame)
    }

    private var synOptions: [UInt8] {
        [2, 4, UInt8(mss >> 8), UInt8(truncatingIfNeeded: mss), 1, 1, 4, 2]  // MSS, NOP, NOP, SACK permitted
    }

    /// The delay seen here between a packet from `side` and the peer's answer to it: a round trip
    /// when the head end sent it, the head end's reaction time otherwise.
    func answerDelay(after side: Side, rtt: UInt64, reaction: UInt64) -> UInt64 {
        side == headEnd ? rtt : reaction
    }

    /// SYN, SYN-ACK, ACK; returns the time of the ACK.
    mutating func open(at time: UInt64, rtt: UInt64, into out: inout Outbox) -> UInt64 {
        out.append(packet(from: .initiator, flags: [.syn], options: synOptions, at: time))
        let synAckTime = time + answerDelay(after: .initiator, rtt: rtt, reaction: 40)
        out.append(packet(from: .responder, flags: [.syn, .ack], options: synOptions, at: synAckTime))
        let ackTime = synAckTime + answerDelay(after: .responder, rtt: rtt, reaction: 45)
        out.append(packet(from: .initiator, flags: [.ack], at: ackTime))
        return ackTime
    }

    /// Sends `bytes` from `side` starting at `time`: segments of at most `mss` bytes, also cut at
    /// `cuts` (offsets into `bytes`, ascending); PSH on the last. Returns the last segment's time.
    /// When the head end receives, it acknowledges every second segment before the last (delayed
    /// ACK); its next request acknowledges the rest.
    mutating func send(_ bytes: [UInt8], from side: Side, at time: UInt64, cuts: [Int] = [],
                       into out: inout Outbox) -> UInt64 {
        var start = 0
        var t = time
        var cutIndex = 0
        var segments = 0
        while start < bytes.count {
            var end = min(start + mss, bytes.count)
            while cutIndex < cuts.count, cuts[cutIndex] <= start { cutIndex += 1 }
            if cutIndex < cuts.count, cuts[cutIndex] < end { end = cuts[cutIndex] }
            if start > 0 { t += segmentGap(side) }
            let flags: TCPFlags = end == bytes.count ? [.psh, .ack] : [.ack]
            out.append(packet(from: side, flags: flags, payload: bytes[start..<end], at: t))
            segments += 1
            start = end
            if side != headEnd, segments % 2 == 0, start < bytes.count {
                acknowledge(from: headEnd, at: t + 30, into: &out)
            }
        }
        return t
    }

    /// A pure ACK from `side`.
    mutating func acknowledge(from side: Side, at time: UInt64, into out: inout Outbox) {
        out.append(packet(from: side, flags: [.ack], at: time))
    }

    /// FIN-ACK from `side`, the peer's FIN-ACK, the last ACK. Returns the time of the last packet.
    mutating func close(from side: Side, at time: UInt64, rtt: UInt64, into out: inout Outbox) -> UInt64 {
        out.append(packet(from: side, flags: [.fin, .ack], at: time))
        let peerTime = time + answerDelay(after: side, rtt: rtt, reaction: 60)
        out.append(packet(from: Self.other(side), flags: [.fin, .ack], at: peerTime))
        let lastTime = peerTime + answerDelay(after: Self.other(side), rtt: rtt, reaction: 40)
        out.append(packet(from: side, flags: [.ack], at: lastTime))
        return lastTime
    }
}
