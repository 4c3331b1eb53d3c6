// Decoders for structures that recur in COSEM attribute values (fact sheet §8.4, §8.5, §8.3 IC 7).

private func defect(_ reason: String) -> DLMSError { DLMSError(.invalidValue, at: 0, reason) }

private func elements(_ data: COSEMData, _ count: Int, _ what: String) throws(DLMSError) -> [COSEMData] {
    guard case let .structure(items) = data else { throw defect("\(what) is a structure, got \(data.type.name)") }
    guard items.count == count else { throw defect("\(what) has \(count) elements, got \(items.count)") }
    return items
}

private func items(_ data: COSEMData, _ what: String) throws(DLMSError) -> [COSEMData] {
    guard case let .array(items) = data else { throw defect("\(what) is an array, got \(data.type.name)") }
    return items
}

/// scaler_unit = structure{integer scaler, enum unit} (fact sheet §8.5).
public struct ScalerUnit: Sendable, Hashable, CustomStringConvertible {
    /// Power of ten applied to the raw value.
    public var scaler: Int8
    /// The unit.
    public var unit: COSEMUnit

    /// Creates a scaler_unit.
    public init(scaler: Int8, unit: COSEMUnit) {
        self.scaler = scaler
        self.unit = unit
    }

    /// Decodes `structure{integer, enum}`.
    public init(data: COSEMData) throws(DLMSError) {
        let e = try elements(data, 2, "scaler_unit")
        guard case let .integer(s) = e[0] else { throw defect("scaler_unit scaler is an integer, got \(e[0].type.name)") }
        guard case let .enumerated(u) = e[1] else { throw defect("scaler_unit unit is an enum, got \(e[1].type.name)") }
        self.init(scaler: s, unit: COSEMUnit(rawValue: u))
    }

    /// The encoded form, `structure{integer, enum}`.
    public var data: COSEMData { .structure([.integer(scaler), .enumerated(unit.rawValue)]) }

    /// The unit's name in words, or nil for a unit no source defines.
    public var unitName: String? { unit.name }

    /// `raw × 10^scaler`.
    public func physicalValue(_ raw: Double) -> Double {
        var result = raw
        if scaler >= 0 { for _ in 0..<Int(scaler) { result *= 10 } } else { for _ in 0..<Int(-Int(scaler)) { result /= 10 } }
        return result
    }

    /// `×10^-1 V`.
    public var description: String { "×10^\(scaler) \(unit)" }
}

/// capture_object_definition = structure{long-unsigned class_id, os(6) logical_name, integer
/// attribute_index, long-unsigned data_index} (Profile generic capture_objects, §8.3 IC 7).
public struct CaptureObjectDefinition: Sendable, Hashable, CustomStringConvertible {
    /// Class id of the captured object.
    public var classID: UInt16
    /// Its logical name.
    public var logicalName: OBISCode
    /// The captured attribute.
    public var attributeIndex: Int8
    /// Element index inside the attribute (0 = whole attribute).
    public var dataIndex: UInt16

    /// Creates a definition.
    public init(classID: UInt16, logicalName: OBISCode, attributeIndex: Int8, dataIndex: UInt16 = 0) {
        self.classID = classID
        self.logicalName = logicalName
        self.attributeIndex = attributeIndex
        self.dataIndex = dataIndex
    }

    /// Decodes one capture_object_definition.
    public init(data: COSEMData) throws(DLMSError) {
        let e = try elements(data, 4, "capture_object_definition")
        guard case let .longUnsigned(c) = e[0] else { throw defect("capture_object_definition class_id is long-unsigned, got \(e[0].type.name)") }
        let ln = try OBISCode(data: e[1])
        guard case let .integer(a) = e[2] else { throw defect("capture_object_definition attribute_index is integer, got \(e[2].type.name)") }
        guard case let .longUnsigned(d) = e[3] else { throw defect("capture_object_definition data_index is long-unsigned, got \(e[3].type.name)") }
        self.init(classID: c, logicalName: ln, attributeIndex: a, dataIndex: d)
    }

