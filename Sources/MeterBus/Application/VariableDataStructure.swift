import CodecSupport

/// The variable data structure: an optional header, data records, and manufacturer data
/// (EN 13757-3; CI 72, 76 with a long header, 7A with a short header, 78 and 51 without).
public struct VariableDataStructure: Sendable, Equatable {
    /// Which header precedes the records.
    public enum Header: Sendable, Equatable {
        case none
        case short(ShortHeader)
        case long(LongHeader)
    }

    /// The header.
    public var header: Header
    /// True for mode 2 (CI 76): multi-byte fields are sent high byte first.
    public var msbFirst: Bool
    /// The data records in order.
    public var records: [DataRecord]
    /// The idle fillers (DIF 2F) and global readout requests (DIF 7F) standing before each record, in
    /// order; one more entry for those after the last record. Kept so that encoding reproduces them.
    public var markersBefore: [[UInt8]]
    /// Bytes after DIF 0F/1F, kept raw (manufacturer specific); nil when there is no such DIF.
    public var manufacturerData: ArraySlice<UInt8>?
    /// DIF 1F: more records follow in the next telegram (the master repolls with FCB toggled).
    public var moreRecordsFollow: Bool
    /// DIF 7F (master to slave): a global readout request is present.
    public var globalReadoutRequest: Bool { markersBefore.contains { $0.contains(0x7F) } }
    /// Number of idle fillers (DIF 2F).
    public var idleFillerCount: Int { markersBefore.reduce(0) { $0 + $1.count { $0 == 0x2F } } }

    /// Creates a structure.
    public init(header: Header, msbFirst: Bool = false, records: [DataRecord],
                manufacturerData: ArraySlice<UInt8>? = nil, moreRecordsFollow: Bool = false) {
        self.header = header
        self.msbFirst = msbFirst
        self.records = records
        self.markersBefore = Array(repeating: [], count: records.count + 1)
        self.manufacturerData = manufacturerData
        self.moreRecordsFollow = moreRecordsFollow
    }

    /// The access number of the header, if it has one.
    public var accessNumber: UInt8? {
        switch header {
        case .none: return nil
        case let .short(h): return h.accessNumber
        case let .long(h): return h.accessNumber
        }
    }

    /// Decodes the bytes after the CI field. `origin` is the buffer index of the frame's first byte,
    /// so errors name offsets in the frame.
    public static func decode(_ data: ArraySlice<UInt8>, header kind: HeaderKind, msbFirst: Bool = false,
                              origin: Int? = nil) throws(MeterBusError) -> VariableDataStructure {
        let origin = origin ?? data.startIndex
        var c = ByteCursor(data)
        let header: Header
        switch kind {
        case .none: header = .none
        case .short: header = .short(try ShortHeader.decode(&c, origin: origin))
        case .long: header = .long(try LongHeader.decode(&c, origin: origin, msbFirst: msbFirst))
        }
        var result = VariableDataStructure(header: header, msbFirst: msbFirst, records: [])
        result.markersBefore = [[]]
        result.records.reserveCapacity(c.remaining / 4)
        while let dif = c.peek() {
            let start = c.position
            switch dif {
            case 0x2F, 0x7F:
                // Idle filler, or global readout request (exmbus alone defines 7F; jMBus throws): kept in place.
                c.skipByte()
                result.markersBefore[result.records.count].append(dif)
                continue
            case 0x0F, 0x1F:
                c.skipByte()
                result.moreRecordsFollow = dif == 0x1F
                result.manufacturerData = c.readRest()
                return result
            case 0x3F, 0x4F, 0x5F, 0x6F:
                throw MeterBusError(.invalidDIF, at: start - origin,
                                    "reserved special-function DIF 0x\(hex(dif))")
            default:
                break
            }
            let dib = try DataInformationBlock.decode(&c, origin: origin)
            if dib.coding == .specialFunction {
                throw MeterBusError(.invalidDIF, at: start - origin,
                                    "special-function data field in DIF 0x\(hex(dif)) with DIFEs")
            }
            let record = try DataRecord.decode(&c, dib: dib, start: start, origin: origin, msbFirst: msbFirst)
            result.records.append(record)
            result.markersBefore.append([])
        }
        return result
    }

    /// Which header a CI field implies.
    public enum HeaderKind: Sendable, Equatable {
        case none, short, long
    }

    /// The bytes after the CI field. Nil when a record's value does not fit its coding.
    public func encoded() -> [UInt8]? {
        var out: [UInt8] = []
        switch header {
        case .none: break
        case let .short(h): out += h.encoded()
        case let .long(h): out += h.encoded(msbFirst: msbFirst)
        }
        for (i, record) in records.enumerated() {
            if i < markersBefore.count { out += markersBefore[i] }
            guard let bytes = record.encoded(msbFirst: msbFirst) else { return nil }
            out += bytes
        }
        if markersBefore.count > records.count { out += markersBefore[records.count] }
        if let m = manufacturerData {
            out.append(moreRecordsFollow ? 0x1F : 0x0F)
            out += m
        } else if moreRecordsFollow {
            out.append(0x1F)
        }
        return out
    }
}

extension ByteCursor {
    /// Skips one byte the caller has already peeked.
    mutating func skipByte() { _ = try? readByte() }
}
