import CodecSupport

/// Authentication-value (calling-authentication-value `AC` in an AARQ, responding-authentication-value
/// `AA` in an AARE; fact sheet §4.2–4.3): the LLS password or an HLS challenge (CtoS, StoC).
///
/// It is a secret: ``json``, ``description``, ``debugDescription`` and reflection show its length
/// and `***`, never the bytes. Read ``bytes`` only where the secret is needed.
public enum AuthenticationValue: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// `[0]` charstring (GraphicString): `80 L <bytes>`. What GX and U9 send.
    case charstring([UInt8])
    /// `[1]` bitstring: `81 L <unused bits> <bytes>` (U9 accepts it).
    case bitstring(BERBitString)

    /// The secret octets (for a bit string, the octets after the unused-bits octet).
    public var bytes: [UInt8] {
        switch self {
        case .charstring(let b): b
        case .bitstring(let s): s.bytes
        }
    }

    /// `charstring` or `bitstring`.
    public var choice: String {
        switch self {
        case .charstring: "charstring"
        case .bitstring: "bitstring"
        }
    }

    /// The CHOICE alternative's tag.
    var innerTag: BERTag { .context(self.choiceNumber, constructed: false) }
    private var choiceNumber: UInt32 {
        switch self {
        case .charstring: 0
        case .bitstring: 1
        }
    }

    /// Decodes the value of the explicit `AC`/`AA` wrapper.
    init(wrapper element: BERElement, _ what: String) throws(DLMSError) {
        var reader = element.children()
        let inner = try reader.read(what)
        try reader.expectEnd(what)
        switch inner.tag {
        case .context(0, constructed: false):
            self = .charstring(Array(inner.value))
        case .context(1, constructed: false):
            self = .bitstring(try BERBitString(decoding: inner.value, at: inner.valueOffset, what))
        default:
            throw DLMSError(.unknownTag, at: inner.offset, "\(what): choice \(inner.tag) is not charstring [0] or bitstring [1]")
        }
    }

    /// The inner TLV and, within it, the range of the secret octets.
    func encodedInner() -> (bytes: [UInt8], secret: Range<Int>) {
        let content: [UInt8]
        let secretStart: Int
        switch self {
        case .charstring(let b):
            content = b
            secretStart = 0
        case .bitstring(let s):
            content = s.encodedContent()
            secretStart = 1
        }
        let header = innerTag.encoded() + BERWriter.length(content.count)
        let start = header.count + secretStart
        return (header + content, start..<(header.count + content.count))
    }

    /// `{choice, length, value: "***"}`; the octets are never shown.
    public var json: JSONValue {
        .object([("choice", .string(choice)), ("length", .uint(UInt64(bytes.count))), ("value", .string("***"))])
    }

    /// `charstring(8 bytes: ***)`.
    public var description: String { "\(choice)(\(bytes.count) bytes: ***)" }
    /// Same as ``description``.
    public var debugDescription: String { description }
    /// Hides the octets from `dump` and `String(reflecting:)`.
    public var customMirror: Mirror { Mirror(self, children: ["redacted": description]) }
}

/// ACSE-requirements (sender `8A` in an AARQ, responder `88` in an AARE; fact sheet §4.8): a BIT
/// STRING whose bit 0 is `authentication`.
public struct ACSERequirements: Sendable, Hashable {
    /// The bit string as sent.
    public var bits: BERBitString

    /// Wraps a bit string.
    public init(_ bits: BERBitString) { self.bits = bits }

    /// `07 80`: only the authentication functional unit, as GX and U9 send it.
    public static let authentication = ACSERequirements(BERBitString(unusedBits: 7, bytes: [0x80]))

    /// ASN.1 bit 0, authentication.
    public var hasAuthentication: Bool { bits.isSet(0) }

    /// `{bits, authentication}`.
    public var json: JSONValue {
        .object([("bits", .string(bits.bitText)), ("authentication", .bool(hasAuthentication))])
    }
}

