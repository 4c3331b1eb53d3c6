import CodecSupport

/// One DLMS/COSEM message as found on a line or in a capture: an HDLC frame, a wrapper (IEC
/// 62056-47) frame, or a bare APDU, with its APDU decoded as far as the codec and the keys allow.
///
/// What `meterproof decode dlms` prints, and what the capture analyser will hand its checks.
public struct DLMSMessage: Sendable {
    /// How the APDU was carried.
    public enum Framing: String, Sendable, Hashable {
        /// HDLC frame format type 3 (starts with `7E A`).
        case hdlc
        /// Wrapper header, version 0x0001.
        case wrapper
        /// No framing: the bytes start with an APDU tag.
        case apdu
    }

    /// The decoded APDU.
    public enum APDU: Sendable, Hashable {
        /// AARQ, AARE, RLRQ, RLRE.
        case acse(ACSEAPDU)
        /// An xDLMS APDU (ciphered ones as `.ciphered`).
        case xdlms(XDLMSAPDU)
    }

    public var framing: Framing
    /// The HDLC frame, for `.hdlc`.
    public var hdlc: HDLCParsedFrame?
    /// The wrapper frame, for `.wrapper`.
    public var wrapper: WrapperFrame?
    /// The APDU's bytes (after the LLC header for HDLC); empty when the frame carries none.
    public var apduBytes: ArraySlice<UInt8>
    /// Index of the message's first byte in the buffer it was decoded from (offsets count from it).
    var frameStart: Int = 0
    /// The APDU, when the bytes hold a complete one (not a segment of a longer one).
    public var apdu: APDU?
    /// Why the APDU bytes do not decode, when they do not.
    public var apduError: DLMSError?
    /// The plain APDU inside a ciphered one, when keys were given and it deciphered.
    public var deciphered: APDU?
    /// Why a ciphered APDU did not decipher, when keys were given.
    public var decipherError: DLMSError?

    /// Which framing `bytes` start with: `7E A?` is HDLC, `00 01` plus a length that fits is a
    /// wrapper, anything else an APDU.
    public static func detectFraming(_ bytes: ArraySlice<UInt8>) -> Framing {
        let s = bytes.startIndex
        if bytes.count >= 2, bytes[s] == 0x7E, bytes[s + 1] & 0xF0 == 0xA0 { return .hdlc }
        if bytes.count >= WrapperHeader.size, bytes[s] == 0x00, bytes[s + 1] == 0x01 {
            let length = Int(bytes[s + 6]) << 8 | Int(bytes[s + 7])
            if length == bytes.count - WrapperHeader.size { return .wrapper }
        }
        return .apdu
    }

    /// Decodes one message. Framing errors (bad FCS, wrapper length) throw; APDU errors are kept in
    /// `apduError` so the frame is still shown. `security` deciphers protected APDUs; `sender` says
    /// whose invocation counter and system title formed the IV (`nil`: try the server, then the client).
    public static func decode(_ bytes: ArraySlice<UInt8>, security: SecurityContext? = nil,
                              sender: SecurityParty? = nil) throws(DLMSError) -> DLMSMessage {
        var message: DLMSMessage
        switch detectFraming(bytes) {
        case .hdlc:
            let parsed = try HDLCFrame.parse(bytes)
            if let error = parsed.checkError { throw error }
            var info = parsed.frame.information
            if HDLCLLC.detect(in: info) != nil { info = info.dropFirst(3) }
            let carriesAPDU = parsed.frame.frameType == .information || parsed.frame.frameType == .unnumberedInformation
            message = DLMSMessage(framing: .hdlc, hdlc: parsed, apduBytes: carriesAPDU ? info : info[info.endIndex...])
            if parsed.frame.segmented || !carriesAPDU { return message }
        case .wrapper:
            let frame = try WrapperFrame.decode(bytes)
            message = DLMSMessage(framing: .wrapper, wrapper: frame, apduBytes: frame.apdu)
        case .apdu:
            message = DLMSMessage(framing: .apdu, apduBytes: bytes)
        }
        message.frameStart = bytes.startIndex
        guard !message.apduBytes.isEmpty else { return message }
        let offset = message.apduBytes.startIndex - bytes.startIndex
        do {
            message.apdu = try decodeAPDU(message.apduBytes)
        } catch {
            message.apduError = error.shifted(by: offset)
            return message
        }
        if let security { message.decipher(with: security, sender: sender) }
        return message
    }

