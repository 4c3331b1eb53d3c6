import CodecSupport

/// The DLMS UA OID prefix 2.16.756.5.8 (fact sheet §4.5).
public enum DLMSObjectIdentifiers {
    /// 2.16.756.5.8.
    public static let prefix: [UInt64] = [2, 16, 756, 5, 8]
    /// 2.16.756.5.8.1, application context names.
    public static let applicationContext: [UInt64] = prefix + [1]
    /// 2.16.756.5.8.2, authentication mechanism names.
    public static let mechanism: [UInt64] = prefix + [2]
}

/// An application-context-name (fact sheet §4.5): 2.16.756.5.8.1.1…4, or any other OID as sent.
public struct ApplicationContextName: Sendable, Hashable, CustomStringConvertible {
    /// The OID.
    public var oid: BERObjectIdentifier

    /// A context name with this OID.
    public init(_ oid: BERObjectIdentifier) { self.oid = oid }

    /// The DLMS context 2.16.756.5.8.1.`id`.
    public init(dlms id: UInt64) { self.init(BERObjectIdentifier(DLMSObjectIdentifiers.applicationContext + [id])) }

    /// 2.16.756.5.8.1.1: logical-name referencing, no ciphering.
    public static let logicalNameNoCiphering = ApplicationContextName(dlms: 1)
    /// 2.16.756.5.8.1.2: short-name referencing, no ciphering.
    public static let shortNameNoCiphering = ApplicationContextName(dlms: 2)
    /// 2.16.756.5.8.1.3: logical-name referencing with ciphering.
    public static let logicalNameWithCiphering = ApplicationContextName(dlms: 3)
    /// 2.16.756.5.8.1.4: short-name referencing with ciphering (WS labels it "Without Ciphering";
    /// U9, GX and JD agree on "with ciphering", which is used here).
    public static let shortNameWithCiphering = ApplicationContextName(dlms: 4)

    /// The last arc when the OID is 2.16.756.5.8.1.n, else nil.
    public var dlmsID: UInt64? {
        oid.arcs.count == 7 && Array(oid.arcs.prefix(6)) == DLMSObjectIdentifiers.applicationContext ? oid.arcs[6] : nil
    }

    /// Stable snake_case name (`logical_name_no_ciphering`, …), or nil for an OID not in §4.5.
    public var name: String? {
        switch dlmsID {
        case 1: "logical_name_no_ciphering"
        case 2: "short_name_no_ciphering"
        case 3: "logical_name_with_ciphering"
        case 4: "short_name_with_ciphering"
        default: nil
        }
    }

    /// True for the two contexts with ciphering (3 and 4).
    public var usesCiphering: Bool { dlmsID == 3 || dlmsID == 4 }

    /// Name and dotted OID.
    public var description: String { "\(name ?? "unknown") (\(oid))" }

    /// `{oid, name}`; name is null for an unknown OID.
    public var json: JSONValue {
        .object([("oid", .string(oid.description)), ("name", name.map(JSONValue.string) ?? .null)])
    }
}

/// An authentication mechanism-name (fact sheet §4.6): 2.16.756.5.8.2.0…7, or any other OID as sent.
public struct MechanismName: Sendable, Hashable, CustomStringConvertible {
    /// The OID.
    public var oid: BERObjectIdentifier

    /// A mechanism name with this OID.
    public init(_ oid: BERObjectIdentifier) { self.oid = oid }

    /// The DLMS mechanism 2.16.756.5.8.2.`id`.
    public init(dlms id: UInt64) { self.init(BERObjectIdentifier(DLMSObjectIdentifiers.mechanism + [id])) }

    /// 0: lowest level security (no authentication).
    public static let lowest = MechanismName(dlms: 0)
    /// 1: low level security (password).
    public static let lls = MechanismName(dlms: 1)
    /// 2: high level security, manufacturer specific.
    public static let hls = MechanismName(dlms: 2)
    /// 3: HLS with MD5.
    public static let hlsMD5 = MechanismName(dlms: 3)
    /// 4: HLS with SHA-1.
    public static let hlsSHA1 = MechanismName(dlms: 4)
    /// 5: HLS with GMAC.
    public static let hlsGMAC = MechanismName(dlms: 5)
    /// 6: HLS with SHA-256.
    public static let hlsSHA256 = MechanismName(dlms: 6)
    /// 7: HLS with ECDSA.
    public static let hlsECDSA = MechanismName(dlms: 7)

    /// The last arc when the OID is 2.16.756.5.8.2.m, else nil.
    public var dlmsID: UInt64? {
        oid.arcs.count == 7 && Array(oid.arcs.prefix(6)) == DLMSObjectIdentifiers.mechanism ? oid.arcs[6] : nil
    }

    /// Stable snake_case name (`lowest`, `lls`, `hls`, `hls_md5`, `hls_sha1`, `hls_gmac`,
    /// `hls_sha256`, `hls_ecdsa`), or nil for an OID not in §4.6.
    public var name: String? {
        switch dlmsID {
        case 0: "lowest"
        case 1: "lls"
        case 2: "hls"
        case 3: "hls_md5"
        case 4: "hls_sha1"
        case 5: "hls_gmac"
        case 6: "hls_sha256"
        case 7: "hls_ecdsa"
        default: nil
        }
    }

    /// True for mechanisms 2…7, whose authentication value is a challenge.
    public var isHighLevel: Bool { (dlmsID ?? 0) >= 2 && (dlmsID ?? 0) <= 7 }

    /// Name and dotted OID.
    public var description: String { "\(name ?? "unknown") (\(oid))" }

    /// `{oid, name}`; name is null for an unknown OID.
    public var json: JSONValue {
        .object([("oid", .string(oid.description)), ("name", name.map(JSONValue.string) ?? .null)])
    }
}
