import Yams

/// Walks a composed YAML tree and collects diagnostics with their locations (internal to loaders).
struct YAMLReader {
    let file: String
    var diagnostics: [LoadDiagnostic] = []

    init(file: String) { self.file = file }

    /// Composes `text`; a syntax error becomes a diagnostic and nil.
    mutating func compose(_ text: String) -> Node? {
        do {
            guard let node = try Yams.compose(yaml: text) else {
                report(.wrongStructure, at: SourceLocation(file: file, line: 1, column: 1), "The file is empty.")
                return nil
            }
            return node
        } catch let error as YamlError {
            switch error {
            case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
                report(.invalidYAML, at: SourceLocation(file: file, line: mark.line, column: mark.column), "Invalid YAML: \(problem).")
            default:
                report(.invalidYAML, at: SourceLocation(file: file, line: 1, column: 1), "Invalid YAML: \(error).")
            }
            return nil
        } catch {
            report(.invalidYAML, at: SourceLocation(file: file, line: 1, column: 1), "Invalid YAML: \(error).")
            return nil
        }
    }

    func location(_ node: Node) -> SourceLocation {
        let mark = node.mark
        return SourceLocation(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1)
    }

    mutating func report(_ kind: LoadDiagnostic.Kind, at location: SourceLocation, _ message: String) {
        diagnostics.append(LoadDiagnostic(kind, at: location, message))
    }

    mutating func report(_ kind: LoadDiagnostic.Kind, _ node: Node, _ message: String) {
        report(kind, at: location(node), message)
    }

    /// Whether `node` is an empty (null) scalar: nothing, `~` or `null`.
    static func isNull(_ node: Node) -> Bool {
        guard case .scalar(let scalar) = node, scalar.style == .plain || scalar.style == .any else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    /// The entries of a mapping with string keys; reports a non-mapping and duplicate keys.
    mutating func entries(_ node: Node, _ what: String) -> [(key: String, keyNode: Node, value: Node)]? {
        guard case .mapping(let mapping) = node else {
            report(.wrongStructure, node, "\(what) must be a mapping.")
            return nil
        }
        var seen = Set<String>()
        var result: [(key: String, keyNode: Node, value: Node)] = []
        for (keyNode, value) in mapping {
            guard case .scalar(let key) = keyNode else {
                report(.wrongStructure, keyNode, "Keys of \(what) must be plain words.")
                continue
            }
            if !seen.insert(key.string).inserted {
                report(.duplicateKey, keyNode, "Key '\(key.string)' appears twice in \(what).")
                continue
            }
            result.append((key.string, keyNode, value))
        }
        return result
    }

    /// The elements of a sequence; reports a non-sequence.
    mutating func elements(_ node: Node, _ what: String) -> [Node]? {
        guard case .sequence(let sequence) = node else {
            report(.wrongStructure, node, "\(what) must be a list.")
            return nil
        }
        return Array(sequence)
    }

    /// The text of a scalar; reports anything else.
    mutating func string(_ node: Node, _ what: String) -> String? {
        guard case .scalar(let scalar) = node, !YAMLReader.isNull(node) else {
            report(.wrongType, node, "\(what) must be text.")
            return nil
        }
        return scalar.string
    }

    /// A list of strings, or a single string taken as a one-element list.
    mutating func strings(_ node: Node, _ what: String) -> [String]? {
        if case .scalar = node { return string(node, what).map { [$0] } }
        guard let items = elements(node, what) else { return nil }
        return items.compactMap { string($0, "Each element of \(what)") }
    }

    /// A YAML value without a schema: quoted scalars are strings; plain ones are booleans,
    /// integers or strings; `${name}` is a reference.
    func untyped(_ node: Node) -> ParameterValue {
        switch node {
        case .scalar(let scalar):
            let text = scalar.string
            if let reference = YAMLReader.reference(text) { return .reference(reference) }
            guard scalar.style == .plain || scalar.style == .any else { return .string(text) }
            if text == "true" { return .bool(true) }
            if text == "false" { return .bool(false) }
            if let number = ValueText.integer(text) { return .int(number) }
            return .string(text)
        case .sequence(let sequence):
            return .list(sequence.map { untyped($0) })
        case .mapping(let mapping):
            return .map(mapping.map { (key: $0.key.string ?? "", value: untyped($0.value)) })
        }
    }

    /// `${name}` → `name`.
    static func reference(_ text: String) -> String? {
        guard text.hasPrefix("${"), text.hasSuffix("}"), text.count > 3 else { return nil }
        return String(text.dropFirst(2).dropLast())
    }
}
