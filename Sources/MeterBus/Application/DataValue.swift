import CodecSupport

/// The value of a data record, typed by its DIF coding and VIF (EN 13757-3; fact sheet §3.2, §3.6, §6).
///
/// Every case keeps enough of the transmitted bits that encoding reproduces them exactly.
public enum DataValue: Sendable, Equatable {
    /// Data field 0 (no data) or 8 (selection for readout).
    case none
    /// A two's-complement integer (data fields 1–4, 6, 7).
    case integer(Int64)
    /// An IEEE-754 single (data field 5), kept by bit pattern.
    case real(bitPattern: UInt32)
    /// BCD (data fields 9, A, B, C, E).
    case bcd(BCDNumber)
    /// Type G date (VIF 6C with 16 bits).
    case date(DateTypeG)
    /// Type F date and time (VIF 6D, FD 30, FD 70 with 32 bits).
    case dateTime(DateTimeTypeF)
    /// Type I date and time with seconds (VIF 6D with 48 bits).
    case dateTimeWithSeconds(DateTimeTypeI)
    /// Type J time of day (VIF 6D with 24 bits).
    case timeOfDay(TimeTypeJ)
    /// LVAR 00–BF: ISO 8859-1 text, shown in reading order (transmitted right-most character first).
    case text(String)
    /// LVAR C0–C9 (positive) and D0–D9 (negative): a BCD number without a sign nibble.
    case variableBCD(BCDNumber, negative: Bool)
    /// LVAR E0–F6: a binary number of the given length; `lvar` is the transmitted LVAR byte.
    case binary([UInt8], lvar: UInt8)

    /// The IEEE-754 value of a `.real`.
    public var floatValue: Float? {
        if case let .real(bits) = self { return Float(bitPattern: bits) }
        return nil
    }

    /// The unscaled number, when the value is one (nil for dates, text, invalid BCD and long binaries).
    public var number: Double? {
        switch self {
        case let .integer(i): return Double(i)
        // A single carries ~7 significant digits: widen through its shortest decimal form so that
        // 21.536703 stays 21.536703 rather than becoming 21.53670310974121.
        case let .real(bits):
            let f = Float(bitPattern: bits)
            return f.isFinite ? Double(f.description) ?? Double(f) : Double(f)
        case let .bcd(b): return b.value.map(Double.init)
        case let .variableBCD(b, negative): return b.value.map { Double(negative ? -$0 : $0) }
        case let .binary(bytes, _): return bytes.count <= 8 ? Double(UInt64(littleEndian: bytes[...])) : nil
        default: return nil
        }
    }

    /// Decodes the data bytes of a record. `data` excludes the LVAR byte, which is passed as `lvar`.
    static func decode(coding: DataFieldCoding, lvar: UInt8?, data: ArraySlice<UInt8>, kind: ValueKind,
                       msbFirst: Bool) -> DataValue {
        // Mode 2 (CI 76/77) sends multi-byte fields high byte first (libmbus comment, pyMeterBus isLSBOrder).
        let field: ArraySlice<UInt8> = msbFirst && data.count > 1 ? ArraySlice(data.reversed()) : data
        switch coding {
        case .noData, .selectionForReadout, .specialFunction:
            return .none
        case .int8, .int16, .int24, .int32, .int48, .int64:
            if kind == .date, coding == .int16 {
                return .date(DateTypeG(rawValue: UInt16(truncatingIfNeeded: UInt64(littleEndian: field))))
            }
            if kind == .dateTime {
                switch coding {
                case .int32: return .dateTime(DateTimeTypeF(rawValue: UInt32(truncatingIfNeeded: UInt64(littleEndian: field))))
                case .int48: if let t = DateTimeTypeI(bytes: field) { return .dateTimeWithSeconds(t) }
                case .int24: if let t = TimeTypeJ(bytes: field) { return .timeOfDay(t) }
                default: break
                }
            }
            let raw = UInt64(littleEndian: field)
            let bits = UInt64(field.count * 8)
            let signExtended = bits < 64 && raw & (1 << (bits - 1)) != 0 ? raw | ~((1 << bits) - 1) : raw
            return .integer(Int64(bitPattern: signExtended))
        case .real32:
            return .real(bitPattern: UInt32(truncatingIfNeeded: UInt64(littleEndian: field)))
        case .bcd2, .bcd4, .bcd6, .bcd8, .bcd12:
            return .bcd(BCDNumber(bytes: field))
        case .variableLength:
            let l = lvar ?? 0
            switch l {
            case 0x00...0xBF: return .text(latin1String(data.reversed()))
            case 0xC0...0xC9: return .variableBCD(BCDNumber(bytes: data), negative: false)
            case 0xD0...0xD9: return .variableBCD(BCDNumber(bytes: data), negative: true)
            default: return .binary(Array(data), lvar: l)
            }
        }
    }

