import CodecSupport

/// The xDLMS conformance block: 24 service bits (fact sheet §5.3).
///
/// ASN.1 bit n is mask `1 << (23 − n)` of ``rawValue``, which is the 24-bit big-endian number on the
/// wire (JD `ConformanceSettingConverter`); GX stores flag `1 << n` instead (see ``gxFlags``).
/// Bits 1, 2, 6, 16 and 17 are named as GX `Conformance` and U9 `enumerations` name them;
/// JD/WS `cosem.asn` (one source) calls them reserved (``asn1Names``).
public struct Conformance: OptionSet, Sendable, Hashable, CustomStringConvertible {
    /// The 24 bits as a big-endian number (ASN.1 bit 0 = 0x800000).
    public let rawValue: UInt32

    /// Wraps a 24-bit value; the top 8 bits are dropped.
    public init(rawValue: UInt32) { self.rawValue = rawValue & 0xFF_FFFF }

    /// The set holding ASN.1 bit `n` (0…23); empty for other `n`.
    public init(bit n: Int) {
        self.init(rawValue: (0...23).contains(n) ? 1 << UInt32(23 - n) : 0)
    }

    /// Bit 0: reserved-zero.
    public static let reservedZero = Conformance(bit: 0)
    /// Bit 1: general-protection (JD/WS ASN: reserved).
    public static let generalProtection = Conformance(bit: 1)
    /// Bit 2: general-block-transfer (JD/WS ASN: reserved).
    public static let generalBlockTransfer = Conformance(bit: 2)
    /// Bit 3: read.
    public static let read = Conformance(bit: 3)
    /// Bit 4: write.
    public static let write = Conformance(bit: 4)
    /// Bit 5: unconfirmed-write.
    public static let unconfirmedWrite = Conformance(bit: 5)
    /// Bit 6: delta-value-encoding (JD/WS ASN: reserved).
    public static let deltaValueEncoding = Conformance(bit: 6)
    /// Bit 7: reserved-seven.
    public static let reservedSeven = Conformance(bit: 7)
    /// Bit 8: attribute0-supported-with-set.
    public static let attribute0SupportedWithSet = Conformance(bit: 8)
    /// Bit 9: priority-mgmt-supported.
    public static let priorityMgmtSupported = Conformance(bit: 9)
    /// Bit 10: attribute0-supported-with-get.
    public static let attribute0SupportedWithGet = Conformance(bit: 10)
    /// Bit 11: block-transfer-with-get-or-read.
    public static let blockTransferWithGetOrRead = Conformance(bit: 11)
    /// Bit 12: block-transfer-with-set-or-write.
    public static let blockTransferWithSetOrWrite = Conformance(bit: 12)
    /// Bit 13: block-transfer-with-action.
    public static let blockTransferWithAction = Conformance(bit: 13)
    /// Bit 14: multiple-references.
    public static let multipleReferences = Conformance(bit: 14)
    /// Bit 15: information-report.
    public static let informationReport = Conformance(bit: 15)
    /// Bit 16: data-notification (JD/WS ASN: reserved).
    public static let dataNotification = Conformance(bit: 16)
    /// Bit 17: access (JD/WS ASN: reserved).
    public static let access = Conformance(bit: 17)
    /// Bit 18: parameterized-access.
    public static let parameterizedAccess = Conformance(bit: 18)
    /// Bit 19: get.
    public static let get = Conformance(bit: 19)
    /// Bit 20: set.
    public static let set = Conformance(bit: 20)
    /// Bit 21: selective-access.
    public static let selectiveAccess = Conformance(bit: 21)
    /// Bit 22: event-notification.
    public static let eventNotification = Conformance(bit: 22)
    /// Bit 23: action.
    public static let action = Conformance(bit: 23)

    /// Names by ASN.1 bit number (GX/U9 for bits 1, 2, 6, 16, 17).
    public static let names: [String] = [
        "reserved-zero", "general-protection", "general-block-transfer", "read", "write", "unconfirmed-write",
        "delta-value-encoding", "reserved-seven", "attribute0-supported-with-set", "priority-mgmt-supported",
        "attribute0-supported-with-get", "block-transfer-with-get-or-read", "block-transfer-with-set-or-write",
        "block-transfer-with-action", "multiple-references", "information-report", "data-notification", "access",
        "parameterized-access", "get", "set", "selective-access", "event-notification", "action",
    ]

