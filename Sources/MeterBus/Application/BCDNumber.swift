/// A binary-coded decimal number as EN 13757-3 codes it (data fields 9, A, B, C, E and LVAR C0–D9).
///
/// Bytes are least significant first. A high nibble of F in the most significant byte means
/// negative, and that nibble counts as 0 (fact sheet §3.7: libmbus, pyMeterBus, jMBus, wmbusmeters
/// and exmbus agree). Any other nibble above 9 makes the number invalid; the bytes are kept so
/// that encoding reproduces them.
public struct BCDNumber: Sendable, Equatable, Hashable {
    /// The bytes as transmitted, least significant first.
    public let bytes: [UInt8]

    /// Wraps transmitted bytes (least significant first).
    public init(bytes: some Collection<UInt8>) {
        self.bytes = Array(bytes)
    }

    /// Encodes `value` in `byteCount` bytes; negative values use the F-nibble convention.
    /// Returns nil when the magnitude does not fit.
    public init?(_ value: Int64, byteCount: Int) {
        guard byteCount > 0, byteCount <= 9 else { return nil }
        var magnitude = value.magnitude
        var out = [UInt8](repeating: 0, count: byteCount)
        for i in 0..<byteCount {
            let lo = UInt8(magnitude % 10); magnitude /= 10
            let hi = UInt8(magnitude % 10); magnitude /= 10
            out[i] = hi << 4 | lo
        }
        guard magnitude == 0 else { return nil }
        if value < 0 {
            guard out[byteCount - 1] >> 4 == 0 else { return nil }
            out[byteCount - 1] |= 0xF0
        }
        bytes = out
    }

    /// Number of decimal digits the field holds.
    public var digitCount: Int { bytes.count * 2 }

    /// True when the most significant nibble is F (the negative convention).
    public var isNegative: Bool {
        guard let last = bytes.last else { return false }
        return last >> 4 == 0xF && !isAllF
    }

    /// True when every nibble is F (wmbusmeters reads it as "no value").
    public var isAllF: Bool { !bytes.isEmpty && bytes.allSatisfy { $0 == 0xFF } }

    /// The signed value, or nil when a nibble other than the sign nibble is above 9.
    public var value: Int64? {
        guard !bytes.isEmpty, !isAllF else { return bytes.isEmpty ? 0 : nil }
        var result: Int64 = 0
        let negative = isNegative
        for (index, byte) in bytes.enumerated().reversed() {
            var hi = byte >> 4
            let lo = byte & 0x0F
            if index == bytes.count - 1 && negative { hi = 0 }
            guard hi <= 9, lo <= 9 else { return nil }
            // 18 digits fit in Int64; 12 digits is the largest fixed coding, LVAR BCD is bounded by 9 bytes.
            let (m, o1) = result.multipliedReportingOverflow(by: 100)
            let (s, o2) = m.addingReportingOverflow(Int64(hi) * 10 + Int64(lo))
            guard !o1, !o2 else { return nil }
            result = s
        }
        return negative ? -result : result
    }

    /// The digits as printed, most significant first (e.g. an identification number "12345678").
    /// Nibbles above 9 print as hex digits, so wildcards and defects stay visible.
    public var digits: String {
        let hex: [Character] = Array("0123456789ABCDEF")
        var s = ""
        for byte in bytes.reversed() {
            s.append(hex[Int(byte >> 4)])
            s.append(hex[Int(byte & 0x0F)])
        }
        return s
    }
}
