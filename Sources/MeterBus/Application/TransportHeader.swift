import CodecSupport

/// The 12-byte fixed header after CI 72/76 (EN 13757-3; fact sheet §2.1).
public struct LongHeader: Sendable, Equatable {
    /// Identification number, 8 BCD digits.
    public var identification: BCDNumber
    /// Manufacturer code.
    public var manufacturer: ManufacturerCode
    /// Version (generation).
    public var version: UInt8
    /// Medium / device type.
    public var deviceType: DeviceType
    /// Access number: the slave increments it per transmission.
    public var accessNumber: UInt8
    /// Status byte (§2.5).
    public var status: StatusByte
    /// Signature (wired) / configuration field (wireless), 0 when unencrypted.
    public var signature: UInt16

    /// Creates a header.
    public init(identification: BCDNumber, manufacturer: ManufacturerCode, version: UInt8, deviceType: DeviceType,
                accessNumber: UInt8, status: StatusByte = StatusByte(rawValue: 0), signature: UInt16 = 0) {
        self.identification = identification
        self.manufacturer = manufacturer
        self.version = version
        self.deviceType = deviceType
        self.accessNumber = accessNumber
        self.status = status
        self.signature = signature
    }

    /// The identification number as printed on the meter.
    public var id: String { identification.digits }

    static let length = 12

    static func decode(_ c: inout ByteCursor, origin: Int, msbFirst: Bool) throws(MeterBusError) -> LongHeader {
        do {
            var id = Array(try c.readBytes(4))
            var man = Array(try c.readBytes(2))
            let version = try c.readByte()
            let medium = try c.readByte()
            let access = try c.readByte()
            let status = try c.readByte()
            var sig = Array(try c.readBytes(2))
            if msbFirst { id.reverse(); man.reverse(); sig.reverse() }
            return LongHeader(identification: BCDNumber(bytes: id),
                              manufacturer: ManufacturerCode(rawValue: UInt16(man[0]) | UInt16(man[1]) << 8),
                              version: version, deviceType: DeviceType(rawValue: medium), accessNumber: access,
                              status: StatusByte(rawValue: status), signature: UInt16(sig[0]) | UInt16(sig[1]) << 8)
        } catch {
            throw .truncated(error, origin: origin, reading: "fixed data header (12 bytes)")
        }
    }

    func encoded(msbFirst: Bool) -> [UInt8] {
        var id = identification.bytes
        var man = [UInt8(manufacturer.rawValue & 0xFF), UInt8(manufacturer.rawValue >> 8)]
        var sig = [UInt8(signature & 0xFF), UInt8(signature >> 8)]
        if msbFirst { id.reverse(); man.reverse(); sig.reverse() }
        return id + man + [version, deviceType.rawValue, accessNumber, status.rawValue] + sig
    }
}

/// The 4-byte short header after CI 7A: access number, status, configuration (fact sheet §2.2).
public struct ShortHeader: Sendable, Equatable {
    /// Access number.
    public var accessNumber: UInt8
    /// Status byte.
    public var status: StatusByte
    /// Signature / configuration field.
    public var signature: UInt16

    /// Creates a header.
    public init(accessNumber: UInt8, status: StatusByte = StatusByte(rawValue: 0), signature: UInt16 = 0) {
        self.accessNumber = accessNumber
        self.status = status
        self.signature = signature
    }

    static func decode(_ c: inout ByteCursor, origin: Int) throws(MeterBusError) -> ShortHeader {
        do {
            let access = try c.readByte()
            let status = try c.readByte()
            let sig = try c.readUIntLE(2)
            return ShortHeader(accessNumber: access, status: StatusByte(rawValue: status), signature: UInt16(sig))
        } catch {
            throw .truncated(error, origin: origin, reading: "short header (4 bytes)")
        }
    }

    func encoded() -> [UInt8] {
        [accessNumber, status.rawValue, UInt8(signature & 0xFF), UInt8(signature >> 8)]
    }
}

/// The status byte of a header (EN 13757-3; fact sheet §2.5).
public struct StatusByte: Sendable, Equatable, Hashable, RawRepresentable {
    /// The transmitted byte.
    public let rawValue: UInt8
    /// Wraps a transmitted byte.
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// Bits 1–0: 0 no error, 1 application busy, 2 any application error, 3 alarm / abnormal condition
    /// (wmbusmeters and exmbus; mbus4j calls 3 reserved).
    public var applicationStatus: UInt8 { rawValue & 0x03 }
    /// Bit 2: power low.
    public var powerLow: Bool { rawValue & 0x04 != 0 }
    /// Bit 3: permanent error.
    public var permanentError: Bool { rawValue & 0x08 != 0 }
    /// Bit 4: temporary error.
    public var temporaryError: Bool { rawValue & 0x10 != 0 }
    /// Bits 7–5: manufacturer specific.
    public var manufacturerBits: UInt8 { rawValue >> 5 }

    /// Names of the flags that are set.
    public var flagNames: [String] {
        var names: [String] = []
        switch applicationStatus {
        case 1: names.append("application busy")
        case 2: names.append("application error")
        case 3: names.append("alarm")
        default: break
        }
        if powerLow { names.append("power low") }
        if permanentError { names.append("permanent error") }
        if temporaryError { names.append("temporary error") }
        if manufacturerBits != 0 { names.append("manufacturer specific 0x\(hex(manufacturerBits << 5))") }
        return names
    }
}
