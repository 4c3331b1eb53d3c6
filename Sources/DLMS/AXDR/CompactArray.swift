/// The contents-description of a compact-array: a COSEM type without values (fact sheet §6.3;
/// JD/WS ASN `TypeDescription`, WS `dlms_get_type_description_length`, GX `getCompactArray`).
public indirect enum TypeDescription: Sendable, Hashable {
    /// A simple type: its one-byte tag.
    case simple(COSEMDataType)
    /// `01` ‖ element count (Unsigned16) ‖ element description.
    case array(count: UInt16, element: TypeDescription)
    /// `02` ‖ A-XDR member count ‖ member descriptions.
    case structure([TypeDescription])

    /// The fewest content bytes one value of this type occupies (saturating).
    public var minimumSize: Int {
        switch self {
        case let .simple(t): t.fixedSize ?? 1
        case let .array(count, element): Int(count).multipliedReportingOverflow(by: element.minimumSize).overflow
            ? Int.max : Int(count) * element.minimumSize
        case let .structure(members): members.reduce(0) { $0 > Int.max - $1.minimumSize ? Int.max : $0 + $1.minimumSize }
        }
    }

    /// True when some part of the description occupies no bytes (null-data, dont-care, an empty
    /// structure, an array of 0): such contents cannot be split by byte length, so they are refused.
    public var hasEmptyPart: Bool {
        switch self {
        case let .simple(t): t.fixedSize == 0
        case let .array(count, element): count == 0 || element.hasEmptyPart
        case let .structure(members): members.isEmpty || members.contains { $0.hasEmptyPart }
        }
    }

    /// The encoded description.
    public var encoded: [UInt8] {
        var w = AXDRWriter()
        encode(into: &w)
        return w.bytes
    }

    func encode(into w: inout AXDRWriter) {
        switch self {
        case let .simple(t): w.append(t.rawValue)
        case let .array(count, element):
            w.append(COSEMDataType.array.rawValue)
            w.appendUInt16(count)
            element.encode(into: &w)
        case let .structure(members):
            w.append(COSEMDataType.structure.rawValue)
            w.appendLength(members.count)
            for m in members { m.encode(into: &w) }
        }
    }

    static func decode(_ r: inout AXDRReader, depth: Int) throws(DLMSError) -> TypeDescription {
        let start = r.offset
        guard depth < COSEMData.maximumDepth else {
            throw DLMSError(.tooDeep, at: start, "type description nested deeper than \(COSEMData.maximumDepth)")
        }
        let tag = try r.readByte("type description tag")
        guard let type = COSEMDataType(rawValue: tag) else {
            throw DLMSError(.unknownTag, at: start, "type description tag \(tag) is not a COSEM data type")
        }
        switch type {
        case .array:
            let count = try r.readUInt16()
            return .array(count: count, element: try decode(&r, depth: depth + 1))
        case .structure:
            let n = try r.readCount("structure description member count")
            var members: [TypeDescription] = []
            for _ in 0..<n { members.append(try decode(&r, depth: depth + 1)) }
            return .structure(members)
        case .compactArray:
            throw DLMSError(.unsupported, at: start, "a compact-array inside a contents-description")
        default:
            return .simple(type)
        }
    }

    /// True when `value` has this type (element counts included).
    public func describes(_ value: COSEMData) -> Bool {
        switch (self, value) {
        case let (.simple(t), v): t == v.type && t != .array && t != .structure && t != .compactArray
        case let (.array(count, element), .array(items)):
            items.count == Int(count) && items.allSatisfy { element.describes($0) }
        case let (.structure(members), .structure(items)):
            items.count == members.count && zip(members, items).allSatisfy { $0.describes($1) }
        default: false
        }
    }
}

/// A compact-array (tag 19): a contents-description and the values, sent without type tags
/// as one length-prefixed block (fact sheet §6.3; WS, GX).
public struct CompactArray: Sendable, Hashable {
    /// The type of every element.
    public let contentsDescription: TypeDescription
    /// The elements, each described by ``contentsDescription``.
    public let elements: [COSEMData]

    /// Checks that every element has the described type and that the description can be decoded back.
    public init(contentsDescription: TypeDescription, elements: [COSEMData]) throws(DLMSError) {
        guard !contentsDescription.hasEmptyPart else {
            throw DLMSError(.invalidValue, at: 0, "a compact-array description with a part that occupies no bytes")
        }
        for (i, e) in elements.enumerated() where !contentsDescription.describes(e) {
            throw DLMSError(.invalidValue, at: 0, "compact-array element \(i) does not match the contents-description")
        }
        self.contentsDescription = contentsDescription
        self.elements = elements
    }

    init(unchecked description: TypeDescription, elements: [COSEMData]) {
        contentsDescription = description
        self.elements = elements
    }
}
