import MeterBus

/// The M-Bus reference slave: a heat meter's link and application layer as a pure state machine
/// (EN 13757-2/-3; fact sheet §1.3–§1.10). Feed it the bytes the master sent; it returns its
/// replies, each with the delay before it starts. It does no I/O and reads no clock, so the same
/// requests always give byte-identical replies.
///
/// Behaviour:
/// - Answers at its primary address and at 254; acts on 255 but never answers there; answers at
///   253 only while selected.
/// - SND_NKE: E5; resets the FCB state and the read-out to its first telegram. At 253 it also deselects.
/// - REQ_UD2 with FCV=1: a toggled FCB (or the first request after a reset) brings the next telegram
///   with the access number plus one; an FCB that did not toggle repeats the last RSP_UD byte for byte.
///   FCV=0 means the FCB is not valid: each request brings the next telegram (as mbus4j's slave does).
/// - REQ_UD1: E5 (no class 1 data).
/// - SND_UD: CI 51 data send → E5; CI 50 application reset → E5 and the read-out restarts; CI B8–BF →
///   E5 at the old rate, then the slave uses the new rate; CI 52 at 253 → selection (F nibbles are
///   wildcards): a match selects and answers E5, anything else deselects silently; CI 56 at 253 with
///   a matching address deselects and answers E5 (jMBus). Other CIs are not acknowledged.
/// - Frames with a bad checksum or other defects are ignored (fact sheet §1.2).
public struct MBusSlave: Sendable {
    /// Who the slave is.
    public let identity: MBusSimulatorIdentity
    /// What it reads.
    public let readings: MBusHeatMeterReadings
    /// The faults switched on.
    public let faults: Set<MBusFault>
    /// The line speed the slave uses now (changed by CI B8–BF).
    public private(set) var baud: BaudRate
    /// True after a matching selection, until a deselection (fact sheet §1.8).
    public private(set) var isSelected = false
    /// Index of the telegram the next fresh RSP_UD carries (0 ..< `MBusHeatMeterReadings.telegramCount`).
    public private(set) var nextTelegram = 0
    /// The access number of the last fresh RSP_UD (0 before the first).
    public private(set) var accessNumber: UInt8 = 0

    /// FCB of the last REQ_UD2 with FCV=1; nil after a reset or selection (the next request is fresh).
    private var lastFCB: Bool?
    /// The last RSP_UD as sent, for a repeat.
    private var lastResponse: [UInt8]?
    private var reader = FrameReader()

    /// The slave's normal turnaround, from the end of a request to its answer: 20 ms, at least 22 bit times.
    public static let turnaround: Duration = .milliseconds(20)

    /// Bytes the `garbage-before-start` fault puts before each reply (none is a start byte).
    public static let garbage: [UInt8] = [0x00, 0xFF, 0x3C]

    /// CI of an RSP_UD under the `wrong-ci` fault: 53, a master-to-slave CI (fact sheet §1.7).
    public static let wrongCI: UInt8 = 0x53

    /// A slave in its power-up state.
    public init(identity: MBusSimulatorIdentity = .default, readings: MBusHeatMeterReadings = .reference,
                faults: Set<MBusFault> = []) {
        self.identity = identity
        self.readings = readings
        self.faults = faults
        self.baud = identity.baud
    }

    /// `count` bit times at `baud`.
    public static func bitTimes(_ count: Int, baud: Int) -> Duration {
        .nanoseconds(Int64(count) * 1_000_000_000 / Int64(max(1, baud)))
    }

    /// The latest start of an answer: 330 bit times + 50 ms at `baud` (fact sheet §1.10).
    public static func answerWindowEnd(baud: Int) -> Duration {
        bitTimes(330, baud: baud) + .milliseconds(50)
    }

    /// The delay of a normal answer at `baud`: ``turnaround``, but never less than 22 bit times
    /// (twice the 11 bit-time minimum of fact sheet §1.10, which exceeds 20 ms below 1200 Bd).
    public static func normalDelay(baud: Int) -> Duration {
        max(turnaround, bitTimes(22, baud: baud))
    }

    /// The delay of a `late-reply` answer at `baud`: 250 ms after the window ends.
    public static func lateDelay(baud: Int) -> Duration {
        answerWindowEnd(baud: baud) + .milliseconds(250)
    }

    // MARK: Input

    /// Takes bytes from the line (in any chunks) and returns the replies to the frames they complete.
    /// Garbage and invalid frames (wrong checksum, L fields, stop byte) are dropped without an answer.
    public mutating func receive(_ bytes: some Sequence<UInt8>) -> [MBusReply] {
        reader.append(bytes)
        var replies: [MBusReply] = []
        while let event = reader.next() {
            if case .frame(let frame, _) = event, let reply = handle(frame) { replies.append(reply) }
        }
        return replies
    }

    /// Acts on one valid frame from the master and returns the reply, if the slave answers.
    public mutating func handle(_ frame: Frame) -> MBusReply? {
        guard let control = frame.control, control.isFromPrimary, let address = frame.address else { return nil }
        let mayReply: Bool
        switch address {
        case identity.primaryAddress, AddressField.broadcastWithReply.rawValue:
            mayReply = true
        case AddressField.broadcastWithoutReply.rawValue:
            mayReply = faults.contains(.answersBroadcast)
        case AddressField.networkLayer.rawValue:
            if control.function == .sndUD, let ci = frame.ci, ci == 0x52 || ci == 0x56 {
                return select(frame.userData, deselect: ci == 0x56)
            }
            guard isSelected else { return nil }
            mayReply = true
        default:
            return nil
        }
        let replyBaud = baud.rawValue
        guard let answer = respond(to: frame, control: control, reply: mayReply), mayReply else { return nil }
        return reply(answer.bytes, delay: answer.late ? Self.lateDelay(baud: replyBaud) : Self.normalDelay(baud: replyBaud),
                     baud: replyBaud)
    }

