import CodecSupport
import DLMS
import Transport

/// How the DLMS driver carries APDUs: the TCP/UDP wrapper (IEC 62056-47) or HDLC (IEC 62056-46).
enum DLMSFraming: String, Sendable, CaseIterable {
    case wrapper
    case hdlc
}

/// What the client link found on the line while waiting for something.
enum DLMSLinkEvent {
    /// A valid HDLC frame.
    case hdlc(HDLCFrame, bytes: [UInt8])
    /// A valid wrapper frame.
    case wrapper(WrapperFrame, bytes: [UInt8])
    /// Bytes that form an invalid frame (bad FCS/HCS, wrapper version, …): the decoder's error.
    case invalid(bytes: [UInt8], error: DLMSError)
    /// Bytes that belong to no frame.
    case garbage([UInt8])
}

/// A complete APDU the link delivered, or why it could not.
enum DLMSLinkReceive {
    /// The APDU (LLC header removed) and how many frames carried it.
    case apdu([UInt8], frames: Int)
    /// The device broke a link-layer rule; the sentence names the rule and its source.
    case violation(String)
    /// Nothing complete arrived before the deadline; what did arrive is described.
    case timeout(String)
}

/// The client (primary station) side of a DLMS link on one byte stream: HDLC connection state,
/// sequence numbers, segmentation both ways, or wrapper ports. Every frame goes to the evidence.
///
/// HDLC rules as in the fact sheet: LLC header E6 E6 00 on requests, E6 E7 00 expected on
/// responses (§1.7); N(S)/N(R) mod 8 with segments answered by RR (§1.9); parameters negotiated
/// by SNRM/UA, each side taking the smaller value (§1.8).
struct DLMSClientLink {
    var framing: DLMSFraming
    /// Client SAP (HDLC client address, wrapper source wPort).
    var clientSAP: UInt16
    /// Server logical device (upper HDLC address, wrapper destination wPort).
    var serverLogical: UInt16
    /// Server physical device (lower HDLC address); nil for a 1-byte server address.
    var serverPhysical: UInt16?
    /// HDLC server address size in bytes (1, 2 or 4).
    var serverAddressSize: HDLCAddress.Size

    /// Whether SNRM/UA succeeded and no DISC has been sent since (HDLC).
    var connected = false
    /// N(S) of the next I frame the client sends.
    var sendSequence: UInt8 = 0
    /// V(R): the N(S) expected on the next I frame from the server.
    var receiveSequence: UInt8 = 0
    /// Negotiated: the longest information field the client may send / the server may send.
    var maxInfoTransmit = HDLCParameters.defaultMaximumInformationFieldLength
    var maxInfoReceive = HDLCParameters.defaultMaximumInformationFieldLength
    /// Negotiated window sizes.
    var windowTransmit = 1
    var windowReceive = 1

    var hdlcReader = HDLCFrameReader()
    var wrapperReader = WrapperReader()
    /// Events already read from the line but not yet consumed.
    var pending: [(event: DLMSLinkEvent, at: ContinuousClock.Instant)] = []

    init(framing: DLMSFraming, clientSAP: UInt16, serverLogical: UInt16, serverPhysical: UInt16?,
         serverAddressSize: HDLCAddress.Size) {
        self.framing = framing
        self.clientSAP = clientSAP
        self.serverLogical = serverLogical
        self.serverPhysical = serverPhysical
        self.serverAddressSize = serverAddressSize
    }

    /// The server's HDLC address; nil when the configured values do not fit the size.
    func serverAddress() -> HDLCAddress? {
        try? HDLCAddress(upper: serverLogical, lower: serverAddressSize == .one ? nil : serverPhysical ?? 0, size: serverAddressSize)
    }

    /// The client's HDLC address; nil when the SAP does not fit one byte.
    func clientAddress() -> HDLCAddress? {
        guard clientSAP <= 0x7F else { return nil }
        return try? HDLCAddress.client(UInt8(clientSAP))
    }

    /// Forgets the connection state (after DISC, DM, a reopened stream).
    mutating func resetConnection() {
        connected = false
        sendSequence = 0
        receiveSequence = 0
        maxInfoTransmit = HDLCParameters.defaultMaximumInformationFieldLength
        maxInfoReceive = HDLCParameters.defaultMaximumInformationFieldLength
        windowTransmit = 1
        windowReceive = 1
    }

