import CodecSupport

/// Characters of the IEC 62056-21 opening messages (fact sheet §2.1).
enum ModeECharacter {
    static let start: UInt8 = 0x2F        // "/"
    static let request: UInt8 = 0x3F      // "?"
    static let end: UInt8 = 0x21          // "!"
    static let escape: UInt8 = 0x5C       // "\"
    static let acknowledge: UInt8 = 0x06  // ACK
    static let carriageReturn: UInt8 = 0x0D
    static let lineFeed: UInt8 = 0x0A

    static func isDigit(_ b: UInt8) -> Bool { (0x30...0x39).contains(b) }
    static func isLetter(_ b: UInt8) -> Bool { (0x41...0x5A).contains(b) || (0x61...0x7A).contains(b) }
    static func isPrintable(_ b: UInt8) -> Bool { (0x20...0x7E).contains(b) }

    /// Checks that `bytes` ends with CR LF; returns the index of the CR.
    static func checkLineEnd(_ bytes: ArraySlice<UInt8>, minimum: Int, what: String) throws(DLMSError) -> Int {
        guard bytes.count >= minimum else {
            throw DLMSError(.truncated, at: bytes.count, "\(what) needs at least \(minimum) bytes, \(bytes.count) present")
        }
        let cr = bytes.endIndex - 2
        guard bytes[cr] == carriageReturn, bytes[cr + 1] == lineFeed else {
            throw DLMSError(.badFraming, at: bytes.count - 2, "\(what) does not end with CR LF")
        }
        return cr
    }
}

/// The sign-on request `/?[address]!` CR LF, sent at 300 Bd 7E1 (IEC 62056-21; fact sheet §2.1 step 1).
public struct ModeESignOnRequest: Hashable, Sendable {
    /// The device address; empty for "any device" (`/?!` CR LF).
    public let deviceAddress: String

    /// A request; throws `.invalidValue` unless the address is 0–32 characters `[A-Za-z0-9]`
    /// (JD's rule, the only source giving one).
    public init(deviceAddress: String = "") throws(DLMSError) {
        let bytes = Array(deviceAddress.utf8)
        guard bytes.count <= 32 else {
            throw DLMSError(.invalidValue, at: 2, "device address of \(bytes.count) characters; at most 32")
        }
        if let bad = bytes.firstIndex(where: { !ModeECharacter.isDigit($0) && !ModeECharacter.isLetter($0) }) {
            throw DLMSError(.invalidValue, at: 2 + bad, "device address characters are A–Z, a–z and 0–9")
        }
        self.deviceAddress = deviceAddress
    }

    /// `2F 3F` address `21 0D 0A`.
    public func encoded() -> [UInt8] {
        [ModeECharacter.start, ModeECharacter.request] + Array(deviceAddress.utf8)
            + [ModeECharacter.end, ModeECharacter.carriageReturn, ModeECharacter.lineFeed]
    }

    /// Decodes exactly one request filling `bytes`.
    public static func decode(_ bytes: ArraySlice<UInt8>) throws(DLMSError) -> ModeESignOnRequest {
        let cr = try ModeECharacter.checkLineEnd(bytes, minimum: 5, what: "sign-on request")
        let s = bytes.startIndex
        guard bytes[s] == ModeECharacter.start, bytes[s + 1] == ModeECharacter.request else {
            throw DLMSError(.badFraming, at: 0, "sign-on request does not start with /?")
        }
        guard bytes[cr - 1] == ModeECharacter.end else {
            throw DLMSError(.badFraming, at: cr - 1 - s, "sign-on request lacks ! before CR LF")
        }
        let address = bytes[(s + 2)..<(cr - 1)]
        return try ModeESignOnRequest(deviceAddress: String(decoding: address, as: UTF8.self))
    }

    /// Decodes exactly one request filling `bytes`.
    public static func decode(_ bytes: [UInt8]) throws(DLMSError) -> ModeESignOnRequest { try decode(bytes[...]) }
}

/// The identification message `/` + manufacturer id (3 letters) + Z [`\` W] + ident + CR LF, the meter's answer to the sign-on
/// (IEC 62056-21; fact sheet §2.1 step 2).
public struct ModeEIdentification: Hashable, Sendable {
    /// Manufacturer identification, three letters; a lower-case third letter means a 20 ms
    /// reaction time (§2.1).
    public let manufacturer: String
    /// The baud-rate character Z as received.
    public let baudCharacter: UInt8
    /// W of an escape sequence `\W` after Z (`2` = binary mode, HDLC), or nil.
    public let enhancedIdentification: UInt8?
    /// The identification text.
    public let identification: String

