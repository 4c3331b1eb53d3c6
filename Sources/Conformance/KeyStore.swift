import Foundation
import Yams

/// Keys for every protocol in one file (`--keys FILE`), used alike by run, analyze, decode and listen.
///
/// ```yaml
/// dlms:                      # system title (8 bytes hex) → encryption and authentication keys
///   "4D4D4D0000BC614E": {ek: env:DLMS_EK, ak: file:/secure/ak.hex}
/// c1222:                     # key id → key
///   "0": 00112233445566778899AABBCCDDEEFF
/// wmbus:                     # meter id (as printed, 8 digits) → key
///   "12345678": env:WMBUS_KEY
/// ```
/// Every key is hex (literal, or the contents of the variable or file) and becomes a `Secret`.
public struct KeyStore: Sendable {
    /// DLMS security suite 0 keys of one server.
    public struct DLMSKeys: Sendable, Hashable {
        /// Global unicast encryption key.
        public var ek: Secret?
        /// Authentication key.
        public var ak: Secret?
    }

    /// By system title in upper-case hex.
    public var dlms: [String: DLMSKeys] = [:]
    /// By C12.22 key id.
    public var c1222: [Int: Secret] = [:]
    /// By wM-Bus meter id.
    public var wmbus: [String: Secret] = [:]

    public init() {}

    /// A single key given on the command line: hex, `env:NAME` or `file:PATH`.
    public static func key(_ text: String, secrets: SecretRegistry) throws(SecretResolutionError) -> Secret {
        let resolved = try SecretSource(parsing: text).resolveText()
        guard let bytes = ValueText.hexBytes(resolved.trimmingWhitespace) else {
            throw SecretResolutionError(message: "The key is not hex.")
        }
        let secret = Secret(bytes: bytes, registry: secrets)
        secrets.register(Array(resolved.utf8))
        return secret
    }

    /// Loads a key store file; throws every problem found (never quoting a key).
    public static func load(path: String, secrets: SecretRegistry) throws(ProfileLoadError) -> KeyStore {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw ProfileLoadError(diagnostics: [LoadDiagnostic(.unreadableFile, at: SourceLocation(file: path, line: 1, column: 1),
                                                                "The key store cannot be read as UTF-8 text.")])
        }
        var reader = YAMLReader(file: path)
        var store = KeyStore()
        func key(_ node: Node, _ what: String, _ reader: inout YAMLReader) -> Secret? {
            guard let text = reader.string(node, what) else { return nil }
            do { return try KeyStore.key(text, secrets: secrets) } catch {
                reader.report(.unresolvedSecret, node, "\(what): \(error.message)")
                return nil
            }
        }
        if let root = reader.compose(text), let sections = reader.entries(root, "The key store") {
            for section in sections {
                let entries = reader.entries(section.value, "'\(section.key)'") ?? []
                switch section.key {
                case "dlms":
                    for entry in entries {
                        guard let title = ValueText.hexBytes(entry.key), title.count == 8 else {
                            reader.report(.invalidValue, entry.keyNode, "DLMS system title '\(entry.key)' must be 8 bytes of hex.")
                            continue
                        }
                        var keys = DLMSKeys()
                        for part in reader.entries(entry.value, "the keys of \(entry.key)") ?? [] {
                            switch part.key {
                            case "ek": keys.ek = key(part.value, "EK of \(entry.key)", &reader)
                            case "ak": keys.ak = key(part.value, "AK of \(entry.key)", &reader)
                            default: reader.report(.unknownKey, part.keyNode, "Unknown DLMS key '\(part.key)'; expected ek or ak.")
                            }
                        }
                        store.dlms[title.map { String(format: "%02X", $0) }.joined()] = keys
                    }
                case "c1222":
                    for entry in entries {
                        guard let id = ValueText.integer(entry.key), (0...255).contains(id) else {
                            reader.report(.invalidValue, entry.keyNode, "C12.22 key id '\(entry.key)' must be an integer 0–255.")
                            continue
                        }
                        store.c1222[id] = key(entry.value, "C12.22 key \(id)", &reader)
                    }
                case "wmbus":
                    for entry in entries {
                        store.wmbus[entry.key] = key(entry.value, "wM-Bus key of meter \(entry.key)", &reader)
                    }
                default:
                    reader.report(.unknownKey, section.keyNode, "Unknown key store section '\(section.key)'; expected dlms, c1222 or wmbus.")
                }
            }
        }
        guard reader.diagnostics.isEmpty else { throw ProfileLoadError(diagnostics: reader.diagnostics) }
        return store
    }
}
