import CodecSupport

/// The application-layer content of a frame, chosen by its CI field.
///
/// CI codes are read with their wired meaning (EN 13757-3 as libmbus and pyMeterBus implement it;
/// fact sheet §1.7). The 2018/wireless table gives 52, 54, 55, 56, 73, 76 and 77 other meanings
/// (fact sheet §9, items 1–2); ``decode(ci:data:origin:table:)`` dispatches on ``CITable``'s meaning,
/// the one place where that choice is made.
public enum UserData: Sendable, Equatable {
    /// CI 72/76 (long header), 7A (short header), 78 (no header): a variable data response.
    case variableData(VariableDataStructure)
    /// CI 73/77: the fixed data structure.
    case fixedData(FixedDataStructure)
    /// CI 70: a general application error.
    case applicationError(ApplicationError)
    /// CI 71: report of alarm status (one status byte; its bits are not defined by any source).
    case alarm(status: [UInt8])
    /// CI 51/55: data sent to the slave (records, e.g. a new primary address or a readout selection).
    case dataSend(VariableDataStructure)
    /// CI 52/56: selection of a slave by secondary address (wildcard nibbles F).
    case selection(SelectionRequest)
    /// CI 50: application reset, with an optional subcode.
    case applicationReset(subcode: UInt8?)
    /// CI 54: synchronize action.
    case synchronizeAction(data: [UInt8])
    /// CI B8–BF: switch the slave to another baud rate.
    case baudRateSwitch(baud: Int)
    /// CI A0–B7: manufacturer specific; kept raw.
    case manufacturerSpecific(ci: UInt8, data: [UInt8])
    /// Any other CI: the link layer is valid but this codec does not interpret the content.
    case uninterpreted(ci: UInt8, data: [UInt8])

    /// Baud rates selected by CI B8–BF.
    public static let baudRates = [300, 600, 1200, 2400, 4800, 9600, 19200, 38400]

    /// Decodes the bytes after a CI field. `origin` is the buffer index of the frame's first byte
    /// (by default the data is taken to start at offset 7 of a long frame).
    public static func decode(ci: UInt8, data: ArraySlice<UInt8>, origin: Int? = nil,
                              table: CITable = .wired) throws(MeterBusError) -> UserData {
        let origin = origin ?? (data.startIndex - Frame.dataOffset)
        switch table.meaning(of: ci) {
        case let .variableDataResponse(header, mode):
            let kind: VariableDataStructure.HeaderKind
            switch header {
            case .longHeader: kind = .long
            case .shortHeader: kind = .short
            case .noHeader: kind = .none
            }
            return .variableData(try .decode(data, header: kind, msbFirst: mode == .mode2, origin: origin))
        case let .fixedDataResponse(mode):
            return .fixedData(try .decode(data, msbFirst: mode == .mode2, origin: origin))
        case .generalApplicationError(.noHeader):
            return .applicationError(ApplicationError(code: data.first, extra: Array(data.dropFirst())))
        case .alarmStatus(.noHeader):
            return .alarm(status: Array(data))
        case let .dataSend(mode):
            return .dataSend(try .decode(data, header: .none, msbFirst: mode == .mode2, origin: origin))
        case let .selectionOfSlaves(mode):
            return .selection(try SelectionRequest.decode(data, msbFirst: mode == .mode2, origin: origin))
        case .applicationReset:
            guard data.count <= 1 else {
                throw MeterBusError(.trailingBytes, at: data.startIndex + 1 - origin,
                                    "application reset carries at most one subcode byte, found \(data.count)")
            }
            return .applicationReset(subcode: data.first)
        case .synchronizeAction:
            return .synchronizeAction(data: Array(data))
        case let .setBaudRate(rate):
            guard data.isEmpty else {
                throw MeterBusError(.trailingBytes, at: data.startIndex - origin,
                                    "baud-rate switch (CI 0x\(hex(ci))) carries no data, found \(data.count) byte(s)")
            }
            return .baudRateSwitch(baud: rate.rawValue)
        case .manufacturerSpecific:
            return .manufacturerSpecific(ci: ci, data: Array(data))
        default:
            return .uninterpreted(ci: ci, data: Array(data))
        }
    }

