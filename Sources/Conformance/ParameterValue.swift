/// A typed step parameter, checked against its `ParameterType` at load time.
public indirect enum ParameterValue: Sendable, Hashable {
    /// Text.
    case string(String)
    /// An integer (decimal or `0x` hexadecimal in YAML).
    case int(Int)
    /// `true` or `false`.
    case bool(Bool)
    /// Bytes given as hex text (`"10 40 05 45 16"`).
    case bytes([UInt8])
    /// A duration given as `500ms`, `2s`, `1.5s`, `100us` or `1min`.
    case duration(Duration)
    /// A YAML sequence.
    case list([ParameterValue])
    /// A YAML mapping with string keys, in file order.
    case map([(key: String, value: ParameterValue)])
    /// A body of steps (e.g. `loop`'s `do`).
    case steps([Step])
    /// `expect` matchers: field path → expected value.
    case matchers([FieldMatcher])
    /// `${name}`: a PIXIT value or loop variable the runner substitutes; its type is checked then.
    case reference(String)

    public static func == (lhs: ParameterValue, rhs: ParameterValue) -> Bool {
        switch (lhs, rhs) {
        case let (.string(a), .string(b)): a == b
        case let (.int(a), .int(b)): a == b
        case let (.bool(a), .bool(b)): a == b
        case let (.bytes(a), .bytes(b)): a == b
        case let (.duration(a), .duration(b)): a == b
        case let (.list(a), .list(b)): a == b
        case let (.map(a), .map(b)): a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        case let (.steps(a), .steps(b)): a == b
        case let (.matchers(a), .matchers(b)): a == b
        case let (.reference(a), .reference(b)): a == b
        default: false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .string(let v): hasher.combine(0); hasher.combine(v)
        case .int(let v): hasher.combine(1); hasher.combine(v)
        case .bool(let v): hasher.combine(2); hasher.combine(v)
        case .bytes(let v): hasher.combine(3); hasher.combine(v)
        case .duration(let v): hasher.combine(4); hasher.combine(v)
        case .list(let v): hasher.combine(5); hasher.combine(v)
        case .map(let v): hasher.combine(6); for pair in v { hasher.combine(pair.key); hasher.combine(pair.value) }
        case .steps(let v): hasher.combine(7); hasher.combine(v)
        case .matchers(let v): hasher.combine(8); hasher.combine(v)
        case .reference(let v): hasher.combine(9); hasher.combine(v)
        }
    }
}

/// One `expect` entry: a decoded field (e.g. `records[0].unit`) and the value it must have.
public struct FieldMatcher: Sendable, Hashable {
    /// The field path as written, using the names of `meterproof decode … --format json`.
    public var field: String
    /// The expected value (a scalar, a list, or a `${…}` reference).
    public var expected: ParameterValue
    /// Where the entry is written.
    public var location: SourceLocation

    public init(field: String, expected: ParameterValue, location: SourceLocation) {
        self.field = field
        self.expected = expected
        self.location = location
    }
}
