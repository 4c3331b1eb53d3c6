/// A value of the COSEM `Data` CHOICE (IEC 62056-6-2; fact sheet §6.2), as carried in GET/SET/ACTION
/// and notifications.
///
/// Every case keeps what was transmitted (booleans by byte, floats by bit pattern, strings as bytes),
/// so ``encoded()`` reproduces decoded input exactly.
public indirect enum COSEMData: Sendable, Hashable {
    /// null-data (tag 0).
    case nullData
    /// array (tag 1): elements with their own tags.
    case array([COSEMData])
    /// structure (tag 2).
    case structure([COSEMData])
    /// boolean (tag 3): the transmitted byte; `00` is false, anything else true (GX reads `!= 0`).
    case boolean(UInt8)
    /// bit-string (tag 4).
    case bitString(BitString)
    /// double-long (tag 5): Integer32.
    case doubleLong(Int32)
    /// double-long-unsigned (tag 6): Unsigned32.
    case doubleLongUnsigned(UInt32)
    /// octet-string (tag 9).
    case octetString([UInt8])
    /// visible-string (tag 10): the transmitted bytes (ASCII expected).
    case visibleString([UInt8])
    /// utf8-string (tag 12): the transmitted bytes (UTF-8 expected).
    case utf8String([UInt8])
    /// bcd (tag 13): one byte (JD ASN `Integer8`, WS, GX; U9 reads variable length).
    case bcd(UInt8)
    /// integer (tag 15): Integer8.
    case integer(Int8)
    /// long (tag 16): Integer16.
    case long(Int16)
    /// unsigned (tag 17): Unsigned8.
    case unsigned(UInt8)
    /// long-unsigned (tag 18): Unsigned16.
    case longUnsigned(UInt16)
    /// compact-array (tag 19): a type description and untagged contents.
    case compactArray(CompactArray)
    /// long64 (tag 20): Integer64.
    case long64(Int64)
    /// long64-unsigned (tag 21): Unsigned64.
    case long64Unsigned(UInt64)
    /// enum (tag 22): Unsigned8.
    case enumerated(UInt8)
    /// float32 (tag 23): IEEE-754 single, big-endian, kept by bit pattern.
    case float32(bitPattern: UInt32)
    /// float64 (tag 24): IEEE-754 double, big-endian, kept by bit pattern.
    case float64(bitPattern: UInt64)
    /// date-time (tag 25): 12 bytes, no length.
    case dateTime(COSEMDateTime)
    /// date (tag 26): 5 bytes.
    case date(COSEMDate)
    /// time (tag 27): 4 bytes.
    case time(COSEMTime)
    /// dont-care (tag 255).
    case dontCare

    /// Deepest nesting of arrays, structures and compact arrays the decoder accepts.
    public static let maximumDepth = 48

    /// The CHOICE tag of this value.
    public var type: COSEMDataType {
        switch self {
        case .nullData: .nullData
        case .array: .array
        case .structure: .structure
        case .boolean: .boolean
        case .bitString: .bitString
        case .doubleLong: .doubleLong
        case .doubleLongUnsigned: .doubleLongUnsigned
        case .octetString: .octetString
        case .visibleString: .visibleString
        case .utf8String: .utf8String
        case .bcd: .bcd
        case .integer: .integer
        case .long: .long
        case .unsigned: .unsigned
        case .longUnsigned: .longUnsigned
        case .compactArray: .compactArray
        case .long64: .long64
        case .long64Unsigned: .long64Unsigned
        case .enumerated: .enum
        case .float32: .float32
        case .float64: .float64
        case .dateTime: .dateTime
        case .date: .date
        case .time: .time
        case .dontCare: .dontCare
        }
    }

    // MARK: Convenience

    /// A boolean encoded as `00`/`01`.
    public static func bool(_ value: Bool) -> COSEMData { .boolean(value ? 1 : 0) }
    /// A visible-string from text (each scalar truncated to a byte; ASCII expected).
    public static func visible(_ text: String) -> COSEMData {
        .visibleString(text.unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) })
    }
    /// A utf8-string from text.
    public static func utf8(_ text: String) -> COSEMData { .utf8String(Array(text.utf8)) }
    /// A float32 from its value.
    public static func float(_ value: Float) -> COSEMData { .float32(bitPattern: value.bitPattern) }
    /// A float64 from its value.
    public static func double(_ value: Double) -> COSEMData { .float64(bitPattern: value.bitPattern) }

    /// The truth value of a boolean.
    public var boolValue: Bool? {
        if case let .boolean(b) = self { return b != 0 }
        return nil
    }

    /// The integer value of any integer-typed case (integer … long64, unsigned … long64-unsigned, enum).
    /// Nil for other cases and for long64-unsigned values above `Int64.max`.
    public var integerValue: Int64? {
        switch self {
        case let .integer(v): Int64(v)
        case let .long(v): Int64(v)
        case let .doubleLong(v): Int64(v)
        case let .long64(v): v
        case let .unsigned(v), let .enumerated(v): Int64(v)
        case let .longUnsigned(v): Int64(v)
        case let .doubleLongUnsigned(v): Int64(v)
        case let .long64Unsigned(v): Int64(exactly: v)
        default: nil
        }
    }

    /// The value of a float32 or float64.
    public var doubleValue: Double? {
        switch self {
        case let .float32(bits): Double(Float(bitPattern: bits))
        case let .float64(bits): Double(bitPattern: bits)
        default: nil
        }
    }

    /// The text of a visible-string (ASCII; other bytes as Latin-1) or a utf8-string (invalid sequences replaced).
    public var stringValue: String? {
        switch self {
        case let .visibleString(b): String(String.UnicodeScalarView(b.map { Unicode.Scalar($0) }))
        case let .utf8String(b): String(decoding: b, as: UTF8.self)
        default: nil
        }
    }

    /// The bytes of an octet-string.
    public var octets: [UInt8]? {
        if case let .octetString(b) = self { return b }
        return nil
    }

    /// The elements of an array or structure.
    public var elements: [COSEMData]? {
        switch self {
        case let .array(e), let .structure(e): e
        default: nil
        }
    }

    /// A date-time carried as tag 25 or as the usual octet-string of 12 bytes (fact sheet §6.2).
    public var dateTimeValue: COSEMDateTime? {
        switch self {
        case let .dateTime(dt): return dt
        case let .octetString(b) where b.count == 12: return try? COSEMDateTime(bytes: b[...])
        default: return nil
        }
    }
}
