/// RFC 1071 ones'-complement sums: the one implementation behind the IPv4 header, UDP and TCP
/// checksums the capture writer computes and the packet decoders verify.
enum InternetChecksum {
    /// Adds `bytes` as 16-bit big-endian words (an odd last byte padded with zero) to a running sum.
    static func add(_ bytes: some Collection<UInt8>, to sum: inout UInt64) {
        var iterator = bytes.makeIterator()
        while let high = iterator.next() {
            let low = iterator.next() ?? 0
            sum &+= UInt64(high) << 8 | UInt64(low)
        }
    }

    /// Folds a running sum to 16 bits (0xFFFF when the covered data including its checksum verifies).
    static func fold(_ sum: UInt64) -> UInt16 {
        var value = sum
        while value > 0xFFFF { value = (value & 0xFFFF) + (value >> 16) }
        return UInt16(value)
    }

    /// The checksum to send over `first` then `second` (each even-length except possibly the last).
    static func checksum(_ first: some Collection<UInt8>, then second: some Collection<UInt8>) -> UInt16 {
        var sum: UInt64 = 0
        add(first, to: &sum)
        add(second, to: &sum)
        return ~fold(sum)
    }
}