    /// Names by ASN.1 bit number as JD/WS `cosem.asn` has them.
    public static let asn1Names: [String] = [
        "reserved0", "reserved1", "reserved2", "read", "write", "unconfirmed-write", "reserved6", "reserved7",
        "attribute0-supported-with-SET", "priority-mgmt-supported", "attribute0-supported-with-GET",
        "block-transfer-with-get-or-read", "block-transfer-with-set-or-write", "block-transfer-with-action",
        "multiple-references", "information-report", "reserved16", "reserved17", "parameterized-access",
        "get", "set", "selective-access", "event-notification", "action",
    ]

    /// The ASN.1 bit numbers set, ascending.
    public var bits: [Int] { (0...23).filter { rawValue & (1 << UInt32(23 - $0)) != 0 } }

    /// The names of the bits set.
    public var bitNames: [String] { bits.map { Self.names[$0] } }

    /// The names of the bits set, joined by `|`.
    public var description: String { bitNames.joined(separator: "|") }

    /// The set whose bits have these names (either naming); nil if a name is unknown.
    public init?(names: [String]) {
        var v: UInt32 = 0
        for name in names {
            guard let n = Self.names.firstIndex(of: name) ?? Self.asn1Names.firstIndex(of: name) else { return nil }
            v |= 1 << UInt32(23 - n)
        }
        self.init(rawValue: v)
    }

    /// The 3 bytes as sent.
    public var bytes: [UInt8] { [UInt8(rawValue >> 16), UInt8((rawValue >> 8) & 0xFF), UInt8(rawValue & 0xFF)] }

    /// From the 3 bytes; any other count is ``DLMSError/Code/badLength``.
    public init(bytes: some Collection<UInt8>) throws(DLMSError) {
        guard bytes.count == 3 else { throw DLMSError(.badLength, at: 0, "a conformance block is 3 bytes, got \(bytes.count)") }
        self.init(rawValue: bytes.reduce(0) { $0 << 8 | UInt32($1) })
    }

    /// The block as a 24-bit string (bit 0 first).
    public var bitString: BitString {
        BitString(bits: (0...23).map { rawValue & (1 << UInt32(23 - $0)) != 0 })
    }

    /// From a 24-bit string; any other length is ``DLMSError/Code/badLength``.
    public init(bitString: BitString) throws(DLMSError) {
        guard bitString.count == 24 else {
            throw DLMSError(.badLength, at: 0, "a conformance block has 24 bits, got \(bitString.count)")
        }
        try self.init(bytes: bitString.bytes)
    }

    /// GX's representation: flag `1 << n` for ASN.1 bit n.
    public var gxFlags: UInt32 { bits.reduce(0) { $0 | 1 << UInt32($1) } }

    /// `5F 1F 04 00` ‖ 3 bytes: [APPLICATION 31] IMPLICIT BIT STRING (SIZE(24)), as in Initiate PDUs.
    public var berEncoded: [UInt8] { [0x5F, 0x1F, 0x04, 0x00] + bytes }

    /// Decodes ``berEncoded`` from the start of `bytes`; returns the block and 7.
    public static func decode(ber bytes: ArraySlice<UInt8>) throws(DLMSError) -> (value: Conformance, consumed: Int) {
        var r = AXDRReader(bytes)
        let tag0 = try r.readByte("conformance tag"), tag1 = try r.readByte("conformance tag")
        guard tag0 == 0x5F, tag1 == 0x1F else {
            throw DLMSError(.badFraming, at: 0, "conformance block tag is \(axdrHex(tag0)) \(axdrHex(tag1)), expected 5F 1F")
        }
        let length = try r.readByte("conformance length")
        guard length == 4 else { throw DLMSError(.badLength, at: 2, "conformance block length \(length), expected 4") }
        let unused = try r.readByte("unused bits")
        guard unused == 0 else { throw DLMSError(.invalidValue, at: 3, "conformance block declares \(unused) unused bits") }
        return (try Conformance(bytes: try r.readBytes(3, "conformance bits")), 7)
    }
}

extension Conformance: JSONRepresentable {
    /// `{"hex": "007E1F", "bits": [9, …], "names": ["priority-mgmt-supported", …]}`.
    public var json: JSONValue {
        .object([
            ("hex", .string(HexText.format(bytes, separator: ""))),
            ("bits", .array(bits.map { .uint(UInt64($0)) })),
            ("names", .array(bitNames.map { .string($0) })),
        ])
    }
}
