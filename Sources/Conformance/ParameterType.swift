/// The type a step parameter must have; the loader checks values against it.
public indirect enum ParameterType: Sendable, Hashable, CustomStringConvertible {
    /// Any text.
    case string
    /// An integer, optionally bounded (inclusive).
    case int(ClosedRange<Int>? = nil)
    /// `true` or `false`.
    case bool
    /// Hex text, e.g. `"10 40 05 45 16"`.
    case hexBytes
    /// `500ms`, `2s`, `1.5s`, `100us`, `1min`.
    case duration
    /// A sequence of any values.
    case list
    /// A mapping with string keys.
    case map
    /// One of these words.
    case oneOfWords([String])
    /// Any of these types (the first that accepts the value wins).
    case anyOf([ParameterType])
    /// Any scalar, list or map.
    case any
    /// A list of steps (a body, as in `loop`'s `do`).
    case steps
    /// `expect` matchers, their keys checked against the step kind's `expectFields`.
    case matchers

    /// A noun phrase for error messages, e.g. `a duration such as 500ms or 2s`.
    public var description: String {
        switch self {
        case .string: "a string"
        case .int(let range?): "an integer from \(range.lowerBound) to \(range.upperBound)"
        case .int(nil): "an integer"
        case .bool: "true or false"
        case .hexBytes: "hex bytes such as \"10 40 05 45 16\""
        case .duration: "a duration such as 500ms or 2s"
        case .list: "a list"
        case .map: "a mapping"
        case .oneOfWords(let words): "one of " + words.joined(separator: ", ")
        case .anyOf(let types): types.map(\.description).joined(separator: " or ")
        case .any: "a value"
        case .steps: "a list of steps"
        case .matchers: "a mapping of field names to expected values"
        }
    }
}

/// One parameter of a step kind.
public struct ParameterSpec: Sendable, Hashable {
    /// The key in the step's mapping.
    public var name: String
    /// The value's type.
    public var type: ParameterType
    /// Whether a step must give it.
    public var isRequired: Bool
    /// What it means.
    public var summary: String

    public init(_ name: String, _ type: ParameterType, required: Bool = false, _ summary: String) {
        self.name = name
        self.type = type
        self.isRequired = required
        self.summary = summary
    }
}
