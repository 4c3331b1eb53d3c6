import DLMS
import Synchronization
import Transport

/// `sim:dlms` (wrapper framing) and `sim:dlms-hdlc` (HDLC framing) in process: a connection with
/// the reference DLMS/COSEM server on the far end.
///
/// `send` runs the server link (``DLMSWrapperServerLink`` or ``DLMSHDLCServerLink``) and the
/// logical device at once and queues what they answer; `receive` hands the queued bytes out. The
/// replies are readable as soon as the request is taken (the simulated connection has no
/// transmission time and the server no reaction time), so ``lastArrivalInstant`` is the instant the
/// request was handed over. Closing the stream is a link loss: the logical device's associations
/// over it end (``DLMSLogicalDevice/linkClosed(client:)``).
public final class DLMSSimulatorStream: ArrivalTiming {
    /// How APDUs are framed on the stream.
    public enum Framing: String, Sendable, Hashable, CaseIterable {
        /// The TCP wrapper, IEC 62056-47 (`sim:dlms`).
        case wrapper
        /// HDLC, IEC 62056-46 (`sim:dlms-hdlc`).
        case hdlc

        /// The `sim:` protocol name for this framing: `dlms` or `dlms-hdlc`.
        public var protocolName: String {
            switch self {
            case .wrapper: DLMSFault.protocolName
            case .hdlc: DLMSFault.protocolName + "-hdlc"
            }
        }
    }

    private struct State {
        var link: DLMSAnyServerLink
        var queue: [UInt8] = []
        var readyAt: ContinuousClock.Instant?
        var closed = false
        var lastSend: ContinuousClock.Instant?
        var lastArrival: ContinuousClock.Instant?
    }

    /// The framing of this stream.
    public let framing: Framing
    private let state: Mutex<State>

    /// Longest single sleep in `receive`, so that `close()` is noticed promptly.
    private static let pollInterval: Duration = .milliseconds(50)

    /// A connection to `device` behind a server link with `identity`'s addresses; `faults` are
    /// the link faults (the logical device carries out its own).
    public init(framing: Framing = .wrapper, identity: DLMSSimulatorIdentity = .default, faults: Set<DLMSFault> = [],
                device: sending any DLMSLogicalDevice) {
        self.framing = framing
        state = Mutex(State(link: DLMSAnyServerLink(framing: framing, identity: identity, faults: faults, device: device)))
    }

    /// A connection to a fresh reference server (``COSEMServer``) with `identity` and `faults`.
    public convenience init(framing: Framing = .wrapper, identity: DLMSSimulatorIdentity = .default, faults: Set<DLMSFault> = []) {
        self.init(framing: framing, identity: identity, faults: faults, device: COSEMServer(identity: identity, faults: faults))
    }

    /// When the last request was handed to the server.
    public var lastSendInstant: ContinuousClock.Instant? { state.withLock { $0.lastSend } }

    /// When the first byte of the last reply chunk handed out was readable.
    public var lastArrivalInstant: ContinuousClock.Instant? { state.withLock { $0.lastArrival } }

    public func send(_ bytes: [UInt8]) async throws(TransportError) {
        let now = ContinuousClock.now
        try state.withLock { s throws(TransportError) in
            guard !s.closed else { throw .closed }
            s.lastSend = now
            let replies = s.link.receive(bytes, at: now)
            guard !replies.isEmpty else { return }
            if s.queue.isEmpty { s.readyAt = now }
            for reply in replies { s.queue += reply }
        }
    }

    public func receive(maxCount: Int, deadline: ContinuousClock.Instant) async throws(TransportError) -> [UInt8] {
        while true {
            let bytes = try state.withLock { s throws(TransportError) -> [UInt8] in
                guard !s.closed else { throw .closed }
                guard !s.queue.isEmpty, maxCount > 0 else { return [] }
                let take = min(maxCount, s.queue.count)
                let out = Array(s.queue.prefix(take))
                s.queue.removeFirst(take)
                s.lastArrival = s.readyAt
                return out
            }
            if !bytes.isEmpty { return bytes }
            let now = ContinuousClock.now
            if now >= deadline { return [] }
            do {
                try await Task.sleep(until: min(deadline, now + Self.pollInterval), clock: .continuous)
            } catch {
                throw .cancelled
            }
        }
    }

    /// Closes the connection; the server sees a link loss.
    public func close() async {
        state.withLock { s in
            guard !s.closed else { return }
            s.closed = true
            s.queue = []
            s.link.close()
        }
    }
}
