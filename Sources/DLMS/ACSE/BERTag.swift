/// The class bits of a BER identifier octet (X.690 8.1.2.2).
public enum BERTagClass: UInt8, Sendable, Hashable, CaseIterable {
    /// `00`: UNIVERSAL (INTEGER, OCTET STRING, OBJECT IDENTIFIER, …).
    case universal = 0
    /// `01`: APPLICATION (the ACSE APDU tags `60`–`63`).
    case application = 1
    /// `10`: context-specific (the ACSE component tags `80`…`BE`).
    case contextSpecific = 2
    /// `11`: PRIVATE.
    case `private` = 3
}

/// A BER tag: class, primitive/constructed and number (X.690 8.1.2). Numbers above 30 use the
/// high-tag-number form (`1F` then base-128 octets), read and written in the shortest form.
public struct BERTag: Sendable, Hashable, CustomStringConvertible {
    /// The class.
    public var tagClass: BERTagClass
    /// True for a constructed encoding (bit 6 of the identifier octet).
    public var isConstructed: Bool
    /// The tag number.
    public var number: UInt32

    /// A tag with these parts.
    public init(_ tagClass: BERTagClass, _ number: UInt32, constructed: Bool) {
        self.tagClass = tagClass
        self.number = number
        self.isConstructed = constructed
    }

    /// A context-specific tag, `[number]`.
    public static func context(_ number: UInt32, constructed: Bool) -> BERTag {
        BERTag(.contextSpecific, number, constructed: constructed)
    }

    /// A constructed APPLICATION tag, `[APPLICATION number]`.
    public static func application(_ number: UInt32) -> BERTag {
        BERTag(.application, number, constructed: true)
    }

    /// UNIVERSAL 2, INTEGER.
    public static let integer = BERTag(.universal, 2, constructed: false)
    /// UNIVERSAL 3, BIT STRING (primitive).
    public static let bitString = BERTag(.universal, 3, constructed: false)
    /// UNIVERSAL 4, OCTET STRING (primitive).
    public static let octetString = BERTag(.universal, 4, constructed: false)
    /// UNIVERSAL 6, OBJECT IDENTIFIER.
    public static let objectIdentifier = BERTag(.universal, 6, constructed: false)

    /// The identifier octets.
    public func encoded() -> [UInt8] {
        let lead = tagClass.rawValue << 6 | (isConstructed ? 0x20 : 0)
        guard number >= 31 else { return [lead | UInt8(number)] }
        return [lead | 0x1F] + BERObjectIdentifier.base128(UInt64(number))
    }

    /// The identifier octets in hex, e.g. `A1`.
    public var description: String {
        encoded().map { b in
            let s = String(b, radix: 16, uppercase: true)
            return b < 16 ? "0" + s : s
        }.joined()
    }
}