    /// Drops every buffered byte and event; returns the bytes dropped.
    mutating func drain() -> [UInt8] {
        var dropped = hdlcReader.reset()
        if case .error(_, let rest, _)? = wrapperReader.finish() { dropped += rest }
        for item in pending {
            switch item.event {
            case .hdlc(_, let b), .wrapper(_, let b), .invalid(let b, _), .garbage(let b): dropped += b
            }
        }
        pending = []
        return dropped
    }

    /// Feeds received bytes to the reader of the current framing and queues the events.
    mutating func feed(_ bytes: [UInt8], at instant: ContinuousClock.Instant) {
        switch framing {
        case .hdlc:
            hdlcReader.append(bytes)
            while let event = hdlcReader.next() {
                switch event {
                case .frame(let frame, let b, _): pending.append((.hdlc(frame, bytes: b), instant))
                case .error(let error, let b, _): pending.append((.invalid(bytes: b, error: error), instant))
                case .skipped(let b, _): pending.append((.garbage(b), instant))
                }
            }
        case .wrapper:
            wrapperReader.append(bytes)
            while let event = wrapperReader.next() {
                switch event {
                case .frame(let frame, let b, _): pending.append((.wrapper(frame, bytes: b), instant))
                case .error(let error, let b, _): pending.append((.invalid(bytes: b, error: error), instant))
                }
            }
        }
    }

    /// At a deadline: whatever partial frame is buffered, as a final event.
    mutating func flushPartial(at instant: ContinuousClock.Instant) {
        switch framing {
        case .hdlc:
            for event in hdlcReader.finish() {
                switch event {
                case .frame(let frame, let b, _): pending.append((.hdlc(frame, bytes: b), instant))
                case .error(let error, let b, _): pending.append((.invalid(bytes: b, error: error), instant))
                case .skipped(let b, _): pending.append((.garbage(b), instant))
                }
            }
        case .wrapper:
            if let event = wrapperReader.finish() {
                switch event {
                case .frame(let frame, let b, _): pending.append((.wrapper(frame, bytes: b), instant))
                case .error(let error, let b, _): pending.append((.invalid(bytes: b, error: error), instant))
                }
            }
        }
    }

    /// Whether a partial frame is buffered.
    var hasPartialFrame: Bool {
        framing == .hdlc ? hdlcReader.bufferedCount > 0 : wrapperReader.bufferedCount > 0
    }

    // MARK: Building frames

    /// The wrapper frame that carries `apdu` from the client to the logical device.
    func wrapperFrame(_ apdu: [UInt8]) throws(DLMSError) -> [UInt8] {
        try WrapperFrame(sourcePort: clientSAP, destinationPort: serverLogical, apdu: apdu[...]).encoded()
    }

    /// The I frames that carry `apdu` with the request LLC header, advancing N(S).
    mutating func informationFrames(_ apdu: [UInt8], llc: HDLCLLC? = .command) throws(DLMSError) -> [HDLCFrame] {
        guard let destination = serverAddress(), let source = clientAddress() else {
            throw DLMSError(.invalidValue, at: 0, "the configured HDLC addresses do not fit their sizes")
        }
        let frames = try HDLCSegmentation.informationFrames(
            apdu: apdu, llc: llc, destination: destination, source: source,
            maximumInformationFieldLength: maxInfoTransmit, firstSendSequence: sendSequence,
            receiveSequence: receiveSequence, pollFinal: .everyFrame)
        sendSequence = UInt8((Int(sendSequence) + frames.count) & 0x07)
        return frames
    }

    /// An unnumbered frame (SNRM without parameters, DISC, UI) from the client to the server.
    func unnumbered(_ type: HDLCControl.FrameType, information: [UInt8] = []) -> HDLCFrame? {
        guard let destination = serverAddress(), let source = clientAddress() else { return nil }
        return HDLCFrame.unnumbered(type, destination: destination, source: source, information: information[...])
    }

    /// An RR acknowledging everything received so far.
    func receiveReady() -> HDLCFrame? {
        guard let destination = serverAddress(), let source = clientAddress() else { return nil }
        return HDLCFrame.receiveReady(destination: destination, source: source, receiveSequence: receiveSequence)
    }

    /// Whether `frame` is addressed from the configured server to this client.
    func isForUs(_ frame: HDLCFrame) -> Bool {
        frame.destination.upper == clientSAP && frame.source.upper == serverLogical
            && (serverAddressSize == .one || frame.source.lower == serverPhysical)
    }
}