    /// Decodes a capture_objects array (Profile generic attribute 3).
    public static func decodeList(_ data: COSEMData) throws(DLMSError) -> [CaptureObjectDefinition] {
        var out: [CaptureObjectDefinition] = []
        for item in try items(data, "capture_objects") { out.append(try CaptureObjectDefinition(data: item)) }
        return out
    }

    /// The encoded structure.
    public var data: COSEMData {
        .structure([.longUnsigned(classID), logicalName.data, .integer(attributeIndex), .longUnsigned(dataIndex)])
    }

    /// `IC 8 0-0:1.0.0*255 attr 2 [0]`.
    public var description: String { "IC \(classID) \(logicalName) attr \(attributeIndex) [\(dataIndex)]" }
}

/// Attribute access_mode of an object_list entry (fact sheet §8.4; 0–3 in Association LN v0, 0–6 from v1).
public enum AttributeAccessMode: UInt8, Sendable, Hashable, CaseIterable {
    /// no_access.
    case noAccess = 0
    /// read_only.
    case readOnly = 1
    /// write_only.
    case writeOnly = 2
    /// read_and_write.
    case readAndWrite = 3
    /// authenticated_read_only (v1+).
    case authenticatedReadOnly = 4
    /// authenticated_write_only (v1+).
    case authenticatedWriteOnly = 5
    /// authenticated_read_and_write (v1+).
    case authenticatedReadAndWrite = 6

    /// The standard's name (`read_only`).
    public var name: String {
        switch self {
        case .noAccess: "no_access"
        case .readOnly: "read_only"
        case .writeOnly: "write_only"
        case .readAndWrite: "read_and_write"
        case .authenticatedReadOnly: "authenticated_read_only"
        case .authenticatedWriteOnly: "authenticated_write_only"
        case .authenticatedReadAndWrite: "authenticated_read_and_write"
        }
    }
}

/// Method access_mode of an object_list entry (§8.4): boolean in Association LN v0 (FALSE/TRUE
/// map to 0/1 here), enum 0–2 from v1.
public enum MethodAccessMode: UInt8, Sendable, Hashable, CaseIterable {
    /// no_access (v0 FALSE).
    case noAccess = 0
    /// access (v0 TRUE).
    case access = 1
    /// authenticated_access (v1+).
    case authenticatedAccess = 2

    /// The standard's name.
    public var name: String {
        switch self {
        case .noAccess: "no_access"
        case .access: "access"
        case .authenticatedAccess: "authenticated_access"
        }
    }
}

/// One attribute_access_item: structure{integer attribute_id, enum access_mode, access_selectors}.
public struct AttributeAccessItem: Sendable, Hashable {
    /// The attribute index.
    public var attributeID: Int8
    /// The access_mode as transmitted (Association LN v3 uses bit flags, UNCONFIRMED).
    public var rawAccessMode: UInt8
    /// Supported selective-access selectors, or nil when transmitted as null-data.
    public var selectors: [Int8]?

    /// The access mode for Association LN v0–v2, nil for values outside 0–6.
    public var accessMode: AttributeAccessMode? { AttributeAccessMode(rawValue: rawAccessMode) }
}

/// One method_access_item: structure{integer method_id, access_mode (boolean v0, enum v1+)}.
public struct MethodAccessItem: Sendable, Hashable {
    /// The method index.
    public var methodID: Int8
    /// The access_mode as transmitted (a v0 boolean gives 0 or 1).
    public var rawAccessMode: UInt8
    /// Whether it was transmitted as a boolean (Association LN v0).
    public var isBoolean: Bool

    /// The access mode, nil for values outside 0–2.
    public var accessMode: MethodAccessMode? { MethodAccessMode(rawValue: isBoolean ? min(rawAccessMode, 1) : rawAccessMode) }
}

