import Foundation
import Yams

/// Loads and checks a suite file against the registered vocabularies, before anything is sent.
///
/// Format (one suite per file):
/// ```yaml
/// id: mbus-link-layer
/// title: M-Bus link layer
/// protocol: mbus
/// default_timeout: 2s            # optional
/// cases:
///   - id: MBUS_LL_P01
///     title: SND_NKE is acknowledged
///     purpose: When the master sends SND_NKE, then the slave answers E5.
///     references:
///       - {standard: EN 13757-2, source: fact sheet mbus.md §1.5}
///     usecases: [F1 remote reading]
///     requires: [mbus.ack_after_snd_nke]     # `not:ITEM` for items that must be false
///     confirmed: false                       # optional: caps fail to inconc
///     disputed: why sources disagree         # optional: requires must not be empty
///     timeout: 1s                            # optional default step timeout
///     steps:
///       - send: {frame: snd_nke, address: 5}
///         timeout: 500ms                     # optional per step
///       - expect_ack:
/// ```
public enum SuiteLoader {
    private static let suiteKeys = ["id", "title", "protocol", "description", "default_timeout", "cases"]
    private static let caseKeys = ["id", "title", "purpose", "references", "usecases", "requires",
                                   "confirmed", "disputed", "timeout", "steps"]
    private static let referenceKeys = ["standard", "clause", "source"]

