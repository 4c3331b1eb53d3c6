import DLMS
import Synchronization
import Transport

/// One logical device shared by every connection of a server: calls are serialised by a lock, so
/// links on concurrent connections may use it (``DLMSLogicalDevice`` is used from one task at a time).
public final class DLMSSharedLogicalDevice: DLMSLogicalDevice, Sendable {
    private let device: Mutex<any DLMSLogicalDevice>

    /// Shares `device`; from now on reach it only through this object.
    public init(_ device: sending any DLMSLogicalDevice) {
        self.device = Mutex(device)
    }

    public func handle(apdu: [UInt8], from client: UInt16) -> [[UInt8]] {
        device.withLock { $0.handle(apdu: apdu, from: client) }
    }

    public func linkClosed(client: UInt16) {
        device.withLock { $0.linkClosed(client: client) }
    }

    /// The pushes the device has pending (``DLMSPushOriginator``), none for other devices.
    public func takePendingPushes() -> [DLMSOutgoingPush] {
        device.withLock { ($0 as? any DLMSPushOriginator)?.takePendingPushes() ?? [] }
    }
}

/// A push a logical device wants sent (IC 40 push setup): the APDU (a DataNotification, possibly
/// ciphered) and where it goes.
public struct DLMSOutgoingPush: Sendable, Hashable {
    /// Host and TCP port, `HOST:PORT` (push setup attribute 3, send_destination; `[v6]:PORT` for IPv6).
    public var destination: String
    /// The destination wPort (the client SAP that receives pushes).
    public var clientPort: UInt16
    /// The APDU.
    public var apdu: [UInt8]

    /// A push of `apdu` to `destination`, wPort `clientPort`.
    public init(destination: String, clientPort: UInt16, apdu: [UInt8]) {
        self.destination = destination
        self.clientPort = clientPort
        self.apdu = apdu
    }
}

/// The extension point for server-originated pushes: a logical device that conforms (``COSEMServer``
/// does) has its pending pushes taken by ``DLMSSimulatorServer`` after every request it handles and
/// once per ``DLMSSimulatorServer/pushPollInterval`` while a server runs; each is sent in a wrapper
/// PDU over a new TCP connection to its destination (source wPort = the logical device). The
/// in-process ``DLMSSimulatorStream`` sends none.
public protocol DLMSPushOriginator: DLMSLogicalDevice {
    /// Takes (and forgets) the pushes due now.
    func takePendingPushes() -> [DLMSOutgoingPush]
}

/// Serves the DLMS/COSEM reference server on real byte streams: accepted TCP connections
/// (wrapper framing by default, HDLC on request) and a pseudo-terminal or serial line (HDLC,
/// optionally after an IEC 62056-21 mode E opening).
///
/// One logical device serves every connection (``DLMSSharedLogicalDevice``), as one meter answers
/// every client: objects, clock and invocation counters carry over from one connection to the next,
/// and associations are kept per client SAP. Connections are served concurrently, each with its own
/// link; when one closes, the logical device is told its clients left
/// (``DLMSLogicalDevice/linkClosed(client:)``), which ends their associations — also for another
/// connection with the same client SAP, as on a meter with one association per SAP.
public enum DLMSSimulatorServer {
    /// How APDUs are framed: the wrapper (TCP, IEC 62056-47) or HDLC (IEC 62056-46).
    public typealias Framing = DLMSSimulatorStream.Framing

    /// How often pending pushes are looked for between requests.
    public static let pushPollInterval: Duration = .seconds(1)

    /// Something worth telling the operator ("a client connected"); nil to stay silent.
    public typealias Log = @Sendable (String) -> Void

    // MARK: One stream

    /// Reads requests from `stream`, runs them through a link with `framing` and `faults` (the link
    /// faults) to `device`, and sends the answers, until the stream closes or the task is
    /// cancelled. The link's clients are then told to the device as gone.
    public static func serve(stream: any ByteStream, framing: Framing, identity: DLMSSimulatorIdentity = .default,
                             faults: Set<DLMSFault> = [], device: DLMSSharedLogicalDevice, log: Log? = nil) async throws(TransportError) {
        var link = DLMSAnyServerLink(framing: framing, identity: identity, faults: faults, device: device)
        defer { link.close() }
        _ = try await run(&link, on: stream, identity: identity, device: device, untilDisconnected: false, log: log)
    }

    // MARK: TCP

