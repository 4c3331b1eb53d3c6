#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Identifies one session (a connection, or one use of a serial line) inside a ``PcapngWriter``.
public struct CaptureSessionID: Sendable, Hashable {
    /// 1-based, in the order sessions were begun.
    public let rawValue: Int
}

/// Writes a run's traffic as pcapng, streaming: blocks are produced as packets arrive and handed
/// out by ``takeBytes()``, so a file that is appended to as the run goes stays readable up to the
/// last block written even if the process dies.
///
/// Serial sessions carry the raw bytes on LINKTYPE_USER0 (147). TCP and UDP sessions are
/// synthesised on LINKTYPE_RAW (101) as IPv4 or IPv6 packets, TCP with a three-way handshake,
/// consistent sequence and acknowledgement numbers and a FIN exchange. Every interface uses
/// nanosecond timestamps; direction is in `epb_flags`. Same input, same bytes.
public struct PcapngWriter: Sendable {
    /// LINKTYPE_USER0: the link type of serial, pty and in-process simulator sessions.
    public static let serialLinkType: UInt16 = 147
    /// LINKTYPE_RAW: the link type of synthetic TCP and UDP sessions (IPv4 or IPv6 by the version nibble).
    public static let ipLinkType: UInt16 = 101
    /// The most payload bytes one packet carries (65 535 − 20 IPv4 − 20 TCP); longer writes are split.
    public static let maximumPayload = 65_495
    /// The comment every redacted packet carries.
    public static let redactedComment = "meterproof: redacted — secret bytes overwritten with filler"

    /// How many packets have been written (the number of the last one, as tshark counts).
    public private(set) var packetCount = 0

    private var pending: [UInt8]
    private var interfaces: [InterfaceKey: UInt32] = [:]
    private var sessions: [Session] = []

    /// Starts a capture; `application` goes into the section header's `shb_userappl`.
    public init(application: String) {
        pending = PcapngBlock.sectionHeader(application: application)
    }

    /// Opens a session on `link` (writing its interface description the first time that interface
    /// is used) and, for TCP, the synthetic SYN, SYN-ACK and ACK stamped `time`.
    public mutating func beginSession(_ link: CaptureLink, at time: Date) -> CaptureSessionID {
        beginSession(link, at: CaptureTime(time))
    }

    /// Opens a session like the `Date` variant, stamped with a nanosecond timestamp.
    public mutating func beginSession(_ link: CaptureLink, at time: CaptureTime) -> CaptureSessionID {
        let number = sessions.count + 1
        let (kind, key, note) = Self.normalise(link)
        let interfaceID = interface(for: key)
        var session = Session(number: number, kind: kind, interfaceID: interfaceID, note: note)
        open(&session, at: time)
        sessions.append(session)
        return CaptureSessionID(rawValue: number)
    }

    /// Writes `packet` in session `id` and returns its packet number (1-based, tshark's
    /// `frame.number`). A packet longer than ``maximumPayload`` is split into several packets, each
    /// commented as a part; the number returned is the first one's. Appending to an ended TCP
    /// session opens it again with a new handshake. `id` must come from this writer (a trap otherwise).
    @discardableResult
    public mutating func append(_ packet: CapturePacket, to id: CaptureSessionID) -> Int {
        guard var session = takeSession(id) else {
            preconditionFailure("CaptureSessionID \(id.rawValue) was not made by this PcapngWriter")
        }
        defer { sessions[id.rawValue - 1] = session }
        if session.ended { open(&session, at: packet.timestamp) }
        var first = 0
        let chunks = Self.chunks(packet.bytes)
        for (index, chunk) in chunks.enumerated() {
            var comments: [String] = []
            if index == 0, let note = session.note {
                comments.append(note)
                session.note = nil
            }
            if packet.redacted { comments.append(Self.redactedComment) }
            if index == 0, let comment = packet.comment, !comment.isEmpty { comments.append(comment) }
            if packet.bytes.isEmpty, case .tcp = session.kind {
                // No bytes have no TCP form; the empty PSH-ACK shows as a duplicate ACK in Wireshark.
                comments.append("meterproof: zero-length chunk, nothing was on the wire")
            }
            if chunks.count > 1 {
                comments.append("meterproof: part \(index + 1) of \(chunks.count) of one \(packet.bytes.count)-byte chunk")
            }
            let number = writeData(chunk, direction: packet.direction, in: &session, at: packet.timestamp,
                                   comments: comments)
            if index == 0 { first = number }
        }
        return first
    }

