import DLMS

/// The server (secondary station) side of an HDLC link in normal response mode, as a meter runs
/// it (IEC 62056-46; fact sheet §1): bytes in, frames out, no I/O.
///
/// - **Modes.** NDM until an SNRM; NRM until a DISC or ``linkLost()``. SNRM is answered with UA
///   carrying the negotiated parameters (§1.8), and resets the sequence numbers (§1.9). DISC is
///   answered with UA in NRM and DM in NDM (Gurux's C++ server `HandleRequest`: UA when the link
///   was established, else DM). Any other command in NDM, or from a client the link is not
///   connected to, is answered with DM when its P bit is set.
/// - **Addresses.** Frames whose destination is not the server's upper address (and lower address,
///   when the client sends one) are ignored, as are frames whose source is not a 1-byte client
///   address (§1.3). Replies use the server address exactly as the client wrote it (1, 2 or 4 bytes).
/// - **I frames.** N(R) acknowledges the server's frames; an N(R) outside the unacknowledged range
///   gets FRMR with reason `10` (§1.5). An I frame whose N(S) is not V(R) is discarded and, when
///   polled, answered with RR carrying the expected N(R) — the N(S) sequence-error recovery of
///   ISO/IEC 13239 that IEC 62056-46 builds on (the fact sheet's sources do not cover it). An
///   information field longer than the negotiated receive maximum gets FRMR `20` (Gurux's C server
///   `svr_handleRequest2` sends FRMR when a frame exceeds what it can receive).
/// - **Segmentation.** Client segments (S = 1) are joined; a polled segment is answered with RR
///   (§1.9). A response longer than the negotiated transmit maximum is cut into segments, sent up to
///   the negotiated transmit window at a time with F = 1 on the last of each burst; the client's RR
///   (its N(R)) releases the next burst, and unacknowledged frames are sent again when the client
///   polls without acknowledging them.
/// - **LLC.** `E6 E6 00` (or `E6 E7 00`, which Gurux also accepts) is taken off a received
///   information field; `E6 E7 00` leads every response (§1.7).
/// - **FRMR.** Undefined control fields and response frames sent as commands get FRMR `80`;
///   a malformed SNRM parameter block gets FRMR `40` (§1.5). After an FRMR in NRM the link stays in
///   the frame-reject condition (every polled command but SNRM and DISC gets the FRMR again).
///   Frames with a wrong HCS or FCS are dropped unanswered.
/// - **Framing.** A partial frame is dropped after ``interOctetTimeout`` without a byte; once the
///   server has answered, the closing flag of the client's last frame no longer opens the next one
///   (so a frame sent without its opening flag is garbage, as HDLC_FRAME_N1 expects).
/// - **UI frames** are delivered in either mode; replies go back as UI frames.
///
/// Link faults (``DLMSFault/isLinkFault``): `missing-llc-header`, `bad-fcs`,
/// `hdlc-ns-sequence-error`, `ignores-disc`, each as its description says.
public struct DLMSHDLCServerLink {
    /// The link's mode.
    public enum Mode: String, Sendable, Hashable {
        /// NDM: no link (before SNRM, after DISC).
        case normalDisconnected
        /// NRM: a client is connected.
        case normalResponse
    }

    /// What the server supports by default: information fields up to 1024 bytes each way and
    /// windows of 7 frames (the largest JD and SP allow, §1.10). A client gets the minimum of this and
    /// what its SNRM proposes (or the §1.8 defaults, 128 bytes and window 1, when it proposes nothing).
    public static let defaultCapabilities = HDLCParameters(
        maximumInformationFieldLengthTransmit: 1024, maximumInformationFieldLengthReceive: 1024,
        windowSizeTransmit: 7, windowSizeReceive: 7)

