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
    /// Number of idle fillers (DIF 2F) before each record; one more entry for fillers after the last record.
    public var fillersBefore: [Int]
    /// Bytes after DIF 0F/1F, kept raw (manufacturer specific); nil when there is no such DIF.
    public var manufacturerData: ArraySlice<UInt8>?
    /// DIF 1F: more records follow in the next telegram (the master repolls with FCB toggled).
    public var moreRecordsFollow: Bool
    /// DIF 7F (master to slave): global readout request.
    public var globalReadoutRequest: Bool

    /// Creates a structure.
    public init(header: Header, msbFirst: Bool = false, records: [DataRecord],
                manufacturerData: ArraySlice<UInt8>? = nil, moreRecordsFollow: Bool = false) {
        self.header = header
        self.msbFirst = msbFirst
        self.records = records
        self.fillersBefore = Array(repeating: 0, count: records.count + 1)
        self.manufacturerData = manufacturerData
        self.moreRecordsFollow = moreRecordsFollow
        self.globalReadoutRequest = false
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
        result.fillersBefore = [0]
        result.records.reserveCapacity(c.remaining / 4)
        while let dif = c.peek() {
            let start = c.position
            switch dif {
            case 0x2F:
                c.skipByte()
                result.fillersBefore[result.records.count] += 1
                continue
            case 0x0F, 0x1F:
                c.skipByte()
                result.moreRecordsFollow = dif == 0x1F
                result.manufacturerData = c.readRest()
                return result
            case 0x7F:
                c.skipByte()
                result.globalReadoutRequest = true
                continue
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
            result.fillersBefore.append(0)
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
        if globalReadoutRequest { out.append(0x7F) }
        for (i, record) in records.enumerated() {
            let fillers = i < fillersBefore.count ? fillersBefore[i] : 0
            out += Array(repeating: 0x2F, count: fillers)
            guard let bytes = record.encoded(msbFirst: msbFirst) else { return nil }
            out += bytes
        }
        if fillersBefore.count > records.count {
            out += Array(repeating: 0x2F, count: fillersBefore[records.count])
        }
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