    /// Reads and checks the suite at `path`; throws every problem found in the file.
    public static func load(path: String, registry: StepVocabularyRegistry) throws(SuiteLoadError) -> TestSuite {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw SuiteLoadError(diagnostics: [LoadDiagnostic(.unreadableFile, at: SourceLocation(file: path, line: 1, column: 1),
                                                              "The suite file cannot be read as UTF-8 text.")])
        }
        return try load(yaml: text, path: path, registry: registry)
    }

    /// Checks suite text; `path` is used in locations and stored in the suite.
    public static func load(yaml text: String, path: String, registry: StepVocabularyRegistry) throws(SuiteLoadError) -> TestSuite {
        var context = Context(reader: YAMLReader(file: path), registry: registry)
        let suite = context.suite(text: text, path: path)
        if let suite, context.reader.diagnostics.isEmpty { return suite }
        throw SuiteLoadError(diagnostics: context.reader.diagnostics)
    }

    private struct Context {
        var reader: YAMLReader
        let registry: StepVocabularyRegistry
        var protocolName = ""
        var picsItems: [String: PICSItem] = [:]

        mutating func suite(text: String, path: String) -> TestSuite? {
            guard let root = reader.compose(text), let entries = reader.entries(root, "The suite") else { return nil }
            var fields: [String: Node] = [:]
            for entry in entries {
                if SuiteLoader.suiteKeys.contains(entry.key) { fields[entry.key] = entry.value }
                else { reader.report(.unknownKey, entry.keyNode, "Unknown suite key '\(entry.key)'; expected one of \(SuiteLoader.suiteKeys.joined(separator: ", ")).") }
            }
            let id = required("id", in: fields, of: root, "the suite")
            let title = required("title", in: fields, of: root, "the suite")
            if let node = fields["protocol"], let name = reader.string(node, "protocol") {
                if registry.vocabulary(for: name) == nil {
                    let known = registry.protocolNames.joined(separator: ", ")
                    reader.report(.unknownProtocol, node, "Unknown protocol '\(name)'; registered protocols: \(known.isEmpty ? "none" : known).")
                    return nil
                }
                protocolName = name
                picsItems = Dictionary(uniqueKeysWithValues: (registry.vocabulary(for: name)?.picsItems ?? []).map { ($0.name, $0) })
            } else {
                if fields["protocol"] == nil { reader.report(.missingField, root, "The suite has no 'protocol'.") }
                return nil
            }
            var defaultTimeout = TestSuite.engineDefaultStepTimeout
            if let node = fields["default_timeout"], let value = duration(node, "default_timeout") { defaultTimeout = value }
            var cases: [TestCase] = []
            var firstLocation: [String: SourceLocation] = [:]
            if let node = fields["cases"], let items = reader.elements(node, "cases") {
                for item in items {
                    guard let testCase = testCase(item, defaultTimeout: defaultTimeout) else { continue }
                    if let first = firstLocation[testCase.id] {
                        reader.report(.duplicateCaseID, item, "Case id '\(testCase.id)' is already used at line \(first.line).")
                    } else {
                        firstLocation[testCase.id] = testCase.location
                    }
                    cases.append(testCase)
                }
            } else if fields["cases"] == nil {
                reader.report(.missingField, root, "The suite has no 'cases'.")
            }
            guard let id, let title else { return nil }
            return TestSuite(id: id, title: title, protocolName: protocolName, path: path, cases: cases)
        }

        mutating func required(_ key: String, in fields: [String: Node], of parent: Node, _ what: String) -> String? {
            guard let node = fields[key] else {
                reader.report(.missingField, parent, "\(what.prefix(1).uppercased() + what.dropFirst()) has no '\(key)'.")
                return nil
            }
            guard let text = reader.string(node, "'\(key)' of \(what)") else { return nil }
            if text.trimmingWhitespace.isEmpty {
                reader.report(.missingField, node, "'\(key)' of \(what) is empty.")
                return nil
            }
            return text
        }

        mutating func duration(_ node: Node, _ what: String) -> Duration? {
            guard let text = reader.string(node, what) else { return nil }
            guard let value = ValueText.duration(text) else {
                reader.report(.wrongType, node, "\(what) '\(text)' must be \(ParameterType.duration).")
                return nil
            }
            return value
        }

        mutating func testCase(_ node: Node, defaultTimeout: Duration) -> TestCase? {
            guard let entries = reader.entries(node, "A case") else { return nil }
            var fields: [String: Node] = [:]
            for entry in entries {
                if SuiteLoader.caseKeys.contains(entry.key) { fields[entry.key] = entry.value }
                else { reader.report(.unknownKey, entry.keyNode, "Unknown case key '\(entry.key)'; expected one of \(SuiteLoader.caseKeys.joined(separator: ", ")).") }
            }
            let id = required("id", in: fields, of: node, "the case")
            let what = id.map { "case \($0)" } ?? "the case"
            let title = required("title", in: fields, of: node, what)
            let purpose = fields["purpose"].flatMap { reader.string($0, "'purpose' of \(what)") } ?? ""
            let references = references(fields["references"], parent: node, what)
            let usecases = fields["usecases"].flatMap { reader.strings($0, "'usecases' of \(what)") } ?? []
            var requires: [PICSRequirement] = []
            if let requiresNode = fields["requires"] {
                let items: [Node] = if case .sequence(let sequence) = requiresNode { Array(sequence) } else { [requiresNode] }
                for item in items {
                    guard let text = reader.string(item, "Each element of 'requires' of \(what)") else { continue }
                    let requirement = PICSRequirement(parsing: text)
                    if picsItems[requirement.item] == nil {
                        reader.report(.unknownPICSItem, item, "Unknown PICS item '\(requirement.item)' for protocol \(protocolName); known items: \(picsItems.keys.sorted().joined(separator: ", ")).")
                    }
                    requires.append(requirement)
                }
            }
            var unconfirmed = false
            if let confirmedNode = fields["confirmed"] {
                switch reader.untyped(confirmedNode) {
                case .bool(let confirmed): unconfirmed = !confirmed
                default: reader.report(.wrongType, confirmedNode, "'confirmed' of \(what) must be true or false.")
                }
            }
            let disputed = fields["disputed"].flatMap { reader.string($0, "'disputed' of \(what)") }
            if disputed != nil, requires.isEmpty, let disputedNode = fields["disputed"] {
                reader.report(.disputedCaseNotGated, disputedNode, "\(what.prefix(1).uppercased() + what.dropFirst()) is disputed between public sources, so it must be gated by a PICS item in 'requires'.")
            }
            var caseTimeout = defaultTimeout
            if let timeoutNode = fields["timeout"], let value = duration(timeoutNode, "'timeout' of \(what)") { caseTimeout = value }
            var steps: [Step] = []
            if let stepsNode = fields["steps"] {
                steps = self.steps(stepsNode, what)
            } else {
                reader.report(.missingField, node, "\(what.prefix(1).uppercased() + what.dropFirst()) has no 'steps'.")
            }
            guard let id, let title, let references else { return nil }
            return TestCase(id: id, title: title, purpose: purpose, references: references, usecases: usecases,
                            requires: requires, unconfirmed: unconfirmed, disputed: disputed,
                            defaultStepTimeout: caseTimeout, steps: steps, location: reader.location(node))
        }

        mutating func references(_ node: Node?, parent: Node, _ what: String) -> [Reference]? {
            guard let node else {
                reader.report(.missingField, parent, "\(what.prefix(1).uppercased() + what.dropFirst()) has no 'references'; give the standard and the source that settles the behaviour.")
                return nil
            }
            guard let items = reader.elements(node, "'references' of \(what)") else { return nil }
            if items.isEmpty {
                reader.report(.missingField, node, "'references' of \(what) is empty; give at least one.")
                return nil
            }
            var result: [Reference] = []
            var complete = true
            for item in items {
                guard let entries = reader.entries(item, "A reference") else { complete = false; continue }
                var fields: [String: Node] = [:]
                for entry in entries {
                    if SuiteLoader.referenceKeys.contains(entry.key) { fields[entry.key] = entry.value }
                    else { reader.report(.unknownKey, entry.keyNode, "Unknown reference key '\(entry.key)'; expected standard, clause or source.") }
                }
                let standard = required("standard", in: fields, of: item, "a reference of \(what)")
                let source = required("source", in: fields, of: item, "a reference of \(what)")
                let clause = fields["clause"].flatMap { reader.string($0, "'clause'") }
                guard let standard, let source else { complete = false; continue }
                result.append(Reference(standard: standard, clause: clause, source: source))
            }
            return complete ? result : nil
        }

        mutating func steps(_ node: Node, _ what: String) -> [Step] {
            guard let items = reader.elements(node, "'steps' of \(what)") else { return [] }
            return items.compactMap { step($0) }
        }

        mutating func step(_ node: Node) -> Step? {
            guard let entries = reader.entries(node, "A step") else { return nil }
            var timeout: Duration?
            var kindEntries: [(key: String, keyNode: Node, value: Node)] = []
            for entry in entries {
                if entry.key == "timeout" { timeout = duration(entry.value, "The step's 'timeout'") }
                else { kindEntries.append(entry) }
            }
            guard kindEntries.count == 1, let entry = kindEntries.first else {
                let names = kindEntries.map(\.key).joined(separator: ", ")
                reader.report(.wrongStructure, node, kindEntries.isEmpty
                              ? "A step must name one step kind."
                              : "A step must name one step kind, not several (\(names)); write them as separate steps.")
                return nil
            }
            guard let kind = registry.stepKind(named: entry.key, protocol: protocolName) else {
                let known = registry.stepKinds(for: protocolName).map(\.name).joined(separator: ", ")
                reader.report(.unknownStep, entry.keyNode, "Unknown step '\(entry.key)' for protocol \(protocolName); known steps: \(known).")
                return nil
            }
            var parameters: [String: ParameterValue] = [:]
            if !YAMLReader.isNull(entry.value), let given = reader.entries(entry.value, "The parameters of step '\(kind.name)'") {
                for parameter in given {
                    guard let spec = kind.parameter(named: parameter.key) else {
                        let known = kind.parameters.map(\.name)
                        reader.report(.unknownParameter, parameter.keyNode, "Step '\(kind.name)' has no parameter '\(parameter.key)'; \(known.isEmpty ? "it takes none" : "it takes " + known.joined(separator: ", ")).")
                        continue
                    }
                    if let value = value(parameter.value, spec.type, "Parameter '\(spec.name)' of step '\(kind.name)'", kind: kind) {
                        parameters[spec.name] = value
                    }
                }
            }
            for spec in kind.parameters where spec.isRequired {
                if case .mapping(let mapping) = entry.value, mapping[spec.name] != nil { continue }
                reader.report(.missingParameter, entry.keyNode, "Step '\(kind.name)' needs parameter '\(spec.name)' (\(spec.type)).")
            }
            return Step(kind: kind.name, parameters: parameters, timeout: timeout, location: reader.location(entry.keyNode))
        }

        /// Checks `node` against `type`; reports and returns nil when it does not fit.
        mutating func value(_ node: Node, _ type: ParameterType, _ what: String, kind: StepKind) -> ParameterValue? {
            if case .scalar(let scalar) = node, let reference = YAMLReader.reference(scalar.string) {
                switch type {
                case .steps, .matchers: break
                default: return .reference(reference)
                }
            }
            if let value = Self.coerce(node, type, reader: reader) { return value }
            switch type {
            case .steps:
                guard case .sequence = node else { break }
                return .steps(steps(node, "the body"))
            case .matchers:
                guard let entries = reader.entries(node, what) else { return nil }
                var matchers: [FieldMatcher] = []
                for entry in entries {
                    if kind.allowsExpectField(entry.key) {
                        matchers.append(FieldMatcher(field: entry.key, expected: reader.untyped(entry.value), location: reader.location(entry.keyNode)))
                    } else {
                        reader.report(.unknownExpectField, entry.keyNode, "Step '\(kind.name)' cannot expect field '\(entry.key)'; fields are those of the decoded JSON, e.g. \(kind.expectFields.prefix(6).joined(separator: ", ")).")
                    }
                }
                return .matchers(matchers)
            default:
                break
            }
            let shown = node.string.map { " '\($0)'" } ?? ""
            reader.report(.wrongType, node, "\(what)\(shown) must be \(type).")
            return nil
        }

        /// The value of `node` as `type`, or nil (no report) when it does not fit.
        static func coerce(_ node: Node, _ type: ParameterType, reader: YAMLReader) -> ParameterValue? {
            let scalarText: String? = if case .scalar(let scalar) = node, !YAMLReader.isNull(node) { scalar.string } else { nil }
            switch type {
            case .string:
                return scalarText.map(ParameterValue.string)
            case .int(let range):
                guard let text = scalarText, let number = ValueText.integer(text) else { return nil }
                if let range, !range.contains(number) { return nil }
                return .int(number)
            case .bool:
                return scalarText == "true" ? .bool(true) : scalarText == "false" ? .bool(false) : nil
            case .hexBytes:
                return scalarText.flatMap(ValueText.hexBytes).map(ParameterValue.bytes)
            case .duration:
                return scalarText.flatMap(ValueText.duration).map(ParameterValue.duration)
            case .list:
                guard case .sequence = node else { return nil }
                return reader.untyped(node)
            case .map:
                guard case .mapping = node else { return nil }
                return reader.untyped(node)
            case .oneOfWords(let words):
                guard let text = scalarText, words.contains(text) else { return nil }
                return .string(text)
            case .anyOf(let types):
                for candidate in types { if let value = coerce(node, candidate, reader: reader) { return value } }
                return nil
            case .any:
                return YAMLReader.isNull(node) ? nil : reader.untyped(node)
            case .steps, .matchers:
                return nil
            }
        }
    }
}