    /// The server's addresses come from here.
    public let identity: DLMSSimulatorIdentity
    /// The link faults switched on (others are ignored here).
    public let faults: Set<DLMSFault>
    /// The server's own limits, from which the negotiated values are the minimum with the client's.
    public let capabilities: HDLCParameters
    /// The mode now.
    public private(set) var mode: Mode = .normalDisconnected
    /// The connected client's address (NRM), else nil.
    public private(set) var client: HDLCAddress?
    /// The server address as the connected client wrote it.
    public private(set) var serverAddress: HDLCAddress?
    /// The values of the last UA, from the server's side: transmit = what the server sends at most.
    public private(set) var negotiated = HDLCParameters()
    /// A partial frame is dropped when its next byte comes later than this (the inter-octet
    /// time-out: 500 ms, EP `HDLCOptions`' default, §1.10), so that a truncated frame cannot
    /// swallow the start of the next one.
    public var interOctetTimeout: Duration = .milliseconds(500)
    /// In NRM, a link without a frame from its client for this long is lost (back to NDM, the
    /// association ends): IC 23 inactivity_time_out, 120 s by default (SP, GX; §1.10), as the
    /// server's HDLC setup object reports.
    public var inactivityTimeout: Duration = .seconds(120)

    private let device: any DLMSLogicalDevice
    private var reader = HDLCFrameReader()
    private var lastByteInstant: ContinuousClock.Instant?
    private var lastFrameInstant: ContinuousClock.Instant?
    private var reassembler = HDLCReassembler()
    private var unnumberedReassembler = HDLCReassembler()
    /// V(S): N(S) of the next new I frame.
    private var sendState: UInt8 = 0
    /// V(R): N(S) expected from the client.
    private var receiveState: UInt8 = 0
    /// N(S) of the oldest unacknowledged I frame.
    private var acknowledgedUpTo: UInt8 = 0
    /// Sent I frames not yet acknowledged, oldest first.
    private var unacknowledged: [Segment] = []
    /// Segments of responses not yet sent.
    private var queue: [Segment] = []
    /// I frames put on the wire since the last SNRM (for `hdlc-ns-sequence-error`).
    private var informationFramesSent = 0
    /// Set while in the frame-reject condition.
    private var rejection: HDLCFrameReject?

    private struct Segment {
        var information: [UInt8]
        var segmented: Bool
        var sendSequence: UInt8 = 0
    }

    /// A link in NDM that hands complete APDUs to `device`.
    public init(identity: DLMSSimulatorIdentity = .default, faults: Set<DLMSFault> = [],
                capabilities: HDLCParameters = Self.defaultCapabilities, device: any DLMSLogicalDevice) {
        self.identity = identity
        self.faults = faults.filter(\.isLinkFault)
        self.capabilities = capabilities
        self.device = device
    }

    /// True while response segments wait for the client's RR.
    public var hasPendingOutput: Bool { !queue.isEmpty || !unacknowledged.isEmpty }

    // MARK: Bytes

    /// Feeds bytes from the line in any chunks, received at `instant`; returns the encoded frames
    /// to send, in order.
    public mutating func receive(_ bytes: some Sequence<UInt8>, at instant: ContinuousClock.Instant = .now) -> [[UInt8]] {
        checkInactivity(at: instant)
        if let last = lastByteInstant, instant - last > interOctetTimeout, reader.bufferedCount > 0 { reader.reset() }
        lastByteInstant = instant
        reader.append(bytes)
        var out: [[UInt8]] = []
        while let event = reader.next() {
            switch event {
            case .frame(let frame, _, _):
                out += handle(frame).filter { !$0.isEmpty }
                if mode == .normalResponse, frame.source == client { lastFrameInstant = instant }
            case .error(let error, let discarded, _) where error.code == .unknownTag:
                // A frame whose checks are right but whose control byte defines no frame type: FRMR `80`.
                if let frame = Self.undefinedControlFrame(discarded) { out += handle(frame).filter { !$0.isEmpty } }
            default:
                // Frames with a wrong HCS/FCS and bytes between frames are dropped unanswered.
                break
            }
        }
        // Once the server has answered, the client's next transmission starts with its own opening
        // flag: the closing flag of its last frame no longer opens one (HDLC_FRAME_N1).
        if !out.isEmpty, reader.bufferedCount == 0 { reader.reset() }
        return out
    }

