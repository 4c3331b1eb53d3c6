import CodecSupport

/// The function field of a DIF, bits 5–4 (EN 13757-3; fact sheet §3.1).
public enum RecordFunction: UInt8, Sendable, Equatable, CaseIterable {
    case instantaneous = 0
    case maximum = 1
    case minimum = 2
    /// Value during error state.
    case error = 3

    /// The stable name used in JSON output.
    public var name: String {
        switch self {
        case .instantaneous: return "instantaneous"
        case .maximum: return "maximum"
        case .minimum: return "minimum"
        case .error: return "error"
        }
    }
}

/// The data field of a DIF, bits 3–0: how the value is coded (EN 13757-3; fact sheet §3.2).
public enum DataFieldCoding: UInt8, Sendable, Equatable, CaseIterable {
    case noData = 0x0
    case int8 = 0x1
    case int16 = 0x2
    case int24 = 0x3
    case int32 = 0x4
    case real32 = 0x5
    case int48 = 0x6
    case int64 = 0x7
    case selectionForReadout = 0x8
    case bcd2 = 0x9
    case bcd4 = 0xA
    case bcd6 = 0xB
    case bcd8 = 0xC
    case variableLength = 0xD
    case bcd12 = 0xE
    case specialFunction = 0xF

    /// Fixed length of the data in bytes; nil for variable length and special functions.
    public var fixedLength: Int? {
        switch self {
        case .noData, .selectionForReadout: return 0
        case .int8, .bcd2: return 1
        case .int16, .bcd4: return 2
        case .int24, .bcd6: return 3
        case .int32, .real32, .bcd8: return 4
        case .int48, .bcd12: return 6
        case .int64: return 8
        case .variableLength, .specialFunction: return nil
        }
    }

    /// True for the BCD codings.
    public var isBCD: Bool {
        switch self {
        case .bcd2, .bcd4, .bcd6, .bcd8, .bcd12: return true
        default: return false
        }
    }

    /// True for the binary integer codings.
    public var isInteger: Bool {
        switch self {
        case .int8, .int16, .int24, .int32, .int48, .int64: return true
        default: return false
        }
    }

    /// A stable name for JSON output.
    public var name: String {
        switch self {
        case .noData: return "none"
        case .int8: return "int8"
        case .int16: return "int16"
        case .int24: return "int24"
        case .int32: return "int32"
        case .real32: return "real32"
        case .int48: return "int48"
        case .int64: return "int64"
        case .selectionForReadout: return "selection_for_readout"
        case .bcd2: return "bcd2"
        case .bcd4: return "bcd4"
        case .bcd6: return "bcd6"
        case .bcd8: return "bcd8"
        case .variableLength: return "variable"
        case .bcd12: return "bcd12"
        case .specialFunction: return "special"
        }
    }
}

/// A DIF with its DIFE chain (EN 13757-3; fact sheet §3.1, §3.3).
///
/// The transmitted bytes are the source of truth, so a decoded block encodes back unchanged even
/// when it carries redundant DIFEs; storage, tariff and subunit are computed from them.
public struct DataInformationBlock: Sendable, Equatable, Hashable {
    /// Most DIFEs a record may carry (libmbus, wmbusmeters, jMBus; CI 70 error 5 names the limit).
    public static let maximumDIFEs = 10

    /// The DIF byte.
    public let dif: UInt8
    /// The DIFE bytes in order.
    public let difes: [UInt8]

    /// Wraps transmitted bytes. The caller keeps the extension bits consistent.
    public init(dif: UInt8, difes: [UInt8]) {
        self.dif = dif
        self.difes = difes
    }

    /// Builds the shortest DIB for the given fields. Nil when a field does not fit 10 DIFEs.
    public init?(coding: DataFieldCoding, function: RecordFunction = .instantaneous,
                 storage: UInt64 = 0, tariff: UInt32 = 0, subunit: UInt16 = 0) {
        var dif = coding.rawValue | function.rawValue << 4 | UInt8(storage & 1) << 6
        var rest = storage >> 1
        var t = tariff
        var u = subunit
        var difes: [UInt8] = []
        while rest != 0 || t != 0 || u != 0 {
            guard difes.count < Self.maximumDIFEs else { return nil }
            difes.append(UInt8(rest & 0x0F) | UInt8(t & 3) << 4 | UInt8(u & 1) << 6)
            rest >>= 4; t >>= 2; u >>= 1
        }
        if !difes.isEmpty {
            dif |= 0x80
            for i in 0..<(difes.count - 1) { difes[i] |= 0x80 }
        }
        self.dif = dif
        self.difes = difes
    }

    /// The data field coding (DIF bits 3–0).
    public var coding: DataFieldCoding { DataFieldCoding(rawValue: dif & 0x0F) ?? .noData }
    /// The function field (DIF bits 5–4).
    public var function: RecordFunction { RecordFunction(rawValue: (dif >> 4) & 3) ?? .instantaneous }

    /// Storage number: DIF bit 6, then 4 bits per DIFE.
    public var storage: UInt64 {
        var value = UInt64((dif >> 6) & 1)
        for (k, dife) in difes.enumerated() {
            value |= UInt64(dife & 0x0F) << UInt64(1 + 4 * k)
        }
        return value
    }

    /// Tariff: 2 bits per DIFE.
    public var tariff: UInt32 {
        var value: UInt32 = 0
        for (k, dife) in difes.enumerated() { value |= UInt32((dife >> 4) & 3) << UInt32(2 * k) }
        return value
    }

    /// Subunit (device unit): 1 bit per DIFE.
    public var subunit: UInt16 {
        var value: UInt16 = 0
        for (k, dife) in difes.enumerated() { value |= UInt16((dife >> 6) & 1) << UInt16(k) }
        return value
    }

    /// The transmitted bytes.
    public var bytes: [UInt8] { [dif] + difes }

    /// Reads a DIB at the cursor. `origin` is the buffer index of the frame's first byte.
    static func decode(_ cursor: inout ByteCursor, origin: Int) throws(MeterBusError) -> DataInformationBlock {
        let start = cursor.position
        let dif: UInt8
        do { dif = try cursor.readByte() } catch { throw .truncated(error, origin: origin, reading: "DIF") }
        var difes: [UInt8] = []
        var extends = dif & 0x80 != 0
        while extends {
            guard difes.count < maximumDIFEs else {
                throw MeterBusError(.tooManyDIFEs, at: cursor.position - origin,
                                    "more than \(maximumDIFEs) DIFEs in the record starting at offset \(start - origin)")
            }
            let dife: UInt8
            do { dife = try cursor.readByte() } catch {
                throw MeterBusError(.truncated, at: error.offset - origin,
                                    "premature end of DIB: DIFE expected after 0x\(hex(difes.last ?? dif))")
            }
            difes.append(dife)
            extends = dife & 0x80 != 0
        }
        return DataInformationBlock(dif: dif, difes: difes)
    }
}

@inline(__always)
func hex(_ byte: UInt8) -> String {
    let digits: [Character] = Array("0123456789ABCDEF")
    return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
}
