/// What kind of value a record carries, as its VIF implies.
public enum ValueKind: Sendable, Equatable {
    /// A quantity: scale the number by ``ValueMeaning/exponent`` and ``ValueMeaning/factor``.
    case quantity
    /// Time point, date (type G when the data field is 16-bit).
    case date
    /// Time point, date and time (type F with 32 bits, I with 48 bits, J with 24 bits).
    case dateTime
    /// An identifier, counter or code whose number is not scaled (fabrication number, versions, flags).
    case identifier
}

/// The interpretation of a value information block: quantity, SI unit, scaling and modifiers.
///
/// Units are SI symbols after scaling (`Wh`, `J`, `m^3`, `kg`, `s`, `W`, `J/h`, `m^3/h`, `°C`, `K`,
/// `bar`, `V`, `A`); durations in seconds, minutes, hours and days are converted to `s`; months
/// and years, which have no exact length, keep `month` and `year`.
public struct ValueMeaning: Sendable, Equatable {
    /// The measured quantity, e.g. "Energy", "Volume flow", "Fabrication number".
    public var quantity: String
    /// The SI unit symbol after scaling; empty when dimensionless.
    public var unit: String
    /// Decimal exponent applied to the transmitted number (primary VIF plus multiplicative VIFEs).
    public var exponent: Int
    /// A non-decimal factor (60 for minutes, 3600 for hours, 86400 for days), else 1.
    public var factor: Double
    /// Additive correction in ``unit`` (combinable VIFE 78–7B), added after scaling.
    public var additive: Double
    /// How to read the data field.
    public var kind: ValueKind
    /// Meanings of the combinable VIFEs, in order (e.g. "per hour", "at phase L1", "backward flow").
    public var modifiers: [String]
    /// A record error code sent by the meter in a VIFE (00–0F, 15–1C), if any.
    public var recordError: RecordErrorCode?
    /// True when a multiplicative correction VIFE (70–77, 7D) changed the exponent.
    public var hasMultiplicativeCorrection: Bool
    /// True when the VIF or a VIFE is manufacturer specific (VIF 7F/FF, VIFE 7F/FF).
    public var isManufacturerSpecific: Bool
    /// Codes in the block that the tables mark reserved, as "VIF 6F", "FD 19", "VIFE 10"...
    public var reservedCodes: [String]

    init(quantity: String, unit: String = "", exponent: Int = 0, factor: Double = 1, kind: ValueKind = .quantity) {
        self.quantity = quantity
        self.unit = unit
        self.exponent = exponent
        self.factor = factor
        self.additive = 0
        self.kind = kind
        self.modifiers = []
        self.recordError = nil
        self.hasMultiplicativeCorrection = false
        self.isManufacturerSpecific = false
        self.reservedCodes = []
    }

    /// Scales a transmitted number to ``unit``.
    public func scale(_ raw: Double) -> Double {
        scaledByPowerOfTen(raw * factor, exponent) + additive
    }

    /// True when scaling leaves integers unchanged.
    public var isUnscaled: Bool { exponent == 0 && factor == 1 && additive == 0 }
}

@inline(__always)
func powerOfTen(_ n: Int) -> Double {
    var v = 1.0
    for _ in 0..<min(n, 400) { v *= 10 }
    return v
}

/// Record error codes a meter sends in a VIFE (EN 13757-3; fact sheet §5.3: mbus4j and exmbus agree but for 0E).
public enum RecordErrorCode: UInt8, Sendable, Equatable {
    case none = 0x00
    case tooManyDIFEs = 0x01
    case storageNumberNotImplemented = 0x02
    case unitNumberNotImplemented = 0x03
    case tariffNumberNotImplemented = 0x04
    case functionNotImplemented = 0x05
    case dataClassNotImplemented = 0x06
    case dataSizeNotImplemented = 0x07
    case tooManyVIFEs = 0x0B
    case illegalVIFGroup = 0x0C
    case illegalVIFExponent = 0x0D
    /// mbus4j only; exmbus has no entry.
    case vifDIFMismatch = 0x0E
    case unimplementedAction = 0x0F
    case noDataAvailable = 0x15
    case dataOverflow = 0x16
    case dataUnderflow = 0x17
    case dataError = 0x18
    case prematureEndOfRecord = 0x1C

