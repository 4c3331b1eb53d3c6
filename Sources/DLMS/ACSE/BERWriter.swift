/// BER TLV encoding with definite lengths in their shortest form (the form ``BERReader`` accepts).
public enum BERWriter {
    /// The length octets for `count` value octets: `00`–`7F`, else `8n` and n big-endian octets.
    public static func length(_ count: Int) -> [UInt8] {
        guard count >= 0x80 else { return [UInt8(max(count, 0))] }
        var octets: [UInt8] = []
        var rest = count
        while rest > 0 {
            octets.insert(UInt8(rest & 0xFF), at: 0)
            rest >>= 8
        }
        return [0x80 | UInt8(octets.count)] + octets
    }

    /// Tag, length and value.
    public static func tlv(_ tag: BERTag, _ value: [UInt8]) -> [UInt8] {
        tag.encoded() + length(value.count) + value
    }

    /// Number of identifier and length octets in front of a value of `count` octets.
    public static func headerSize(_ tag: BERTag, valueCount count: Int) -> Int {
        tag.encoded().count + length(count).count
    }
}

/// BER INTEGER contents (X.690 8.3): two's complement, big-endian, shortest form.
public enum BERInteger {
    /// Decodes the contents octets of an INTEGER of at most 8 octets; `offset` locates them for errors.
    public static func decode(_ content: ArraySlice<UInt8>, at offset: Int, _ what: String) throws(DLMSError) -> Int64 {
        guard let first = content.first else {
            throw DLMSError(.badLength, at: offset, "\(what): INTEGER with no contents octets")
        }
        guard content.count <= 8 else {
            throw DLMSError(.unsupported, at: offset, "\(what): INTEGER of \(content.count) octets, at most 8 handled")
        }
        if content.count > 1 {
            let second = content[content.startIndex + 1]
            if (first == 0x00 && second & 0x80 == 0) || (first == 0xFF && second & 0x80 != 0) {
                throw DLMSError(.invalidValue, at: offset, "\(what): INTEGER not in its shortest form")
            }
        }
        var value: Int64 = first & 0x80 != 0 ? -1 : 0
        for b in content { value = value << 8 | Int64(b) }
        return value
    }

    /// The shortest contents octets of `value`.
    public static func encode(_ value: Int64) -> [UInt8] {
        var octets: [UInt8] = []
        var rest = value
        repeat {
            octets.insert(UInt8(truncatingIfNeeded: rest), at: 0)
            rest >>= 8
        } while !(rest == 0 && octets[0] & 0x80 == 0) && !(rest == -1 && octets[0] & 0x80 != 0)
        return octets
    }
}

/// A BER BIT STRING value as sent (X.690 8.6): the number of unused bits in the last octet and
/// the octets. Unused bits are kept as received, so a decoded value re-encodes unchanged.
public struct BERBitString: Sendable, Hashable {
    /// Unused bits in the last octet, 0…7 (0 when ``bytes`` is empty).
    public var unusedBits: UInt8
    /// The octets holding the bits, ASN.1 bit 0 being the most significant bit of the first.
    public var bytes: [UInt8]

    /// A bit string; `unusedBits` must be 0…7, and 0 when `bytes` is empty.
    public init(unusedBits: UInt8, bytes: [UInt8]) {
        self.unusedBits = unusedBits
        self.bytes = bytes
    }

    /// Number of bits.
    public var count: Int { max(bytes.count * 8 - Int(unusedBits), 0) }

    /// ASN.1 bit `n` (bit 0 is the MSB of the first octet); false beyond ``count``.
    public func isSet(_ n: Int) -> Bool {
        guard n >= 0, n < count else { return false }
        return bytes[n / 8] & (0x80 >> UInt8(n % 8)) != 0
    }

