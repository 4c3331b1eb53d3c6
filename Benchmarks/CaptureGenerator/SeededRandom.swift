import CodecSupport

/// The generator's randomness: CodecSupport's SplitMix64, whose whole state is one seed, so the
/// same seed gives the same capture on every machine.
typealias SeededRandom = SplitMix64

extension SplitMix64 {
    /// True with probability `p` (0…1).
    mutating func chance(probability p: Double) -> Bool {
        Double(next() >> 11) * 0x1p-53 < p
    }

    /// `count` pseudo-random bytes.
    mutating func bytes(_ count: Int) -> [UInt8] {
        (0..<count).map { _ in byte() }
    }

    /// An independent generator for stream `stream` (a conversation, a meter), so its content
    /// does not depend on how the conversations interleave.
    static func derived(seed: UInt64, stream: UInt64) -> SplitMix64 {
        var mixer = SplitMix64(seed: seed ^ (stream &* 0xD1B5_4A32_D192_ED03))
        return SplitMix64(seed: mixer.next())
    }
}
