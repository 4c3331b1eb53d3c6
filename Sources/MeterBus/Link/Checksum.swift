/// The M-Bus frame checksum (EN 13757-2; fact sheet §1.2).
///
/// An 8-bit arithmetic sum with the carry discarded, taken over C, A, CI and every data byte.
/// The start bytes, the L fields and the stop byte are not included.
public enum Checksum {
    /// The 8-bit sum of `bytes`, carry discarded (§1.2).
    @inlinable
    public static func compute(_ bytes: some Sequence<UInt8>) -> UInt8 {
        var sum: UInt8 = 0
        for byte in bytes { sum &+= byte }
        return sum
    }

    /// The checksum of a frame with these fields: C + A (+ CI + data) mod 256 (§1.2).
    @inlinable
    public static func compute(control: UInt8, address: UInt8, ci: UInt8? = nil,
                               data: ArraySlice<UInt8> = []) -> UInt8 {
        var sum = control &+ address
        if let ci { sum &+= ci }
        return sum &+ compute(data)
    }
}
