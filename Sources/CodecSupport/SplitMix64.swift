/// SplitMix64 (Steele, Lea, Flood 2014): a tiny deterministic generator, so that fuzz tests,
/// batching tests and simulators see the same values on every run.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// A generator that starts from `seed`.
    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    // Cheap helpers: the generic `random(in:using:)` is slow in debug builds; modulo bias is irrelevant here.

    /// A number in `range`.
    public mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(truncatingIfNeeded: next() % UInt64(range.upperBound - range.lowerBound + 1))
    }

    /// Any byte.
    public mutating func byte() -> UInt8 { UInt8(truncatingIfNeeded: next()) }

    /// True with probability `percent`/100.
    public mutating func chance(_ percent: UInt64) -> Bool { next() % 100 < percent }

    /// One element of a non-empty array.
    public mutating func pick<T>(_ items: [T]) -> T { items[Int(truncatingIfNeeded: next() % UInt64(items.count))] }
}
