/// The tags of the COSEM `Data` CHOICE (fact sheet §6.2; JD/WS ASN `Data`, GX `DataType`, U9).
///
/// Tags 7, 8, 11 and 14 are defined by no source read and are refused.
public enum COSEMDataType: UInt8, Sendable, Hashable, CaseIterable {
    /// null-data (tag 0).
    case nullData = 0
    /// array (tag 1).
    case array = 1
    /// structure (tag 2).
    case structure = 2
    /// boolean (tag 3).
    case boolean = 3
    /// bit-string (tag 4).
    case bitString = 4
    /// double-long (tag 5).
    case doubleLong = 5
    /// double-long-unsigned (tag 6).
    case doubleLongUnsigned = 6
    /// octet-string (tag 9).
    case octetString = 9
    /// visible-string (tag 10).
    case visibleString = 10
    /// utf8-string (tag 12).
    case utf8String = 12
    /// bcd (tag 13).
    case bcd = 13
    /// integer (tag 15).
    case integer = 15
    /// long (tag 16).
    case long = 16
    /// unsigned (tag 17).
    case unsigned = 17
    /// long-unsigned (tag 18).
    case longUnsigned = 18
    /// compact-array (tag 19).
    case compactArray = 19
    /// long64 (tag 20).
    case long64 = 20
    /// long64-unsigned (tag 21).
    case long64Unsigned = 21
    /// enum (tag 22).
    case `enum` = 22
    /// float32 (tag 23).
    case float32 = 23
    /// float64 (tag 24).
    case float64 = 24
    /// date-time (tag 25).
    case dateTime = 25
    /// date (tag 26).
    case date = 26
    /// time (tag 27).
    case time = 27
    /// dont-care (tag 255).
    case dontCare = 255

    /// The standard's name (`double-long-unsigned`); used as `type` in JSON.
    public var name: String {
        switch self {
        case .nullData: "null-data"
        case .array: "array"
        case .structure: "structure"
        case .boolean: "boolean"
        case .bitString: "bit-string"
        case .doubleLong: "double-long"
        case .doubleLongUnsigned: "double-long-unsigned"
        case .octetString: "octet-string"
        case .visibleString: "visible-string"
        case .utf8String: "utf8-string"
        case .bcd: "bcd"
        case .integer: "integer"
        case .long: "long"
        case .unsigned: "unsigned"
        case .longUnsigned: "long-unsigned"
        case .compactArray: "compact-array"
        case .long64: "long64"
        case .long64Unsigned: "long64-unsigned"
        case .enum: "enum"
        case .float32: "float32"
        case .float64: "float64"
        case .dateTime: "date-time"
        case .date: "date"
        case .time: "time"
        case .dontCare: "dont-care"
        }
    }

    /// The type named `name`, or nil.
    public init?(name: String) {
        guard let t = Self.allCases.first(where: { $0.name == name }) else { return nil }
        self = t
    }

    /// Bytes after the tag for fixed-size types; nil for counted or length-prefixed ones.
    ///
    /// bcd is one byte: JD ASN `Integer8`, WS and GX `getBcd` agree; U9 declares it variable-length (fact sheet §9).
    public var fixedSize: Int? {
        switch self {
        case .nullData, .dontCare: 0
        case .boolean, .bcd, .integer, .unsigned, .enum: 1
        case .long, .longUnsigned: 2
        case .doubleLong, .doubleLongUnsigned, .float32: 4
        case .long64, .long64Unsigned, .float64: 8
        case .dateTime: 12
        case .date: 5
        case .time: 4
        case .array, .structure, .bitString, .octetString, .visibleString, .utf8String, .compactArray: nil
        }
    }
}