    /// Decodes one message from a whole array.
    public static func decode(_ bytes: [UInt8], security: SecurityContext? = nil,
                              sender: SecurityParty? = nil) throws(DLMSError) -> DLMSMessage {
        try decode(bytes[...], security: security, sender: sender)
    }

    /// The system title a general-glo/ded-ciphering APDU carries, when it carries one.
    public var carriedSystemTitle: [UInt8]? {
        guard case .xdlms(.ciphered(let apdu))? = apdu, let title = apdu.systemTitle, !title.isEmpty else { return nil }
        return Array(title)
    }

    /// Deciphers a ciphered APDU with `security`, filling `deciphered` or `decipherError`; does
    /// nothing for a plain one. `sender` nil tries the server's IV, then the client's.
    public mutating func decipher(with security: SecurityContext, sender: SecurityParty? = nil) {
        guard case .xdlms(.ciphered)? = apdu else { return }
        let offset = apduBytes.startIndex - frameStart
        let senders: [SecurityParty] = sender.map { [$0] } ?? [.server, .client]
        for party in senders {
            do {
                let plain = try security.unprotect(bytes: apduBytes, from: party)
                decipherError = nil
                deciphered = try Self.decodeAPDU(plain.plaintext[...])
                return
            } catch {
                decipherError = error.shifted(by: offset)
            }
        }
    }

    /// An APDU by its first byte: ACSE application tags 60–63, else xDLMS.
    public static func decodeAPDU(_ bytes: ArraySlice<UInt8>) throws(DLMSError) -> APDU {
        guard let tag = bytes.first else { throw DLMSError(.truncated, at: 0, "no APDU bytes") }
        if (0x60...0x63).contains(tag) { return .acse(try ACSEAPDU(decoding: bytes)) }
        return .xdlms(try XDLMSAPDU(decoding: bytes))
    }
}

extension DLMSMessage.APDU: JSONRepresentable {
    /// The ACSE or xDLMS APDU's own description.
    public var json: JSONValue {
        switch self {
        case .acse(let apdu): apdu.json
        case .xdlms(let apdu): apdu.json
        }
    }
}

extension DLMSMessage: JSONRepresentable {
    /// `framing`, `hdlc` or `wrapper`, `apdu` (or `apdu_error`), and `deciphered` (or `decipher_error`).
    public var json: JSONValue {
        var members: [(String, JSONValue)] = [("framing", .string(framing.rawValue))]
        if let hdlc { members.append(("hdlc", hdlc.json)) }
        if let wrapper {
            members.append(("wrapper", .object([
                ("version", .int(Int64(WrapperHeader.version))), ("source_wport", .int(Int64(wrapper.sourcePort))),
                ("destination_wport", .int(Int64(wrapper.destinationPort))), ("length", .int(Int64(wrapper.apdu.count))),
            ])))
        }
        if let apdu { members.append(("apdu", apdu.json)) }
        if let apduError { members.append(("apdu_error", Self.errorJSON(apduError))) }
        if apdu == nil, apduError == nil, !apduBytes.isEmpty {
            members.append(("apdu_segment", .string(HexText.format(apduBytes, separator: ""))))
        }
        if let deciphered { members.append(("deciphered", deciphered.json)) }
        if let decipherError { members.append(("decipher_error", Self.errorJSON(decipherError))) }
        return .object(members)
    }

    /// `{code, offset, message}` of an error.
    public static func errorJSON(_ error: DLMSError) -> JSONValue {
        .object([("code", .string(error.code.rawValue)), ("offset", .int(Int64(error.offset))), ("message", .string(error.reason))])
    }
}
