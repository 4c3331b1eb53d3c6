/// The baud-rate character Z of IEC 62056-21 modes C and E (fact sheet §2.2).
///
/// `0`…`6` select 300…19200 Bd; `7`…`9` are reserved. Mode B's letters (`A`…`I`) are not
/// mode E's and are not decoded here.
public enum ModeEBaudRate: UInt8, Hashable, Sendable, CaseIterable {
    /// `0`: 300 Bd.
    case bd300 = 0x30
    /// `1`: 600 Bd.
    case bd600 = 0x31
    /// `2`: 1200 Bd.
    case bd1200 = 0x32
    /// `3`: 2400 Bd.
    case bd2400 = 0x33
    /// `4`: 4800 Bd.
    case bd4800 = 0x34
    /// `5`: 9600 Bd.
    case bd9600 = 0x35
    /// `6`: 19200 Bd.
    case bd19200 = 0x36

    /// The character as sent (`"0"`…`"6"`).
    public var character: Character { Character(Unicode.Scalar(rawValue)) }

    /// Bits per second.
    public var baud: Int {
        switch self {
        case .bd300: return 300
        case .bd600: return 600
        case .bd1200: return 1200
        case .bd2400: return 2400
        case .bd4800: return 4800
        case .bd9600: return 9600
        case .bd19200: return 19200
        }
    }

    /// The character for `baud`, or nil when the table has none.
    public init?(baud: Int) {
        guard let rate = Self.allCases.first(where: { $0.baud == baud }) else { return nil }
        self = rate
    }
}
