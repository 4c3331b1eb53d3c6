import CodecSupport

/// Cosem-Attribute-Descriptor: class-id ‖ instance-id (OBIS) ‖ attribute-id — fact sheet §5.7.
public struct CosemAttributeDescriptor: Sendable, Hashable {
    /// Interface class (e.g. 8 = Clock).
    public var classID: UInt16
    /// Logical name of the object.
    public var instanceID: OBISCode
    /// Attribute index (Integer8; negative values are manufacturer specific).
    public var attributeID: Int8

    /// Creates a descriptor.
    public init(classID: UInt16, instanceID: OBISCode, attributeID: Int8) {
        self.classID = classID
        self.instanceID = instanceID
        self.attributeID = attributeID
    }

    static func decode(from r: inout AXDRReader) throws(DLMSError) -> CosemAttributeDescriptor {
        let classID = try r.readUInt16()
        let obis = try OBISCode(bytes: try r.readBytes(6, "instance-id"))
        return CosemAttributeDescriptor(classID: classID, instanceID: obis, attributeID: try r.readInt8())
    }

    func encode(into w: inout AXDRWriter) {
        w.appendUInt16(classID)
        w.append(contentsOf: instanceID.bytes)
        w.appendInt8(attributeID)
    }

    var jsonMembers: [(String, JSONValue)] {
        [("class_id", .uint(UInt64(classID))), ("obis", .string(instanceID.description)),
         ("attribute_id", .int(Int64(attributeID)))]
    }
}

/// Cosem-Method-Descriptor: class-id ‖ instance-id (OBIS) ‖ method-id — fact sheet §5.7.
public struct CosemMethodDescriptor: Sendable, Hashable {
    /// Interface class.
    public var classID: UInt16
    /// Logical name of the object.
    public var instanceID: OBISCode
    /// Method index (Integer8).
    public var methodID: Int8

    /// Creates a descriptor.
    public init(classID: UInt16, instanceID: OBISCode, methodID: Int8) {
        self.classID = classID
        self.instanceID = instanceID
        self.methodID = methodID
    }

    static func decode(from r: inout AXDRReader) throws(DLMSError) -> CosemMethodDescriptor {
        let classID = try r.readUInt16()
        let obis = try OBISCode(bytes: try r.readBytes(6, "instance-id"))
        return CosemMethodDescriptor(classID: classID, instanceID: obis, methodID: try r.readInt8())
    }

    func encode(into w: inout AXDRWriter) {
        w.appendUInt16(classID)
        w.append(contentsOf: instanceID.bytes)
        w.appendInt8(methodID)
    }

    var json: JSONValue {
        .object([("class_id", .uint(UInt64(classID))), ("obis", .string(instanceID.description)),
                 ("method_id", .int(Int64(methodID)))])
    }
}

/// Selective-Access-Descriptor: access-selector ‖ access-parameters (Data) — fact sheet §5.7, §8.6.
public struct SelectiveAccessDescriptor: Sendable, Hashable {
    /// 1 = range_descriptor, 2 = entry_descriptor for profile generic buffers; class specific.
    public var accessSelector: UInt8
    /// The selector's parameters.
    public var accessParameters: COSEMData

    /// Creates a descriptor.
    public init(accessSelector: UInt8, accessParameters: COSEMData) {
        self.accessSelector = accessSelector
        self.accessParameters = accessParameters
    }
}

/// Cosem-Attribute-Descriptor-With-Selection: descriptor ‖ access-selection OPTIONAL.
public struct AttributeDescriptorWithSelection: Sendable, Hashable {
    /// The attribute.
    public var descriptor: CosemAttributeDescriptor
    /// Selective access, when present.
    public var accessSelection: SelectiveAccessDescriptor?

    /// Creates a descriptor with optional selective access.
    public init(_ descriptor: CosemAttributeDescriptor, accessSelection: SelectiveAccessDescriptor? = nil) {
        self.descriptor = descriptor
        self.accessSelection = accessSelection
    }

    /// Minimum encoded size (9-byte descriptor and the OPTIONAL flag).
    static let minimumSize = 10