    /// Accepts connections on `listener` and serves each concurrently (see ``serve(stream:framing:identity:faults:device:log:)``)
    /// until the task is cancelled or the listener is closed; then ends every connection.
    public static func serve(listener: TCPListener, framing: Framing = .wrapper, identity: DLMSSimulatorIdentity = .default,
                             faults: Set<DLMSFault> = [], device: DLMSSharedLogicalDevice, log: Log? = nil) async throws(TransportError) {
        let failure = Mutex<TransportError?>(nil)
        let pusher = pushLoop(device: device, identity: identity, log: log)
        defer { pusher.cancel() }
        await withDiscardingTaskGroup { group in
            while !Task.isCancelled {
                let connection: TCPConnection
                do throws(TransportError) {
                    connection = try await listener.accept()
                } catch {
                    if !error.endsService { failure.withLock { $0 = error } }
                    break
                }
                log?("a client connected")
                group.addTask {
                    do throws(TransportError) {
                        try await serve(stream: connection, framing: framing, identity: identity, faults: faults, device: device, log: log)
                    } catch {
                        log?("connection ended: \(error)")
                    }
                    await connection.close()
                    log?("a client disconnected")
                }
            }
            group.cancelAll()
        }
        if let error = failure.withLock({ $0 }) { throw error }
    }

    // MARK: Serial line, pty

    /// Serves HDLC on `line` (a pty's controller side or a serial port). With `modeE`, every
    /// session begins with the IEC 62056-21 mode E opening at 300 Bd 7E1 (``DLMSModeEServerOpening``),
    /// and after DISC the line goes back to 300 Bd for the next sign-on, as a meter's optical port does.
    /// Without it the line stays at its settings. Returns when the line closes or the task is cancelled.
    public static func serve(line: any LineControl, modeE: Bool, opening: DLMSModeEServerOpening? = nil,
                             identity: DLMSSimulatorIdentity = .default, faults: Set<DLMSFault> = [],
                             device: DLMSSharedLogicalDevice, log: Log? = nil) async throws(TransportError) {
        guard modeE else {
            let pusher = pushLoop(device: device, identity: identity, log: log)
            defer { pusher.cancel() }
            try await serve(stream: line, framing: .hdlc, identity: identity, faults: faults, device: device, log: log)
            return
        }
        let opening = opening ?? DLMSModeEServerOpening(identity: identity)
        let pusher = pushLoop(device: device, identity: identity, log: log)
        defer { pusher.cancel() }
        while !Task.isCancelled {
            guard let rate = try await opening.run(on: line, log: log) else { return }
            log?("mode E opening done; HDLC at \(rate.baud) Bd 8N1")
            var link = DLMSAnyServerLink(framing: .hdlc, identity: identity, faults: faults, device: device)
            let ended = try await run(&link, on: line, identity: identity, device: device, untilDisconnected: true, log: log)
            link.close()
            if ended == .streamClosed { return }
        }
    }

    // MARK: The loop

    enum End { case streamClosed, disconnected }

    /// The request loop shared by every endpoint.
    static func run(_ link: inout DLMSAnyServerLink, on stream: any ByteStream, identity: DLMSSimulatorIdentity,
                    device: DLMSSharedLogicalDevice, untilDisconnected: Bool, log: Log?) async throws(TransportError) -> End {
        var wasConnected = false
        var lastActivity = ContinuousClock.now
        while !Task.isCancelled {
            let chunk: [UInt8]
            do {
                chunk = try await stream.receive(maxCount: 4096, deadline: .now + .milliseconds(500))
            } catch {
                if error.endsService { return .streamClosed }
                throw error
            }
            if chunk.isEmpty {
                link.checkInactivity()
            } else {
                lastActivity = .now
                for reply in link.receive(chunk) {
                    do {
                        try await stream.send(reply)
                    } catch {
                        if error.endsService { return .streamClosed }
                        throw error
                    }
                }
            }
            // A request may have queued a push (ACTION push setup method 1): send it at once.
            if !chunk.isEmpty { sendPushes(device.takePendingPushes(), identity: identity, log: log) }
            if untilDisconnected {
                if link.isConnected {
                    wasConnected = true
                } else if wasConnected || ContinuousClock.now - lastActivity > link.inactivityTimeout {
                    // DISC, or no SNRM within the inactivity time-out after the opening.
                    return .disconnected
                }
            }
        }
        return .streamClosed
    }

    /// Looks for due pushes once per ``pushPollInterval`` until cancelled (a meter pushes whether or
    /// not a client is connected).
    static func pushLoop(device: DLMSSharedLogicalDevice, identity: DLMSSimulatorIdentity, log: Log?) -> Task<Void, Never> {
        Task {
            while !Task.isCancelled {
                do {
                    try await Task.sleep(for: pushPollInterval)
                } catch {
                    return
                }
                sendPushes(device.takePendingPushes(), identity: identity, log: log)
            }
        }
    }