    /// The name used in output.
    public var name: String {
        switch self {
        case .none: return "none"
        case .tooManyDIFEs: return "too many DIFEs"
        case .storageNumberNotImplemented: return "storage number not implemented"
        case .unitNumberNotImplemented: return "unit number not implemented"
        case .tariffNumberNotImplemented: return "tariff number not implemented"
        case .functionNotImplemented: return "function not implemented"
        case .dataClassNotImplemented: return "data class not implemented"
        case .dataSizeNotImplemented: return "data size not implemented"
        case .tooManyVIFEs: return "too many VIFEs"
        case .illegalVIFGroup: return "illegal VIF group"
        case .illegalVIFExponent: return "illegal VIF exponent"
        case .vifDIFMismatch: return "VIF/DIF mismatch"
        case .unimplementedAction: return "unimplemented action"
        case .noDataAvailable: return "no data available (undefined value)"
        case .dataOverflow: return "data overflow"
        case .dataUnderflow: return "data underflow"
        case .dataError: return "data error"
        case .prematureEndOfRecord: return "premature end of record"
        }
    }
}

extension ValueMeaning {
    /// Interprets a block. Every byte sequence has a meaning; codes no table defines are reported
    /// in ``reservedCodes`` rather than refused, because the record's length does not depend on them.
    init(_ vib: ValueInformationBlock) {
        let code = vib.vif & 0x7F
        var combinables = vib.vifes[...]
        switch vib.vif {
        case 0xFB:
            let ext = combinables.popFirst() ?? 0
            self = Self.extensionFB(ext & 0x7F)
        case 0xFD:
            let ext = combinables.popFirst() ?? 0
            self = Self.extensionFD(ext & 0x7F)
        case 0x7C, 0xFC:
            // The meter names its own unit in text ("%RH", "cust. ID"): it is the quantity's name, not an SI
            // symbol, so the unit stays empty and the text is reported as the quantity (as libmbus does).
            self = ValueMeaning(quantity: vib.plainText ?? "")
        case 0x7F, 0xFF:
            self = ValueMeaning(quantity: "Manufacturer specific", kind: .identifier)
            self.isManufacturerSpecific = true
            combinables = []  // every VIFE after a manufacturer-specific VIF belongs to the manufacturer
        default:
            self = Self.primary(code)
        }
        applyCombinable(combinables)
    }

    /// The kind that decides how a record's data is read (dates versus numbers), without building the
    /// whole meaning: the decode path needs only this. Agrees with ``init(_:)`` for every block.
    static func dateKind(of vib: ValueInformationBlock) -> ValueKind {
        switch vib.vif {
        case 0x6C, 0xEC: return .date
        case 0x6D, 0xED: return .dateTime
        case 0xFD:
            let code = (vib.vifes.first ?? 0) & 0x7F
            return code == 0x30 || code == 0x70 ? .dateTime : .quantity
        default: return .quantity
        }
    }

    // MARK: primary table (fact sheet §4; the libmbus, pyMeterBus, jMBus, wmbusmeters and exmbus tables agree
    // except mass 18–1F, where exmbus alone uses 10^(n-6) kg and we follow the other four)

