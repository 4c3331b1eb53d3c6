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
    /// CI 52/56: selection of a slave by secondary address (wildcard nibbles F); bytes after the
    /// 8-byte address are kept in `extra`, and `msbFirst` marks CI 56 (fields high byte first).
    case selection(SecondaryAddress, extra: [UInt8], msbFirst: Bool)
    /// CI 50: application reset, with an optional subcode.
    case applicationReset(subcode: UInt8?)
    /// CI 54: synchronize action.
    case synchronizeAction(data: [UInt8])
    /// CI B8–BF: switch the slave to another baud rate.
    case baudRateSwitch(BaudRate)
    /// CI A0–B7: manufacturer specific; kept raw.
    case manufacturerSpecific(ci: UInt8, data: [UInt8])
    /// Any other CI: the link layer is valid but this codec does not interpret the content.
    case uninterpreted(ci: UInt8, data: [UInt8])

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
            guard data.count >= 8 else {
                throw MeterBusError(.truncated, at: data.endIndex - origin,
                                    "truncated secondary address of a selection: 8 bytes needed, \(data.count) present")
            }
            var address = Array(data.prefix(8))
            if mode == .mode2 { address[0..<4].reverse(); address[4..<6].reverse() }
            return .selection(try SecondaryAddress(wireBytes: address), extra: Array(data.dropFirst(8)), msbFirst: mode == .mode2)
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
            return .baudRateSwitch(rate)
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
        case let .selection(_, _, msbFirst): return msbFirst ? 0x56 : 0x52
        case .applicationReset: return 0x50
        case .synchronizeAction: return 0x54
        case let .baudRateSwitch(rate): return rate.ciCode
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
        case let .selection(address, extra, msbFirst):
            var bytes = address.wireBytes
            if msbFirst { bytes[0..<4].reverse(); bytes[4..<6].reverse() }
            return bytes + extra
        case let .applicationReset(subcode): return subcode.map { [$0] } ?? []
        case let .synchronizeAction(data): return data
        case .baudRateSwitch: return []
        case let .manufacturerSpecific(_, data), let .uninterpreted(_, data): return data
        }
    }
}
