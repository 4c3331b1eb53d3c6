import CodecSupport

/// ACTION-Request (`C3`) — Green Book 9.3.8, fact sheet §5.8.
public enum ActionRequest: Sendable, Hashable {
    /// [1] Action-Request-Normal: one method, optional invocation parameters.
    case normal(InvokeIDAndPriority, CosemMethodDescriptor, parameters: COSEMData?)
    /// [2] Action-Request-Next-Pblock: block `blockNumber` of the response received, send the next.
    case nextPblock(InvokeIDAndPriority, blockNumber: UInt32)
    /// [3] Action-Request-With-List: several methods, then their parameters.
    case withList(InvokeIDAndPriority, [CosemMethodDescriptor], parameters: [COSEMData])
    /// [4] Action-Request-With-First-Pblock: one method, first block of its parameters.
    case withFirstPblock(InvokeIDAndPriority, CosemMethodDescriptor, DataBlockSA)
    /// [5] Action-Request-With-List-And-First-Pblock.
    case withListAndFirstPblock(InvokeIDAndPriority, [CosemMethodDescriptor], DataBlockSA)
    /// [6] Action-Request-With-Pblock: a following block of parameters.
    case withPblock(InvokeIDAndPriority, DataBlockSA)

    /// The invoke-id-and-priority byte.
    public var invokeIDAndPriority: InvokeIDAndPriority {
        switch self {
        case let .normal(i, _, _), let .nextPblock(i, _), let .withList(i, _, _),
             let .withFirstPblock(i, _, _), let .withListAndFirstPblock(i, _, _), let .withPblock(i, _): i
        }
    }

    /// The standard's name of the variant.
    public var variantName: String {
        switch self {
        case .normal: "normal"
        case .nextPblock: "next-pblock"
        case .withList: "with-list"
        case .withFirstPblock: "with-first-pblock"
        case .withListAndFirstPblock: "with-list-and-first-pblock"
        case .withPblock: "with-pblock"
        }
    }

    static func decode(from r: inout AXDRReader) throws(DLMSError) -> ActionRequest {
        let start = r.offset
        let choice = try r.readChoiceTag("ACTION-Request choice")
        guard (1...6).contains(choice) else {
            throw DLMSError(.unknownTag, at: start, "ACTION-Request choice \(choice) is not 1…6")
        }
        let invoke = InvokeIDAndPriority(rawValue: try r.readByte("invoke-id-and-priority"))
        func methods(_ r: inout AXDRReader) throws(DLMSError) -> [CosemMethodDescriptor] {
            try readList(&r, "method-descriptor-list", minimumItemSize: 9) {
                (r: inout AXDRReader) throws(DLMSError) in try CosemMethodDescriptor.decode(from: &r)
            }
        }
        switch choice {
        case 1:
            let m = try CosemMethodDescriptor.decode(from: &r)
            let p = try r.readOptional("method-invocation-parameters flag") { (r: inout AXDRReader) throws(DLMSError) in
                try COSEMData.decode(from: &r)
            }
            return .normal(invoke, m, parameters: p)
        case 2: return .nextPblock(invoke, blockNumber: try r.readUInt32())
        case 3:
            let l = try methods(&r)
            return .withList(invoke, l, parameters: try readList(&r, "method-invocation-parameters", minimumItemSize: 1) {
                (r: inout AXDRReader) throws(DLMSError) in try COSEMData.decode(from: &r)
            })
        case 4:
            let m = try CosemMethodDescriptor.decode(from: &r)
            return .withFirstPblock(invoke, m, try DataBlockSA.decode(from: &r))
        case 5:
            let l = try methods(&r)
            return .withListAndFirstPblock(invoke, l, try DataBlockSA.decode(from: &r))
        default: return .withPblock(invoke, try DataBlockSA.decode(from: &r))
        }
    }

    func encode(into w: inout AXDRWriter) {
        switch self {
        case let .normal(i, m, p):
            w.append(1); w.append(i.rawValue); m.encode(into: &w)
            w.appendOptional(p) { w, d in d.encode(into: &w) }
        case let .nextPblock(i, n): w.append(2); w.append(i.rawValue); w.appendUInt32(n)
        case let .withList(i, l, p):
            w.append(3); w.append(i.rawValue)
            writeList(&w, l) { w, m in m.encode(into: &w) }
            writeList(&w, p) { w, d in d.encode(into: &w) }
        case let .withFirstPblock(i, m, b): w.append(4); w.append(i.rawValue); m.encode(into: &w); b.encode(into: &w)
        case let .withListAndFirstPblock(i, l, b):
            w.append(5); w.append(i.rawValue)
            writeList(&w, l) { w, m in m.encode(into: &w) }
            b.encode(into: &w)
        case let .withPblock(i, b): w.append(6); w.append(i.rawValue); b.encode(into: &w)
        }
    }

