import MeterBus

/// Who the M-Bus reference slave is: its primary address, secondary address fields and line speed.
///
/// ``default`` matches the M-Bus driver's default PIXIT (`primary_address` 1, `secondary_address`
/// `1234567806360104`, `identification` 12345678, `manufacturer` MPF, `baud` 2400), so that
/// `meterproof run --target sim:mbus` needs no device profile.
public struct MBusSimulatorIdentity: Sendable, Equatable {
    /// Primary address (A field) the slave answers at, 0–250 (fact sheet §1.6).
    public var primaryAddress: UInt8
    /// Identification number, 8 decimal digits (sent as BCD, fact sheet §2.1).
    public var identificationNumber: UInt32
    /// Manufacturer code (fact sheet §2.3).
    public var manufacturer: ManufacturerCode
    /// Version (generation) byte.
    public var version: UInt8
    /// Medium / device type (fact sheet §2.4).
    public var medium: DeviceType
    /// The line speed the slave starts at after power-up (fact sheet §1.11).
    public var baud: BaudRate

    /// An identity; `identificationNumber` must have at most 8 digits and `primaryAddress` be 0–250.
    public init(primaryAddress: UInt8, identificationNumber: UInt32, manufacturer: ManufacturerCode,
                version: UInt8, medium: DeviceType, baud: BaudRate) {
        precondition(identificationNumber < 100_000_000, "an identification number has 8 digits")
        precondition(primaryAddress <= 250, "a primary address is 0–250")
        self.primaryAddress = primaryAddress
        self.identificationNumber = identificationNumber
        self.manufacturer = manufacturer
        self.version = version
        self.medium = medium
        self.baud = baud
    }

    /// Primary address of the default slave: 1.
    public static let defaultPrimaryAddress: UInt8 = 1
    /// Identification number of the default slave: 12345678.
    public static let defaultIdentificationNumber: UInt32 = 12_345_678
    /// Manufacturer of the default slave: "MPF" (0x3606, sent `06 36`).
    public static let defaultManufacturer = ManufacturerCode(rawValue: 0x3606)
    /// Version of the default slave: 0x01.
    public static let defaultVersion: UInt8 = 0x01
    /// Medium of the default slave: 0x04, heat (outlet).
    public static let defaultMedium = DeviceType.heatOutlet

    /// The reference heat meter: address 1, ID 12345678, MPF, version 1, heat, 2400 Bd.
    public static let `default` = MBusSimulatorIdentity(
        primaryAddress: defaultPrimaryAddress, identificationNumber: defaultIdentificationNumber,
        manufacturer: defaultManufacturer, version: defaultVersion, medium: defaultMedium, baud: .baud2400)

    /// The identification number as the long header carries it (BCD, least significant byte first).
    public var identification: BCDNumber {
        // Checked by the initialiser: 8 digits fit 4 BCD bytes.
        BCDNumber(Int64(identificationNumber), byteCount: 4)!
    }

    /// The full secondary address (no wildcards), e.g. `1234567806360104`.
    public var secondaryAddress: SecondaryAddress {
        SecondaryAddress(identification: UInt32(identification.digits, radix: 16) ?? 0,
                         manufacturer: manufacturer.rawValue, version: version, medium: medium.rawValue)
    }
}
