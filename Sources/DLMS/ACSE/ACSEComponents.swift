import CodecSupport

/// Reads the components of an ACSE APDU in the order its SEQUENCE defines: each tag at most once,
/// in ascending order; a tag not in the list is `.unknownTag`, one out of order `.badFraming`.
struct ACSEComponentReader {
    private var reader: BERReader
    private let order: [BERTag]
    private let apdu: String
    private var last = -1

    init(_ element: BERElement, order: [BERTag], apdu: String) {
        reader = element.children()
        self.order = order
        self.apdu = apdu
    }

    /// The next component and its index in `order`, or nil at the end of the APDU.
    mutating func next() throws(DLMSError) -> (index: Int, element: BERElement)? {
        guard !reader.isAtEnd else { return nil }
        let element = try reader.read("\(apdu) component")
        guard let index = order.firstIndex(of: element.tag) else {
            throw DLMSError(.unknownTag, at: element.offset, "\(apdu): no component has tag \(element.tag)")
        }
        guard index > last else {
            throw DLMSError(.badFraming, at: element.offset, "\(apdu): component \(element.tag) repeated or out of order")
        }
        last = index
        return (index, element)
    }

    /// Offset just after the APDU's last octet (where a missing component is reported).
    var endOffset: Int { reader.offset + reader.remaining }
}

/// Builds an ACSE APDU's contents component by component and remembers where an
/// authentication value's secret octets land.
struct ACSEComponentWriter {
    private(set) var content: [UInt8] = []
    private var secret: Range<Int>?

    mutating func append(_ tag: BERTag, _ value: [UInt8]) {
        content += BERWriter.tlv(tag, value)
    }

    mutating func append(_ tag: BERTag, authentication value: AuthenticationValue) {
        let (inner, range) = value.encodedInner()
        let header = tag.encoded() + BERWriter.length(inner.count)
        let base = content.count + header.count
        secret = (base + range.lowerBound)..<(base + range.upperBound)
        content += header + inner
    }

    /// The APDU bytes and the secret's range in them.
    func finish(_ apduTag: BERTag) -> (bytes: [UInt8], secret: Range<Int>?) {
        let header = apduTag.encoded() + BERWriter.length(content.count)
        return (header + content, secret.map { ($0.lowerBound + header.count)..<($0.upperBound + header.count) })
    }
}

/// Decoders and encoders of the component shapes ACSE uses.
enum ACSEField {
    /// `[n] EXPLICIT OCTET STRING` (AP titles, AE qualifiers).
    static func explicitOctetString(_ e: BERElement, _ what: String) throws(DLMSError) -> [UInt8] {
        var r = e.children()
        let inner = try r.read(.octetString, what)
        try r.expectEnd(what)
        return Array(inner.value)
    }

    /// `[n] EXPLICIT INTEGER` (invocation identifiers, result, diagnostic values).
    static func explicitInteger(_ e: BERElement, _ what: String) throws(DLMSError) -> Int64 {
        var r = e.children()
        let inner = try r.read(.integer, what)
        try r.expectEnd(what)
        return try BERInteger.decode(inner.value, at: inner.valueOffset, what)
    }

    /// `[n] EXPLICIT OBJECT IDENTIFIER` (application-context-name).
    static func explicitOID(_ e: BERElement, _ what: String) throws(DLMSError) -> BERObjectIdentifier {
        var r = e.children()
        let inner = try r.read(.objectIdentifier, what)
        try r.expectEnd(what)
        return try BERObjectIdentifier(decoding: inner.value, at: inner.valueOffset, what)
    }

    /// `[n] IMPLICIT INTEGER` (release reasons).
    static func implicitInteger(_ e: BERElement, _ what: String) throws(DLMSError) -> Int64 {
        try BERInteger.decode(e.value, at: e.valueOffset, what)
    }

    /// `[n] IMPLICIT OBJECT IDENTIFIER` (mechanism-name).
    static func implicitOID(_ e: BERElement, _ what: String) throws(DLMSError) -> BERObjectIdentifier {
        try BERObjectIdentifier(decoding: e.value, at: e.valueOffset, what)
    }

    /// `[n] IMPLICIT BIT STRING` (protocol-version, ACSE requirements).
    static func implicitBitString(_ e: BERElement, _ what: String) throws(DLMSError) -> BERBitString {
        try BERBitString(decoding: e.value, at: e.valueOffset, what)
    }

    static func octetString(_ bytes: [UInt8]) -> [UInt8] { BERWriter.tlv(.octetString, bytes) }
    static func integer(_ value: Int64) -> [UInt8] { BERWriter.tlv(.integer, BERInteger.encode(value)) }
    static func oid(_ oid: BERObjectIdentifier) -> [UInt8] { BERWriter.tlv(.objectIdentifier, oid.encodedContent()) }

    static func hex(_ bytes: [UInt8]) -> JSONValue { .string(HexText.format(bytes, separator: "")) }

    /// Reads the one APDU with `tag` that makes up all of `bytes`.
    static func apdu(_ bytes: ArraySlice<UInt8>, _ tag: BERTag, _ what: String) throws(DLMSError) -> BERElement {
        var reader = BERReader(bytes)
        let element = try reader.read(tag, what)
        try reader.expectEnd(what)
        return element
    }
}