    /// Closes session `id`: for TCP the harness's FIN-ACK, the device's FIN-ACK and the last ACK,
    /// stamped `time`. Ending a session twice does nothing.
    public mutating func endSession(_ id: CaptureSessionID, at time: Date) {
        endSession(id, at: CaptureTime(time))
    }

    /// Closes a session like the `Date` variant, stamped with a nanosecond timestamp.
    public mutating func endSession(_ id: CaptureSessionID, at time: CaptureTime) {
        guard var session = takeSession(id) else {
            preconditionFailure("CaptureSessionID \(id.rawValue) was not made by this PcapngWriter")
        }
        defer { sessions[id.rawValue - 1] = session }
        guard !session.ended else { return }
        session.ended = true
        guard case .tcp(let link, var state) = session.kind else { return }
        let harness = SyntheticIP.Addresses(source: link.harness, destination: link.device)
        let device = SyntheticIP.Addresses(source: link.device, destination: link.harness)
        let close = "meterproof: synthetic TCP close, session \(session.number)"
        writeTCP(harness, seq: state.harnessNext, ack: state.deviceNext, flags: [.fin, .ack], ipID: &state.harnessIPID,
                 session: session, direction: .toDevice, time: time, comments: [close])
        state.harnessNext &+= 1
        writeTCP(device, seq: state.deviceNext, ack: state.harnessNext, flags: [.fin, .ack], ipID: &state.deviceIPID,
                 session: session, direction: .fromDevice, time: time, comments: [close])
        state.deviceNext &+= 1
        writeTCP(harness, seq: state.harnessNext, ack: state.deviceNext, flags: [.ack], ipID: &state.harnessIPID,
                 session: session, direction: .toDevice, time: time, comments: [close])
        session.kind = .tcp(link, state)
    }

    /// The bytes produced since the last call (the section header on the first), for appending to a file.
    public mutating func takeBytes() -> [UInt8] {
        defer {
            pending = []
            handedOut = true
        }
        return pending
    }

    /// Appends what ``takeBytes()`` would return to the file at `path`. The first hand-out (the one
    /// that starts with the section header) creates the file or replaces an existing one, so a
    /// runner can call this after every packet and a crash still leaves a readable prefix.
    public mutating func flush(toFile path: String) throws(CaptureFileError) {
        let startsFile = !handedOut
        try CaptureFile.write(takeBytes(), to: path, truncating: startsFile)
    }

    /// Whether any bytes (at least the section header) were handed out yet.
    private var handedOut = false

    // MARK: - Sessions

    private struct TCPState: Sendable {
        var harnessNext: UInt32
        var deviceNext: UInt32
        var harnessIPID: UInt16
        var deviceIPID: UInt16
    }

    private struct IPLink: Sendable {
        var harness: CaptureEndpoint
        var device: CaptureEndpoint
    }

    private enum Kind: Sendable {
        case serial
        case tcp(IPLink, TCPState)
        case udp(IPLink, harnessIPID: UInt16, deviceIPID: UInt16)
    }

    private struct Session: Sendable {
        var number: Int
        var kind: Kind
        var interfaceID: UInt32
        /// A note for the next packet (e.g. that the endpoints were replaced).
        var note: String?
        var ended = false
        /// How many times a TCP session was opened (reopening after end gets new sequence numbers).
        var openings = 0
    }

    private struct InterfaceKey: Hashable, Sendable {
        var linkType: UInt16
        var name: String
        var description: String
    }

    private func takeSession(_ id: CaptureSessionID) -> Session? {
        sessions.indices.contains(id.rawValue - 1) ? sessions[id.rawValue - 1] : nil
    }

