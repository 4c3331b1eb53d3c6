import Foundation
import Synchronization

/// Every secret value loaded in this process, so report writers can scrub them (ASCII and hex forms).
public final class SecretRegistry: Sendable {
    private let forms = Mutex<Set<String>>([])

    public init() {}

    /// Registers `bytes`: their UTF-8 text (when printable), and lower- and upper-case hex.
    public func register(_ bytes: [UInt8]) {
        guard !bytes.isEmpty else { return }
        let hexLower = bytes.map { String(format: "%02x", $0) }.joined()
        var new: Set<String> = [hexLower, hexLower.uppercased()]
        if let text = String(bytes: bytes, encoding: .utf8), !text.isEmpty { new.insert(text) }
        forms.withLock { $0.formUnion(new) }
    }

    /// Every registered form, longest first (so a longer secret is scrubbed before a part of it).
    public var registeredForms: [String] {
        forms.withLock { $0.sorted { $0.count != $1.count ? $0.count > $1.count : $0 < $1 } }
    }

    /// `text` with every registered form replaced by `***`.
    public func scrub(_ text: String) -> String {
        registeredForms.reduce(text) { $0.replacingOccurrences(of: $1, with: Secret.mask) }
    }
}

/// A secret value (password, key): prints, dumps and encodes as `***`; `reveal()` gives the bytes.
public struct Secret: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable, Encodable {
    /// What a secret shows instead of its value.
    public static let mask = "***"

    private let bytes: [UInt8]

    /// Wraps `bytes` and registers them in `registry`.
    public init(bytes: [UInt8], registry: SecretRegistry) {
        self.bytes = bytes
        registry.register(bytes)
    }

    /// Wraps the UTF-8 of `text` and registers it in `registry`.
    public init(text: String, registry: SecretRegistry) {
        self.init(bytes: Array(text.utf8), registry: registry)
    }

    /// The secret's bytes, for the code that must send them.
    public func reveal() -> [UInt8] { bytes }

    /// The secret's bytes as UTF-8 text, when they are.
    public func revealText() -> String? { String(bytes: bytes, encoding: .utf8) }

    public var description: String { Self.mask }
    public var debugDescription: String { Self.mask }
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(Self.mask)
    }
}

/// Where a secret comes from: `env:NAME`, `file:PATH`, or the literal text.
public enum SecretSource: Sendable, Hashable {
    case literal(String)
    case environment(String)
    case file(String)

    /// Parses `env:NAME`, `file:PATH` or anything else as a literal.
    public init(parsing text: String) {
        if text.hasPrefix("env:") { self = .environment(String(text.dropFirst(4))) }
        else if text.hasPrefix("file:") { self = .file(String(text.dropFirst(5))) }
        else { self = .literal(text) }
    }

    /// Whether the text names an indirection (`env:` or `file:`).
    public static func isIndirect(_ text: String) -> Bool { text.hasPrefix("env:") || text.hasPrefix("file:") }

    /// The secret's text: the literal, the environment variable's value, or the file's contents
    /// without a trailing newline. Throws a sentence when the variable or file is missing.
    public func resolveText() throws(SecretResolutionError) -> String {
        switch self {
        case .literal(let text):
            return text
        case .environment(let name):
            guard let value = ProcessInfo.processInfo.environment[name] else {
                throw SecretResolutionError(message: "Environment variable \(name) is not set.")
            }
            return value
        case .file(let path):
            guard let data = FileManager.default.contents(atPath: path), var text = String(data: data, encoding: .utf8) else {
                throw SecretResolutionError(message: "Secret file \(path) cannot be read.")
            }
            while text.hasSuffix("\n") || text.hasSuffix("\r") { text.removeLast() }
            return text
        }
    }
}

/// A secret could not be resolved (variable unset, file unreadable, key not hex).
public struct SecretResolutionError: Error, Sendable {
    /// One sentence, never containing the secret.
    public var message: String
}
