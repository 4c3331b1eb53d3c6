/// The tags of the COSEM `Data` CHOICE (fact sheet §6.2; JD/WS ASN `Data`, GX `DataType`, U9).
///
/// Tags 7, 8, 11 and 14 are defined by no source read and are refused.
public enum COSEMDataType: UInt8, Sendable, Hashable, CaseIterable {
    case nullData = 0
    case array = 1
    case structure = 2
    case boolean = 3
    case bitString = 4
    case doubleLong = 5
    case doubleLongUnsigned = 6
    case octetString = 9
    case visibleString = 10
    case utf8String = 12
    case bcd = 13
    case integer = 15
    case long = 16
    case unsigned = 17
    case longUnsigned = 18
    case compactArray = 19
    case long64 = 20
    case long64Unsigned = 21
    case `enum` = 22
    case float32 = 23
    case float64 = 24
    case dateTime = 25
    case date = 26
    case time = 27
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