    /// Addresses and control of a frame the codec refused only for its control byte.
    static func undefinedControlFrame(_ bytes: [UInt8]) -> HDLCFrame? {
        var index = 3
        func address() -> HDLCAddress? {
            let start = index
            while index < bytes.count, bytes[index] & 1 == 0 { index += 1 }
            guard index < bytes.count else { return nil }
            index += 1
            return try? HDLCAddress.decode(bytes[start..<index])
        }
        guard let destination = address(), let source = address(), index < bytes.count else { return nil }
        return HDLCFrame(destination: destination, source: source, control: HDLCControl(rawValue: bytes[index]))
    }

    /// Loses the link when its client has been silent longer than ``inactivityTimeout`` (a server
    /// loop calls this while no bytes arrive; ``receive(_:at:)`` calls it too).
    public mutating func checkInactivity(at instant: ContinuousClock.Instant = .now) {
        guard mode == .normalResponse, let last = lastFrameInstant, instant - last > inactivityTimeout else { return }
        linkLost()
    }

    /// The line or connection is gone: in NRM the logical device is told the client left.
    public mutating func linkLost() {
        reader.reset()
        if mode == .normalResponse, let client { device.linkClosed(client: client.upper) }
        disconnect()
    }

    // MARK: Frames

    /// Handles one decoded frame; returns the encoded frames to send.
    public mutating func handle(_ frame: HDLCFrame) -> [[UInt8]] {
        guard isAddressedToServer(frame.destination), frame.source.size == .one else { return [] }
        let poll = frame.control.pollFinal
        let connected = mode == .normalResponse && frame.source == client
        switch frame.frameType {
        case .setNormalResponseMode?:
            return setNormalResponseMode(frame)
        case .disconnect?:
            return disconnect(frame, connected: connected)
        case .unnumberedInformation?:
            return unnumberedInformation(frame)
        default:
            break
        }
        guard connected else { return poll ? [encode(reply(.disconnectedMode, to: frame))] : [] }
        if let rejection { return poll ? [encode(frameReject(rejection, to: frame))] : [] }
        switch frame.frameType {
        case .information?:
            return information(frame)
        case .receiveReady?, .receiveNotReady?:
            guard frame.information.isEmpty else { return reject(frame, .invalidInformation) }
            guard acknowledge(frame.control.receiveSequence ?? 0) else { return reject(frame, .invalidReceiveSequence) }
            guard poll else { return [] }
            // RNR: the client is busy; answer without I frames until it sends RR.
            return frame.frameType == .receiveReady ? transmit() : [receiveReady()]
        default:
            // An undefined control byte, or UA, DM or FRMR (responses) sent as a command.
            return reject(frame, .controlFieldUndefined)
        }
    }

    private func isAddressedToServer(_ address: HDLCAddress) -> Bool {
        address.upper == identity.logicalDevice && (address.lower == nil || address.lower == identity.physicalDevice)
    }

    private mutating func setNormalResponseMode(_ frame: HDLCFrame) -> [[UInt8]] {
        let proposed: HDLCParameters
        do {
            proposed = try frame.negotiatedParameters() ?? HDLCParameters(parameters: [])
        } catch {
            return [encode(frameReject(HDLCFrameReject(rejectedControl: frame.control, reasons: .invalidInformation), to: frame))]
        }
        let values = [proposed.maximumInformationFieldLengthTransmit, proposed.maximumInformationFieldLengthReceive,
                      proposed.windowSizeTransmit, proposed.windowSizeReceive]
        guard values.allSatisfy({ $0 >= 1 }) else {
            return [encode(frameReject(HDLCFrameReject(rejectedControl: frame.control, reasons: .invalidInformation), to: frame))]
        }
        if mode == .normalResponse, let client { device.linkClosed(client: client.upper) }
        disconnect()
        // Each side sends at most what the other receives (GX maps UA 06 → client TX, 05 → client RX, §1.8).
        negotiated = HDLCParameters(
            maximumInformationFieldLengthTransmit: min(capabilities.maximumInformationFieldLengthTransmit, proposed.maximumInformationFieldLengthReceive),
            maximumInformationFieldLengthReceive: min(capabilities.maximumInformationFieldLengthReceive, proposed.maximumInformationFieldLengthTransmit),
            windowSizeTransmit: min(capabilities.windowSizeTransmit, proposed.windowSizeReceive),
            windowSizeReceive: min(capabilities.windowSizeReceive, proposed.windowSizeTransmit))
        mode = .normalResponse
        client = frame.source
        serverAddress = frame.destination
        let ua = (try? HDLCFrame.negotiation(.unnumberedAcknowledge, destination: frame.source, source: frame.destination,
                                             parameters: negotiated, pollFinal: frame.control.pollFinal))
            ?? reply(.unnumberedAcknowledge, to: frame)
        return [encode(ua)]
    }