    static func decode(from r: inout AXDRReader) throws(DLMSError) -> AttributeDescriptorWithSelection {
        let d = try CosemAttributeDescriptor.decode(from: &r)
        let sel = try r.readOptional("access-selection flag") { (r: inout AXDRReader) throws(DLMSError) in
            let selector = try r.readUInt8()
            return SelectiveAccessDescriptor(accessSelector: selector, accessParameters: try COSEMData.decode(from: &r))
        }
        return AttributeDescriptorWithSelection(d, accessSelection: sel)
    }

    func encode(into w: inout AXDRWriter) {
        descriptor.encode(into: &w)
        w.appendOptional(accessSelection) { w, s in
            w.append(s.accessSelector)
            s.accessParameters.encode(into: &w)
        }
    }

    var json: JSONValue {
        var m = descriptor.jsonMembers
        if let s = accessSelection {
            m.append(("access_selector", .uint(UInt64(s.accessSelector))))
            m.append(("access_parameters", s.accessParameters.json))
        }
        return .object(m)
    }
}

/// Get-Data-Result: `00` ‖ Data, or `01` ‖ Data-Access-Result.
public enum GetDataResult: Sendable, Hashable {
    /// The attribute's value.
    case data(COSEMData)
    /// Why there is no value.
    case dataAccessResult(DataAccessResult)

    static func decode(from r: inout AXDRReader) throws(DLMSError) -> GetDataResult {
        let start = r.offset
        switch try r.readChoiceTag("Get-Data-Result choice") {
        case 0: return .data(try COSEMData.decode(from: &r))
        case 1: return .dataAccessResult(try readDataAccessResult(&r))
        case let c: throw DLMSError(.unknownTag, at: start, "Get-Data-Result choice \(c) is neither 0 (data) nor 1 (data-access-result)")
        }
    }

    func encode(into w: inout AXDRWriter) {
        switch self {
        case let .data(d): w.append(0); d.encode(into: &w)
        case let .dataAccessResult(e): w.append(1); w.append(e.rawValue)
        }
    }

    var json: JSONValue {
        switch self {
        case let .data(d): .object([("data", d.json)])
        case let .dataAccessResult(e): .object([("result", .string(e.name))])
        }
    }
}

/// DataBlock-G (GET block transfer): last-block ‖ block-number ‖ raw-data or Data-Access-Result — fact sheet §5.9.
public struct DataBlockG: Sendable, Hashable {
    /// The block's payload.
    public enum Result: Sendable, Hashable {
        /// A part of the encoded Data value.
        case rawData([UInt8])
        /// Why the block could not be delivered.
        case dataAccessResult(DataAccessResult)
    }

    /// True on the last block.
    public var lastBlock: Bool
    /// Block number, counting from 1.
    public var blockNumber: UInt32
    /// Raw data or an error.
    public var result: Result

    /// Creates a block.
    public init(lastBlock: Bool, blockNumber: UInt32, result: Result) {
        self.lastBlock = lastBlock
        self.blockNumber = blockNumber
        self.result = result
    }

    static func decode(from r: inout AXDRReader) throws(DLMSError) -> DataBlockG {
        let last = try readBoolean(&r, "last-block")
        let number = try r.readUInt32()
        let start = r.offset
        switch try r.readChoiceTag("DataBlock-G result choice") {
        case 0: return DataBlockG(lastBlock: last, blockNumber: number, result: .rawData(Array(try r.readOctetString("raw-data"))))
        case 1: return DataBlockG(lastBlock: last, blockNumber: number, result: .dataAccessResult(try readDataAccessResult(&r)))
        case let c: throw DLMSError(.unknownTag, at: start, "DataBlock-G result choice \(c) is neither 0 (raw-data) nor 1 (data-access-result)")
        }
    }

    func encode(into w: inout AXDRWriter) {
        w.append(lastBlock ? 1 : 0)
        w.appendUInt32(blockNumber)
        switch result {
        case let .rawData(b): w.append(0); w.appendOctetString(b)
        case let .dataAccessResult(e): w.append(1); w.append(e.rawValue)
        }
    }

    var jsonMembers: [(String, JSONValue)] {
        var m: [(String, JSONValue)] = [("last_block", .bool(lastBlock)), ("block_number", .uint(UInt64(blockNumber)))]
        switch result {
        case let .rawData(b): m.append(("raw_data", .string(HexText.format(b, separator: ""))))
        case let .dataAccessResult(e): m.append(("result", .string(e.name)))
        }
        return m
    }
}

