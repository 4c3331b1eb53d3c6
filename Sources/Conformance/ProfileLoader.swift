import Foundation
import Yams

/// Loads a device profile, checking PICS items against the registry and resolving secrets.
public enum ProfileLoader {
    /// Reads the profile at `path`; secrets are registered in `secrets`. Throws every problem found.
    public static func load(path: String, registry: StepVocabularyRegistry, secrets: SecretRegistry) throws(ProfileLoadError) -> DeviceProfile {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw ProfileLoadError(diagnostics: [LoadDiagnostic(.unreadableFile, at: SourceLocation(file: path, line: 1, column: 1),
                                                                "The device profile cannot be read as UTF-8 text.")])
        }
        return try load(yaml: text, path: path, registry: registry, secrets: secrets)
    }

    /// Checks profile text; `path` is used in locations.
    public static func load(yaml text: String, path: String, registry: StepVocabularyRegistry, secrets: SecretRegistry) throws(ProfileLoadError) -> DeviceProfile {
        var reader = YAMLReader(file: path)
        var transport: String?
        var pics: [String: Bool] = [:]
        var pixit: [String: PIXITValue] = [:]
        let knownItems = registry.allPICSItems
        if let root = reader.compose(text), let entries = reader.entries(root, "The device profile") {
            for entry in entries {
                switch entry.key {
                case "transport":
                    transport = reader.string(entry.value, "'transport'")
                case "pics":
                    for item in reader.entries(entry.value, "'pics'") ?? [] {
                        if knownItems[item.key] == nil {
                            reader.report(.unknownPICSItem, item.keyNode, "Unknown PICS item '\(item.key)'.")
                        }
                        if case .bool(let value) = reader.untyped(item.value) { pics[item.key] = value }
                        else { reader.report(.wrongType, item.value, "PICS item '\(item.key)' must be true or false.") }
                    }
                case "pixit":
                    for item in reader.entries(entry.value, "'pixit'") ?? [] {
                        if let value = pixitValue(item.value, name: item.key, reader: &reader, secrets: secrets) {
                            pixit[item.key] = value
                        }
                    }
                default:
                    reader.report(.unknownKey, entry.keyNode, "Unknown profile key '\(entry.key)'; expected transport, pics or pixit.")
                }
            }
            if transport == nil, !entries.contains(where: { $0.key == "transport" }) {
                reader.report(.missingField, root, "The device profile has no 'transport' URL.")
            }
        }
        guard reader.diagnostics.isEmpty, let transport else { throw ProfileLoadError(diagnostics: reader.diagnostics) }
        return DeviceProfile(transport: transport, pics: pics, pixit: pixit, path: path)
    }

    private static func pixitValue(_ node: Node, name: String, reader: inout YAMLReader, secrets: SecretRegistry) -> PIXITValue? {
        if case .mapping = node {
            guard let entries = reader.entries(node, "PIXIT '\(name)'"), entries.count == 1, let entry = entries.first, entry.key == "secret",
                  let text = reader.string(entry.value, "The secret of PIXIT '\(name)'") else {
                reader.report(.wrongStructure, node, "PIXIT '\(name)' may be a mapping only as {secret: VALUE}.")
                return nil
            }
            return secret(text, name: name, node: entry.value, reader: &reader, secrets: secrets)
        }
        if case .scalar(let scalar) = node, SecretSource.isIndirect(scalar.string) {
            return secret(scalar.string, name: name, node: node, reader: &reader, secrets: secrets)
        }
        return plain(reader.untyped(node), name: name, node: node, reader: &reader)
    }

    private static func plain(_ value: ParameterValue, name: String, node: Node, reader: inout YAMLReader) -> PIXITValue? {
        switch value {
        case .string(let text), .reference(let text): return .string(text)
        case .int(let number): return .int(number)
        case .bool(let flag): return .bool(flag)
        case .list(let items):
            return .list(items.compactMap { plain($0, name: name, node: node, reader: &reader) })
        default:
            reader.report(.wrongType, node, "PIXIT '\(name)' must be text, an integer, true/false, a list or {secret: VALUE}.")
            return nil
        }
    }

    private static func secret(_ text: String, name: String, node: Node, reader: inout YAMLReader, secrets: SecretRegistry) -> PIXITValue? {
        do {
            let value = try SecretSource(parsing: text).resolveText()
            return .secret(Secret(text: value, registry: secrets))
        } catch {
            reader.report(.unresolvedSecret, node, "PIXIT '\(name)': \(error.message)")
            return nil
        }
    }
}
