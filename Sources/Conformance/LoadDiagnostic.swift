/// One problem found while loading a suite, profile or key store: where, what kind, and a sentence.
public struct LoadDiagnostic: Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, for tests and tools to match on.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case unreadableFile, invalidYAML, wrongStructure
        case unknownProtocol, unknownStep, unknownParameter, missingParameter, wrongType
        case unknownExpectField, unknownPICSItem, duplicateCaseID, duplicateKey
        case missingField, unknownKey, invalidValue, disputedCaseNotGated
        case unresolvedSecret
    }

    /// Where.
    public var location: SourceLocation
    /// What kind.
    public var kind: Kind
    /// One sentence naming the offending thing and what was expected.
    public var message: String

    public init(_ kind: Kind, at location: SourceLocation, _ message: String) {
        self.kind = kind
        self.location = location
        self.message = message
    }

    /// `file:line:column: message`.
    public var description: String { "\(location): \(message)" }
}

/// A suite file was rejected; `diagnostics` lists every problem found in it, in file order.
public struct SuiteLoadError: Error, Sendable, CustomStringConvertible {
    /// All problems of the file.
    public var diagnostics: [LoadDiagnostic]
    /// One line per problem.
    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}

/// A device profile was rejected; `diagnostics` lists every problem found in it.
public struct ProfileLoadError: Error, Sendable, CustomStringConvertible {
    /// All problems of the file.
    public var diagnostics: [LoadDiagnostic]
    /// One line per problem.
    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