    /// Writes the TCP handshake (for TCP) and marks the session open.
    private mutating func open(_ session: inout Session, at time: CaptureTime) {
        session.ended = false
        session.openings += 1
        guard case .tcp(let link, _) = session.kind else { return }
        // Deterministic initial sequence numbers that differ between sessions and reopenings.
        let seed = UInt32(truncatingIfNeeded: session.number &* 7919 &+ session.openings &* 104_729)
        var state = TCPState(harnessNext: seed &* 2_654_435_761, deviceNext: (seed &+ 1) &* 2_246_822_519,
                             harnessIPID: 1, deviceIPID: 1)
        let harness = SyntheticIP.Addresses(source: link.harness, destination: link.device)
        let device = SyntheticIP.Addresses(source: link.device, destination: link.harness)
        var comments = ["meterproof: synthetic TCP handshake, session \(session.number)"]
        if let note = session.note {
            comments.append(note)
            session.note = nil
        }
        writeTCP(harness, seq: state.harnessNext, ack: nil, flags: [.syn], ipID: &state.harnessIPID,
                 session: session, direction: .toDevice, time: time, comments: comments)
        state.harnessNext &+= 1
        writeTCP(device, seq: state.deviceNext, ack: state.harnessNext, flags: [.syn, .ack], ipID: &state.deviceIPID,
                 session: session, direction: .fromDevice, time: time, comments: [])
        state.deviceNext &+= 1
        writeTCP(harness, seq: state.harnessNext, ack: state.deviceNext, flags: [.ack], ipID: &state.harnessIPID,
                 session: session, direction: .toDevice, time: time, comments: [])
        session.kind = .tcp(link, state)
    }

    /// Writes one data packet of at most ``maximumPayload`` bytes; returns its number.
    private mutating func writeData(_ chunk: ArraySlice<UInt8>, direction: CaptureDirection, in session: inout Session,
                                    at time: CaptureTime, comments: [String]) -> Int {
        switch session.kind {
        case .serial:
            return writePacket(Array(chunk), session: session, direction: direction, time: time, comments: comments)
        case .tcp(let link, var state):
            let number: Int
            if direction == .toDevice {
                number = writeTCP(SyntheticIP.Addresses(source: link.harness, destination: link.device),
                                  seq: state.harnessNext, ack: state.deviceNext, flags: [.psh, .ack], payload: chunk,
                                  ipID: &state.harnessIPID, session: session, direction: direction, time: time,
                                  comments: comments)
                state.harnessNext &+= UInt32(chunk.count)
            } else {
                number = writeTCP(SyntheticIP.Addresses(source: link.device, destination: link.harness),
                                  seq: state.deviceNext, ack: state.harnessNext, flags: [.psh, .ack], payload: chunk,
                                  ipID: &state.deviceIPID, session: session, direction: direction, time: time,
                                  comments: comments)
                state.deviceNext &+= UInt32(chunk.count)
            }
            session.kind = .tcp(link, state)
            return number
        case .udp(let link, var harnessIPID, var deviceIPID):
            let packet: [UInt8]
            if direction == .toDevice {
                packet = SyntheticIP.udp(.init(source: link.harness, destination: link.device), payload: chunk,
                                         ipID: harnessIPID)
                harnessIPID &+= 1
            } else {
                packet = SyntheticIP.udp(.init(source: link.device, destination: link.harness), payload: chunk,
                                         ipID: deviceIPID)
                deviceIPID &+= 1
            }
            session.kind = .udp(link, harnessIPID: harnessIPID, deviceIPID: deviceIPID)
            return writePacket(packet, session: session, direction: direction, time: time, comments: comments)
        }
    }

    @discardableResult
    private mutating func writeTCP(_ addresses: SyntheticIP.Addresses, seq: UInt32, ack: UInt32?,
                                   flags: SyntheticIP.TCPFlags, payload: ArraySlice<UInt8> = [], ipID: inout UInt16,
                                   session: Session, direction: CaptureDirection, time: CaptureTime,
                                   comments: [String]) -> Int {
        let packet = SyntheticIP.tcp(addresses, sequence: seq, acknowledgement: ack, flags: flags, payload: payload,
                                     ipID: ipID)
        ipID &+= 1
        return writePacket(packet, session: session, direction: direction, time: time, comments: comments)
    }

    private mutating func writePacket(_ data: [UInt8], session: Session, direction: CaptureDirection,
                                      time: CaptureTime, comments: [String]) -> Int {
        pending += PcapngBlock.enhancedPacket(interfaceID: session.interfaceID, time: time, data: data,
                                              direction: direction, comments: comments)
        packetCount += 1
        return packetCount
    }

