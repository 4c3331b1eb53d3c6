import CodecSupport

/// The eight-byte system title that names a DLMS/COSEM entity and forms the first part of the
/// AES-GCM IV — Green Book 4.3.4: three-letter manufacturer FLAG id, then a five-byte number.
public struct SystemTitle: Sendable, Hashable, CustomStringConvertible {
    /// The eight bytes.
    public let bytes: [UInt8]

    /// Wraps eight bytes; any other count is `.invalidValue` at offset 0.
    public init(_ bytes: some Collection<UInt8>) throws(DLMSError) {
        guard bytes.count == 8 else {
            throw DLMSError(.invalidValue, at: 0, "a system title has 8 bytes, not \(bytes.count)")
        }
        self.bytes = Array(bytes)
    }

    /// The manufacturer FLAG id (bytes 0–2) when they are printable ASCII, else nil.
    public var manufacturerID: String? {
        let head = bytes.prefix(3)
        guard head.allSatisfy({ (0x20...0x7E).contains($0) }) else { return nil }
        return String(decoding: head, as: UTF8.self)
    }

    /// Upper-case hex.
    public var description: String { HexText.format(bytes, separator: "") }
}
