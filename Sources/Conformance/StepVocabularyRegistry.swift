/// Maps protocol identifiers to their step vocabularies; built once by the executable
/// (or a test) and passed to the loaders.
public struct StepVocabularyRegistry: Sendable {
    private var vocabularies: [String: any StepVocabulary] = [:]

    /// An empty registry (only generic steps, no protocol).
    public init() {}

    /// A registry holding `vocabularies`; a later one replaces an earlier one of the same protocol.
    public init(_ vocabularies: [any StepVocabulary]) {
        for vocabulary in vocabularies { register(vocabulary) }
    }

    /// Adds or replaces the vocabulary of `vocabulary.protocolName`.
    public mutating func register(_ vocabulary: any StepVocabulary) {
        vocabularies[vocabulary.protocolName] = vocabulary
    }

    /// The registered protocol identifiers, sorted.
    public var protocolNames: [String] { vocabularies.keys.sorted() }

    /// The vocabulary of `protocolName`, if registered.
    public func vocabulary(for protocolName: String) -> (any StepVocabulary)? {
        vocabularies[protocolName]
    }

    /// The step kinds a suite of `protocolName` may use: the protocol's own, then the generic
    /// ones it does not replace. Empty for an unknown protocol.
    public func stepKinds(for protocolName: String) -> [StepKind] {
        guard let vocabulary = vocabularies[protocolName] else { return [] }
        let own = vocabulary.stepKinds
        let ownNames = Set(own.map(\.name))
        return own + GenericSteps.all.filter { !ownNames.contains($0.name) }
    }

    /// The step kind `name` for `protocolName`, protocol's own first, then generic.
    public func stepKind(named name: String, protocol protocolName: String) -> StepKind? {
        guard let vocabulary = vocabularies[protocolName] else { return nil }
        return vocabulary.stepKinds.first { $0.name == name } ?? GenericSteps.all.first { $0.name == name }
    }

    /// Every PICS item of every registered protocol, by name.
    public var allPICSItems: [String: PICSItem] {
        var items: [String: PICSItem] = [:]
        for vocabulary in vocabularies.values {
            for item in vocabulary.picsItems { items[item.name] = item }
        }
        return items
    }
}
