/// The HDLC header and frame check sequences, HCS and FCS (IEC 62056-46; fact sheet §1.6).
///
/// CRC-16/X.25: polynomial x¹⁶+x¹²+x⁵+1 processed LSB first (reflected `0x8408`), initial value
/// `FFFF`, final ones' complement; sent low byte first. The check value of "123456789" is `906E`.
public enum HDLCFrameCheck {
    /// The register left by running the CRC over data followed by its own check sequence,
    /// before the final complement: `F0B8` (§1.6).
    public static let goodResidue: UInt16 = 0xF0B8

    /// The CRC-16/X.25 of `bytes` (§1.6).
    @inlinable
    public static func compute(_ bytes: some Sequence<UInt8>) -> UInt16 {
        var crc: UInt16 = 0xFFFF
        for byte in bytes {
            crc = (crc >> 8) ^ table[Int((crc ^ UInt16(byte)) & 0xFF)]
        }
        return crc ^ 0xFFFF
    }

    /// The two bytes of a check sequence as sent on the wire: low byte first (§1.6).
    @inlinable
    public static func wireBytes(_ check: UInt16) -> [UInt8] {
        [UInt8(check & 0xFF), UInt8(check >> 8)]
    }

    /// Reads a check sequence sent low byte first.
    @inlinable
    static func value(low: UInt8, high: UInt8) -> UInt16 {
        UInt16(low) | UInt16(high) << 8
    }

    /// The byte-wise table of the reflected polynomial `0x8408`.
    @usableFromInline
    static let table: [UInt16] = (0..<256).map { index -> UInt16 in
        var crc = UInt16(index)
        for _ in 0..<8 {
            crc = crc & 1 == 1 ? (crc >> 1) ^ 0x8408 : crc >> 1
        }
        return crc
    }
}