    var jsonMembers: [(String, JSONValue)] {
        var m: [(String, JSONValue)] = [("type", .string(variantName))] + invokeIDAndPriority.jsonMembers
        switch self {
        case let .normal(_, d, p):
            if case let .object(members) = d.json { m += members }
            if let p { m.append(("data", p.json)) }
        case let .nextPblock(_, n): m.append(("block_number", .uint(UInt64(n))))
        case let .withList(_, l, p):
            m.append(("items", .array(l.map(\.json))))
            m.append(("values", .array(p.map(\.json))))
        case let .withFirstPblock(_, d, b):
            if case let .object(members) = d.json { m += members }
            m += b.jsonMembers
        case let .withListAndFirstPblock(_, l, b):
            m.append(("items", .array(l.map(\.json))))
            m += b.jsonMembers
        case let .withPblock(_, b): m += b.jsonMembers
        }
        return m
    }
}

/// ACTION-Response (`C7`) — Green Book 9.3.8, fact sheet §5.8.
public enum ActionResponse: Sendable, Hashable {
    /// [1] Action-Response-Normal: Action-Result and optional return parameters.
    case normal(InvokeIDAndPriority, ActionResponseWithOptionalData)
    /// [2] Action-Response-With-Pblock: one block of the return parameters.
    case withPblock(InvokeIDAndPriority, DataBlockSA)
    /// [3] Action-Response-With-List: one item per invoked method.
    case withList(InvokeIDAndPriority, [ActionResponseWithOptionalData])
    /// [4] Action-Response-Next-Pblock: block `blockNumber` of the parameters received, send the next.
    case nextPblock(InvokeIDAndPriority, blockNumber: UInt32)

    /// The invoke-id-and-priority byte.
    public var invokeIDAndPriority: InvokeIDAndPriority {
        switch self {
        case let .normal(i, _), let .withPblock(i, _), let .withList(i, _), let .nextPblock(i, _): i
        }
    }

    /// The standard's name of the variant.
    public var variantName: String {
        switch self {
        case .normal: "normal"
        case .withPblock: "with-pblock"
        case .withList: "with-list"
        case .nextPblock: "next-pblock"
        }
    }

    static func decode(from r: inout AXDRReader) throws(DLMSError) -> ActionResponse {
        let start = r.offset
        let choice = try r.readChoiceTag("ACTION-Response choice")
        guard (1...4).contains(choice) else {
            throw DLMSError(.unknownTag, at: start, "ACTION-Response choice \(choice) is not 1…4")
        }
        let invoke = InvokeIDAndPriority(rawValue: try r.readByte("invoke-id-and-priority"))
        switch choice {
        case 1: return .normal(invoke, try ActionResponseWithOptionalData.decode(from: &r))
        case 2: return .withPblock(invoke, try DataBlockSA.decode(from: &r))
        case 3:
            return .withList(invoke, try readList(&r, "action-response-list", minimumItemSize: 2) {
                (r: inout AXDRReader) throws(DLMSError) in try ActionResponseWithOptionalData.decode(from: &r)
            })
        default: return .nextPblock(invoke, blockNumber: try r.readUInt32())
        }
    }

    func encode(into w: inout AXDRWriter) {
        switch self {
        case let .normal(i, a): w.append(1); w.append(i.rawValue); a.encode(into: &w)
        case let .withPblock(i, b): w.append(2); w.append(i.rawValue); b.encode(into: &w)
        case let .withList(i, l): w.append(3); w.append(i.rawValue); writeList(&w, l) { w, a in a.encode(into: &w) }
        case let .nextPblock(i, n): w.append(4); w.append(i.rawValue); w.appendUInt32(n)
        }
    }

    var jsonMembers: [(String, JSONValue)] {
        var m: [(String, JSONValue)] = [("type", .string(variantName))] + invokeIDAndPriority.jsonMembers
        switch self {
        case let .normal(_, a):
            if case let .object(members) = a.json { m += members }
        case let .withPblock(_, b): m += b.jsonMembers
        case let .withList(_, l): m.append(("items", .array(l.map(\.json))))
        case let .nextPblock(_, n): m.append(("block_number", .uint(UInt64(n))))
        }
        return m
    }
}
