import CodecSupport

/// A secondary address: identification number, manufacturer, version and medium, as sent in a
/// selection (CI 52) and at the start of a long header (CI 72) (EN 13757-2/-3; fact sheet §1.8, §2.1).
///
/// Stored as raw codes so that selection patterns and meters that send odd values both fit:
/// a nibble of F is a wildcard in a pattern (per digit in the ID, per nibble elsewhere, as mbus4j
/// matches). The text form is libmbus's 16 hex characters `IIIIIIIIMMMMVVDD`: the ID digits
/// most significant first, the two manufacturer bytes in wire order, version, medium.
public struct SecondaryAddress: Hashable, Sendable, LosslessStringConvertible {
    /// The 8 BCD digits, most significant nibble first: ID 12345678 is `0x12345678`
    /// (sent `78 56 34 12`). A nibble of F is a wildcard.
    public var identification: UInt32
    /// The manufacturer code (§2.3) as a little-endian value: "PAD" is `0x4024` (sent `24 40`).
    public var manufacturer: UInt16
    /// The version (generation) byte.
    public var version: UInt8
    /// The medium / device type byte (§2.4).
    public var medium: UInt8

    /// An address from its four fields.
    public init(identification: UInt32, manufacturer: UInt16 = 0xFFFF, version: UInt8 = 0xFF,
                medium: UInt8 = 0xFF) {
        self.identification = identification
        self.manufacturer = manufacturer
        self.version = version
        self.medium = medium
    }

    /// The pattern that matches every slave: all nibbles F (§1.8).
    public static let wildcard = SecondaryAddress(identification: 0xFFFF_FFFF)

    /// Reads the 8 bytes of a selection or long header: ID (4, LSB first), manufacturer
    /// (2, LSB first), version, medium (§1.8, §2.1). Only the first 8 bytes are read.
    ///
    /// Throws `.truncated` when fewer than 8 bytes are given.
    public init(wireBytes: some Collection<UInt8>) throws(MeterBusError) {
        let bytes = Array(wireBytes.prefix(8))
        guard bytes.count == 8 else {
            throw MeterBusError(.truncated, at: bytes.count,
                                "secondary address needs 8 bytes, \(bytes.count) present")
        }
        identification = UInt32(bytes[0]) | UInt32(bytes[1]) << 8 | UInt32(bytes[2]) << 16 | UInt32(bytes[3]) << 24
        manufacturer = UInt16(bytes[4]) | UInt16(bytes[5]) << 8
        version = bytes[6]
        medium = bytes[7]
    }

    /// The 8 bytes as sent in a selection frame (§1.8).
    public var wireBytes: [UInt8] {
        [UInt8(truncatingIfNeeded: identification), UInt8(truncatingIfNeeded: identification >> 8),
         UInt8(truncatingIfNeeded: identification >> 16), UInt8(truncatingIfNeeded: identification >> 24),
         UInt8(truncatingIfNeeded: manufacturer), UInt8(truncatingIfNeeded: manufacturer >> 8),
         version, medium]
    }

    /// Parses the 16-character form `IIIIIIIIMMMMVVDD` (§1.8). The ID takes digits 0–9 or F
    /// (wildcard), the rest any hex digit; case is ignored. Nil for anything else.
    public init?(_ description: String) {
        let chars = Array(description.utf8)
        guard chars.count == 16 else { return nil }
        var nibbles: [UInt8] = []
        nibbles.reserveCapacity(16)
        for (i, ch) in chars.enumerated() {
            guard let nibble = Self.nibble(ch) else { return nil }
            if i < 8, nibble > 9, nibble != 0xF { return nil }
            nibbles.append(nibble)
        }
        func value(_ range: Range<Int>) -> UInt32 {
            nibbles[range].reduce(UInt32(0)) { $0 << 4 | UInt32($1) }
        }
        identification = value(0..<8)
        let wireOrder = value(8..<12)  // first wire byte, then second
        manufacturer = UInt16(truncatingIfNeeded: (wireOrder >> 8) | (wireOrder & 0xFF) << 8)
        version = UInt8(truncatingIfNeeded: value(12..<14))
        medium = UInt8(truncatingIfNeeded: value(14..<16))
    }

    /// The 16-character form `IIIIIIIIMMMMVVDD`, upper case (§1.8, libmbus
    /// `mbus_frame_get_secondary_address`), e.g. "1234567824400107".
    public var description: String {
        let bytes = wireBytes
        return HexText.format([bytes[3], bytes[2], bytes[1], bytes[0]], separator: "")
            + HexText.format(bytes[4...], separator: "")
    }

    /// True when any nibble is F, i.e. this is a pattern rather than one slave (§1.8).
    public var hasWildcards: Bool {
        var packed = packedNibbles
        for _ in 0..<16 {
            if packed & 0xF == 0xF { return true }
            packed >>= 4
        }
        return false
    }

    /// True when a slave with these fields answers a selection with this pattern: every nibble
    /// of the pattern is F or equal to the slave's (§1.8, mbus4j `SelectionOfSlaves`).
    public func matches(id: UInt32, manufacturer: UInt16, version: UInt8, medium: UInt8) -> Bool {
        matches(SecondaryAddress(identification: id, manufacturer: manufacturer,
                                 version: version, medium: medium))
    }

    /// True when the slave `device` answers a selection with this pattern (§1.8).
    public func matches(_ device: SecondaryAddress) -> Bool {
        var pattern = packedNibbles
        var value = device.packedNibbles
        for _ in 0..<16 {
            let p = pattern & 0xF
            if p != 0xF, p != value & 0xF { return false }
            pattern >>= 4
            value >>= 4
        }
        return true
    }

    /// All 16 nibbles in one word, for per-nibble matching.
    private var packedNibbles: UInt64 {
        UInt64(identification) << 32 | UInt64(manufacturer) << 16 | UInt64(version) << 8 | UInt64(medium)
    }

    private static func nibble(_ ch: UInt8) -> UInt8? {
        switch ch {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return ch - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return ch - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return ch - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
