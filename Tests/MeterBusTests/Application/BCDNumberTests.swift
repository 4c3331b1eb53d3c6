import CodecSupport
import Testing
@testable import MeterBus

/// Fact sheet §3.2 (BCD little-endian, least significant byte first) and §3.7 (sign and special values).
@Suite("BCD numbers (EN 13757-3, fact sheet §3.2, §3.7)")
struct BCDNumberTests {
    @Test("identification 78 56 34 12 reads 12345678 (fact sheet §2.1, libmbus manual_frame3)")
    func identification() {
        let b = BCDNumber(bytes: Spec.bytes("78 56 34 12"))
        #expect(b.value == 12_345_678 && b.digits == "12345678" && !b.isNegative)
    }

    @Test("negative BCD: F in the high nibble of the last byte; 02 00 F0 = −2 (wmbusmeters test 'Negative power values', §3.7)")
    func negative() {
        let b = BCDNumber(bytes: Spec.bytes("02 00 F0"))
        #expect(b.isNegative && b.value == -2)
        #expect(BCDNumber(-2, byteCount: 3)?.bytes == Spec.bytes("02 00 F0"))
    }

    @Test("all-F is no value (wmbusmeters is_all_F); other nibbles above 9 are invalid (exmbus) but kept")
    func special() {
        let allF = BCDNumber(bytes: Spec.bytes("FF FF"))
        #expect(allF.isAllF && allF.value == nil && !allF.isNegative)
        let error = BCDNumber(bytes: Spec.bytes("BD EB DD DD"))  // ELS_Elster-F96-Plus error-state pattern
        #expect(error.value == nil && error.digits == "DDDDEBBD")
        #expect(BCDNumber(bytes: Spec.bytes("1A")).value == nil, "low nibble A")
    }

    @Test("encoding refuses what does not fit")
    func limits() {
        #expect(BCDNumber(99, byteCount: 1)?.bytes == [0x99])
        #expect(BCDNumber(100, byteCount: 1) == nil)
        #expect(BCDNumber(-9, byteCount: 1)?.bytes == [0xF9])
        #expect(BCDNumber(-10, byteCount: 1) == nil, "the sign nibble takes the top digit")
        #expect(BCDNumber(999_999_999_999, byteCount: 6)?.value == 999_999_999_999)
        #expect(BCDNumber(1, byteCount: 0) == nil)
        #expect(BCDNumber(1, byteCount: 10) == nil)
        #expect(BCDNumber(Int64.min, byteCount: 9) == nil)
    }

    @Test("value round-trips for random numbers of every fixed width", arguments: [1, 2, 3, 4, 6])
    func roundTrip(width: Int) {
        var rng = SplitMix64(seed: UInt64(width))
        let limit = Int64(pow10(2 * width - 1))
        for _ in 0..<500 {
            let v = Int64.random(in: -(limit - 1)...(limit * 10 - 1), using: &rng)
            guard let b = BCDNumber(v, byteCount: width) else { Issue.record("\(v) in \(width) bytes"); continue }
            #expect(b.value == v)
            #expect(BCDNumber(bytes: b.bytes) == b)
        }
    }

    private func pow10(_ n: Int) -> Int64 { (0..<n).reduce(1) { r, _ in r * 10 } }
}