    // MARK: Commands

    private struct Answer {
        var bytes: [UInt8]
        var late = false
    }

    /// Carries out the command and returns what to answer. `reply` is false at 255: act, but a
    /// request for data is then not answered and changes nothing.
    private mutating func respond(to frame: Frame, control: ControlField, reply: Bool) -> Answer? {
        switch control.function {
        case .sndNKE:
            resetLink()
            if frame.address == AddressField.networkLayer.rawValue { isSelected = false }
            return Answer(bytes: [Frame.ackByte])
        case .reqUD1:
            return Answer(bytes: [Frame.ackByte])
        case .reqUD2:
            guard reply, !faults.contains(.noReply) else { return nil }
            return Answer(bytes: requestClass2(fcb: control.fcb ?? false, fcv: control.fcv ?? false),
                          late: faults.contains(.lateReply))
        case .sndUD:
            guard let ci = frame.ci else { return nil }
            switch ci {
            case ControlInformation.dataSend.rawValue:
                return Answer(bytes: [Frame.ackByte])
            case ControlInformation.applicationReset.rawValue:
                nextTelegram = 0
                lastResponse = nil
                return Answer(bytes: [Frame.ackByte])
            case 0xB8...0xBF:
                guard frame.userData.isEmpty, let rate = BaudRate(ciCode: ci) else { return nil }
                baud = rate  // the E5 still goes out at the old rate: handle(_:) took it before
                return Answer(bytes: [Frame.ackByte])
            default:
                return nil
            }
        default:
            return nil
        }
    }

    /// SND_NKE: the FCB state and the read-out start again.
    private mutating func resetLink() {
        lastFCB = nil
        lastResponse = nil
        nextTelegram = 0
    }

    /// CI 52 (select) or 56 (deselect) at 253 (fact sheet §1.8).
    private mutating func select(_ data: ArraySlice<UInt8>, deselect: Bool) -> MBusReply? {
        guard data.count >= 8, let pattern = try? SecondaryAddress(wireBytes: data) else { return nil }
        let matches = pattern.matches(identity.secondaryAddress)
        if deselect {
            guard matches, isSelected else { return nil }
            isSelected = false
            return reply([Frame.ackByte], delay: Self.normalDelay(baud: baud.rawValue), baud: baud.rawValue)
        }
        guard matches || faults.contains(.answersWrongSelection) else {
            isSelected = false
            return nil
        }
        isSelected = true
        lastFCB = nil  // W: a selection resets the FCB, so the next REQ_UD2 is fresh
        return reply([Frame.ackByte], delay: Self.normalDelay(baud: baud.rawValue), baud: baud.rawValue)
    }

    /// REQ_UD2: the next telegram or a repeat of the last (fact sheet §1.5).
    private mutating func requestClass2(fcb: Bool, fcv: Bool) -> [UInt8] {
        var fresh = true
        if fcv {
            if let last = lastFCB {
                let toggled = last != fcb
                fresh = faults.contains(.ignoresFCB) ? !toggled : toggled
            }
            lastFCB = fcb
        }
        if !fresh, let lastResponse { return lastResponse }
        accessNumber &+= 1
        let bytes = telegram(nextTelegram, accessNumber: accessNumber)
        nextTelegram = (nextTelegram + 1) % MBusHeatMeterReadings.telegramCount
        lastResponse = bytes
        return bytes
    }

    // MARK: Telegrams

    /// The RSP_UD long frame of telegram `index` with `accessNumber`, faults applied.
    public func telegram(_ index: Int, accessNumber: UInt8) -> [UInt8] {
        let header = LongHeader(identification: identity.identification, manufacturer: identity.manufacturer,
                                version: identity.version, deviceType: identity.medium, accessNumber: accessNumber)
        var structure = readings.variableData(telegram: index, header: header)
        if faults.contains(.truncatedRecord) {
            // Cut the last record short: drop 0F/1F and what follows, then the record's last byte.
            structure.manufacturerData = nil
            structure.moreRecordsFollow = false
        }
        // The reference readings always fit their codings (MBusHeatMeterReadings documents it).
        var data = structure.encoded() ?? []
        if faults.contains(.truncatedRecord), !data.isEmpty { data.removeLast() }
        let ci = faults.contains(.wrongCI) ? Self.wrongCI : ControlInformation.variableDataResponse.rawValue
        let frame = Frame.userDataFrame(control: .rspUD, address: identity.primaryAddress, ci: ci, data: data[...])
        var bytes = (try? frame.encoded()) ?? []
        if faults.contains(.badChecksum), bytes.count >= 2 { bytes[bytes.count - 2] ^= 0xFF }
        if faults.contains(.wrongLField), bytes.count > 2 { bytes[2] &+= 1 }
        return bytes
    }

    private func reply(_ bytes: [UInt8], delay: Duration, baud: Int) -> MBusReply {
        MBusReply(bytes: faults.contains(.garbageBeforeStart) ? Self.garbage + bytes : bytes, delay: delay, baud: baud)
    }
}
