import MeterBus
import Synchronization
import Transport

/// `sim:mbus` in process: a line with the reference slave on the far end.
///
/// `send` runs the slave at once and queues its replies with the time each becomes readable
/// (the request's end plus the reply's delay); `receive` hands out queued bytes whose time has come
/// and otherwise sleeps until they do or the deadline passes. The line has a speed: bytes the master
/// sends while its settings differ from the slave's (after a baud-rate switch the master has not
/// followed, or vice versa) are garbled, so the slave does not understand them; replies sent at
/// another speed than the master's are lost the same way. A reply arrives whole (its time on the
/// wire is not modelled). Line-setting changes are noted as on a pty (`physical: false`).
public final class MBusSimulatorStream: LineControl, ArrivalTiming {
    private struct Pending {
        var ready: ContinuousClock.Instant
        var bytes: [UInt8]
        var baud: Int
    }

    private struct State {
        var slave: MBusSlave
        var settings: LineSettings
        var queue: [Pending] = []
        var notes: [TransportNote]
        var closed = false
        var lastSend: ContinuousClock.Instant?
        var lastArrival: ContinuousClock.Instant?
    }

    private let state: Mutex<State>

    /// Longest single sleep in `receive`, so that `close()` is noticed promptly.
    private static let pollInterval: Duration = .milliseconds(50)

    /// A line to `slave`; the master starts at the slave's speed, 8E1 (fact sheet §1.11).
    public init(slave: MBusSlave) {
        let settings = Self.settings(baud: slave.baud.rawValue)
        state = Mutex(State(slave: slave, settings: settings, notes: [TransportNote(.lineSettings(settings, physical: false))]))
    }

    /// A line to a fresh slave with `identity` and `faults`.
    public convenience init(identity: MBusSimulatorIdentity = .default, faults: Set<MBusFault> = []) {
        self.init(slave: MBusSlave(identity: identity, faults: faults))
    }

    /// When the last request was handed to the slave (the simulated line has no transmission time).
    public var lastSendInstant: ContinuousClock.Instant? { state.withLock { $0.lastSend } }

    /// When the first byte of the last reply chunk handed out was due, however late the reader came.
    public var lastArrivalInstant: ContinuousClock.Instant? { state.withLock { $0.lastArrival } }

    /// The slave as it is now (for tests and diagnostics).
    public var slave: MBusSlave { state.withLock { $0.slave } }

    public var lineSettings: LineSettings { state.withLock { $0.settings } }

    public func send(_ bytes: [UInt8]) async throws(TransportError) {
        let now = ContinuousClock.now
        try state.withLock { s throws(TransportError) in
            guard !s.closed else { throw .closed }
            s.lastSend = now
            // The slave listens at its own speed, 8E1: anything else reaches it as noise.
            guard s.settings == Self.settings(baud: s.slave.baud.rawValue) else { return }
            var earliest = s.queue.last?.ready ?? now
            for reply in s.slave.receive(bytes) {
                earliest = max(earliest, now + reply.delay)
                s.queue.append(Pending(ready: earliest, bytes: reply.bytes, baud: reply.baud))
            }
        }
    }

    public func receive(maxCount: Int, deadline: ContinuousClock.Instant) async throws(TransportError) -> [UInt8] {
        while true {
            let now = ContinuousClock.now
            let (bytes, nextReady) = try state.withLock { s throws(TransportError) -> ([UInt8], ContinuousClock.Instant?) in
                guard !s.closed else { throw .closed }
                var out: [UInt8] = []
                while let first = s.queue.first, first.ready <= now, out.count < maxCount {
                    // Sent at a speed the master is not listening at: lost.
                    guard first.baud == s.settings.baud, s.settings == Self.settings(baud: first.baud) else {
                        s.queue.removeFirst()
                        continue
                    }
                    let take = min(maxCount - out.count, first.bytes.count)
                    if out.isEmpty { s.lastArrival = first.ready }
                    out += first.bytes.prefix(take)
                    if take == first.bytes.count {
                        s.queue.removeFirst()
                    } else {
                        s.queue[0].bytes.removeFirst(take)
                    }
                }
                return (out, s.queue.first?.ready)
            }
            if !bytes.isEmpty { return bytes }
            if now >= deadline { return [] }
            let wake = min(nextReady ?? deadline, deadline, now + Self.pollInterval)
            do {
                try await Task.sleep(until: wake, clock: .continuous)
            } catch {
                throw .cancelled
            }
        }
    }

    /// Changes the master's side of the line (noted, `physical: false`).
    public func apply(_ settings: LineSettings) async throws(TransportError) {
        try state.withLock { s throws(TransportError) in
            guard !s.closed else { throw .closed }
            s.settings = settings
            s.notes.append(TransportNote(.lineSettings(settings, physical: false)))
        }
    }

    /// Always throws `.unsupportedSetting`: the simulated line has no modem lines.
    public func setModemLines(rts: Bool?, dtr: Bool?) async throws(TransportError) {
        throw .unsupportedSetting("RTS/DTR control on the simulated M-Bus line")
    }

    public func takeNotes() async -> [TransportNote] {
        state.withLock { s in
            defer { s.notes = [] }
            return s.notes
        }
    }

    public func close() async {
        state.withLock {
            $0.closed = true
            $0.queue = []
        }
    }

    /// 8E1 at `baud` (M-Bus framing, fact sheet §1.11).
    static func settings(baud: Int) -> LineSettings {
        (try? LineSettings.eightEvenOne(baud: baud)) ?? .mbusDefault
    }
}
