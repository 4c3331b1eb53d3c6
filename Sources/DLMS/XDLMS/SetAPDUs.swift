import CodecSupport

/// SET-Request (`C1`) — Green Book 9.3.7, fact sheet §5.8.
public enum SetRequest: Sendable, Hashable {
    /// [1] Set-Request-Normal: one attribute and its new value.
    case normal(InvokeIDAndPriority, AttributeDescriptorWithSelection, value: COSEMData)
    /// [2] Set-Request-With-First-Datablock: one attribute, first block of its value.
    case withFirstDatablock(InvokeIDAndPriority, AttributeDescriptorWithSelection, DataBlockSA)
    /// [3] Set-Request-With-Datablock: a following block.
    case withDatablock(InvokeIDAndPriority, DataBlockSA)
    /// [4] Set-Request-With-List: several attributes, then their values.
    case withList(InvokeIDAndPriority, [AttributeDescriptorWithSelection], values: [COSEMData])
    /// [5] Set-Request-With-List-And-First-Datablock: several attributes, first block of their values.
    case withListAndFirstDatablock(InvokeIDAndPriority, [AttributeDescriptorWithSelection], DataBlockSA)

    /// The invoke-id-and-priority byte.
    public var invokeIDAndPriority: InvokeIDAndPriority {
        switch self {
        case let .normal(i, _, _), let .withFirstDatablock(i, _, _), let .withDatablock(i, _),
             let .withList(i, _, _), let .withListAndFirstDatablock(i, _, _): i
        }
    }

    /// The standard's name of the variant.
    public var variantName: String {
        switch self {
        case .normal: "normal"
        case .withFirstDatablock: "with-first-datablock"
        case .withDatablock: "with-datablock"
        case .withList: "with-list"
        case .withListAndFirstDatablock: "with-list-and-first-datablock"
        }
    }

    static func decode(from r: inout AXDRReader) throws(DLMSError) -> SetRequest {
        let start = r.offset
        let choice = try r.readChoiceTag("SET-Request choice")
        guard (1...5).contains(choice) else {
            throw DLMSError(.unknownTag, at: start, "SET-Request choice \(choice) is not 1…5")
        }
        let invoke = InvokeIDAndPriority(rawValue: try r.readByte("invoke-id-and-priority"))
        func descriptors(_ r: inout AXDRReader) throws(DLMSError) -> [AttributeDescriptorWithSelection] {
            try readList(&r, "attribute-descriptor-list", minimumItemSize: AttributeDescriptorWithSelection.minimumSize) {
                (r: inout AXDRReader) throws(DLMSError) in try AttributeDescriptorWithSelection.decode(from: &r)
            }
        }
        switch choice {
        case 1:
            let d = try AttributeDescriptorWithSelection.decode(from: &r)
            return .normal(invoke, d, value: try COSEMData.decode(from: &r))
        case 2:
            let d = try AttributeDescriptorWithSelection.decode(from: &r)
            return .withFirstDatablock(invoke, d, try DataBlockSA.decode(from: &r))
        case 3: return .withDatablock(invoke, try DataBlockSA.decode(from: &r))
        case 4:
            let l = try descriptors(&r)
            return .withList(invoke, l, values: try readList(&r, "value-list", minimumItemSize: 1) {
                (r: inout AXDRReader) throws(DLMSError) in try COSEMData.decode(from: &r)
            })
        default:
            let l = try descriptors(&r)
            return .withListAndFirstDatablock(invoke, l, try DataBlockSA.decode(from: &r))
        }
    }

    func encode(into w: inout AXDRWriter) {
        switch self {
        case let .normal(i, d, v): w.append(1); w.append(i.rawValue); d.encode(into: &w); v.encode(into: &w)
        case let .withFirstDatablock(i, d, b): w.append(2); w.append(i.rawValue); d.encode(into: &w); b.encode(into: &w)
        case let .withDatablock(i, b): w.append(3); w.append(i.rawValue); b.encode(into: &w)
        case let .withList(i, l, v):
            w.append(4); w.append(i.rawValue)
            writeList(&w, l) { w, d in d.encode(into: &w) }
            writeList(&w, v) { w, d in d.encode(into: &w) }
        case let .withListAndFirstDatablock(i, l, b):
            w.append(5); w.append(i.rawValue)
            writeList(&w, l) { w, d in d.encode(into: &w) }
            b.encode(into: &w)
        }
    }

