/// One BER TLV as read: its tag, where it starts and its value octets (a slice of the input).
public struct BERElement: Sendable, Hashable {
    /// The tag.
    public var tag: BERTag
    /// Offset of the first identifier octet, counted from the reader's origin.
    public var offset: Int
    /// Offset of the first value octet, counted from the reader's origin.
    public var valueOffset: Int
    /// The value octets.
    public var value: ArraySlice<UInt8>

    /// A reader over the value of a constructed element, with offsets that keep counting from
    /// the same origin.
    public func children() -> BERReader {
        BERReader(value, origin: valueOffset)
    }
}

/// A forward-only reader of BER TLVs (X.690 8.1) with definite lengths only.
///
/// Lengths are accepted in the short form and in the long form with 1…4 length octets, and only in
/// their shortest form (so that what decodes re-encodes to the same bytes); the indefinite form
/// `80` is `.unsupported`. Every length is checked against the bytes left before any slice is
/// taken, so nothing is allocated from a claimed length. Errors carry the offset from the origin.
public struct BERReader: Sendable {
    /// Most length octets after a long-form `8n` byte.
    public static let maximumLengthOctets = 4
    /// Most base-128 octets of a high tag number.
    public static let maximumTagOctets = 4

    private let bytes: ArraySlice<UInt8>
    private let origin: Int
    private var position: Int

    /// Reads `bytes`; offsets in errors and elements are `origin` plus the distance from
    /// `bytes.startIndex`.
    public init(_ bytes: ArraySlice<UInt8>, origin: Int = 0) {
        self.bytes = bytes
        self.origin = origin
        position = bytes.startIndex
    }

    /// Reads `bytes` from offset 0.
    public init(_ bytes: [UInt8]) {
        self.init(bytes[...])
    }

    /// Offset of the next octet from the origin.
    public var offset: Int { origin + (position - bytes.startIndex) }
    /// Number of unread octets.
    public var remaining: Int { bytes.endIndex - position }
    /// True when every octet has been read.
    public var isAtEnd: Bool { position >= bytes.endIndex }

    /// The tag of the next element without consuming it, or nil at the end or on a malformed tag.
    public func peekTag() -> BERTag? {
        var copy = self
        return try? copy.readTag("tag")
    }

    private mutating func byte(_ what: String) throws(DLMSError) -> UInt8 {
        guard position < bytes.endIndex else {
            throw DLMSError(.truncated, at: offset, "\(what): input ended")
        }
        defer { position += 1 }
        return bytes[position]
    }

    private mutating func readTag(_ what: String) throws(DLMSError) -> BERTag {
        let start = offset
        let lead = try byte("\(what) tag")
        let tagClass = BERTagClass(rawValue: lead >> 6) ?? .universal
        let constructed = lead & 0x20 != 0
        guard lead & 0x1F == 0x1F else {
            return BERTag(tagClass, UInt32(lead & 0x1F), constructed: constructed)
        }
        var number: UInt32 = 0
        for index in 0..<Self.maximumTagOctets {
            let b = try byte("\(what) tag number")
            if index == 0, b == 0x80 {
                throw DLMSError(.badFraming, at: start, "\(what): tag number not in its shortest form")
            }
            number = number << 7 | UInt32(b & 0x7F)
            if b & 0x80 == 0 {
                guard number >= 31 else {
                    throw DLMSError(.badFraming, at: start, "\(what): tag number \(number) must use the one-octet form")
                }
                return BERTag(tagClass, number, constructed: constructed)
            }
        }
        throw DLMSError(.unsupported, at: start, "\(what): tag number longer than \(Self.maximumTagOctets) octets")
    }

    private mutating func readLength(_ what: String) throws(DLMSError) -> Int {
        let start = offset
        let first = try byte("\(what) length")
        guard first & 0x80 != 0 else { return Int(first) }
        let count = Int(first & 0x7F)
        if count == 0 {
            throw DLMSError(.unsupported, at: start, "\(what): indefinite length (80) is not used by DLMS")
        }
        guard count <= Self.maximumLengthOctets else {
            throw DLMSError(.badLength, at: start, "\(what): \(count) length octets, at most \(Self.maximumLengthOctets) allowed")
        }
        var length = 0
        for _ in 0..<count { length = length << 8 | Int(try byte("\(what) length")) }
        guard length >= 0x80, length >> (8 * (count - 1)) != 0 else {
            throw DLMSError(.badLength, at: start, "\(what): length \(length) not in its shortest form")
        }
        return length
    }

    /// Reads one TLV; `what` names it in errors.
    public mutating func read(_ what: String) throws(DLMSError) -> BERElement {
        let start = offset
        let tag = try readTag(what)
        let lengthOffset = offset
        let length = try readLength(what)
        guard length <= remaining else {
            throw DLMSError(.truncated, at: lengthOffset, "\(what) \(tag): claims \(length) octet(s), \(remaining) left")
        }
        let valueOffset = offset
        let value = bytes[position..<(position + length)]
        position += length
        return BERElement(tag: tag, offset: start, valueOffset: valueOffset, value: value)
    }

    /// Reads one TLV that must carry `tag`; another tag is `.unknownTag` at its offset.
    public mutating func read(_ tag: BERTag, _ what: String) throws(DLMSError) -> BERElement {
        let start = offset
        let element = try read(what)
        guard element.tag == tag else {
            throw DLMSError(.unknownTag, at: start, "\(what): tag \(element.tag), expected \(tag)")
        }
        return element
    }

    /// Throws `.trailingBytes` unless every octet has been read.
    public func expectEnd(_ what: String) throws(DLMSError) {
        guard isAtEnd else {
            throw DLMSError(.trailingBytes, at: offset, "\(remaining) octet(s) after \(what)")
        }
    }
}
