/// An A-XDR BIT STRING: a bit count and ⌈count/8⌉ bytes, bit 0 in the MSB of the first byte
/// (fact sheet §6.2 tag 4: WS `(bits+7)/8`, GX `getBitString`, JD, U9).
///
/// Unused trailing bits of the last byte are kept as transmitted, so encoding is exact.
public struct BitString: Sendable, Hashable, CustomStringConvertible {
    /// Number of bits.
    public let count: Int
    /// The bytes as transmitted (⌈count/8⌉ of them).
    public let bytes: [UInt8]

    init(bitCount: Int, unchecked bytes: [UInt8]) {
        count = bitCount
        self.bytes = bytes
    }

    /// A bit string of `count` bits over `bytes`; nil unless `bytes` has exactly ⌈count/8⌉ bytes.
    public init?(count: Int, bytes: [UInt8]) {
        guard count >= 0, bytes.count == (count + 7) / 8 else { return nil }
        self.init(bitCount: count, unchecked: bytes)
    }

    /// Bits in transmission order (first = MSB of the first byte).
    public init(bits: [Bool]) {
        var out = [UInt8](repeating: 0, count: (bits.count + 7) / 8)
        for (i, bit) in bits.enumerated() where bit { out[i / 8] |= 0x80 >> UInt8(i % 8) }
        self.init(bitCount: bits.count, unchecked: out)
    }

    /// Parses `"0101…"` (spaces ignored); nil on any other character.
    public init?(_ text: String) {
        var bits: [Bool] = []
        for ch in text where ch != " " {
            switch ch {
            case "0": bits.append(false)
            case "1": bits.append(true)
            default: return nil
            }
        }
        self.init(bits: bits)
    }

    /// Bit `i` (0 = first transmitted); false outside the string.
    public subscript(i: Int) -> Bool {
        guard i >= 0, i < count else { return false }
        return bytes[i / 8] & (0x80 >> UInt8(i % 8)) != 0
    }

    /// The bits as `"0101…"`.
    public var description: String {
        String((0..<count).map { self[$0] ? "1" : "0" })
    }
}
