/// The reference meter's firmware image format: any content followed by the SHA-256 of that
/// content (the last 32 bytes). ``COSEMServer``'s image transfer object (IC 18) verifies exactly
/// this; tests and the DLMS driver build valid images with ``make(identifier:size:)``.
public enum COSEMSimulatorImage {
    /// Length of the trailing signature.
    public static let signatureLength = 32
    /// Smallest valid image: one content byte and the signature.
    public static let minimumSize = signatureLength + 1

    /// A valid image of `size` bytes (at least ``minimumSize``) whose content is derived from
    /// `identifier` (deterministic: the same arguments give the same bytes).
    public static func make(identifier: [UInt8], size: Int) -> [UInt8] {
        let contentLength = max(minimumSize, size) - signatureLength
        var seed = identifier.reduce(UInt32(2_166_136_261)) { ($0 ^ UInt32($1)) &* 16_777_619 }
        var content = identifier.prefix(contentLength).map { $0 }
        while content.count < contentLength {
            seed = seed &* 1_664_525 &+ 1_013_904_223
            content.append(UInt8(truncatingIfNeeded: seed >> 24))
        }
        return content + SimulatorSHA256.hash(content)
    }

    /// ``make(identifier:size:)`` with a text identifier.
    public static func make(identifier: String, size: Int) -> [UInt8] { make(identifier: Array(identifier.utf8), size: size) }

    /// Whether `image` ends with the SHA-256 of the rest.
    public static func isValid(_ image: [UInt8]) -> Bool {
        guard image.count >= minimumSize else { return false }
        let content = Array(image.dropLast(signatureLength))
        return SimulatorSHA256.hash(content) == Array(image.suffix(signatureLength))
    }

    /// The signature of `image` (its last 32 bytes), empty when it is too short.
    public static func signature(of image: [UInt8]) -> [UInt8] {
        image.count >= minimumSize ? Array(image.suffix(signatureLength)) : []
    }
}