    static func primary(_ code: UInt8) -> ValueMeaning {
        let n = Int(code & 0x07)
        let nn = Int(code & 0x03)
        switch code {
        case 0x00...0x07: return ValueMeaning(quantity: "Energy", unit: "Wh", exponent: n - 3)
        case 0x08...0x0F: return ValueMeaning(quantity: "Energy", unit: "J", exponent: n)
        case 0x10...0x17: return ValueMeaning(quantity: "Volume", unit: "m^3", exponent: n - 6)
        case 0x18...0x1F: return ValueMeaning(quantity: "Mass", unit: "kg", exponent: n - 3)
        case 0x20...0x23: return ValueMeaning(quantity: "On time", unit: "s", factor: durationFactor(nn))
        case 0x24...0x27: return ValueMeaning(quantity: "Operating time", unit: "s", factor: durationFactor(nn))
        case 0x28...0x2F: return ValueMeaning(quantity: "Power", unit: "W", exponent: n - 3)
        case 0x30...0x37: return ValueMeaning(quantity: "Power", unit: "J/h", exponent: n)
        case 0x38...0x3F: return ValueMeaning(quantity: "Volume flow", unit: "m^3/h", exponent: n - 6)
        case 0x40...0x47: return ValueMeaning(quantity: "Volume flow", unit: "m^3/min", exponent: n - 7)
        case 0x48...0x4F: return ValueMeaning(quantity: "Volume flow", unit: "m^3/s", exponent: n - 9)
        case 0x50...0x57: return ValueMeaning(quantity: "Mass flow", unit: "kg/h", exponent: n - 3)
        case 0x58...0x5B: return ValueMeaning(quantity: "Flow temperature", unit: "°C", exponent: nn - 3)
        case 0x5C...0x5F: return ValueMeaning(quantity: "Return temperature", unit: "°C", exponent: nn - 3)
        case 0x60...0x63: return ValueMeaning(quantity: "Temperature difference", unit: "K", exponent: nn - 3)
        case 0x64...0x67: return ValueMeaning(quantity: "External temperature", unit: "°C", exponent: nn - 3)
        case 0x68...0x6B: return ValueMeaning(quantity: "Pressure", unit: "bar", exponent: nn - 3)
        case 0x6C: return ValueMeaning(quantity: "Time point (date)", kind: .date)
        case 0x6D: return ValueMeaning(quantity: "Time point (date and time)", kind: .dateTime)
        case 0x6E: return ValueMeaning(quantity: "Units for H.C.A.")
        case 0x70...0x73: return ValueMeaning(quantity: "Averaging duration", unit: "s", factor: durationFactor(nn))
        case 0x74...0x77: return ValueMeaning(quantity: "Actuality duration", unit: "s", factor: durationFactor(nn))
        case 0x78: return ValueMeaning(quantity: "Fabrication number", kind: .identifier)
        case 0x79: return ValueMeaning(quantity: "Enhanced identification", kind: .identifier)
        case 0x7A: return ValueMeaning(quantity: "Bus address", kind: .identifier)
        case 0x7E: return ValueMeaning(quantity: "Any VIF", kind: .identifier)
        default: return reserved("VIF \(hex(code))")  // 6F, and 7B/7D without the extension bit
        }
    }

    static func reserved(_ label: String) -> ValueMeaning {
        var m = ValueMeaning(quantity: "Reserved", kind: .identifier)
        m.reservedCodes = [label]
        return m
    }

    /// nn: 00 seconds, 01 minutes, 10 hours, 11 days.
    static func durationFactor(_ nn: Int) -> Double { [1, 60, 3600, 86400][nn & 3] }

    /// pp: 00 hours, 01 days, 10 months, 11 years (months and years are kept as units).
    static func durationPP(_ quantity: String, _ pp: Int) -> ValueMeaning {
        switch pp & 3 {
        case 0: return ValueMeaning(quantity: quantity, unit: "s", factor: 3600)
        case 1: return ValueMeaning(quantity: quantity, unit: "s", factor: 86400)
        case 2: return ValueMeaning(quantity: quantity, unit: "month")
        default: return ValueMeaning(quantity: quantity, unit: "year")
        }
    }

