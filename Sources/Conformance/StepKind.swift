/// The declaration of one step a suite may use: its name, parameter schema and `expect` fields.
/// Execution lives elsewhere (the runner's per-protocol executors); this is what the loader checks.
public struct StepKind: Sendable, Hashable {
    /// The step's key in YAML, e.g. `expect_frame`.
    public var name: String
    /// One sentence on what the step does.
    public var summary: String
    /// The parameters it accepts.
    public var parameters: [ParameterSpec]
    /// The field paths its `expect` matchers may name. A `[]` in a pattern stands for any index,
    /// so `records[].unit` allows `records[0].unit`; a pattern ending in `.*` allows any suffix.
    public var expectFields: [String]

    public init(name: String, summary: String, parameters: [ParameterSpec], expectFields: [String] = []) {
        self.name = name
        self.summary = summary
        self.parameters = parameters
        self.expectFields = expectFields
    }

    /// The spec of the parameter named `name`, if declared.
    public func parameter(named name: String) -> ParameterSpec? {
        parameters.first { $0.name == name }
    }

    /// Whether `field` (e.g. `records[3].unit`) is allowed in this step's `expect`.
    public func allowsExpectField(_ field: String) -> Bool {
        let normalized = StepKind.normalizeIndices(field)
        return expectFields.contains { pattern in
            if pattern == normalized { return true }
            if pattern.hasSuffix(".*") { return normalized.hasPrefix(String(pattern.dropLast(1))) }
            return false
        }
    }

    /// `records[12].unit` → `records[].unit`.
    static func normalizeIndices(_ field: String) -> String {
        var result = ""
        var inIndex = false
        for character in field {
            if inIndex {
                if character == "]" { inIndex = false; result.append("]") }
                else if !character.isNumber { return field }
            } else {
                result.append(character)
                if character == "[" { inIndex = true }
            }
        }
        return inIndex ? field : result
    }
}
