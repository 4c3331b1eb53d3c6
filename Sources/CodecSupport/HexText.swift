/// Hex text as found in libmbus `.hex` files, logs and command lines.
public enum HexText {
    /// Why a piece of text is not hex.
    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        /// Character offset of the problem in the text.
        public let offset: Int
        /// What was wrong.
        public let reason: String
        public var description: String { "invalid hex at character \(offset): \(reason)" }
    }

    /// Parses hex pairs separated (or not) by spaces, tabs, newlines, CRLF, `:` or `-`.
    ///
    /// Upper and lower case are accepted, and an optional `0x` prefix per group is skipped.
    /// Digits pair up from the left of each group; a lone digit before a separator or the end is one
    /// byte (`D 04` reads as `0D 04`), exactly as libmbus's `mbus_hex2bin` reads its `.hex` files.
    public static func parse(_ text: some StringProtocol) throws(ParseError) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count / 2)
        var high: UInt8? = nil
        var index = 0
        var previous: UInt8 = 0
        for ch in text.utf8 {
            defer { index += 1; previous = ch }
            if let nibble = nibbleValue(ch) {
                if let h = high {
                    out.append(h << 4 | nibble)
                    high = nil
                } else {
                    high = nibble
                }
                continue
            }
            if ch == UInt8(ascii: "x") || ch == UInt8(ascii: "X"), previous == UInt8(ascii: "0"), high == 0 {
                high = nil  // "0x" prefix
                continue
            }
            switch ch {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"),
                 UInt8(ascii: ":"), UInt8(ascii: "-"), UInt8(ascii: ","):
                if let h = high {
                    out.append(h)
                    high = nil
                }
            default:
                throw ParseError(offset: index, reason: "unexpected character '\(Character(Unicode.Scalar(ch)))'")
            }
        }
        if let h = high {
            out.append(h)
        }
        return out
    }

    /// Formats bytes as upper-case hex pairs, separated by `separator`.
    public static func format(_ bytes: some Sequence<UInt8>, separator: String = " ") -> String {
        // Built as UTF-8 bytes and decoded once: appending Characters one by one was a third of
        // `meterproof analyze`'s CPU time when it writes pdus.jsonl (Benchmarks/analyze-bench.sh --perf).
        let sep = Array(separator.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.underestimatedCount * (2 + sep.count))
        var first = true
        for b in bytes {
            if !first { out.append(contentsOf: sep) }
            first = false
            out.append(hexDigit(b >> 4))
            out.append(hexDigit(b & 0x0F))
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The upper-case ASCII hex digit of a nibble (0–15).
    @inline(__always)
    static func hexDigit(_ nibble: UInt8) -> UInt8 { nibble < 10 ? 0x30 + nibble : 0x37 + nibble }

    @inline(__always)
    static func nibbleValue(_ ch: UInt8) -> UInt8? {
        switch ch {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return ch - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return ch - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return ch - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