    // MARK: extension table FD (fact sheet §5.1). Where libmbus/pyMeterBus/wmbusmeters say "reserved" and
    // jMBus/exmbus define a code, the code stays reserved unless a worked vector backs the definition.

    static func extensionFD(_ code: UInt8) -> ValueMeaning {
        let nn = Int(code & 0x03)
        switch code {
        case 0x00...0x03: return ValueMeaning(quantity: "Credit", unit: "currency", exponent: nn - 3)
        case 0x04...0x07: return ValueMeaning(quantity: "Debit", unit: "currency", exponent: nn - 3)
        case 0x08: return ValueMeaning(quantity: "Access number", kind: .identifier)
        case 0x09: return ValueMeaning(quantity: "Medium", kind: .identifier)
        case 0x0A: return ValueMeaning(quantity: "Manufacturer", kind: .identifier)
        case 0x0B: return ValueMeaning(quantity: "Parameter set identification", kind: .identifier)
        case 0x0C: return ValueMeaning(quantity: "Model / version", kind: .identifier)
        case 0x0D: return ValueMeaning(quantity: "Hardware version", kind: .identifier)
        case 0x0E: return ValueMeaning(quantity: "Firmware version", kind: .identifier)
        case 0x0F: return ValueMeaning(quantity: "Software version", kind: .identifier)
        case 0x10: return ValueMeaning(quantity: "Customer location", kind: .identifier)
        case 0x11: return ValueMeaning(quantity: "Customer", kind: .identifier)
        case 0x12: return ValueMeaning(quantity: "Access code user", kind: .identifier)
        case 0x13: return ValueMeaning(quantity: "Access code operator", kind: .identifier)
        case 0x14: return ValueMeaning(quantity: "Access code system operator", kind: .identifier)
        case 0x15: return ValueMeaning(quantity: "Access code developer", kind: .identifier)
        case 0x16: return ValueMeaning(quantity: "Password", kind: .identifier)
        case 0x17: return ValueMeaning(quantity: "Error flags", kind: .identifier)
        case 0x18: return ValueMeaning(quantity: "Error mask", kind: .identifier)
        case 0x1A: return ValueMeaning(quantity: "Digital output", kind: .identifier)
        case 0x1B: return ValueMeaning(quantity: "Digital input", kind: .identifier)
        case 0x1C: return ValueMeaning(quantity: "Baud rate", unit: "Bd")
        case 0x1D: return ValueMeaning(quantity: "Response delay time", unit: "bit times")
        case 0x1E: return ValueMeaning(quantity: "Retry")
        case 0x20: return ValueMeaning(quantity: "First storage number for cyclic storage", kind: .identifier)
        case 0x21: return ValueMeaning(quantity: "Last storage number for cyclic storage", kind: .identifier)
        case 0x22: return ValueMeaning(quantity: "Size of storage block")
        case 0x24...0x27: return ValueMeaning(quantity: "Storage interval", unit: "s", factor: durationFactor(nn))
        case 0x28: return ValueMeaning(quantity: "Storage interval", unit: "month")
        case 0x29: return ValueMeaning(quantity: "Storage interval", unit: "year")
        case 0x2C...0x2F: return ValueMeaning(quantity: "Duration since last readout", unit: "s", factor: durationFactor(nn))
        // 0x30: start of tariff per the libmbus lookup, wmbusmeters and exmbus; libmbus decodes 32 bits as type F.
        case 0x30: return ValueMeaning(quantity: "Start of tariff", kind: .dateTime)
        case 0x31...0x33: return ValueMeaning(quantity: "Duration of tariff", unit: "s", factor: durationFactor(nn))
        case 0x34...0x37: return ValueMeaning(quantity: "Period of tariff", unit: "s", factor: durationFactor(nn))
        case 0x38: return ValueMeaning(quantity: "Period of tariff", unit: "month")
        case 0x39: return ValueMeaning(quantity: "Period of tariff", unit: "year")
        case 0x3A: return ValueMeaning(quantity: "Dimensionless")
        case 0x40...0x4F: return ValueMeaning(quantity: "Voltage", unit: "V", exponent: Int(code & 0x0F) - 9)
        case 0x50...0x5F: return ValueMeaning(quantity: "Current", unit: "A", exponent: Int(code & 0x0F) - 12)
        case 0x60: return ValueMeaning(quantity: "Reset counter")
        case 0x61: return ValueMeaning(quantity: "Cumulation counter")
        case 0x62: return ValueMeaning(quantity: "Control signal", kind: .identifier)
        case 0x63: return ValueMeaning(quantity: "Day of week", kind: .identifier)
        case 0x64: return ValueMeaning(quantity: "Week number", kind: .identifier)
        case 0x65: return ValueMeaning(quantity: "Time point of day change", kind: .identifier)
        case 0x66: return ValueMeaning(quantity: "State of parameter activation", kind: .identifier)
        case 0x67: return ValueMeaning(quantity: "Special supplier information", kind: .identifier)
        case 0x68...0x6B: return durationPP("Duration since last cumulation", nn)
        case 0x6C...0x6F: return durationPP("Operating time battery", nn)
        case 0x70: return ValueMeaning(quantity: "Date and time of battery change", kind: .dateTime)
        // 0x74: remaining battery life in days per wmbusmeters' dvparser, jMBus and exmbus, backed by the
        // wmbusmeters test vector "02 FD 74 2F 0D" = 3375 days; libmbus and pyMeterBus call it reserved.
        case 0x74: return ValueMeaning(quantity: "Remaining battery life", unit: "s", factor: 86400)
        default: return reserved("FD \(hex(code))")
        }
    }

