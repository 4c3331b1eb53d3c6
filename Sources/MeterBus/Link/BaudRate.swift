/// A wired M-Bus line speed, as switched by CI B8–BF (EN 13757-2/-3; fact sheet §1.7, §1.11).
public enum BaudRate: Int, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    /// 300 Bd, CI B8.
    case baud300 = 300
    /// 600 Bd, CI B9.
    case baud600 = 600
    /// 1200 Bd, CI BA.
    case baud1200 = 1200
    /// 2400 Bd, CI BB (the default line speed, §1.11).
    case baud2400 = 2400
    /// 4800 Bd, CI BC.
    case baud4800 = 4800
    /// 9600 Bd, CI BD.
    case baud9600 = 9600
    /// 19200 Bd, CI BE.
    case baud19200 = 19200
    /// 38400 Bd, CI BF.
    case baud38400 = 38400

    /// The rate a baud-rate-switch CI (B8–BF) selects, or nil for any other CI (§1.7).
    public init?(ciCode: UInt8) {
        guard ciCode >= 0xB8 else { return nil }
        switch ciCode - 0xB8 {
        case 0: self = .baud300
        case 1: self = .baud600
        case 2: self = .baud1200
        case 3: self = .baud2400
        case 4: self = .baud4800
        case 5: self = .baud9600
        case 6: self = .baud19200
        case 7: self = .baud38400
        default: return nil
        }
    }

    /// The CI code that switches a slave to this rate, B8–BF (§1.7).
    public var ciCode: UInt8 {
        switch self {
        case .baud300: return 0xB8
        case .baud600: return 0xB9
        case .baud1200: return 0xBA
        case .baud2400: return 0xBB
        case .baud4800: return 0xBC
        case .baud9600: return 0xBD
        case .baud19200: return 0xBE
        case .baud38400: return 0xBF
        }
    }

    /// The bits per second.
    public var bitsPerSecond: Int { rawValue }

    /// e.g. "9600 Bd".
    public var description: String { "\(rawValue) Bd" }
}
