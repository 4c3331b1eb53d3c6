/// `JSONValue` through `Codable`, so decoded frames can sit inside report structures.
///
/// Objects go through `[String: JSONValue]`, whose keys `JSONEncoder`/`JSONDecoder` key strategies
/// leave alone (keyed containers would turn `checksum_ok` into `checksumOk`). Decoding cannot see
/// the order of keys, so decoded objects keep them sorted: stable, if not the codec's own order.
extension JSONValue: Codable {
    public init(from decoder: any Decoder) throws {
        let single = try decoder.singleValueContainer()
        if single.decodeNil() { self = .null }
        else if let b = try? single.decode(Bool.self) { self = .bool(b) }
        else if let i = try? single.decode(Int64.self) { self = .int(i) }
        else if let u = try? single.decode(UInt64.self) { self = .uint(u) }
        else if let d = try? single.decode(Double.self) { self = .double(d) }
        else if let text = try? single.decode(String.self) { self = .string(text) }
        else if let items = try? single.decode([JSONValue].self) { self = .array(items) }
        else {
            let members = try single.decode([String: JSONValue].self)
            self = .object(members.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
        }
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .null:
            var c = encoder.singleValueContainer(); try c.encodeNil()
        case .bool(let b):
            var c = encoder.singleValueContainer(); try c.encode(b)
        case .int(let i):
            var c = encoder.singleValueContainer(); try c.encode(i)
        case .uint(let u):
            var c = encoder.singleValueContainer(); try c.encode(u)
        case .double(let d):
            var c = encoder.singleValueContainer()
            // JSON has no NaN or infinity; such values are written as their text.
            if d.isFinite { try c.encode(d) } else { try c.encode(String(d)) }
        case .string(let s):
            var c = encoder.singleValueContainer(); try c.encode(s)
        case .array(let items):
            var c = encoder.unkeyedContainer()
            for item in items { try c.encode(item) }
        case .object(let members):
            var c = encoder.singleValueContainer()
            try c.encode(Dictionary(members, uniquingKeysWith: { first, _ in first }))
        }
    }
}
