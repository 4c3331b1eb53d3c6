/// Parsers for the textual forms suites and profiles use.
public enum ValueText {
    /// `500ms`, `2s`, `1.5s`, `100us`, `1min` → a duration; nil otherwise.
    public static func duration(_ text: String) -> Duration? {
        let units: [(String, Double)] = [("ms", 1e-3), ("us", 1e-6), ("min", 60), ("s", 1)]
        for (suffix, scale) in units where text.hasSuffix(suffix) {
            let number = text.dropLast(suffix.count)
            guard !number.isEmpty, number.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
                  let value = Double(number), value.isFinite else { return nil }
            return .nanoseconds(Int64((value * scale * 1e9).rounded()))
        }
        return nil
    }

    /// Hex text (spaces, colons and an optional `0x` prefix allowed, even digit count) → bytes.
    public static func hexBytes(_ text: String) -> [UInt8]? {
        var digits = text.hasPrefix("0x") || text.hasPrefix("0X") ? Substring(text.dropFirst(2)) : Substring(text)
        digits.removeAll { $0 == " " || $0 == ":" || $0 == "\n" || $0 == "\t" }
        guard !digits.isEmpty, digits.count.isMultiple(of: 2) else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        var index = digits.startIndex
        while index < digits.endIndex {
            let next = digits.index(index, offsetBy: 2)
            guard let byte = UInt8(digits[index..<next], radix: 16) else { return nil }
            bytes.append(byte)
            index = next
        }
        return bytes
    }

    /// `42`, `-1`, `0x2A` → an integer; nil otherwise.
    public static func integer(_ text: String) -> Int? {
        if text.hasPrefix("0x") || text.hasPrefix("0X") { return Int(text.dropFirst(2), radix: 16) }
        return Int(text)
    }
}