    private mutating func interface(for key: InterfaceKey) -> UInt32 {
        if let id = interfaces[key] { return id }
        let id = UInt32(interfaces.count)
        interfaces[key] = id
        pending += PcapngBlock.interfaceDescription(linkType: key.linkType, snapLength: 0, name: key.name,
                                                    description: key.description)
        return id
    }

    // MARK: - Links

    /// The session kind, its interface and a note when the endpoints had to be replaced.
    private static func normalise(_ link: CaptureLink) -> (Kind, InterfaceKey, String?) {
        switch link {
        case .serial(let name):
            return (.serial, InterfaceKey(linkType: serialLinkType, name: name,
                                          description: "MeterProof raw serial bytes (LINKTYPE_USER0); direction in epb_flags"),
                    nil)
        case .tcp(let harness, let device):
            let (ipLink, note) = ipEndpoints(harness, device)
            return (.tcp(ipLink, TCPState(harnessNext: 0, deviceNext: 0, harnessIPID: 1, deviceIPID: 1)),
                    ipInterface("tcp", ipLink), note)
        case .udp(let harness, let device):
            let (ipLink, note) = ipEndpoints(harness, device)
            return (.udp(ipLink, harnessIPID: 1, deviceIPID: 1), ipInterface("udp", ipLink), note)
        }
    }

    /// One interface per scheme and device endpoint: reconnects from new harness ports share it.
    private static func ipInterface(_ scheme: String, _ link: IPLink) -> InterfaceKey {
        let version = link.device.address.count == 16 ? "IPv6" : "IPv4"
        return InterfaceKey(
            linkType: ipLinkType, name: "\(scheme)://\(hostText(link.device.address)):\(link.device.port)",
            description: "MeterProof synthetic \(scheme.uppercased())/\(version) (LINKTYPE_RAW); harness \(hostText(link.harness.address))")
    }

    /// Both endpoints as IPv4 or both as IPv6 (IPv4-mapped when mixed); unusable addresses become
    /// TEST-NET-1 192.0.2.1 (harness) and 192.0.2.2 (device), with a note saying so.
    private static func ipEndpoints(_ harness: CaptureEndpoint, _ device: CaptureEndpoint) -> (IPLink, String?) {
        let valid = [4, 16]
        guard valid.contains(harness.address.count), valid.contains(device.address.count) else {
            let note = "meterproof: endpoint addresses were not 4 or 16 bytes; written as 192.0.2.1 and 192.0.2.2"
            return (IPLink(harness: CaptureEndpoint(address: [192, 0, 2, 1], port: harness.port),
                           device: CaptureEndpoint(address: [192, 0, 2, 2], port: device.port)), note)
        }
        func mapped(_ endpoint: CaptureEndpoint) -> CaptureEndpoint {
            guard endpoint.address.count == 4 else { return endpoint }
            return CaptureEndpoint(address: Array(repeating: 0, count: 10) + [0xFF, 0xFF] + endpoint.address,
                                   port: endpoint.port)
        }
        if harness.address.count == device.address.count { return (IPLink(harness: harness, device: device), nil) }
        return (IPLink(harness: mapped(harness), device: mapped(device)), nil)
    }

    /// Dotted quad, or bracketed IPv6 in full hexadecimal groups.
    private static func hostText(_ address: [UInt8]) -> String {
        if address.count == 4 { return address.map(String.init).joined(separator: ".") }
        var groups: [String] = []
        var index = 0
        while index + 1 < address.count {
            groups.append(String(UInt16(address[index]) << 8 | UInt16(address[index + 1]), radix: 16))
            index += 2
        }
        return "[" + groups.joined(separator: ":") + "]"
    }

    /// `bytes` cut into pieces of at most ``maximumPayload`` (one empty piece for an empty packet).
    private static func chunks(_ bytes: [UInt8]) -> [ArraySlice<UInt8>] {
        guard bytes.count > maximumPayload else { return [bytes[...]] }
        return stride(from: 0, to: bytes.count, by: maximumPayload).map {
            bytes[$0 ..< min($0 + maximumPayload, bytes.count)]
        }
    }
}