    /// The CI field that carries this content (mode 1 unless the content says mode 2).
    public var ci: UInt8 {
        switch self {
        case let .variableData(v):
            switch v.header {
            case .long: return v.msbFirst ? 0x76 : 0x72
            case .short: return 0x7A
            case .none: return 0x78
            }
        case let .fixedData(f): return f.msbFirst ? 0x77 : 0x73
        case .applicationError: return 0x70
        case .alarm: return 0x71
        case let .dataSend(v): return v.msbFirst ? 0x55 : 0x51
        case let .selection(s): return s.msbFirst ? 0x56 : 0x52
        case .applicationReset: return 0x50
        case .synchronizeAction: return 0x54
        case let .baudRateSwitch(baud): return 0xB8 + UInt8(Self.baudRates.firstIndex(of: baud) ?? 3)
        case let .manufacturerSpecific(ci, _), let .uninterpreted(ci, _): return ci
        }
    }

    /// The bytes after the CI field. Nil when a record's value does not fit its coding.
    public func encoded() -> [UInt8]? {
        switch self {
        case let .variableData(v), let .dataSend(v): return v.encoded()
        case let .fixedData(f): return f.encoded()
        case let .applicationError(e): return e.encoded()
        case let .alarm(status): return status
        case let .selection(s): return s.encoded()
        case let .applicationReset(subcode): return subcode.map { [$0] } ?? []
        case let .synchronizeAction(data): return data
        case .baudRateSwitch: return []
        case let .manufacturerSpecific(_, data), let .uninterpreted(_, data): return data
        }
    }
}

/// The body of a selection (CI 52/56): identification, manufacturer, version, medium; F nibbles are
/// wildcards (fact sheet §1.8). Bytes after the 8-byte address are kept.
public struct SelectionRequest: Sendable, Equatable {
    /// Identification number digits (F nibbles are wildcards).
    public var identification: BCDNumber
    /// Manufacturer bytes as a 16-bit value (FFFF = any).
    public var manufacturer: UInt16
    /// Version (FF = any).
    public var version: UInt8
    /// Medium (FF = any).
    public var medium: UInt8
    /// Bytes after the address (e.g. a readout selection), kept raw.
    public var extra: [UInt8]
    /// CI 56: fields sent high byte first.
    public var msbFirst: Bool

    /// Creates a request.
    public init(identification: BCDNumber, manufacturer: UInt16 = 0xFFFF, version: UInt8 = 0xFF,
                medium: UInt8 = 0xFF, extra: [UInt8] = [], msbFirst: Bool = false) {
        self.identification = identification
        self.manufacturer = manufacturer
        self.version = version
        self.medium = medium
        self.extra = extra
        self.msbFirst = msbFirst
    }

    static func decode(_ data: ArraySlice<UInt8>, msbFirst: Bool, origin: Int) throws(MeterBusError) -> SelectionRequest {
        var c = ByteCursor(data)
        do {
            var id = Array(try c.readBytes(4))
            var man = Array(try c.readBytes(2))
            let version = try c.readByte()
            let medium = try c.readByte()
            if msbFirst { id.reverse(); man.reverse() }
            return SelectionRequest(identification: BCDNumber(bytes: id), manufacturer: UInt16(man[0]) | UInt16(man[1]) << 8,
                                    version: version, medium: medium, extra: Array(c.readRest()), msbFirst: msbFirst)
        } catch {
            throw .truncated(error, origin: origin, reading: "secondary address of a selection (8 bytes)")
        }
    }

    func encoded() -> [UInt8] {
        var id = identification.bytes
        var man = [UInt8(manufacturer & 0xFF), UInt8(manufacturer >> 8)]
        if msbFirst { id.reverse(); man.reverse() }
        return id + man + [version, medium] + extra
    }
}
