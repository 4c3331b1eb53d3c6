import CodecSupport
import Conformance

/// DLMS suite 0 keys by system title (upper-case hex), taken from the key store (`--keys FILE`).
/// Keys are ``Secret``s: they print as `***` and are revealed only to build a security context.
public struct DLMSKeyRing: Sendable {
    /// Keys of one system title.
    public struct Keys: Sendable {
        /// Global unicast encryption key.
        public var ek: Secret?
        /// Authentication key.
        public var ak: Secret?
    }

    /// By system title bytes (looked up for every ciphered APDU: no text conversion on the way).
    private var byTitle: [[UInt8]: Keys] = [:]

    /// An empty ring.
    public init() {}

    /// The DLMS section of a key store.
    public init(_ store: KeyStore) {
        for (title, keys) in store.dlms {
            guard let bytes = try? HexText.parse(title) else { continue }
            byTitle[bytes] = Keys(ek: keys.ek, ak: keys.ak)
        }
    }

    /// Whether any key is known.
    public var isEmpty: Bool { byTitle.isEmpty }

    /// The keys of a system title.
    public func keys(for title: [UInt8]) -> Keys? {
        byTitle[title]
    }
}

extension DLMSKeyRing {
    /// A ring from raw keys (tests, tools); the bytes become ``Secret``s registered in `registry`.
    public init(entries: [(systemTitle: [UInt8], ek: [UInt8]?, ak: [UInt8]?)], registry: SecretRegistry = SecretRegistry()) {
        self.init()
        for entry in entries {
            byTitle[entry.systemTitle] = Keys(
                ek: entry.ek.map { Secret(bytes: $0, registry: registry) }, ak: entry.ak.map { Secret(bytes: $0, registry: registry) })
        }
    }
}
