import CodecSupport

/// GET-Request (`C0`) — Green Book 9.3.6, fact sheet §5.8.
public enum GetRequest: Sendable, Hashable {
    /// [1] Get-Request-Normal: one attribute, optional selective access.
    case normal(InvokeIDAndPriority, AttributeDescriptorWithSelection)
    /// [2] Get-Request-Next: acknowledges block `blockNumber` and asks for the next.
    case next(InvokeIDAndPriority, blockNumber: UInt32)
    /// [3] Get-Request-With-List: several attributes.
    case withList(InvokeIDAndPriority, [AttributeDescriptorWithSelection])

    /// The invoke-id-and-priority byte.
    public var invokeIDAndPriority: InvokeIDAndPriority {
        switch self {
        case let .normal(i, _), let .next(i, _), let .withList(i, _): i
        }
    }

    /// The standard's name of the variant (`normal`, `next`, `with-list`).
    public var variantName: String {
        switch self {
        case .normal: "normal"
        case .next: "next"
        case .withList: "with-list"
        }
    }

    static func decode(from r: inout AXDRReader) throws(DLMSError) -> GetRequest {
        let start = r.offset
        let choice = try r.readChoiceTag("GET-Request choice")
        guard (1...3).contains(choice) else {
            throw DLMSError(.unknownTag, at: start, "GET-Request choice \(choice) is not 1 (normal), 2 (next) or 3 (with-list)")
        }
        let invoke = InvokeIDAndPriority(rawValue: try r.readByte("invoke-id-and-priority"))
        switch choice {
        case 1: return .normal(invoke, try AttributeDescriptorWithSelection.decode(from: &r))
        case 2: return .next(invoke, blockNumber: try r.readUInt32())
        default:
            return .withList(invoke, try readList(&r, "attribute-descriptor-list", minimumItemSize: AttributeDescriptorWithSelection.minimumSize) {
                (r: inout AXDRReader) throws(DLMSError) in try AttributeDescriptorWithSelection.decode(from: &r)
            })
        }
    }

    func encode(into w: inout AXDRWriter) {
        switch self {
        case let .normal(i, d): w.append(1); w.append(i.rawValue); d.encode(into: &w)
        case let .next(i, n): w.append(2); w.append(i.rawValue); w.appendUInt32(n)
        case let .withList(i, l): w.append(3); w.append(i.rawValue); writeList(&w, l) { w, d in d.encode(into: &w) }
        }
    }

    var jsonMembers: [(String, JSONValue)] {
        var m: [(String, JSONValue)] = [("type", .string(variantName))] + invokeIDAndPriority.jsonMembers
        switch self {
        case let .normal(_, d):
            if case let .object(members) = d.json { m += members }
        case let .next(_, n): m.append(("block_number", .uint(UInt64(n))))
        case let .withList(_, l): m.append(("items", .array(l.map(\.json))))
        }
        return m
    }
}

/// GET-Response (`C4`) — Green Book 9.3.6, fact sheet §5.8.
public enum GetResponse: Sendable, Hashable {
    /// [1] Get-Response-Normal: the value or a Data-Access-Result.
    case normal(InvokeIDAndPriority, GetDataResult)
    /// [2] Get-Response-With-Datablock: one block of a long value.
    case withDatablock(InvokeIDAndPriority, DataBlockG)
    /// [3] Get-Response-With-List: one result per requested attribute.
    case withList(InvokeIDAndPriority, [GetDataResult])

    /// The invoke-id-and-priority byte.
    public var invokeIDAndPriority: InvokeIDAndPriority {
        switch self {
        case let .normal(i, _), let .withDatablock(i, _), let .withList(i, _): i
        }
    }

    /// The standard's name of the variant (`normal`, `with-datablock`, `with-list`).
    public var variantName: String {
        switch self {
        case .normal: "normal"
        case .withDatablock: "with-datablock"
        case .withList: "with-list"
        }
    }

    static func decode(from r: inout AXDRReader) throws(DLMSError) -> GetResponse {
        let start = r.offset
        let choice = try r.readChoiceTag("GET-Response choice")
        guard (1...3).contains(choice) else {
            throw DLMSError(.unknownTag, at: start, "GET-Response choice \(choice) is not 1 (normal), 2 (with-datablock) or 3 (with-list)")
        }
        let invoke = InvokeIDAndPriority(rawValue: try r.readByte("invoke-id-and-priority"))
        switch choice {
        case 1: return .normal(invoke, try GetDataResult.decode(from: &r))
        case 2: return .withDatablock(invoke, try DataBlockG.decode(from: &r))
        default:
            return .withList(invoke, try readList(&r, "result", minimumItemSize: 2) {
                (r: inout AXDRReader) throws(DLMSError) in try GetDataResult.decode(from: &r)
            })
        }
    }

    func encode(into w: inout AXDRWriter) {
        switch self {
        case let .normal(i, d): w.append(1); w.append(i.rawValue); d.encode(into: &w)
        case let .withDatablock(i, b): w.append(2); w.append(i.rawValue); b.encode(into: &w)
        case let .withList(i, l): w.append(3); w.append(i.rawValue); writeList(&w, l) { w, d in d.encode(into: &w) }
        }
    }

    var jsonMembers: [(String, JSONValue)] {
        var m: [(String, JSONValue)] = [("type", .string(variantName))] + invokeIDAndPriority.jsonMembers
        switch self {
        case let .normal(_, d):
            if case let .object(members) = d.json { m += members }
        case let .withDatablock(_, b): m += b.jsonMembers
        case let .withList(_, l): m.append(("items", .array(l.map(\.json))))
        }
        return m
    }
}