/// One object_list_element of Association LN attribute 2 (fact sheet §8.4):
/// structure{long-unsigned class_id, unsigned version, os(6) logical_name, access_rights}.
public struct ObjectListElement: Sendable, Hashable, CustomStringConvertible {
    /// The object's class id.
    public var classID: UInt16
    /// The object's class version.
    public var version: UInt8
    /// The object's logical name.
    public var logicalName: OBISCode
    /// attribute_access_descriptor.
    public var attributeAccess: [AttributeAccessItem]
    /// method_access_descriptor.
    public var methodAccess: [MethodAccessItem]

    /// Decodes one element; method access_mode may be boolean or enum (either Association LN version).
    public init(data: COSEMData) throws(DLMSError) {
        let e = try elements(data, 4, "object_list_element")
        guard case let .longUnsigned(c) = e[0] else { throw defect("object_list_element class_id is long-unsigned, got \(e[0].type.name)") }
        guard case let .unsigned(v) = e[1] else { throw defect("object_list_element version is unsigned, got \(e[1].type.name)") }
        classID = c
        version = v
        logicalName = try OBISCode(data: e[2])
        let rights = try elements(e[3], 2, "access_rights")
        attributeAccess = []
        for item in try items(rights[0], "attribute_access_descriptor") {
            let f = try elements(item, 3, "attribute_access_item")
            guard case let .integer(id) = f[0] else { throw defect("attribute_id is integer, got \(f[0].type.name)") }
            guard case let .enumerated(mode) = f[1] else { throw defect("attribute access_mode is enum, got \(f[1].type.name)") }
            var selectors: [Int8]?
            switch f[2] {
            case .nullData: selectors = nil
            case let .array(list):
                var s: [Int8] = []
                for x in list {
                    guard case let .integer(n) = x else { throw defect("access_selectors are integers, got \(x.type.name)") }
                    s.append(n)
                }
                selectors = s
            default: throw defect("access_selectors are null-data or an array, got \(f[2].type.name)")
            }
            attributeAccess.append(AttributeAccessItem(attributeID: id, rawAccessMode: mode, selectors: selectors))
        }
        methodAccess = []
        for item in try items(rights[1], "method_access_descriptor") {
            let f = try elements(item, 2, "method_access_item")
            guard case let .integer(id) = f[0] else { throw defect("method_id is integer, got \(f[0].type.name)") }
            switch f[1] {
            case let .boolean(b): methodAccess.append(MethodAccessItem(methodID: id, rawAccessMode: b, isBoolean: true))
            case let .enumerated(m): methodAccess.append(MethodAccessItem(methodID: id, rawAccessMode: m, isBoolean: false))
            default: throw defect("method access_mode is boolean or enum, got \(f[1].type.name)")
            }
        }
    }

    /// Decodes a whole object_list (Association LN attribute 2).
    public static func decodeList(_ data: COSEMData) throws(DLMSError) -> [ObjectListElement] {
        var out: [ObjectListElement] = []
        for item in try items(data, "object_list") { out.append(try ObjectListElement(data: item)) }
        return out
    }

    /// The table entry for this object's class and version, or nil when the table does not know it.
    public var interfaceClass: InterfaceClass? { InterfaceClass.lookup(classID: classID, version: version) }

    /// Nil when the table knows the class at this version; otherwise why not
    /// (`unknown class 18` or `Clock (IC 8) version 3 not documented`).
    public var unknownReason: String? {
        if interfaceClass != nil { return nil }
        let known = InterfaceClass.versions(of: classID)
        guard let first = known.first else { return "unknown class \(classID) (\(logicalName))" }
        return "\(first.name) (IC \(classID)) version \(version) not documented (\(logicalName)); known: "
            + known.map { "v\($0.version)" }.joined(separator: ", ")
    }

    /// `IC 8 v0 0-0:1.0.0*255`.
    public var description: String { "IC \(classID) v\(version) \(logicalName)" }
}