    /// Sends each push in a wrapper PDU over its own TCP connection, in the background.
    static func sendPushes(_ pushes: [DLMSOutgoingPush], identity: DLMSSimulatorIdentity, log: Log?) {
        for push in pushes {
            Task {
                do throws(TransportError) {
                    try await send(push, from: identity.logicalDevice)
                    log?("push sent to \(push.destination)")
                } catch {
                    log?("push to \(push.destination) failed: \(error)")
                }
            }
        }
    }

    /// Connects to the push's destination and sends one wrapper PDU (source wPort `logicalDevice`).
    public static func send(_ push: DLMSOutgoingPush, from logicalDevice: UInt16,
                            timeout: Duration = .seconds(5)) async throws(TransportError) {
        guard let colon = push.destination.lastIndex(of: ":"),
              let port = UInt16(push.destination[push.destination.index(after: colon)...]) else {
            throw .invalidURL("push destination '\(push.destination)' is not HOST:PORT")
        }
        var host = String(push.destination[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        let pdu: [UInt8]
        do {
            pdu = try WrapperFrame(sourcePort: logicalDevice, destinationPort: push.clientPort, apdu: push.apdu[...]).encoded()
        } catch {
            throw .invalidURL("push APDU of \(push.apdu.count) bytes does not fit a wrapper PDU")
        }
        let connection = try await TCPConnection.connect(host: host, port: port, deadline: .now + timeout)
        do {
            try await connection.send(pdu)
        } catch {
            await connection.close()
            throw error
        }
        await connection.close()
    }
}

extension TransportError {
    /// The peer or the task ended the session: not a failure of the server.
    var endsService: Bool {
        switch self {
        case .cancelled, .closed, .connectionClosed, .deviceGone: true
        default: false
        }
    }
}

/// A wrapper or HDLC server link behind one interface (streams and servers hold either).
struct DLMSAnyServerLink {
    private enum Link {
        case wrapper(DLMSWrapperServerLink)
        case hdlc(DLMSHDLCServerLink)
    }

    private var link: Link

    init(framing: DLMSSimulatorStream.Framing, identity: DLMSSimulatorIdentity, faults: Set<DLMSFault>,
         device: any DLMSLogicalDevice) {
        switch framing {
        case .wrapper: link = .wrapper(DLMSWrapperServerLink(identity: identity, device: device))
        case .hdlc: link = .hdlc(DLMSHDLCServerLink(identity: identity, faults: faults, device: device))
        }
    }

    /// Whether an HDLC link is in NRM (a wrapper link always counts as connected).
    var isConnected: Bool {
        switch link {
        case .wrapper: true
        case .hdlc(let l): l.mode == .normalResponse
        }
    }

    mutating func receive(_ bytes: [UInt8], at instant: ContinuousClock.Instant = .now) -> [[UInt8]] {
        switch link {
        case .wrapper(var l):
            let out = l.receive(bytes)
            link = .wrapper(l)
            return out
        case .hdlc(var l):
            let out = l.receive(bytes, at: instant)
            link = .hdlc(l)
            return out
        }
    }

    /// The HDLC inactivity time-out (the wrapper has none).
    var inactivityTimeout: Duration {
        switch link {
        case .wrapper: .seconds(120)
        case .hdlc(let l): l.inactivityTimeout
        }
    }

    /// Loses an HDLC link whose client has been silent too long.
    mutating func checkInactivity(at instant: ContinuousClock.Instant = .now) {
        guard case .hdlc(var l) = link else { return }
        l.checkInactivity(at: instant)
        link = .hdlc(l)
    }

    /// The connection or line is gone.
    mutating func close() {
        switch link {
        case .wrapper(var l):
            l.connectionClosed()
            link = .wrapper(l)
        case .hdlc(var l):
            l.linkLost()
            link = .hdlc(l)
        }
    }
}

extension COSEMServer: DLMSPushOriginator {
    /// The pushes queued by ACTION push setup method 1 (``pendingPushes``, then emptied) and the
    /// scheduled push if one is due (``pushNotificationIfDue()``). The destination wPort is the
    /// public client's SAP (16, fact sheet §3): COSEM's push setup names no client SAP for the
    /// wrapper, and none of the fact sheet's sources fixes one.
    public func takePendingPushes() -> [DLMSOutgoingPush] {
        var pushes = pendingPushes
        pendingPushes = []
        if let due = pushNotificationIfDue() { pushes.append(due) }
        return pushes.map { DLMSOutgoingPush(destination: $0.destination, clientPort: identity.publicClient, apdu: $0.apdu) }
    }
}
