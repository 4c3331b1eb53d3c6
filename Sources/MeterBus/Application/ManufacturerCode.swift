/// The three-letter manufacturer code packed into 15 bits (EN 13757-3; fact sheet §2.3).
///
/// `code = (c1−64)·1024 + (c2−64)·32 + (c3−64)`, transmitted little-endian.
public struct ManufacturerCode: Sendable, Equatable, Hashable, RawRepresentable {
    /// The 16-bit value as transmitted (bit 15 is normally 0).
    public let rawValue: UInt16

    /// Wraps a transmitted value.
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// Packs three letters A–Z; nil for anything else.
    public init?(letters: String) {
        let scalars = Array(letters.uppercased().unicodeScalars)
        guard scalars.count == 3 else { return nil }
        var code: UInt16 = 0
        for s in scalars {
            guard s.value >= 65, s.value <= 90 else { return nil }
            code = code << 5 | UInt16(s.value - 64)
        }
        rawValue = code
    }

    /// The three letters, each 5-bit value plus 64 as libmbus prints them (so 0 prints "@", and values
    /// above 26 print "[\\]^_"). Bit 15 is ignored, as wmbusmeters does.
    public var letters: String {
        var s = ""
        for shift in [10, 5, 0] {
            s.unicodeScalars.append(Unicode.Scalar(UInt8(64 + (rawValue >> UInt16(shift)) & 0x1F)))
        }
        return s
    }

    /// True when the code lies between "AAA" (0x0421) and "ZZZ" (0x6B5A) and every letter is A–Z.
    public var isValid: Bool {
        rawValue >= 0x0421 && rawValue <= 0x6B5A && letters.unicodeScalars.allSatisfy { $0.value >= 65 && $0.value <= 90 }
    }
}