    // MARK: extension table FB (fact sheet §5.2). Codes libmbus/pyMeterBus reserve are defined here only
    // where jMBus and exmbus agree on both quantity and scale.

    static func extensionFB(_ code: UInt8) -> ValueMeaning {
        let n = Int(code & 0x01)
        let nn = Int(code & 0x03)
        switch code {
        case 0x00...0x01: return ValueMeaning(quantity: "Energy", unit: "Wh", exponent: n + 5)
        case 0x02...0x03: return ValueMeaning(quantity: "Reactive energy", unit: "varh", exponent: n + 3)
        case 0x04...0x05: return ValueMeaning(quantity: "Apparent energy", unit: "VAh", exponent: n + 3)
        case 0x08...0x09: return ValueMeaning(quantity: "Energy", unit: "J", exponent: n + 8)
        case 0x10...0x11: return ValueMeaning(quantity: "Volume", unit: "m^3", exponent: n + 2)
        case 0x14...0x17: return ValueMeaning(quantity: "Reactive power", unit: "var", exponent: nn)
        case 0x18...0x19: return ValueMeaning(quantity: "Mass", unit: "kg", exponent: n + 5)
        case 0x1A...0x1B: return ValueMeaning(quantity: "Relative humidity", unit: "%", exponent: n - 1)
        case 0x20: return ValueMeaning(quantity: "Volume", unit: "ft^3")
        case 0x21: return ValueMeaning(quantity: "Volume", unit: "ft^3", exponent: -1)
        case 0x22: return ValueMeaning(quantity: "Volume", unit: "US gal", exponent: -1)
        case 0x23: return ValueMeaning(quantity: "Volume", unit: "US gal")
        case 0x24: return ValueMeaning(quantity: "Volume flow", unit: "US gal/min", exponent: -3)
        case 0x25: return ValueMeaning(quantity: "Volume flow", unit: "US gal/min")
        case 0x26: return ValueMeaning(quantity: "Volume flow", unit: "US gal/h")
        case 0x28...0x29: return ValueMeaning(quantity: "Power", unit: "W", exponent: n + 5)
        case 0x2C...0x2F: return ValueMeaning(quantity: "Frequency", unit: "Hz", exponent: nn - 3)
        case 0x30...0x31: return ValueMeaning(quantity: "Power", unit: "J/h", exponent: n + 8)
        case 0x34...0x37: return ValueMeaning(quantity: "Apparent power", unit: "VA", exponent: nn)
        case 0x58...0x5B: return ValueMeaning(quantity: "Flow temperature", unit: "°F", exponent: nn - 3)
        case 0x5C...0x5F: return ValueMeaning(quantity: "Return temperature", unit: "°F", exponent: nn - 3)
        case 0x60...0x63: return ValueMeaning(quantity: "Temperature difference", unit: "°F", exponent: nn - 3)
        case 0x64...0x67: return ValueMeaning(quantity: "External temperature", unit: "°F", exponent: nn - 3)
        case 0x70...0x73: return ValueMeaning(quantity: "Cold / warm temperature limit", unit: "°F", exponent: nn - 3)
        case 0x74...0x77: return ValueMeaning(quantity: "Cold / warm temperature limit", unit: "°C", exponent: nn - 3)
        case 0x78...0x7F: return ValueMeaning(quantity: "Cumulative count max power", unit: "W", exponent: Int(code & 0x07) - 3)
        default: return reserved("FB \(hex(code))")
        }
    }