    var jsonMembers: [(String, JSONValue)] {
        var m: [(String, JSONValue)] = [("type", .string(variantName))] + invokeIDAndPriority.jsonMembers
        switch self {
        case let .normal(_, d, v):
            if case let .object(members) = d.json { m += members }
            m.append(("data", v.json))
        case let .withFirstDatablock(_, d, b):
            if case let .object(members) = d.json { m += members }
            m += b.jsonMembers
        case let .withDatablock(_, b): m += b.jsonMembers
        case let .withList(_, l, v):
            m.append(("items", .array(l.map(\.json))))
            m.append(("values", .array(v.map(\.json))))
        case let .withListAndFirstDatablock(_, l, b):
            m.append(("items", .array(l.map(\.json))))
            m += b.jsonMembers
        }
        return m
    }
}

/// SET-Response (`C5`) — Green Book 9.3.7, fact sheet §5.8.
public enum SetResponse: Sendable, Hashable {
    /// [1] Set-Response-Normal.
    case normal(InvokeIDAndPriority, DataAccessResult)
    /// [2] Set-Response-Datablock: block `blockNumber` received, send the next.
    case datablock(InvokeIDAndPriority, blockNumber: UInt32)
    /// [3] Set-Response-Last-Datablock.
    case lastDatablock(InvokeIDAndPriority, DataAccessResult, blockNumber: UInt32)
    /// [4] Set-Response-Last-Datablock-With-List.
    case lastDatablockWithList(InvokeIDAndPriority, [DataAccessResult], blockNumber: UInt32)
    /// [5] Set-Response-With-List.
    case withList(InvokeIDAndPriority, [DataAccessResult])

    /// The invoke-id-and-priority byte.
    public var invokeIDAndPriority: InvokeIDAndPriority {
        switch self {
        case let .normal(i, _), let .datablock(i, _), let .lastDatablock(i, _, _),
             let .lastDatablockWithList(i, _, _), let .withList(i, _): i
        }
    }

    /// The standard's name of the variant.
    public var variantName: String {
        switch self {
        case .normal: "normal"
        case .datablock: "datablock"
        case .lastDatablock: "last-datablock"
        case .lastDatablockWithList: "last-datablock-with-list"
        case .withList: "with-list"
        }
    }

    static func decode(from r: inout AXDRReader) throws(DLMSError) -> SetResponse {
        let start = r.offset
        let choice = try r.readChoiceTag("SET-Response choice")
        guard (1...5).contains(choice) else {
            throw DLMSError(.unknownTag, at: start, "SET-Response choice \(choice) is not 1…5")
        }
        let invoke = InvokeIDAndPriority(rawValue: try r.readByte("invoke-id-and-priority"))
        func results(_ r: inout AXDRReader) throws(DLMSError) -> [DataAccessResult] {
            try readList(&r, "result", minimumItemSize: 1) { (r: inout AXDRReader) throws(DLMSError) in try readDataAccessResult(&r) }
        }
        switch choice {
        case 1: return .normal(invoke, try readDataAccessResult(&r))
        case 2: return .datablock(invoke, blockNumber: try r.readUInt32())
        case 3:
            let result = try readDataAccessResult(&r)
            return .lastDatablock(invoke, result, blockNumber: try r.readUInt32())
        case 4:
            let l = try results(&r)
            return .lastDatablockWithList(invoke, l, blockNumber: try r.readUInt32())
        default: return .withList(invoke, try results(&r))
        }
    }

    func encode(into w: inout AXDRWriter) {
        switch self {
        case let .normal(i, e): w.append(1); w.append(i.rawValue); w.append(e.rawValue)
        case let .datablock(i, n): w.append(2); w.append(i.rawValue); w.appendUInt32(n)
        case let .lastDatablock(i, e, n): w.append(3); w.append(i.rawValue); w.append(e.rawValue); w.appendUInt32(n)
        case let .lastDatablockWithList(i, l, n):
            w.append(4); w.append(i.rawValue)
            writeList(&w, l) { w, e in w.append(e.rawValue) }
            w.appendUInt32(n)
        case let .withList(i, l):
            w.append(5); w.append(i.rawValue)
            writeList(&w, l) { w, e in w.append(e.rawValue) }
        }
    }

    var jsonMembers: [(String, JSONValue)] {
        var m: [(String, JSONValue)] = [("type", .string(variantName))] + invokeIDAndPriority.jsonMembers
        switch self {
        case let .normal(_, e): m.append(("result", .string(e.name)))
        case let .datablock(_, n): m.append(("block_number", .uint(UInt64(n))))
        case let .lastDatablock(_, e, n):
            m.append(("result", .string(e.name)))
            m.append(("block_number", .uint(UInt64(n))))
        case let .lastDatablockWithList(_, l, n):
            m.append(("results", .array(l.map { .string($0.name) })))
            m.append(("block_number", .uint(UInt64(n))))
        case let .withList(_, l): m.append(("results", .array(l.map { .string($0.name) })))
        }
        return m
    }
}