/// DataBlock-SA (SET and ACTION block transfer): last-block ‖ block-number ‖ raw-data — fact sheet §5.9.
public struct DataBlockSA: Sendable, Hashable {
    /// True on the last block.
    public var lastBlock: Bool
    /// Block number, counting from 1.
    public var blockNumber: UInt32
    /// A part of the encoded Data value(s).
    public var rawData: [UInt8]

    /// Creates a block.
    public init(lastBlock: Bool, blockNumber: UInt32, rawData: [UInt8]) {
        self.lastBlock = lastBlock
        self.blockNumber = blockNumber
        self.rawData = rawData
    }

    static func decode(from r: inout AXDRReader) throws(DLMSError) -> DataBlockSA {
        let last = try readBoolean(&r, "last-block")
        let number = try r.readUInt32()
        return DataBlockSA(lastBlock: last, blockNumber: number, rawData: Array(try r.readOctetString("raw-data")))
    }

    func encode(into w: inout AXDRWriter) {
        w.append(lastBlock ? 1 : 0)
        w.appendUInt32(blockNumber)
        w.appendOctetString(rawData)
    }

    var jsonMembers: [(String, JSONValue)] {
        [("last_block", .bool(lastBlock)), ("block_number", .uint(UInt64(blockNumber))),
         ("raw_data", .string(HexText.format(rawData, separator: "")))]
    }
}

/// Action-Response-With-Optional-Data: Action-Result ‖ return-parameters OPTIONAL (Get-Data-Result).
public struct ActionResponseWithOptionalData: Sendable, Hashable {
    /// Outcome of the method invocation.
    public var result: ActionResult
    /// Data returned by the method, or why there is none.
    public var returnParameters: GetDataResult?

    /// Creates a response item.
    public init(result: ActionResult, returnParameters: GetDataResult? = nil) {
        self.result = result
        self.returnParameters = returnParameters
    }

    static func decode(from r: inout AXDRReader) throws(DLMSError) -> ActionResponseWithOptionalData {
        let start = r.offset
        let byte = try r.readByte("Action-Result")
        let result: ActionResult
        do { result = try ActionResult(byte: byte) } catch { throw error.shifted(by: start) }
        let ret = try r.readOptional("return-parameters flag") { (r: inout AXDRReader) throws(DLMSError) in
            try GetDataResult.decode(from: &r)
        }
        return ActionResponseWithOptionalData(result: result, returnParameters: ret)
    }

    func encode(into w: inout AXDRWriter) {
        w.append(result.rawValue)
        w.appendOptional(returnParameters) { w, p in p.encode(into: &w) }
    }

    var json: JSONValue {
        var m: [(String, JSONValue)] = [("result", .string(result.name))]
        if let p = returnParameters { m.append(("return_parameters", p.json)) }
        return .object(m)
    }
}

/// Reads a Data-Access-Result byte; undefined values are ``DLMSError/Code/unknownTag`` at their offset.
func readDataAccessResult(_ r: inout AXDRReader) throws(DLMSError) -> DataAccessResult {
    let start = r.offset
    let byte = try r.readByte("Data-Access-Result")
    do { return try DataAccessResult(byte: byte) } catch { throw error.shifted(by: start) }
}

/// Reads an A-XDR BOOLEAN; only `00` and `01` are accepted so that decoding is reversible.
func readBoolean(_ r: inout AXDRReader, _ what: String) throws(DLMSError) -> Bool {
    let start = r.offset
    switch try r.readByte(what) {
    case 0: return false
    case 1: return true
    case let b: throw DLMSError(.invalidValue, at: start, "\(what): BOOLEAN 0x\(axdrHex(b)) is neither 00 nor 01")
    }
}

/// Reads a count followed by `count` items of at least `minimumItemSize` bytes each.
func readList<T>(
    _ r: inout AXDRReader, _ what: String, minimumItemSize: Int,
    _ item: (inout AXDRReader) throws(DLMSError) -> T
) throws(DLMSError) -> [T] {
    let count = try r.readCount(what + " count", minimumItemSize: minimumItemSize)
    var out: [T] = []
    out.reserveCapacity(count)
    for _ in 0..<count { out.append(try item(&r)) }
    return out
}

/// Writes a count followed by the items.
func writeList<T>(_ w: inout AXDRWriter, _ items: [T], _ item: (inout AXDRWriter, T) -> Void) {
    w.appendLength(items.count)
    for i in items { item(&w, i) }
}
