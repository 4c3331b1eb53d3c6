import CodecSupport

/// The party that sent (originated) a ciphered APDU; its system title and invocation counter
/// form the IV — Green Book 9.2.7.2.3.
public enum SecurityParty: String, Sendable, Hashable, CaseIterable {
    /// The client (head end, harness).
    case client
    /// The server (meter).
    case server
}

/// Keys, system titles and invocation counters of one client–server pair under security suite 0.
///
/// A value type: ``protect(apdu:by:control:form:invocationCounter:)`` and
/// ``unprotect(bytes:from:)`` never change it; advance a sender's counter with
/// ``advanceInvocationCounter(of:)`` after each APDU sent. `description` never shows keys.
public struct SecurityContext: Sendable, Equatable, CustomStringConvertible {
    /// EK: the global unicast encryption key (16 bytes); also the GMAC key.
    public var globalUnicastKey: [UInt8]?
    /// The global broadcast encryption key, used when SC bit 6 is set.
    public var globalBroadcastKey: [UInt8]?
    /// The dedicated key of the association (ded- and general-ded-ciphering APDUs).
    public var dedicatedKey: [UInt8]?
    /// AK: the authentication key, fed into the AAD.
    public var authenticationKey: [UInt8]?
    /// The client's system title.
    public var clientSystemTitle: SystemTitle?
    /// The server's system title.
    public var serverSystemTitle: SystemTitle?
    /// The invocation counter the client will use next.
    public var clientInvocationCounter: UInt32
    /// The invocation counter the server will use next.
    public var serverInvocationCounter: UInt32

    /// Creates a context; any key may be absent until it is needed.
    public init(
        globalUnicastKey: [UInt8]? = nil, globalBroadcastKey: [UInt8]? = nil, dedicatedKey: [UInt8]? = nil,
        authenticationKey: [UInt8]? = nil, clientSystemTitle: SystemTitle? = nil,
        serverSystemTitle: SystemTitle? = nil, clientInvocationCounter: UInt32 = 0,
        serverInvocationCounter: UInt32 = 0
    ) {
        self.globalUnicastKey = globalUnicastKey
        self.globalBroadcastKey = globalBroadcastKey
        self.dedicatedKey = dedicatedKey
        self.authenticationKey = authenticationKey
        self.clientSystemTitle = clientSystemTitle
        self.serverSystemTitle = serverSystemTitle
        self.clientInvocationCounter = clientInvocationCounter
        self.serverInvocationCounter = serverInvocationCounter
    }

    /// The system title of `party`.
    public func systemTitle(of party: SecurityParty) -> SystemTitle? {
        party == .client ? clientSystemTitle : serverSystemTitle
    }

    /// The invocation counter `party` will use next.
    public func invocationCounter(of party: SecurityParty) -> UInt32 {
        party == .client ? clientInvocationCounter : serverInvocationCounter
    }

    /// Moves `party`'s counter on by one; `.invalidValue` once it is exhausted (an IV must never
    /// repeat under one key).
    public mutating func advanceInvocationCounter(of party: SecurityParty) throws(DLMSError) {
        let current = invocationCounter(of: party)
        guard current < UInt32.max else {
            throw DLMSError(.invalidValue, at: 0, "the \(party.rawValue) invocation counter is exhausted; a new key is needed")
        }
        if party == .client { clientInvocationCounter = current + 1 } else { serverInvocationCounter = current + 1 }
    }

    public var description: String {
        func present(_ key: [UInt8]?) -> String { key == nil ? "absent" : "set" }
        return "SecurityContext(EK \(present(globalUnicastKey)), broadcast key \(present(globalBroadcastKey)), "
            + "dedicated key \(present(dedicatedKey)), AK \(present(authenticationKey)), "
            + "client \(clientSystemTitle?.description ?? "-") IC \(clientInvocationCounter), "
            + "server \(serverSystemTitle?.description ?? "-") IC \(serverInvocationCounter))"
    }

    /// The encryption key for an APDU of `kind` under `control`, or `.missingKey` at `offset`.
    func encryptionKey(for kind: CipheringKind, control: SecurityControl, at offset: Int) throws(DLMSError) -> [UInt8] {
        let key: [UInt8]?
        let name: String
        switch (kind, control.usesBroadcastKey) {
        case (.dedicated, true):
            throw DLMSError(.invalidValue, at: offset, "SC 0x\(HexText.format([control.rawValue])) selects the broadcast key on a dedicated-key APDU")
        case (.dedicated, false): (key, name) = (dedicatedKey, "dedicated key")
        case (.global, true): (key, name) = (globalBroadcastKey, "global broadcast key")
        case (.global, false): (key, name) = (globalUnicastKey, "global unicast key (EK)")
        }
        return try Self.checked(key, name: name, at: offset)
    }

    /// AK, or `.missingKey` at `offset`.
    func requiredAuthenticationKey(at offset: Int) throws(DLMSError) -> [UInt8] {
        try Self.checked(authenticationKey, name: "authentication key (AK)", at: offset)
    }

    private static func checked(_ key: [UInt8]?, name: String, at offset: Int) throws(DLMSError) -> [UInt8] {
        guard let key else { throw DLMSError(.missingKey, at: offset, "no \(name) is configured") }
        guard key.count == SecuritySuite0.keyLength else {
            throw DLMSError(.missingKey, at: offset, "the \(name) has \(key.count) bytes; suite 0 needs \(SecuritySuite0.keyLength)")
        }
        return key
    }
}
