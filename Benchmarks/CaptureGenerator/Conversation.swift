import DLMS

/// One TCP connection on port 4059, produced step by step: a poll (the head end associates, reads
/// a few attributes, a load profile in blocks, releases) or a push (the meter connects and sends
/// data-notifications). Each ``advance(meter:tally:)`` appends the packets of one step to the outbox.
final class Conversation {
    enum Phase {
        case open, associate, request(remaining: Int), release, push(remaining: Int), close, done
    }

    let meterIndex: Int
    let role: MeterRole
    let label: String
    private var outbox = Outbox()
    private var tcp: TCPConnection
    private var rng: SeededRandom
    private var phase = Phase.open
    private let rates: FaultRates
    /// Time of the last packet produced (µs since the epoch).
    private var now: UInt64
    private let rtt: UInt64
    private let clientPort: UInt16
    private var invokeID: UInt8 = 0
    private var pushNumber: UInt32 = 0
    private let rejected: Bool
    private let unanswered: Bool
    private let loadProfileAt: Int?
    private var requestIndex = 0
    /// Ciphered normal GET responses sent so far (a replay repeats the previous one's counter).
    private var cipheredResponses = 0

    init(number: Int, meter: Meter, start: UInt64, localPort: UInt16, seed: UInt64, rates: FaultRates) {
        var rng = SeededRandom.derived(seed: seed, stream: UInt64(number))
        meterIndex = meter.index
        role = meter.role
        self.rates = rates
        now = start
        rtt = meter.rtt
        let headEnd = TCPEndpoint(mac: HeadEnd.mac, ip: HeadEnd.ip, port: 4059, ttl: HeadEnd.ttl)
        var meterSide = meter.endpoint
        if role.isPolled {
            var client = headEnd
            client.port = localPort
            tcp = TCPConnection(initiator: client, responder: meterSide, headEnd: .initiator, mss: meter.mss, rng: &rng)
            clientPort = role == .polledCiphered ? DLMSTraffic.cipheringClient : DLMSTraffic.publicClient
            rejected = rng.chance(probability: rates.aareRejected)
            unanswered = !rejected && rng.chance(probability: rates.requestWithoutResponse)
            let requests = rng.int(2...8)
            loadProfileAt = rng.chance(probability: 0.3) ? rng.int(0...(requests - 1)) : nil
            phase = .open
            requestCount = requests
            label = "\(Self.dotted(HeadEnd.ip)):\(localPort) > \(Self.dotted(meterSide.ip)):4059"
        } else {
            meterSide.port = localPort
            tcp = TCPConnection(initiator: meterSide, responder: headEnd, headEnd: .responder, mss: meter.mss, rng: &rng)
            clientPort = DLMSTraffic.pushClient
            rejected = false
            unanswered = false
            loadProfileAt = nil
            requestCount = rng.int(1...4)
            label = "\(Self.dotted(meterSide.ip)):\(localPort) > \(Self.dotted(HeadEnd.ip)):4059"
        }
        self.rng = rng
    }

    private let requestCount: Int

    static func dotted(_ ip: UInt32) -> String {
        "\(ip >> 24).\(ip >> 16 & 0xFF).\(ip >> 8 & 0xFF).\(ip & 0xFF)"
    }

    private var headEndSide: TCPConnection.Side { tcp.headEnd }
    private var meterSide: TCPConnection.Side { TCPConnection.other(tcp.headEnd) }

    /// The time of the next packet waiting to be written.
    var nextTime: UInt64? { outbox.first?.time }

    /// The next packet waiting to be written.
    func popPacket() -> PendingPacket? { outbox.popFirst() }

    /// Produces the next step's packets; false once the connection is closed.
    func advance(meter: inout Meter, tally: inout Tally) -> Bool {
        switch phase {
        case .open:
            if now > tally.lastMicros { tally.lastMicros = now }
            tally.tcpConnections += 1
            tally.conversationsByRole[role, default: 0] += 1
            now = tcp.open(at: now, rtt: rtt, into: &outbox)
            phase = role.isPolled ? .associate : .push(remaining: requestCount)
        case .associate:
            associate(&meter, &tally)
            phase = rejected ? .close : .request(remaining: requestCount)
        case .request(let remaining):
            if remaining == 1, unanswered {
                unansweredRequest(&meter, &tally)
                phase = .close
            } else {
                request(&meter, &tally)
                phase = remaining > 1 ? .request(remaining: remaining - 1) : .release
            }
        case .release:
            clientSends(RLRQ(reason: .normal).encoded(), "rlrq", &tally)
            meterAnswers(RLRE(reason: .normal).encoded(), "rlre", &tally)
            phase = .close
        case .push(let remaining):
            push(&meter, &tally, coalesceTwo: remaining >= 2 && rng.chance(probability: 0.15))
            let left = remaining - (lastPushWasPair ? 2 : 1)
            phase = left > 0 ? .push(remaining: left) : .close
        case .close:
            // The initiator closes: the head end after a poll, the meter after its pushes.
            now = tcp.close(from: .initiator, at: now + UInt64(rng.int(1...20)) * 1000, rtt: rtt, into: &outbox)
            phase = .done
        case .done:
            return false
        }
        return true
    }

