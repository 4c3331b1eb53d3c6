/// Baud rate and character framing of a serial line.
public struct LineSettings: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// Parity bit.
    public enum Parity: String, Sendable, Equatable, Hashable, CaseIterable {
        case none, even, odd
    }

    /// The standard rates termios names (`B300` … `B230400`).
    public static let standardBaudRates: [Int] = [300, 600, 1200, 1800, 2400, 4800, 9600, 19200, 38400, 57600, 115200, 230400]

    /// Bits per second; one of `standardBaudRates`.
    public var baud: Int
    /// 7 or 8.
    public var dataBits: Int
    /// Parity bit.
    public var parity: Parity
    /// 1 or 2.
    public var stopBits: Int

    /// Settings, validated: a non-standard baud rate, data bits other than 7/8 or stop bits other
    /// than 1/2 throw `.unsupportedSetting` naming the value.
    public init(baud: Int, dataBits: Int = 8, parity: Parity = .none, stopBits: Int = 1) throws(TransportError) {
        guard Self.standardBaudRates.contains(baud) else {
            throw .unsupportedSetting("baud rate \(baud) (standard rates: \(Self.standardBaudRates.map(String.init).joined(separator: ", ")))")
        }
        guard dataBits == 7 || dataBits == 8 else { throw .unsupportedSetting("\(dataBits) data bits (7 or 8)") }
        guard stopBits == 1 || stopBits == 2 else { throw .unsupportedSetting("\(stopBits) stop bits (1 or 2)") }
        self.init(uncheckedBaud: baud, dataBits: dataBits, parity: parity, stopBits: stopBits)
    }

    private init(uncheckedBaud baud: Int, dataBits: Int, parity: Parity, stopBits: Int) {
        self.baud = baud
        self.dataBits = dataBits
        self.parity = parity
        self.stopBits = stopBits
    }

    /// 8 data bits, even parity, 1 stop bit (M-Bus, IEC 62056-21 mode E after switch-over).
    public static func eightEvenOne(baud: Int) throws(TransportError) -> LineSettings {
        try LineSettings(baud: baud, dataBits: 8, parity: .even, stopBits: 1)
    }

    /// 8 data bits, no parity, 1 stop bit (C12.18, DLMS HDLC).
    public static func eightNoneOne(baud: Int) throws(TransportError) -> LineSettings {
        try LineSettings(baud: baud, dataBits: 8, parity: .none, stopBits: 1)
    }

    /// 7 data bits, even parity, 1 stop bit (IEC 62056-21 opening sequence).
    public static func sevenEvenOne(baud: Int) throws(TransportError) -> LineSettings {
        try LineSettings(baud: baud, dataBits: 7, parity: .even, stopBits: 1)
    }

    /// M-Bus default: 2400 baud 8E1.
    public static let mbusDefault = LineSettings(uncheckedBaud: 2400, dataBits: 8, parity: .even, stopBits: 1)
    /// 9600 baud 8N1, the default when a URL names no settings.
    public static let standardDefault = LineSettings(uncheckedBaud: 9600, dataBits: 8, parity: .none, stopBits: 1)

    /// Bits on the wire per character: start, data, parity, stop.
    public var bitsPerCharacter: Int { 1 + dataBits + (parity == .none ? 0 : 1) + stopBits }

    /// Time one character takes on the wire.
    public var characterTime: Duration { .nanoseconds(Int64(bitsPerCharacter) * 1_000_000_000 / Int64(baud)) }

    /// `2400 8E1` style.
    public var description: String {
        let p = switch parity { case .none: "N"; case .even: "E"; case .odd: "O" }
        return "\(baud) \(dataBits)\(p)\(stopBits)"
    }
}