    /// A message; throws `.invalidValue` for a manufacturer that is not 3 letters, a
    /// non-printable Z or W, or an identification with characters outside 20…7E.
    public init(manufacturer: String, baudCharacter: UInt8, enhancedIdentification: UInt8? = nil,
                identification: String) throws(DLMSError) {
        let m = Array(manufacturer.utf8)
        guard m.count == 3, m.allSatisfy(ModeECharacter.isLetter) else {
            throw DLMSError(.invalidValue, at: 1, "manufacturer identification must be 3 letters")
        }
        guard ModeECharacter.isPrintable(baudCharacter), baudCharacter != ModeECharacter.escape else {
            throw DLMSError(.invalidValue, at: 4, "baud-rate character 0x\(hdlcHex(baudCharacter)) is not a printable character")
        }
        if let w = enhancedIdentification, !ModeECharacter.isPrintable(w) {
            throw DLMSError(.invalidValue, at: 6, "escape character 0x\(hdlcHex(w)) is not printable")
        }
        let text = Array(identification.utf8)
        let textStart = enhancedIdentification == nil ? 5 : 7
        if let bad = text.firstIndex(where: { !ModeECharacter.isPrintable($0) }) {
            throw DLMSError(.invalidValue, at: textStart + bad, "identification characters must be printable ASCII")
        }
        self.manufacturer = manufacturer
        self.baudCharacter = baudCharacter
        self.enhancedIdentification = enhancedIdentification
        self.identification = identification
    }

    /// The rate Z proposes (modes C/E table), or nil for a reserved or mode-B character.
    public var baudRate: ModeEBaudRate? { ModeEBaudRate(rawValue: baudCharacter) }

    /// True when the escape sequence `\2` announces binary mode (HDLC, mode E; L21).
    public var announcesHDLC: Bool { enhancedIdentification == 0x32 }

    /// The meter's minimum reaction time: 20 ms when the third manufacturer letter is lower case, else 200 ms.
    public var minimumReactionTime: Duration { ModeETiming.minimumReactionTime(manufacturer: manufacturer) }

    /// `/`, the 3-letter manufacturer id, Z, optionally `\` W, ident, CR LF.
    public func encoded() -> [UInt8] {
        var out = [ModeECharacter.start] + Array(manufacturer.utf8) + [baudCharacter]
        if let w = enhancedIdentification { out += [ModeECharacter.escape, w] }
        out += Array(identification.utf8)
        out += [ModeECharacter.carriageReturn, ModeECharacter.lineFeed]
        return out
    }

    /// Decodes exactly one message filling `bytes`. An escape sequence is recognised only
    /// directly after Z.
    public static func decode(_ bytes: ArraySlice<UInt8>) throws(DLMSError) -> ModeEIdentification {
        let cr = try ModeECharacter.checkLineEnd(bytes, minimum: 7, what: "identification message")
        let s = bytes.startIndex
        guard bytes[s] == ModeECharacter.start else {
            throw DLMSError(.badFraming, at: 0, "identification message does not start with /")
        }
        let manufacturer = String(decoding: bytes[(s + 1)..<(s + 4)], as: UTF8.self)
        let z = bytes[s + 4]
        var textStart = s + 5
        var w: UInt8?
        if textStart + 1 < cr, bytes[textStart] == ModeECharacter.escape {
            w = bytes[textStart + 1]
            textStart += 2
        }
        // Check the raw bytes first so a non-ASCII byte is reported, not replaced.
        if let bad = bytes[(s + 1)..<(s + 4)].firstIndex(where: { !ModeECharacter.isLetter($0) }) {
            throw DLMSError(.invalidValue, at: bad - s, "manufacturer identification must be 3 letters")
        }
        if let bad = bytes[textStart..<cr].firstIndex(where: { !ModeECharacter.isPrintable($0) }) {
            throw DLMSError(.invalidValue, at: bad - s, "identification characters must be printable ASCII")
        }
        return try ModeEIdentification(manufacturer: manufacturer, baudCharacter: z, enhancedIdentification: w,
                                       identification: String(decoding: bytes[textStart..<cr], as: UTF8.self))
    }