    // MARK: combinable VIFEs (fact sheet §5.3, §5.4)

    mutating func applyCombinable(_ vifes: ArraySlice<UInt8>) {
        var index = vifes.startIndex
        while index < vifes.endIndex {
            let code = vifes[index] & 0x7F
            index += 1
            switch code {
            case 0x00...0x0F, 0x15...0x1C:
                if let e = RecordErrorCode(rawValue: code) {
                    recordError = e
                    modifiers.append("error: \(e.name)")
                } else {
                    reservedCodes.append("VIFE \(hex(code))")
                }
            case 0x12: modifiers.append("average value")
            case 0x13: modifiers.append("inverse compact profile")
            case 0x1D: modifiers.append("standard conform data content")
            case 0x1E: modifiers.append("compact profile with register numbers")
            case 0x1F: modifiers.append("compact profile")
            case 0x20...0x26:
                let per = ["s", "min", "h", "d", "week", "month", "year"][Int(code - 0x20)]
                unit = unit.isEmpty ? "1/\(per)" : "\(unit)/\(per)"
                modifiers.append("per \(per)")
            case 0x27: modifiers.append("per revolution / measurement")
            case 0x28, 0x29: modifiers.append("increment per input pulse on channel \(code - 0x28)")
            case 0x2A, 0x2B: modifiers.append("increment per output pulse on channel \(code - 0x2A)")
            case 0x2C...0x35:
                let per = ["l", "m^3", "kg", "K", "kWh", "GJ", "kW", "(K*l)", "V", "A"][Int(code - 0x2C)]
                unit = unit.isEmpty ? "1/\(per)" : "\(unit)/\(per)"
                modifiers.append("per \(per)")
            case 0x36: unit += "*s"; modifiers.append("multiplied by s")
            case 0x37: unit += "*s/V"; modifiers.append("multiplied by s/V")
            case 0x38: unit += "*s/A"; modifiers.append("multiplied by s/A")
            case 0x39: modifiers.append("start date(/time) of")
            case 0x3A: modifiers.append("uncorrected unit/value")
            case 0x3B: modifiers.append("accumulation only if positive (forward flow)")
            case 0x3C: modifiers.append("accumulation of absolute value only if negative (backward flow)")
            case 0x3E: modifiers.append("value at base conditions")
            case 0x3F: modifiers.append("OBIS declaration")
            case 0x40: modifiers.append("lower limit value")
            case 0x41: modifiers.append("number of exceeds of lower limit")
            case 0x48: modifiers.append("upper limit value")
            case 0x49: modifiers.append("number of exceeds of upper limit")
            case 0x42, 0x43, 0x46, 0x47, 0x4A, 0x4B, 0x4E, 0x4F:
                // E100 u f 1 b: u upper, f last, b end (exmbus, mbus4j, wmbusmeters' vifeType agree).
                let limit = code & 0x08 != 0 ? "upper" : "lower"
                let which = code & 0x04 != 0 ? "last" : "first"
                let edge = code & 0x01 != 0 ? "end" : "begin"
                modifiers.append("date/time of \(edge) of \(which) \(limit) limit exceed")
            case 0x50...0x5F:
                let limit = code & 0x08 != 0 ? "upper" : "lower"
                let which = code & 0x04 != 0 ? "last" : "first"
                modifiers.append("duration of \(which) \(limit) limit exceed")
                factor *= Self.durationFactor(Int(code & 3))
            case 0x60...0x67:
                modifiers.append("duration of \(code & 0x04 != 0 ? "last" : "first") D")
                factor *= Self.durationFactor(Int(code & 3))
            case 0x68: modifiers.append("value during lower limit exceed")
            case 0x6C: modifiers.append("value during upper limit exceed")
            case 0x69: modifiers.append("leakage values")
            case 0x6D: modifiers.append("overflow values")
            case 0x6A, 0x6B, 0x6E, 0x6F:
                modifiers.append("date/time of \(code & 1 != 0 ? "end" : "begin") of \(code & 0x04 != 0 ? "last" : "first") D")
            case 0x70...0x77:
                exponent += Int(code & 0x07) - 6
                hasMultiplicativeCorrection = true
                modifiers.append("multiplicative correction factor 10^\(Int(code & 0x07) - 6)")
            case 0x78...0x7B:
                // libmbus adds the constant; pyMeterBus multiplies by it; the tables name it additive.
                let constant = powerOfTenSigned(Int(code & 0x03) - 3)
                additive += constant
                modifiers.append("additive correction constant 10^\(Int(code & 0x03) - 3)")
            case 0x7C:
                let fc = index < vifes.endIndex ? vifes[index] & 0x7F : 0
                if index < vifes.endIndex { index += 1 }
                modifiers.append(Self.combinableExtension(fc))
            case 0x7D:
                exponent += 3
                hasMultiplicativeCorrection = true
                modifiers.append("multiplicative correction factor 10^3")
            case 0x7E: modifiers.append("future value")
            case 0x7F:
                isManufacturerSpecific = true
                modifiers.append("manufacturer specific")
                return  // the rest of the chain belongs to the manufacturer
            default:
                reservedCodes.append("VIFE \(hex(code))")
            }
        }
    }

