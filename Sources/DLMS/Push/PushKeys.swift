/// The keys a push receiver deciphers with: one set for every sender (`--key`, `--auth-key`), or a
/// set per system title (a key store), and the sender's system title for service-specific
/// ciphered APDUs (which do not carry it).
public struct PushKeys: Sendable, Equatable {
    /// The keys of one sender.
    public struct Entry: Sendable, Equatable {
        /// Global unicast encryption key (EK).
        public var encryptionKey: [UInt8]?
        /// Authentication key (AK).
        public var authenticationKey: [UInt8]?
        /// Global broadcast encryption key, used when SC bit 6 is set.
        public var broadcastKey: [UInt8]?
        /// Dedicated key, for ded- and general-ded-ciphering.
        public var dedicatedKey: [UInt8]?

        /// An entry; absent keys stay nil.
        public init(encryptionKey: [UInt8]? = nil, authenticationKey: [UInt8]? = nil,
                    broadcastKey: [UInt8]? = nil, dedicatedKey: [UInt8]? = nil) {
            self.encryptionKey = encryptionKey
            self.authenticationKey = authenticationKey
            self.broadcastKey = broadcastKey
            self.dedicatedKey = dedicatedKey
        }
    }

    /// Keys for any sender without an entry of its own.
    public var common: Entry?
    /// Keys by the sender's system title.
    public var bySystemTitle: [SystemTitle: Entry]
    /// The sender's system title when the APDU does not carry one.
    public var systemTitle: SystemTitle?

    /// A key set; by default no keys.
    public init(common: Entry? = nil, bySystemTitle: [SystemTitle: Entry] = [:], systemTitle: SystemTitle? = nil) {
        self.common = common
        self.bySystemTitle = bySystemTitle
        self.systemTitle = systemTitle
    }

    /// True when no key at all is configured.
    public var isEmpty: Bool { common == nil && bySystemTitle.isEmpty }

    /// The security context for a push from `title` (the carried title, else ``systemTitle``), or
    /// nil when no key applies. The sender is the server.
    public func context(for title: SystemTitle?) -> SecurityContext? {
        let sender = title ?? systemTitle
        guard let entry = sender.flatMap({ bySystemTitle[$0] }) ?? common else { return nil }
        return SecurityContext(globalUnicastKey: entry.encryptionKey, globalBroadcastKey: entry.broadcastKey,
                               dedicatedKey: entry.dedicatedKey, authenticationKey: entry.authenticationKey,
                               serverSystemTitle: sender)
    }
}
