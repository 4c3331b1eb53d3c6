import CodecSupport

/// Serialises JSON trees straight into UTF-8 bytes, compact (the same text as
/// `JSONValue.serialized()`), without building a String: the PDU stream's hot path. Strings are
/// copied as whole UTF-8 runs when they need no escaping, which is nearly always.
enum JSONBytes {
    static func append(_ value: JSONValue, to out: inout [UInt8]) {
        switch value {
        case .null: out.append(contentsOf: [0x6E, 0x75, 0x6C, 0x6C])
        case .bool(let b): b ? out.append(contentsOf: [0x74, 0x72, 0x75, 0x65]) : out.append(contentsOf: [0x66, 0x61, 0x6C, 0x73, 0x65])
        case .int(let i): appendInteger(i, to: &out)
        case .uint(let u): appendUnsigned(u, to: &out)
        case .double(let d): appendString(raw: JSONValue.format(d), to: &out)
        case .string(let s): appendQuoted(s, to: &out)
        case .array(let items):
            out.append(0x5B)
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(0x2C) }
                append(item, to: &out)
            }
            out.append(0x5D)
        case .object(let members):
            out.append(0x7B)
            for (i, member) in members.enumerated() {
                if i > 0 { out.append(0x2C) }
                appendQuoted(member.0, to: &out)
                out.append(0x3A)
                append(member.1, to: &out)
            }
            out.append(0x7D)
        }
    }

    /// Pretty-printed with `indent` spaces per level: the same text as `JSONValue.serialized(indent:)`.
    static func appendPretty(_ value: JSONValue, indent: Int, level: Int = 0, to out: inout [UInt8]) {
        func newline(_ level: Int) {
            out.append(0x0A)
            out.append(contentsOf: repeatElement(0x20, count: indent * level))
        }
        switch value {
        case .array(let items) where !items.isEmpty:
            out.append(0x5B)
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(0x2C) }
                newline(level + 1)
                appendPretty(item, indent: indent, level: level + 1, to: &out)
            }
            newline(level)
            out.append(0x5D)
        case .object(let members) where !members.isEmpty:
            out.append(0x7B)
            for (i, member) in members.enumerated() {
                if i > 0 { out.append(0x2C) }
                newline(level + 1)
                appendQuoted(member.0, to: &out)
                out.append(contentsOf: [0x3A, 0x20])
                appendPretty(member.1, indent: indent, level: level + 1, to: &out)
            }
            newline(level)
            out.append(0x7D)
        default:
            append(value, to: &out)
        }
    }

    /// Text without quotes or escaping (numbers, pre-escaped fragments).
    static func appendString(raw text: String, to out: inout [UInt8]) {
        var text = text
        text.withUTF8 { out.append(contentsOf: $0) }
    }

    /// A JSON string literal.
    static func appendQuoted(_ text: String, to out: inout [UInt8]) {
        out.append(0x22)
        var text = text
        text.withUTF8 { bytes in
            var runStart = 0
            for i in 0..<bytes.count {
                let b = bytes[i]
                guard b < 0x20 || b == 0x22 || b == 0x5C else { continue }
                if i > runStart { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<i])) }
                out.append(0x5C)
                switch b {
                case 0x22: out.append(0x22)
                case 0x5C: out.append(0x5C)
                case 0x0A: out.append(0x6E)
                case 0x0D: out.append(0x72)
                case 0x09: out.append(0x74)
                default:
                    out.append(contentsOf: [0x75, 0x30, 0x30, hexDigit(b >> 4), hexDigit(b & 0x0F)])
                }
                runStart = i + 1
            }
            if runStart < bytes.count { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...])) }
        }
        out.append(0x22)
    }

    static func appendInteger(_ value: Int64, to out: inout [UInt8]) {
        if value < 0 {
            out.append(0x2D)
            appendUnsigned(value.magnitude, to: &out)
        } else {
            appendUnsigned(UInt64(value), to: &out)
        }
    }

    static func appendUnsigned(_ value: UInt64, to out: inout [UInt8]) {
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        var v = value
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[19 - count] = 0x30 + UInt8(v % 10)
                v /= 10
                count += 1
            } while v > 0
            out.append(contentsOf: buffer[(20 - count)...])
        }
    }

    /// `width` digits of `value`, zero-padded.
    static func appendPadded(_ value: Int64, width: Int, to out: inout [UInt8]) {
        var divisor: Int64 = 1
        for _ in 1..<width { divisor *= 10 }
        var v = value
        while divisor > 0 {
            out.append(0x30 + UInt8(truncatingIfNeeded: (v / divisor) % 10))
            v %= divisor
            divisor /= 10
        }
    }

    private static func hexDigit(_ nibble: UInt8) -> UInt8 { nibble < 10 ? 0x30 + nibble : 0x57 + nibble }
}
