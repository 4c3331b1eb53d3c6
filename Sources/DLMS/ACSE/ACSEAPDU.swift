import CodecSupport

/// Any of the four ACSE APDUs, chosen by the first octet (`60`–`63`; fact sheet §4.1).
public enum ACSEAPDU: Sendable, Hashable, JSONRepresentable {
    /// `60` A-ASSOCIATE request.
    case aarq(AARQ)
    /// `61` A-ASSOCIATE response.
    case aare(AARE)
    /// `62` A-RELEASE request.
    case rlrq(RLRQ)
    /// `63` A-RELEASE response.
    case rlre(RLRE)

    /// True when `tag` is one of `60`–`63`.
    public static func isACSETag(_ tag: UInt8) -> Bool { (0x60...0x63).contains(tag) }

    /// Decodes exactly `bytes`; error offsets count from `bytes.startIndex`. Another first octet is
    /// `.unknownTag` at 0.
    public init(decoding bytes: ArraySlice<UInt8>) throws(DLMSError) {
        var reader = BERReader(bytes)
        let element = try reader.read("ACSE APDU")
        try reader.expectEnd("ACSE APDU")
        switch element.tag {
        case AARQ.tag: self = .aarq(try AARQ(element: element))
        case AARE.tag: self = .aare(try AARE(element: element))
        case RLRQ.tag: self = .rlrq(try RLRQ(element: element))
        case RLRE.tag: self = .rlre(try RLRE(element: element))
        default: throw DLMSError(.unknownTag, at: 0, "tag \(element.tag) is not an ACSE APDU (60–63)")
        }
    }

    /// Decodes exactly `bytes`.
    public init(decoding bytes: [UInt8]) throws(DLMSError) { try self.init(decoding: bytes[...]) }

    /// The APDU bytes.
    public func encoded() -> [UInt8] {
        switch self {
        case .aarq(let a): a.encoded()
        case .aare(let a): a.encoded()
        case .rlrq(let r): r.encoded()
        case .rlre(let r): r.encoded()
        }
    }

    /// `aarq`, `aare`, `rlrq` or `rlre`.
    public var name: String {
        switch self {
        case .aarq: "aarq"
        case .aare: "aare"
        case .rlrq: "rlrq"
        case .rlre: "rlre"
        }
    }

    /// Byte ranges of ``encoded()`` (equal to the decoded input) that hold an authentication value
    /// — LLS password, HLS CtoS or StoC — and must be redacted from captures; empty when none.
    public var secretRanges: [Range<Int>] {
        switch self {
        case .aarq(let a): a.secretRange.map { [$0] } ?? []
        case .aare(let a): a.secretRange.map { [$0] } ?? []
        case .rlrq, .rlre: []
        }
    }

    /// The ranges of `bytes` to redact when they are an ACSE APDU with an authentication value;
    /// empty when there is none or the bytes do not decode (offsets count from `bytes.startIndex`).
    public static func secretRanges(in bytes: ArraySlice<UInt8>) -> [Range<Int>] {
        (try? ACSEAPDU(decoding: bytes))?.secretRanges ?? []
    }

    /// A copy of `bytes` with every secret octet replaced by `filler` (length kept).
    public static func redacted(_ bytes: [UInt8], filler: UInt8 = 0x2A) -> [UInt8] {
        var out = bytes
        for range in secretRanges(in: bytes[...]) where range.upperBound <= out.count {
            for i in range { out[i] = filler }
        }
        return out
    }

    /// The APDU's JSON description (``AARQ/json`` and the others).
    public var json: JSONValue {
        switch self {
        case .aarq(let a): a.json
        case .aare(let a): a.json
        case .rlrq(let r): r.json
        case .rlre(let r): r.json
        }
    }
}