    /// Decodes exactly one message filling `bytes`.
    public static func decode(_ bytes: [UInt8]) throws(DLMSError) -> ModeEIdentification { try decode(bytes[...]) }
}

/// The acknowledgement/option select message ACK V Z Y CR LF (IEC 62056-21; fact sheet §2.1 step 3, §2.3).
public struct ModeEOptionSelect: Hashable, Sendable {
    /// Protocol control character V (§2.3).
    public enum ProtocolControl: UInt8, Hashable, Sendable, CaseIterable {
        /// `0`: normal protocol procedure.
        case normal = 0x30
        /// `1`: secondary protocol procedure.
        case secondary = 0x31
        /// `2`: HDLC protocol procedure (mode E).
        case hdlc = 0x32
    }

    /// Mode control character Y (§2.3).
    public enum ModeControl: UInt8, Hashable, Sendable, CaseIterable {
        /// `0`: data readout.
        case dataReadout = 0x30
        /// `1`: programming mode.
        case programming = 0x31
        /// `2`: binary mode (HDLC).
        case binary = 0x32
    }

    /// V as sent (`0`…`9`).
    public let protocolControlCharacter: UInt8
    /// Z as sent (`0`…`9`).
    public let baudCharacter: UInt8
    /// Y as sent (`0`…`9`).
    public let modeControlCharacter: UInt8

    /// A message from raw characters; throws `.invalidValue` unless each is a digit.
    public init(protocolControlCharacter: UInt8, baudCharacter: UInt8, modeControlCharacter: UInt8) throws(DLMSError) {
        for (offset, c) in [(1, protocolControlCharacter), (2, baudCharacter), (3, modeControlCharacter)]
        where !ModeECharacter.isDigit(c) {
            throw DLMSError(.invalidValue, at: offset, "option character 0x\(hdlcHex(c)) is not a digit")
        }
        self.protocolControlCharacter = protocolControlCharacter
        self.baudCharacter = baudCharacter
        self.modeControlCharacter = modeControlCharacter
    }

    /// Switch to HDLC (mode E) at `rate`: ACK `2` Z `2` CR LF (JD, GX).
    public static func hdlc(_ rate: ModeEBaudRate) -> ModeEOptionSelect {
        ModeEOptionSelect(checked: ProtocolControl.hdlc.rawValue, rate.rawValue, ModeControl.binary.rawValue)
    }

    private init(checked v: UInt8, _ z: UInt8, _ y: UInt8) {
        protocolControlCharacter = v
        baudCharacter = z
        modeControlCharacter = y
    }

    /// V's meaning, nil when reserved.
    public var protocolControl: ProtocolControl? { ProtocolControl(rawValue: protocolControlCharacter) }
    /// Y's meaning, nil when reserved or manufacturer-specific.
    public var modeControl: ModeControl? { ModeControl(rawValue: modeControlCharacter) }
    /// The rate Z selects, nil when reserved.
    public var baudRate: ModeEBaudRate? { ModeEBaudRate(rawValue: baudCharacter) }
    /// True for V = `2` and Y = `2`: the switch to HDLC.
    public var selectsHDLC: Bool { protocolControl == .hdlc && modeControl == .binary }

    /// `06 V Z Y 0D 0A`.
    public func encoded() -> [UInt8] {
        [ModeECharacter.acknowledge, protocolControlCharacter, baudCharacter, modeControlCharacter,
         ModeECharacter.carriageReturn, ModeECharacter.lineFeed]
    }

    /// Decodes exactly one message filling `bytes` (6 bytes).
    public static func decode(_ bytes: ArraySlice<UInt8>) throws(DLMSError) -> ModeEOptionSelect {
        _ = try ModeECharacter.checkLineEnd(bytes, minimum: 6, what: "option select message")
        guard bytes.count == 6 else {
            throw DLMSError(.badLength, at: 4, "option select message is \(bytes.count) bytes; 6 expected")
        }
        let s = bytes.startIndex
        guard bytes[s] == ModeECharacter.acknowledge else {
            throw DLMSError(.badFraming, at: 0, "option select message does not start with ACK (06)")
        }
        return try ModeEOptionSelect(protocolControlCharacter: bytes[s + 1], baudCharacter: bytes[s + 2],
                                     modeControlCharacter: bytes[s + 3])
    }

    /// Decodes exactly one message filling `bytes`.
    public static func decode(_ bytes: [UInt8]) throws(DLMSError) -> ModeEOptionSelect { try decode(bytes[...]) }
}