    /// The number of data bytes LVAR announces, or nil when no coding defines it (F7–FF).
    ///
    /// BCD: (LVAR−C0h) bytes, i.e. 2·(LVAR−C0h) digits, as exmbus reads EN 13757-3:2018 Table 5;
    /// libmbus, pyMeterBus and jMBus read twice as many bytes (fact sheet §3.6, disagreement 10).
    /// F0–F4: 4·(LVAR−ECh) bytes; F5: 48; F6: 64 (exmbus's documentation and libmbus agree).
    public static func lengthAnnounced(byLVAR lvar: UInt8) -> Int? {
        switch lvar {
        case 0x00...0xBF: return Int(lvar)
        case 0xC0...0xC9: return Int(lvar - 0xC0)
        case 0xD0...0xD9: return Int(lvar - 0xD0)
        case 0xE0...0xEF: return Int(lvar - 0xE0)
        case 0xF0...0xF4: return 4 * Int(lvar - 0xEC)
        case 0xF5: return 48
        case 0xF6: return 64
        default: return nil
        }
    }

    /// Encodes the value for a coding: the data bytes, preceded by the LVAR byte for variable length.
    /// Nil when the value does not fit the coding.
    public func encoded(for coding: DataFieldCoding, msbFirst: Bool = false) -> [UInt8]? {
        var out: [UInt8]
        switch (self, coding) {
        case (.none, _):
            guard coding.fixedLength == 0 else { return nil }
            return []
        case let (.integer(i), _) where coding.isInteger:
            let width = coding.fixedLength ?? 0
            let bits = UInt64(bitPattern: i)
            out = (0..<width).map { UInt8(truncatingIfNeeded: bits >> UInt64(8 * $0)) }
            // Refuse values the width cannot carry.
            if width < 8 {
                let limit = Int64(1) << Int64(8 * width - 1)
                guard i >= -limit, i < limit else { return nil }
            }
        case let (.real(bits), .real32):
            out = (0..<4).map { UInt8(truncatingIfNeeded: bits >> UInt32(8 * $0)) }
        case let (.bcd(b), _) where coding.isBCD:
            guard b.bytes.count == coding.fixedLength else { return nil }
            out = b.bytes
        case let (.date(d), .int16):
            out = [UInt8(d.rawValue & 0xFF), UInt8(d.rawValue >> 8)]
        case let (.dateTime(t), .int32):
            out = (0..<4).map { UInt8(truncatingIfNeeded: t.rawValue >> UInt32(8 * $0)) }
        case let (.dateTimeWithSeconds(t), .int48):
            out = t.bytes
        case let (.timeOfDay(t), .int24):
            out = t.bytes
        case let (.text(s), .variableLength):
            let latin1 = s.unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) }
            guard latin1.count <= 0xBF else { return nil }
            return [UInt8(latin1.count)] + latin1.reversed()
        case let (.variableBCD(b, negative), .variableLength):
            guard b.bytes.count <= 9 else { return nil }
            return [UInt8(b.bytes.count) + (negative ? 0xD0 : 0xC0)] + b.bytes
        case let (.binary(bytes, lvar), .variableLength):
            guard DataValue.lengthAnnounced(byLVAR: lvar) == bytes.count, lvar >= 0xE0 else { return nil }
            return [lvar] + bytes
        default:
            return nil
        }
        return msbFirst ? out.reversed() : out
    }
}
