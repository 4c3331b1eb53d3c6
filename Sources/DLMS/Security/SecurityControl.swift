/// The security control byte (SC) at the head of every security header — Green Book 9.2.7.2.
///
/// Bits 0–3 carry the security suite id, bit 4 authentication, bit 5 encryption, bit 6 the key set
/// (0 unicast, 1 broadcast) and bit 7 compression.
public struct SecurityControl: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    /// One named part of the byte.
    public enum Flag: UInt8, Sendable, CaseIterable {
        /// Bit 4: the APDU carries an authentication tag (GMAC or GCM tag).
        case authentication = 0x10
        /// Bit 5: the information is encrypted.
        case encryption = 0x20
        /// Bit 6: the global broadcast key ciphers the APDU instead of the unicast key.
        case broadcastKey = 0x40
        /// Bit 7: the information was compressed before ciphering.
        case compression = 0x80

        /// Stable dotted field name used in decoded output.
        public var name: String {
            switch self {
            case .authentication: "dlms.sc.authentication"
            case .encryption: "dlms.sc.encryption"
            case .broadcastKey: "dlms.sc.broadcast_key"
            case .compression: "dlms.sc.compression"
            }
        }
    }

    /// The byte as transmitted.
    public let rawValue: UInt8

    /// Wraps a transmitted byte; every value is representable.
    public init(rawValue: UInt8) {
        self.rawValue = rawValue
    }

    /// Assembles a byte from its parts; `suite` keeps its low four bits.
    public init(
        suite: UInt8 = 0, authenticated: Bool, encrypted: Bool,
        broadcastKey: Bool = false, compressed: Bool = false
    ) {
        var value = suite & 0x0F
        if authenticated { value |= Flag.authentication.rawValue }
        if encrypted { value |= Flag.encryption.rawValue }
        if broadcastKey { value |= Flag.broadcastKey.rawValue }
        if compressed { value |= Flag.compression.rawValue }
        self.rawValue = value
    }

    /// `10`: authentication only (GMAC over SC ‖ AK ‖ plaintext; the plaintext travels in clear).
    public static let authenticationOnly = SecurityControl(rawValue: 0x10)
    /// `20`: encryption only (no tag).
    public static let encryptionOnly = SecurityControl(rawValue: 0x20)
    /// `30`: authenticated encryption.
    public static let authenticatedEncryption = SecurityControl(rawValue: 0x30)

    /// Bits 0–3: the security suite id (0 = AES-GCM-128).
    public var suiteID: UInt8 { rawValue & 0x0F }
    /// Bit 4.
    public var isAuthenticated: Bool { contains(.authentication) }
    /// Bit 5.
    public var isEncrypted: Bool { contains(.encryption) }
    /// Bit 6.
    public var usesBroadcastKey: Bool { contains(.broadcastKey) }
    /// Bit 7.
    public var isCompressed: Bool { contains(.compression) }

    /// True when `flag` is set.
    public func contains(_ flag: Flag) -> Bool { rawValue & flag.rawValue != 0 }

    /// The flags that are set, lowest bit first.
    public var flags: [Flag] { Flag.allCases.filter(contains) }

    public var description: String {
        var parts = ["suite \(suiteID)"]
        if isAuthenticated { parts.append("authenticated") }
        if isEncrypted { parts.append("encrypted") }
        if usesBroadcastKey { parts.append("broadcast key") }
        if isCompressed { parts.append("compressed") }
        return parts.joined(separator: ", ")
    }
}
