import Foundation
import CodecSupport
import Conformance

/// Removes secrets from what a run writes: byte runs in frames (overwritten with a same-length
/// filler) and text in the report (replaced by `***`).
struct Redaction: Sendable {
    /// The filler byte that replaces secret bytes in frames: `*`.
    static let filler: UInt8 = 0x2A

    let secrets: SecretRegistry
    /// Off with `--include-secrets`.
    let enabled: Bool
    /// Every byte pattern a secret may appear as on the wire: its text's bytes and its hex-decoded
    /// bytes, longest first. Computed once: every frame and every report string is checked against it.
    let bytePatterns: [[UInt8]]

    init(secrets: SecretRegistry, enabled: Bool) {
        self.secrets = secrets
        self.enabled = enabled
        var patterns: Set<[UInt8]> = []
        for form in secrets.registeredForms {
            patterns.insert(Array(form.utf8))
            if form.count >= 2, form.count.isMultiple(of: 2), let bytes = try? HexText.parse(form), !bytes.isEmpty {
                patterns.insert(bytes)
            }
        }
        bytePatterns = patterns.sorted { $0.count > $1.count }
    }

    /// `bytes` with every secret pattern overwritten; `redacted` says whether any was.
    func redact(_ bytes: [UInt8]) -> (bytes: [UInt8], redacted: Bool) {
        guard enabled, !bytes.isEmpty else { return (bytes, false) }
        var out = bytes
        var redacted = false
        for pattern in bytePatterns where !pattern.isEmpty && pattern.count <= out.count {
            var i = 0
            while i + pattern.count <= out.count {
                if out[i..<(i + pattern.count)].elementsEqual(pattern) {
                    for j in i..<(i + pattern.count) { out[j] = Self.filler }
                    redacted = true
                    i += pattern.count
                } else {
                    i += 1
                }
            }
        }
        return (out, redacted)
    }

    /// `text` with every secret form replaced by `***`.
    /// Hex written with spaces (frame dumps in logs) is caught too, for secrets of 4 bytes or more.
    func scrub(_ text: String) -> String {
        guard enabled else { return text }
        var out = secrets.scrub(text)
        for pattern in bytePatterns where pattern.count >= 4 {
            let spaced = HexText.format(pattern, separator: " ")
            for form in [spaced.lowercased(), spaced.uppercased()] where out.contains(form) {
                out = out.replacingOccurrences(of: form, with: Secret.mask)
            }
        }
        return out
    }
}
