import MeterBus
import Simulators

/// A master's view of a pure `MBusSlave`: send a frame, get the decoded replies.
final class SlaveHarness {
    var slave: MBusSlave

    init(faults: Set<MBusFault> = [], identity: MBusSimulatorIdentity = .default) {
        slave = MBusSlave(identity: identity, faults: faults)
    }

    /// The replies to `frame`.
    func send(_ frame: Frame) -> [MBusReply] {
        slave.receive(try! frame.encoded())
    }

    /// The single reply's bytes to `frame`, or nil when the slave stays silent.
    func bytes(_ frame: Frame) -> [UInt8]? {
        let replies = send(frame)
        precondition(replies.count <= 1, "one request, at most one reply")
        return replies.first?.bytes
    }

    /// The reply to `frame`, decoded; nil when silent.
    func telegram(_ frame: Frame) throws -> Telegram? {
        guard let bytes = bytes(frame) else { return nil }
        return try Telegram.decode(bytes)
    }

    /// True when the slave answers `frame` with E5 only.
    func acks(_ frame: Frame) -> Bool {
        bytes(frame) == [0xE5]
    }

    /// The long header of a telegram.
    static func header(_ telegram: Telegram?) -> LongHeader? {
        guard case .long(let header)? = telegram?.variableData?.header else { return nil }
        return header
    }
}

extension Frame {
    static let primary = MBusSimulatorIdentity.default.primaryAddress
}
