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

    /// The ranges of `bytes` to redact when they are an AARQ or AARE with an authentication value
    /// (offsets count from `bytes.startIndex`). Bytes that do not decode are scanned leniently:
    /// an `AC`/`AA` component's value is redacted, and when its inner length overruns it (as in
    /// some recorded Gurux AAREs) everything from there to the end of the input.
    public static func secretRanges(in bytes: ArraySlice<UInt8>) -> [Range<Int>] {
        if let apdu = try? ACSEAPDU(decoding: bytes) { return apdu.secretRanges }
        var outer = BERReader(bytes)
        guard let element = try? outer.read("ACSE APDU") else { return [] }
        let secretTag: BERTag
        switch element.tag {
        case AARQ.tag: secretTag = .context(12, constructed: true)
        case AARE.tag: secretTag = .context(10, constructed: true)
        default: return []
        }
        var components = element.children()
        while let component = try? components.read("component") {
            guard component.tag == secretTag else { continue }
            var inner = component.children()
            if let value = try? inner.read("authentication value") {
                return [value.valueOffset..<(value.valueOffset + value.value.count)]
            }
            return [component.valueOffset..<bytes.count]
        }
        return []
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
