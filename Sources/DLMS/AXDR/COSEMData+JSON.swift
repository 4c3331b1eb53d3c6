import CodecSupport

// Stable field names: every value is {"type": <standard name>, "value": …}; see the cases below.

extension COSEMData: JSONRepresentable {
    /// `{"type": "double-long-unsigned", "value": 123456}`; containers nest, octet-strings are hex,
    /// strings are text (with `hex` beside them when the bytes are not plain printable ASCII / valid UTF-8),
    /// bit-strings are `"0101…"`, date/time values are objects with `iso8601` when it applies.
    public var json: JSONValue {
        var m: [(String, JSONValue)] = [("type", .string(type.name))]
        switch self {
        case .nullData, .dontCare:
            m.append(("value", .null))
        case let .array(items), let .structure(items):
            m.append(("value", .array(items.map(\.json))))
        case let .boolean(b):
            m.append(("value", .bool(b != 0)))
            if b > 1 { m.append(("raw", .uint(UInt64(b)))) }
        case let .bitString(s):
            m.append(("value", .string(s.description)))
        case let .doubleLong(v): m.append(("value", .int(Int64(v))))
        case let .integer(v): m.append(("value", .int(Int64(v))))
        case let .long(v): m.append(("value", .int(Int64(v))))
        case let .long64(v): m.append(("value", .int(v)))
        case let .doubleLongUnsigned(v): m.append(("value", .uint(UInt64(v))))
        case let .unsigned(v), let .enumerated(v): m.append(("value", .uint(UInt64(v))))
        case let .longUnsigned(v): m.append(("value", .uint(UInt64(v))))
        case let .long64Unsigned(v): m.append(("value", .uint(v)))
        case let .bcd(b): m.append(("value", .string(axdrHex(b))))
        case let .octetString(b):
            m.append(("value", .string(HexText.format(b, separator: ""))))
        case let .visibleString(b):
            m.append(("value", .string(stringValue ?? "")))
            if !b.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { m.append(("hex", .string(HexText.format(b, separator: "")))) }
        case let .utf8String(b):
            m.append(("value", .string(stringValue ?? "")))
            if String(validating: b, as: UTF8.self) == nil { m.append(("hex", .string(HexText.format(b, separator: "")))) }
        case let .float32(bits):
            let f = Float(bitPattern: bits)
            // Widen through the shortest decimal form so that 21.5367 stays 21.5367.
            m.append(("value", f.isFinite ? .double(Double(f.description) ?? Double(f)) : .null))
            if !f.isFinite { m.append(("bits", .string(String(bits, radix: 16)))) }
        case let .float64(bits):
            let d = Double(bitPattern: bits)
            m.append(("value", d.isFinite ? .double(d) : .null))
            if !d.isFinite { m.append(("bits", .string(String(bits, radix: 16)))) }
        case let .dateTime(dt):
            m.append(("value", .object(dt.jsonMembers + [("iso8601", dt.iso8601.map(JSONValue.string) ?? .null)])))
        case let .date(d):
            m.append(("value", .object(d.jsonMembers + [("iso8601", d.iso8601.map(JSONValue.string) ?? .null)])))
        case let .time(t):
            m.append(("value", .object(t.jsonMembers + [("iso8601", t.iso8601.map(JSONValue.string) ?? .null)])))
        case let .compactArray(c):
            m.append(("value", .object([
                ("contents_description", c.contentsDescription.json),
                ("elements", .array(c.elements.map(\.json))),
            ])))
        }
        return .object(m)
    }
}

extension TypeDescription: JSONRepresentable {
    /// `{"type": "unsigned"}`, `{"type": "array", "count": n, "element": …}`, `{"type": "structure", "members": […]}`.
    public var json: JSONValue {
        switch self {
        case let .simple(t): .object([("type", .string(t.name))])
        case let .array(count, element):
            .object([("type", .string("array")), ("count", .uint(UInt64(count))), ("element", element.json)])
        case let .structure(members):
            .object([("type", .string("structure")), ("members", .array(members.map(\.json)))])
        }
    }
}
