/// A unit of a scaler_unit (IC 3/4/5 attribute 3: `enum`); fact sheet §8.5.
///
/// Symbols 1–72, 128–138 and 253–255 follow the fact sheet (GX `enums/Unit.py` and SP `config.toml`
/// agree); 139–174 come from GX alone (UNCONFIRMED). Other values are kept but have no symbol.
public struct COSEMUnit: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    /// The enum value as transmitted.
    public let rawValue: UInt8
    /// Wraps a transmitted value.
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// 27: W.
    public static let watt = COSEMUnit(rawValue: 27)
    /// 28: VA.
    public static let voltAmpere = COSEMUnit(rawValue: 28)
    /// 29: var.
    public static let voltAmpereReactive = COSEMUnit(rawValue: 29)
    /// 30: Wh.
    public static let wattHour = COSEMUnit(rawValue: 30)
    /// 32: varh.
    public static let varHour = COSEMUnit(rawValue: 32)
    /// 33: A.
    public static let ampere = COSEMUnit(rawValue: 33)
    /// 35: V.
    public static let volt = COSEMUnit(rawValue: 35)
    /// 44: Hz.
    public static let hertz = COSEMUnit(rawValue: 44)
    /// 254: other unit.
    public static let other = COSEMUnit(rawValue: 254)
    /// 255: no unit, a count.
    public static let count = COSEMUnit(rawValue: 255)

    /// The symbol (`W`, `Wh`, `m³`…), or nil for values no source defines.
    public var symbol: String? { Self.table[rawValue]?.symbol }
    /// A name in words (`active power`), or nil.
    public var name: String? { Self.table[rawValue]?.name }
    /// The symbol, or `unit(N)`.
    public var description: String { symbol ?? "unit(\(rawValue))" }

    static let table: [UInt8: (symbol: String, name: String)] = [
        1: ("a", "year"), 2: ("mo", "month"), 3: ("wk", "week"), 4: ("d", "day"), 5: ("h", "hour"),
        6: ("min", "minute"), 7: ("s", "second"), 8: ("°", "phase angle"), 9: ("°C", "temperature"),
        10: ("currency", "local currency"), 11: ("m", "length"), 12: ("m/s", "speed"),
        13: ("m³", "volume"), 14: ("m³", "corrected volume"), 15: ("m³/h", "volume flux"),
        16: ("m³/h", "corrected volume flux"), 17: ("m³/d", "volume flux per day"),
        18: ("m³/d", "corrected volume flux per day"), 19: ("l", "volume (litre)"), 20: ("kg", "mass"),
        21: ("N", "force"), 22: ("Nm", "energy (newton-metre)"), 23: ("Pa", "pressure"), 24: ("bar", "pressure (bar)"),
        25: ("J", "energy (joule)"), 26: ("J/h", "thermal power"), 27: ("W", "active power"),
        28: ("VA", "apparent power"), 29: ("var", "reactive power"), 30: ("Wh", "active energy"),
        31: ("VAh", "apparent energy"), 32: ("varh", "reactive energy"), 33: ("A", "current"),
        34: ("C", "electrical charge"), 35: ("V", "voltage"), 36: ("V/m", "electric field strength"),
        37: ("F", "capacitance"), 38: ("Ω", "resistance"), 39: ("Ωm²/m", "resistivity"),
        40: ("Wb", "magnetic flux"), 41: ("T", "magnetic flux density"), 42: ("A/m", "magnetic field strength"),
        43: ("H", "inductance"), 44: ("Hz", "frequency"), 45: ("1/(Wh)", "active energy meter constant"),
        46: ("1/(varh)", "reactive energy meter constant"), 47: ("1/(VAh)", "apparent energy meter constant"),
        48: ("V²h", "volt-squared hours"), 49: ("A²h", "ampere-squared hours"), 50: ("kg/s", "mass flux"),
        51: ("S", "conductance"), 52: ("K", "temperature (kelvin)"), 53: ("1/(V²h)", "V²h meter constant"),
        54: ("1/(A²h)", "A²h meter constant"), 55: ("1/m³", "volume meter constant"), 56: ("%", "percentage"),
        57: ("Ah", "ampere-hours"), 60: ("Wh/m³", "energy per volume"), 61: ("J/m³", "calorific value (Wobbe)"),
        62: ("mol %", "mole percent"), 63: ("g/m³", "mass density"), 64: ("Pa s", "dynamic viscosity"),
        65: ("J/kg", "specific energy"), 66: ("g/cm²", "pressure (gram per square centimetre)"),
        67: ("atm", "pressure (atmosphere)"), 70: ("dBm", "signal strength"), 71: ("dBµV", "signal strength (dB microvolt)"),
        72: ("dB", "logarithmic ratio"),
        128: ("in", "inch"), 129: ("ft", "foot"), 130: ("lb", "pound"), 131: ("°F", "Fahrenheit"),
        132: ("°R", "Rankine"), 133: ("sq in", "square inch"), 134: ("sq ft", "square foot"), 135: ("ac", "acre"),
        136: ("cu in", "cubic inch"), 137: ("cu ft", "cubic foot"), 138: ("ac ft", "acre-foot"),
        139: ("gal (imp)", "gallon (imperial)"), 140: ("gal (US)", "gallon (US)"), 141: ("lbf", "pound force"),
        142: ("psi", "pound force per square inch"), 143: ("lb/cu ft", "pound per cubic foot"),
        144: ("lb/(ft s)", "pound per foot second"), 145: ("sq ft/s", "square foot per second"),
        146: ("BTU", "British thermal unit"), 147: ("thm (EU)", "therm EU"), 148: ("thm (US)", "therm US"),
        149: ("BTU/lb", "BTU per pound"), 150: ("BTU/cu ft", "BTU per cubic foot"), 151: ("cu ft", "cubic feet"),
        152: ("ft/s", "foot per second"), 153: ("cu ft/s", "cubic foot per second"), 154: ("cu ft/min", "cubic foot per minute"),
        155: ("cu ft/h", "cubic foot per hour"), 156: ("cu ft/d", "cubic foot per day"),
        157: ("ac ft/s", "acre-foot per second"), 158: ("ac ft/min", "acre-foot per minute"),
        159: ("ac ft/h", "acre-foot per hour"), 160: ("ac ft/d", "acre-foot per day"),
        161: ("imp gal", "imperial gallon"), 162: ("imp gal/s", "imperial gallon per second"),
        163: ("imp gal/min", "imperial gallon per minute"), 164: ("imp gal/h", "imperial gallon per hour"),
        165: ("imp gal/d", "imperial gallon per day"), 166: ("US gal", "US gallon"),
        167: ("US gal/s", "US gallon per second"), 168: ("US gal/min", "US gallon per minute"),
        169: ("US gal/h", "US gallon per hour"), 170: ("US gal/d", "US gallon per day"),
        171: ("BTU/s", "BTU per second"), 172: ("BTU/min", "BTU per minute"), 173: ("BTU/h", "BTU per hour"),
        174: ("BTU/d", "BTU per day"),
        253: ("", "extended table of units"), 254: ("other", "other unit"), 255: ("", "no unit (count)"),
    ]
}