    // MARK: - Steps

    private func associate(_ meter: inout Meter, _ tally: inout Tally) {
        let ciphered = role == .polledCiphered
        var initiate = DLMSTraffic.initiateRequest()
        if ciphered { initiate = meter.protect(initiate, by: .client).bytes }
        let aarq = AARQ(applicationContextName: ciphered ? .logicalNameWithCiphering : .logicalNameNoCiphering,
                        callingAPTitle: ciphered ? meter.clientTitle.bytes : nil,
                        userInformation: UserInformation(initiate))
        clientSends(aarq.encoded(), "aarq", &tally)
        let aare: AARE
        if rejected {
            aare = AARE(applicationContextName: aarq.applicationContextName, result: .rejectedPermanent,
                        resultSourceDiagnostic: .applicationContextNameNotSupported)
        } else {
            var response = DLMSTraffic.initiateResponse(maxPDU: meter.maxPDU)
            if ciphered { response = meter.protect(response, by: .server).bytes }
            aare = AARE(applicationContextName: aarq.applicationContextName, result: .accepted,
                        resultSourceDiagnostic: .null, respondingAPTitle: ciphered ? meter.serverTitle.bytes : nil,
                        userInformation: UserInformation(response))
        }
        meterAnswers(aare.encoded(), "aare", &tally, plant: rejected ? .aareRejected : nil)
    }

    private func nextInvoke() -> InvokeIDAndPriority {
        invokeID = invokeID % 15 + 1
        return InvokeIDAndPriority(invokeID: invokeID)
    }

    private func request(_ meter: inout Meter, _ tally: inout Tally) {
        let ciphered = role == .polledCiphered
        defer { requestIndex += 1 }
        let object: PolledObject
        if requestIndex == loadProfileAt {
            object = .loadProfile
        } else if rng.chance(probability: rates.dataAccessError) {
            object = .undefined
        } else {
            object = rng.pick([.energy, .energy, .energyScalerUnit, .voltage, .clock, .logicalDeviceName])
        }
        let invoke = nextInvoke()
        sendRequest(DLMSTraffic.getRequest(invoke, object), ciphered: ciphered, &meter, &tally)
        let value = object.value(meter: meter, micros: now, rng: &rng)
        if object != .loadProfile, !ciphered, value != nil, rng.chance(probability: rates.exceptionResponse) {
            meterAnswers(DLMSTraffic.exceptionResponse(), "exception-response", &tally, plant: .exceptionResponse)
            return
        }
        guard let value else {
            sendResponse(DLMSTraffic.getResponse(invoke, .dataAccessResult(.objectUndefined)), ciphered: ciphered,
                         &meter, &tally, plant: .dataAccessError)
            return
        }
        let encoded = value.encoded()
        // Room for the block header (and the ciphering header and tag) in one server PDU.
        let blockSize = Int(meter.maxPDU) - (ciphered ? 40 : 20)
        if encoded.count <= blockSize {
            let plain = DLMSTraffic.getResponse(invoke, .data(value))
            if ciphered, object != .loadProfile {
                if rng.chance(probability: rates.cleartextInCipheredAssociation) {
                    meterAnswers(plain, "get-response", &tally, plant: .cleartextInCipheredAssociation)
                    return
                }
                if cipheredResponses > 0, rng.chance(probability: rates.invocationCounterReplay) {
                    let (bytes, _) = meter.protect(plain, by: .server, counter: meter.serverIC &- 1)
                    meterAnswers(bytes, "glo-get-response", &tally, plant: .invocationCounterReplay)
                    return
                }
                cipheredResponses += 1
            }
            sendResponse(plain, ciphered: ciphered, &meter, &tally)
            return
        }
        // Block transfer: the meter sends block n, the head end asks for block n + 1.
        var block: UInt32 = 1
        var offset = 0
        while offset < encoded.count {
            let end = min(offset + blockSize, encoded.count)
            let last = end == encoded.count
            sendResponse(DLMSTraffic.getResponseBlock(invoke, block: block, last: last, raw: Array(encoded[offset..<end])),
                         ciphered: ciphered, &meter, &tally)
            if !last {
                sendRequest(DLMSTraffic.getRequestNext(invoke, block: block), ciphered: ciphered, &meter, &tally)
            }
            offset = end
            block += 1
        }
        if ciphered { cipheredResponses += 1 }
    }