/// User-information (`BE`): an OCTET STRING holding an xDLMS APDU — InitiateRequest `01`,
/// InitiateResponse `08`, ConfirmedServiceError `0E`, or one of them ciphered (`21`, `28`, …,
/// general `DB`/`DC`). The content is kept as bytes; ``ciphered`` gives the ciphered view.
///
/// ``xdlms``, ``initiateRequest`` and ``initiateResponse`` decode ``content`` with the xDLMS codec
/// (`Sources/DLMS/XDLMS`); the bytes stay the source of truth, so an undecodable content still
/// round-trips.
public struct UserInformation: Sendable, Hashable {
    /// The xDLMS APDU bytes inside the OCTET STRING.
    public var content: [UInt8]

    /// Wraps xDLMS APDU bytes.
    public init(_ content: [UInt8]) { self.content = content }

    /// The first octet of ``content`` (the xDLMS tag), or nil when empty.
    public var xdlmsTag: UInt8? { content.first }

    /// The content decoded as a ciphered APDU when its tag is a ciphered one and it is well formed, else nil.
    public var ciphered: CipheredAPDU? {
        guard let tag = xdlmsTag, CipheredServiceTag(rawValue: tag) != nil else { return nil }
        return try? CipheredAPDU(decoding: content)
    }

    /// The content decoded by the xDLMS codec, or nil when it does not decode.
    public var xdlms: XDLMSAPDU? { try? XDLMSAPDU(decoding: content) }

    /// The plain InitiateRequest in the content, or nil (absent, ciphered or malformed).
    public var initiateRequest: InitiateRequest? {
        if case .initiateRequest(let request)? = xdlms { return request }
        return nil
    }

    /// The plain InitiateResponse in the content, or nil (absent, ciphered or malformed).
    public var initiateResponse: InitiateResponse? {
        if case .initiateResponse(let response)? = xdlms { return response }
        return nil
    }

    /// True when the content is a plain InitiateRequest whose dedicated-key flag is set (key
    /// material in clear), judged from the first two octets so that a malformed one counts too.
    public var carriesDedicatedKeyInClear: Bool {
        content.count >= 2 && content[0] == 0x01 && content[1] != 0x00
    }

    /// The xDLMS APDU's COSEMpdu ASN.1 name (`initiateRequest`, `initiateResponse`,
    /// `confirmedServiceError`, `glo-initiateRequest`, …), or nil for another tag.
    public var kind: String? {
        switch xdlmsTag {
        case 0x01: return "initiateRequest"
        case 0x08: return "initiateResponse"
        case 0x0E: return "confirmedServiceError"
        case let tag?: return CipheredServiceTag(rawValue: tag)?.name
        case nil: return nil
        }
    }

    /// Decodes the value of the explicit `BE` wrapper: one OCTET STRING.
    init(wrapper element: BERElement, _ what: String) throws(DLMSError) {
        var reader = element.children()
        let inner = try reader.read(.octetString, what)
        try reader.expectEnd(what)
        self.init(Array(inner.value))
    }

    /// The wrapped OCTET STRING TLV.
    func encodedInner() -> [UInt8] { BERWriter.tlv(.octetString, content) }

    /// `{kind, length, hex}`, then `ciphered` (a ciphered APDU) or `xdlms` (the xDLMS codec's
    /// description). A plain InitiateRequest with a dedicated key shows `hex` as `***` and no `xdlms`.
    public var json: JSONValue {
        let secret = carriesDedicatedKeyInClear
        var members: [(String, JSONValue)] = [
            ("kind", kind.map(JSONValue.string) ?? .null),
            ("length", .uint(UInt64(content.count))),
            ("hex", .string(secret ? "***" : HexText.format(content, separator: ""))),
        ]
        if let ciphered {
            members.append(("ciphered", ciphered.json))
        } else if !secret, let xdlms {
            members.append(("xdlms", xdlms.json))
        }
        return .object(members)
    }
}