    private mutating func disconnect(_ frame: HDLCFrame, connected: Bool) -> [[UInt8]] {
        if faults.contains(.ignoresDISC) { return [] }
        guard connected, let client else { return [encode(reply(.disconnectedMode, to: frame))] }
        device.linkClosed(client: client.upper)
        disconnect()
        return [encode(reply(.unnumberedAcknowledge, to: frame))]
    }

    /// Back to NDM with every counter and buffer cleared.
    private mutating func disconnect() {
        mode = .normalDisconnected
        client = nil
        serverAddress = nil
        sendState = 0
        receiveState = 0
        acknowledgedUpTo = 0
        unacknowledged = []
        queue = []
        informationFramesSent = 0
        rejection = nil
        lastFrameInstant = nil
        reassembler.reset()
        unnumberedReassembler.reset()
    }

    private mutating func information(_ frame: HDLCFrame) -> [[UInt8]] {
        guard acknowledge(frame.control.receiveSequence ?? 0) else { return reject(frame, .invalidReceiveSequence) }
        guard frame.information.count <= negotiated.maximumInformationFieldLengthReceive else {
            return reject(frame, .informationSizeExceeded)
        }
        let poll = frame.control.pollFinal
        guard frame.control.sendSequence == receiveState else {
            // Out of sequence: discarded; the RR tells the client which N(S) is expected.
            return poll ? [receiveReady()] : []
        }
        receiveState = (receiveState + 1) & 0x07
        let joined: HDLCReassembled?
        do {
            joined = try reassembler.append(frame)
        } catch {
            return reject(frame, .invalidInformation)
        }
        if let joined { enqueue(device.handle(apdu: joined.apdu, from: UInt16(frame.source.upper))) }
        return poll ? transmit() : []
    }

    private mutating func unnumberedInformation(_ frame: HDLCFrame) -> [[UInt8]] {
        let joined: HDLCReassembled?
        do {
            joined = try unnumberedReassembler.append(frame)
        } catch {
            return []
        }
        guard let joined else { return [] }
        let responses = device.handle(apdu: joined.apdu, from: frame.source.upper)
        let maximum = mode == .normalResponse ? negotiated.maximumInformationFieldLengthTransmit
            : HDLCParameters.defaultMaximumInformationFieldLength
        var out: [[UInt8]] = []
        for apdu in responses {
            let pieces = (try? HDLCSegmentation.split((HDLCLLC.response.bytes + apdu)[...], maximumLength: maximum)) ?? []
            for (index, piece) in pieces.enumerated() {
                let last = index == pieces.count - 1
                guard var ui = HDLCFrame.unnumbered(.unnumberedInformation, destination: frame.source, source: frame.destination,
                                                    pollFinal: last, information: piece) else { continue }
                ui.segmented = !last
                out.append(encode(ui))
            }
        }
        return out
    }

    /// Takes N(R) from the client: drops the frames it acknowledges; false when N(R) is outside
    /// the range of frames sent and not yet acknowledged.
    private mutating func acknowledge(_ receiveSequence: UInt8) -> Bool {
        let count = Int((receiveSequence &- acknowledgedUpTo) & 0x07)
        guard count <= unacknowledged.count else { return false }
        unacknowledged.removeFirst(count)
        acknowledgedUpTo = receiveSequence & 0x07
        return true
    }

