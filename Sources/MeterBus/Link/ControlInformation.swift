import CodecSupport

/// The CI field, the first byte after C and A in a control or long frame
/// (EN 13757-3 clause 5; fact sheet §1.7).
///
/// The same code means different things in the older usergroup tables used on wired buses and
/// in EN 13757-3:2018 (§9 items 1–2), so a meaning is always asked for in a ``CITable``.
public struct ControlInformation: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The CI byte as sent.
    public let rawValue: UInt8

    /// Wraps a CI byte; every value is representable.
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// Wraps a CI byte.
    public init(_ rawValue: UInt8) { self.rawValue = rawValue }

    /// What this code means in `table` (§1.7).
    public func meaning(in table: CITable) -> Meaning {
        table.meaning(of: rawValue)
    }

    /// The hex code and its wired meaning, e.g. "0x72 (variable data response, long header, mode 1)".
    public var description: String {
        "0x" + HexText.format(CollectionOfOne(rawValue)) + " (\(meaning(in: .wired)))"
    }

    // MARK: Wired codes used by the link-layer builders and the application layer (§1.7)

    /// 0x50: application reset (§1.7, §1.9).
    public static let applicationReset = ControlInformation(0x50)
    /// 0x51: data send, mode 1 (§1.7, §1.9: set primary address, write, select for readout).
    public static let dataSend = ControlInformation(0x51)
    /// 0x52: selection of slaves by secondary address, mode 1 (§1.7, §1.8).
    public static let selectionOfSlaves = ControlInformation(0x52)
    /// 0x56: selection of slaves, mode 2; jMBus sends it to deselect (§1.7, §1.8).
    public static let selectionOfSlavesMode2 = ControlInformation(0x56)
    /// 0x70: report of general application errors (§1.7).
    public static let generalApplicationError = ControlInformation(0x70)
    /// 0x71: report of alarm status (§1.7).
    public static let alarmStatus = ControlInformation(0x71)
    /// 0x72: variable data response, long header, mode 1 (§1.7, §2.1).
    public static let variableDataResponse = ControlInformation(0x72)
    /// 0x73: fixed data response, mode 1 in the wired table (§1.7, §9 item 1).
    public static let fixedDataResponse = ControlInformation(0x73)
    /// 0x78: variable data response without header (§1.7, §2.2).
    public static let variableDataNoHeader = ControlInformation(0x78)
    /// 0x7A: variable data response with the short header (§1.7, §2.2).
    public static let variableDataShortHeader = ControlInformation(0x7A)

    /// B8–BF: switch the slave to `baudRate` (§1.7, §1.9).
    public static func setBaudRate(_ baudRate: BaudRate) -> ControlInformation {
        ControlInformation(baudRate.ciCode)
    }
}
