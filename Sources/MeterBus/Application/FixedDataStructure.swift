import CodecSupport

/// The fixed data structure of CI 73 (mode 1) and 77 (mode 2): identification, two counters
/// with units and medium coded in two bytes (EN 13757-3; fact sheet §2.6).
///
/// Status bit 7 set means the counters are binary, clear means BCD; bit 6 means stored (historic)
/// values. libmbus uses these bits; Valley.Net uses bits 0/1. We follow libmbus, whose corpus
/// (`manual_frame2`) is the only published vector.
public struct FixedDataStructure: Sendable, Equatable {
    /// Identification number (8 BCD digits).
    public var identification: BCDNumber
    /// Access (transmission) counter.
    public var accessNumber: UInt8
    /// Status byte.
    public var status: UInt8
    /// Medium/unit byte 1 (unit of counter 1 in bits 5–0, medium bits 1–0 in bits 7–6).
    public var mediumUnit1: UInt8
    /// Medium/unit byte 2 (unit of counter 2 in bits 5–0, medium bits 3–2 in bits 7–6).
    public var mediumUnit2: UInt8
    /// Counter 1 as transmitted (4 bytes, least significant first).
    public var counter1: [UInt8]
    /// Counter 2 as transmitted.
    public var counter2: [UInt8]
    /// True for CI 77 (fields sent high byte first).
    public var msbFirst: Bool

    /// Counters are binary rather than BCD (status bit 7, libmbus).
    public var countersAreBinary: Bool { status & 0x80 != 0 }
    /// Counters are stored (historic) values (status bit 6, libmbus).
    public var countersAreStored: Bool { status & 0x40 != 0 }
    /// The identification number as printed.
    public var id: String { identification.digits }

    /// The 4-bit medium code.
    public var medium: UInt8 { (mediumUnit1 >> 6) | (mediumUnit2 >> 6) << 2 }

    /// The medium's name from the fixed-structure table (which differs from the variable-structure table).
    public var mediumName: String {
        ["Other", "Oil", "Electricity", "Gas", "Heat", "Steam", "Hot water", "Water", "Heat Cost Allocator",
         "Reserved", "Gas (mode 2)", "Heat (mode 2)", "Hot water (mode 2)", "Water (mode 2)",
         "Heat Cost Allocator (mode 2)", "Reserved"][Int(medium & 0x0F)]
    }

    /// The value of a counter (1 or 2), nil for invalid BCD.
    public func counterValue(_ index: Int) -> Int64? {
        let bytes = index == 1 ? counter1 : counter2
        if countersAreBinary { return Int64(UInt64(littleEndian: bytes[...])) }
        return BCDNumber(bytes: bytes).value
    }

    /// The unit of a counter (1 or 2). Code 3E on counter 2 means "as counter 1, historic".
    public func counterUnit(_ index: Int) -> FixedDataUnit {
        let code = (index == 1 ? mediumUnit1 : mediumUnit2) & 0x3F
        if index == 2 && code == 0x3E {
            var u = FixedDataUnit(code: mediumUnit1 & 0x3F)
            u.isHistoric = true
            return u
        }
        return FixedDataUnit(code: code)
    }

    static let length = 16

    /// Decodes the 16 bytes after CI 73/77.
    public static func decode(_ data: ArraySlice<UInt8>, msbFirst: Bool = false,
                              origin: Int? = nil) throws(MeterBusError) -> FixedDataStructure {
        let origin = origin ?? data.startIndex
        var c = ByteCursor(data)
        do {
            var id = Array(try c.readBytes(4))
            let access = try c.readByte()
            let status = try c.readByte()
            let mu1 = try c.readByte()
            let mu2 = try c.readByte()
            var c1 = Array(try c.readBytes(4))
            var c2 = Array(try c.readBytes(4))
            if msbFirst { id.reverse(); c1.reverse(); c2.reverse() }
            guard c.isAtEnd else {
                throw MeterBusError(.trailingBytes, at: c.position - origin,
                                    "\(c.remaining) byte(s) after the 16-byte fixed data structure")
            }
            return FixedDataStructure(identification: BCDNumber(bytes: id), accessNumber: access, status: status,
                                      mediumUnit1: mu1, mediumUnit2: mu2, counter1: c1, counter2: c2, msbFirst: msbFirst)
        } catch let e as ByteCursor.Shortfall {
            throw .truncated(e, origin: origin, reading: "fixed data structure (16 bytes)")
        } catch let e as MeterBusError {
            throw e
        } catch {
            throw MeterBusError(.invalidValue, at: 0, "fixed data structure: \(error)")
        }
    }

    /// The 16 bytes after the CI field.
    public func encoded() -> [UInt8] {
        var id = identification.bytes, c1 = counter1, c2 = counter2
        if msbFirst { id.reverse(); c1.reverse(); c2.reverse() }
        return id + [accessNumber, status, mediumUnit1, mediumUnit2] + c1 + c2
    }
}

/// A unit code of the fixed data structure (fact sheet §2.6; Valley.Net and the libmbus comment table agree).
public struct FixedDataUnit: Sendable, Equatable {
    /// The 6-bit code.
    public let code: UInt8
    /// Set for counter 2 with code 3E ("same but historic").
    public var isHistoric = false

    /// Wraps a 6-bit code.
    public init(code: UInt8) { self.code = code & 0x3F }

    /// Quantity, SI unit and decimal exponent; nil for codes with no unit (time, date, HCA, reserved).
    public var scaled: (quantity: String, unit: String, exponent: Int)? {
        let c = Int(code)
        switch c {
        case 0x02...0x0A: return ("Energy", "Wh", c - 0x02)
        case 0x0B...0x13: return ("Energy", "J", c - 0x0B + 3)
        case 0x14...0x1C: return ("Power", "W", c - 0x14)
        case 0x1D...0x25: return ("Power", "J/h", c - 0x1D + 3)
        case 0x26...0x2E: return ("Volume", "m^3", c - 0x26 - 6)
        case 0x2F...0x37: return ("Volume flow", "m^3/h", c - 0x2F - 6)
        case 0x38: return ("Temperature", "°C", -3)
        default: return nil
        }
    }

    /// A readable name for codes without an SI scaling.
    public var name: String {
        switch code {
        case 0x00: return "h,m,s"
        case 0x01: return "D,M,Y"
        case 0x39: return "units for HCA"
        case 0x3E: return "same but historic"
        case 0x3F: return "without units"
        default:
            if let s = scaled { return s.unit }
            return "reserved"
        }
    }
}