    /// The table after VIFE FC (fact sheet §5.3, wmbusmeters and jMBus).
    static func combinableExtension(_ code: UInt8) -> String {
        switch code {
        case 0x01: return "at phase L1"
        case 0x02: return "at phase L2"
        case 0x03: return "at phase L3"
        case 0x04: return "at neutral (N)"
        case 0x05: return "between phase L1 and L2"
        case 0x06: return "between phase L2 and L3"
        case 0x07: return "between phase L3 and L1"
        case 0x08...0x0B: return "at quadrant Q\(code - 0x07)"
        case 0x0C: return "delta between import and export"
        case 0x10: return "accumulation of absolute value"
        case 0x11: return "data presented with type C"
        case 0x12: return "data presented with type D"
        default: return "reserved extension \(hex(code))"
        }
    }
}

/// `value` × 10^`exponent`. Dividing by an exact power of ten keeps decimal results exact where
/// multiplying by 10^-n would not (0.113, not 0.11300000000000002).
func scaledByPowerOfTen(_ value: Double, _ exponent: Int) -> Double {
    exponent < 0 ? value / powerOfTen(-exponent) : value * powerOfTen(exponent)
}

func powerOfTenSigned(_ n: Int) -> Double {
    n >= 0 ? powerOfTen(n) : 1 / powerOfTen(-n)
}