    /// Cuts the response APDUs into segments of the negotiated transmit size.
    private mutating func enqueue(_ apdus: [[UInt8]]) {
        let llc = faults.contains(.missingLLCHeader) ? [] : HDLCLLC.response.bytes
        for apdu in apdus {
            let pieces = (try? HDLCSegmentation.split((llc + apdu)[...], maximumLength: negotiated.maximumInformationFieldLengthTransmit)) ?? []
            for (index, piece) in pieces.enumerated() {
                queue.append(Segment(information: Array(piece), segmented: index < pieces.count - 1))
            }
        }
    }

    /// The answer to a poll: the unacknowledged frames again, else the next burst of at most a
    /// window of new frames, else RR; F = 1 on the last frame.
    private mutating func transmit() -> [[UInt8]] {
        let window = max(1, negotiated.windowSizeTransmit)
        var burst: [Segment]
        if !unacknowledged.isEmpty {
            burst = Array(unacknowledged.prefix(window))
        } else if !queue.isEmpty {
            burst = Array(queue.prefix(window))
            queue.removeFirst(burst.count)
            for index in burst.indices {
                burst[index].sendSequence = sendState
                sendState = (sendState + 1) & 0x07
            }
            unacknowledged = burst
        } else {
            return [receiveReady()]
        }
        return burst.enumerated().map { index, segment in
            informationFrame(segment, final: index == burst.count - 1)
        }
    }

    private mutating func informationFrame(_ segment: Segment, final: Bool) -> [UInt8] {
        guard let client, let serverAddress else { return [] }
        informationFramesSent += 1
        var sequence = segment.sendSequence
        // hdlc-ns-sequence-error: the second I frame on the wire repeats the first one's N(S).
        if faults.contains(.hdlcSequenceError), informationFramesSent == 2 { sequence = (sequence &- 1) & 0x07 }
        let frame = HDLCFrame.information(
            destination: client, source: serverAddress,
            sendSequence: sequence, receiveSequence: receiveState, pollFinal: final,
            segmented: segment.segmented, information: segment.information[...])
        var bytes = encode(frame)
        if faults.contains(.badFCS), bytes.count >= 5 {
            bytes[bytes.count - 3] ^= 0xFF
            bytes[bytes.count - 2] ^= 0xFF
        }
        return bytes
    }

    /// RR with V(R) and F = 1 to the connected client (empty when none is).
    private func receiveReady() -> [UInt8] {
        guard let client, let serverAddress else { return [] }
        return encode(HDLCFrame.receiveReady(destination: client, source: serverAddress, receiveSequence: receiveState, pollFinal: true))
    }

    /// FRMR for `frame`; in NRM the link enters the frame-reject condition.
    private mutating func reject(_ frame: HDLCFrame, _ reasons: HDLCFrameReject.Reasons) -> [[UInt8]] {
        // Second byte: V(R) and V(S) laid out as in a control field (ISO/IEC 13239; JD orders the bits
        // differently, which is why the codec keeps the byte raw, §1.5).
        let frmr = HDLCFrameReject(rejectedControl: frame.control, sequenceState: receiveState << 5 | sendState << 1, reasons: reasons)
        if mode == .normalResponse { rejection = frmr }
        return [encode(frameReject(frmr, to: frame))]
    }

    private func frameReject(_ frmr: HDLCFrameReject, to frame: HDLCFrame) -> HDLCFrame {
        HDLCFrame.unnumbered(.frameReject, destination: frame.source, source: frame.destination,
                             pollFinal: true, information: frmr.encoded()[...]) ?? reply(.disconnectedMode, to: frame)
    }

    /// An unnumbered reply without information, F = the command's P.
    private func reply(_ type: HDLCControl.FrameType, to frame: HDLCFrame) -> HDLCFrame {
        HDLCFrame(destination: frame.source, source: frame.destination,
                  control: HDLCControl.unnumbered(type, pollFinal: frame.control.pollFinal) ?? frame.control)
    }

    private func encode(_ frame: HDLCFrame) -> [UInt8] {
        // Segments are cut to the negotiated maximum (≤ 2030 unless capabilities say otherwise), so
        // encoding fails only for capabilities beyond the 2047-byte frame; such a frame is not sent.
        (try? frame.encoded()) ?? []
    }
}