    private func unansweredRequest(_ meter: inout Meter, _ tally: inout Tally) {
        let ciphered = role == .polledCiphered
        sendRequest(DLMSTraffic.getRequest(nextInvoke(), .energy), ciphered: ciphered, &meter, &tally,
                    plant: .requestWithoutResponse)
        // The meter's TCP acknowledges it; no APDU follows. The head end gives up after its time-out.
        tcp.acknowledge(from: meterSide, at: now + rtt + 40_000, into: &outbox)
        now += UInt64(rng.int(5...10)) * 1_000_000
    }

    private func push(_ meter: inout Meter, _ tally: inout Tally, coalesceTwo: Bool) {
        lastPushWasPair = coalesceTwo
        var bytes: [UInt8] = []
        var plants: [PlantedFinding.Kind] = []
        for _ in 0..<(coalesceTwo ? 2 : 1) {
            pushNumber += 1
            let time = now + rtt / 2
            if role == .pushClear, rng.chance(probability: rates.malformedPDU) {
                bytes += DLMSTraffic.wrap(DLMSTraffic.malformedDataNotification(number: pushNumber, micros: time),
                                          source: DLMSTraffic.managementLogicalDevice, destination: clientPort)
                tally.count("data-notification (malformed)")
                plants.append(.malformedPDU)
                continue
            }
            var apdu = DLMSTraffic.dataNotification(number: pushNumber, meter: meter, micros: time, rng: &rng)
            var name = "data-notification"
            if role == .pushCiphered {
                apdu = meter.protect(apdu, by: .server, form: .general(.global, includesSystemTitle: true)).bytes
                name = "general-glo-ciphering"
                if rng.chance(probability: rates.gcmTagFailure) {
                    apdu[apdu.count - 1] ^= 0x5A
                    plants.append(.gcmTagFailure)
                }
            }
            tally.count(name)
            bytes += DLMSTraffic.wrap(apdu, source: DLMSTraffic.managementLogicalDevice, destination: clientPort)
        }
        now = tcp.send(bytes, from: meterSide, at: now + UInt64(rng.int(50...800)) * 1000, cuts: cuts(bytes.count),
                       into: &outbox)
        for plant in plants { outbox.attachPlant(plant) }
        // The head end's delayed ACK.
        now += 40_000
        tcp.acknowledge(from: headEndSide, at: now, into: &outbox)
    }

    private var lastPushWasPair = false

    // MARK: - Sending

    /// Random extra segment boundaries (8% of PDUs are cut once or twice, anywhere, header included).
    private func cuts(_ length: Int) -> [Int] {
        guard length > 2, rng.chance(probability: 0.08) else { return [] }
        let first = rng.int(1...(length - 1))
        guard rng.chance(probability: 0.3) else { return [first] }
        let second = rng.int(1...(length - 1))
        return Array(Set([first, second])).sorted()
    }

    private func sendRequest(_ plain: [UInt8], ciphered: Bool, _ meter: inout Meter, _ tally: inout Tally,
                             plant: PlantedFinding.Kind? = nil) {
        if ciphered {
            clientSends(meter.protect(plain, by: .client).bytes, "glo-get-request", &tally, plant: plant)
        } else {
            clientSends(plain, "get-request", &tally, plant: plant)
        }
    }

    private func sendResponse(_ plain: [UInt8], ciphered: Bool, _ meter: inout Meter, _ tally: inout Tally,
                              plant: PlantedFinding.Kind? = nil) {
        if ciphered {
            meterAnswers(meter.protect(plain, by: .server).bytes, "glo-get-response", &tally, plant: plant)
        } else {
            meterAnswers(plain, "get-response", &tally, plant: plant)
        }
    }

    /// The head end sends `apdu` after 1–20 ms of thought.
    private func clientSends(_ apdu: [UInt8], _ name: String, _ tally: inout Tally, plant: PlantedFinding.Kind? = nil) {
        let bytes = DLMSTraffic.wrap(apdu, source: clientPort, destination: DLMSTraffic.managementLogicalDevice)
        now = tcp.send(bytes, from: headEndSide, at: now + UInt64(rng.int(1...20)) * 1000, cuts: cuts(bytes.count),
                       into: &outbox)
        tally.count(name)
        if let plant { outbox.attachPlant(plant) }
    }

    /// The meter answers one round trip plus 3–90 ms of processing later; when that is over 40 ms
    /// its TCP acknowledges the request first.
    private func meterAnswers(_ apdu: [UInt8], _ name: String, _ tally: inout Tally, plant: PlantedFinding.Kind? = nil) {
        let bytes = DLMSTraffic.wrap(apdu, source: DLMSTraffic.managementLogicalDevice, destination: clientPort)
        let processing = UInt64(rng.int(3...90)) * 1000
        if processing > 40_000 { tcp.acknowledge(from: meterSide, at: now + rtt + 40_000, into: &outbox) }
        now = tcp.send(bytes, from: meterSide, at: now + rtt + processing, cuts: cuts(bytes.count), into: &outbox)
        tally.count(name)
        if let plant { outbox.attachPlant(plant) }
    }
}