    /// Decodes contents octets (the unused-bits octet and the bits); `offset` locates them.
    public init(decoding content: ArraySlice<UInt8>, at offset: Int, _ what: String) throws(DLMSError) {
        guard let unused = content.first else {
            throw DLMSError(.badLength, at: offset, "\(what): BIT STRING with no contents octets")
        }
        guard unused <= 7, content.count > 1 || unused == 0 else {
            throw DLMSError(.invalidValue, at: offset, "\(what): \(unused) unused bits in a BIT STRING of \(content.count - 1) octet(s)")
        }
        self.init(unusedBits: unused, bytes: Array(content.dropFirst()))
    }

    /// The contents octets: unused-bits octet, then the bits.
    public func encodedContent() -> [UInt8] { [unusedBits] + bytes }

    /// The bits as text, e.g. `1` for `07 80`.
    public var bitText: String {
        String((0..<count).map { isSet($0) ? "1" : "0" })
    }
}

/// A BER OBJECT IDENTIFIER (X.690 8.19), stored as its arcs and written in the shortest form.
///
/// Arcs are bounded to 64 bits and sub-identifiers to 10 octets; a leading `80` octet is not the
/// shortest form and is rejected, so decoding and encoding agree byte for byte.
public struct BERObjectIdentifier: Sendable, Hashable, CustomStringConvertible {
    /// The arcs, e.g. `[2, 16, 756, 5, 8, 1, 1]`.
    public var arcs: [UInt64]

    /// An OID with these arcs (at least two; the first 0…2; the second < 40 unless the first is 2).
    public init(_ arcs: [UInt64]) {
        self.arcs = arcs
    }

    /// Dotted text, e.g. `2.16.756.5.8.1.1`.
    public var description: String { arcs.map(String.init).joined(separator: ".") }

    /// The base-128 octets of one value, most significant first.
    static func base128(_ value: UInt64) -> [UInt8] {
        var octets: [UInt8] = [UInt8(value & 0x7F)]
        var rest = value >> 7
        while rest > 0 {
            octets.insert(0x80 | UInt8(rest & 0x7F), at: 0)
            rest >>= 7
        }
        return octets
    }

    /// Decodes contents octets; `offset` locates them for errors.
    public init(decoding content: ArraySlice<UInt8>, at offset: Int, _ what: String) throws(DLMSError) {
        guard !content.isEmpty else {
            throw DLMSError(.badLength, at: offset, "\(what): OBJECT IDENTIFIER with no contents octets")
        }
        var subidentifiers: [UInt64] = []
        var value: UInt64 = 0
        var octets = 0
        for (i, b) in content.enumerated() {
            if octets == 0, b == 0x80 {
                throw DLMSError(.invalidValue, at: offset + i, "\(what): sub-identifier not in its shortest form")
            }
            octets += 1
            guard octets <= 10, value >> 57 == 0 else {
                throw DLMSError(.unsupported, at: offset + i, "\(what): sub-identifier wider than 64 bits")
            }
            value = value << 7 | UInt64(b & 0x7F)
            if b & 0x80 == 0 {
                subidentifiers.append(value)
                value = 0
                octets = 0
            }
        }
        guard octets == 0 else {
            throw DLMSError(.truncated, at: offset + content.count, "\(what): last sub-identifier unterminated")
        }
        let first = subidentifiers[0]
        let head: [UInt64] = first < 40 ? [0, first] : first < 80 ? [1, first - 40] : [2, first - 80]
        self.init(head + subidentifiers.dropFirst())
    }

    /// The contents octets (no tag, no length).
    public func encodedContent() -> [UInt8] {
        guard arcs.count >= 2 else { return Self.base128(arcs.first.map { $0 * 40 } ?? 0) }
        let (lead, overflow) = arcs[0].multipliedReportingOverflow(by: 40)
        let (combined, overflow2) = lead.addingReportingOverflow(arcs[1])
        var out = Self.base128(overflow || overflow2 ? arcs[1] : combined)
        for arc in arcs.dropFirst(2) { out += Self.base128(arc) }
        return out
    }
}
