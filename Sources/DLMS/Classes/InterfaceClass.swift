/// The declared data type of a COSEM attribute or method parameter (fact sheet §8.3 type column).
///
/// A small description language: enough to state what the fact sheet documents and to check a
/// received `COSEMData` against it. Nothing here checks value ranges, only types and shapes.
public indirect enum AttributeType: Sendable, Hashable, CustomStringConvertible {
    /// Any `Data` CHOICE (IC 1 value).
    case any
    /// A simple (non-array, non-structure) CHOICE, e.g. a register value.
    case simple
    /// Exactly this tag, any content.
    case type(COSEMDataType)
    /// An octet-string of exactly `n` bytes (`os(6)` logical name, `os(8)` system title).
    case octetString(Int)
    /// A date-time carried as octet-string of 12 bytes (the fact sheet's "dt os(12)").
    case dateTimeOctets
    /// Exactly this value (method parameters documented as `integer 0`).
    case value(COSEMData)
    /// A structure with exactly these elements, in this order.
    case structure([AttributeType])
    /// An array whose every element has this type.
    case array(AttributeType)
    /// Any one of these forms (used where sources disagree, each form is named by the fact sheet).
    case oneOf([AttributeType])
    /// The fact sheet leaves the type UNCONFIRMED or undocumented; any value is accepted.
    case unconfirmed(String)

    /// The logical_name type: octet-string(6).
    public static let logicalName = AttributeType.octetString(6)
    /// scaler_unit: structure{integer scaler, enum unit} (§8.5).
    public static let scalerUnit = AttributeType.structure([.type(.integer), .type(.enum)])
    /// capture_object_definition: structure{long-unsigned class_id, os(6) logical_name, integer attribute_index, long-unsigned data_index}.
    public static let captureObjectDefinition = AttributeType.structure([.type(.longUnsigned), .logicalName, .type(.integer), .type(.longUnsigned)])
    /// `integer 0`, the parameter of methods without a documented parameter.
    public static let integerZero = AttributeType.value(.integer(0))

    /// A readable description such as `structure{integer, enum}`.
    public var description: String {
        switch self {
        case .any: "any Data CHOICE"
        case .simple: "simple CHOICE"
        case let .type(t): t.name
        case let .octetString(n): "octet-string(\(n))"
        case .dateTimeOctets: "date-time octet-string(12)"
        case let .value(v): "\(v.type.name) \(v.integerValue.map(String.init) ?? "value")"
        case let .structure(e): "structure{" + e.map(\.description).joined(separator: ", ") + "}"
        case let .array(e): "array of " + e.description
        case let .oneOf(f): f.map(\.description).joined(separator: " | ")
        case let .unconfirmed(note): "UNCONFIRMED (\(note))"
        }
    }

    /// Whether the description accepts any value without checking (`.any`, `.unconfirmed`).
    public var isUnchecked: Bool {
        switch self {
        case .any, .unconfirmed: true
        default: false
        }
    }

    /// The differences between `value` and this type; empty when the value matches.
    /// `path` prefixes each message (e.g. `attribute 3[0]`).
    public func mismatches(_ value: COSEMData, path: String) -> [String] {
        func wrongTag(_ want: String) -> [String] { ["\(path): expected \(want), got \(value.type.name)"] }
        switch self {
        case .any, .unconfirmed:
            return []
        case .simple:
            switch value {
            case .array, .structure, .compactArray: return wrongTag("a simple type")
            default: return []
            }
        case let .type(t):
            return value.type == t ? [] : wrongTag(t.name)
        case let .octetString(n):
            guard case let .octetString(b) = value else { return wrongTag("octet-string(\(n))") }
            return b.count == n ? [] : ["\(path): expected octet-string of \(n) bytes, got \(b.count)"]
        case .dateTimeOctets:
            guard case let .octetString(b) = value else { return wrongTag("date-time octet-string(12)") }
            guard b.count == 12 else { return ["\(path): expected a 12-byte date-time octet-string, got \(b.count) bytes"] }
            do {
                let dt = try COSEMDateTime(bytes: b[...])
                return dt.isValid ? [] : ["\(path): date-time fields out of range"]
            } catch {
                return ["\(path): not a valid date-time: \(error.reason)"]
            }
        case let .value(v):
            return value == v ? [] : ["\(path): expected \(description), got \(value.type.name)\(value.integerValue.map { " \($0)" } ?? "")"]
        case let .structure(elements):
            guard case let .structure(items) = value else { return wrongTag("structure of \(elements.count)") }
            guard items.count == elements.count else {
                return ["\(path): expected a structure of \(elements.count) elements, got \(items.count)"]
            }
            return zip(elements, items).enumerated().flatMap { i, pair in pair.0.mismatches(pair.1, path: "\(path).\(i)") }
        case let .array(element):
            guard case let .array(items) = value else { return wrongTag("array") }
            return items.enumerated().flatMap { i, item in element.mismatches(item, path: "\(path)[\(i)]") }
        case let .oneOf(forms):
            var first: [String] = []
            for form in forms {
                let m = form.mismatches(value, path: path)
                if m.isEmpty { return [] }
                if first.isEmpty { first = m }
            }
            return ["\(path): matches none of \(description)"] + first
        }
    }
}

/// Static/dynamic classification of an attribute (fact sheet §8.3 "s/d", from SP's `Classifier`).
public enum AttributeClassification: String, Sendable, Hashable {
    /// Static (s).
    case `static`
    /// Dynamic (d).
    case dynamic
    /// Not specific (n/s).
    case notSpecific = "not specific"
    /// The fact sheet marks the classification UNCONFIRMED.
    case unconfirmed = "UNCONFIRMED"
}

/// One attribute of an interface class.
public struct AttributeDefinition: Sendable, Hashable {
    /// Attribute index (1 = logical_name).
    public let index: Int
    /// The attribute's name (`scaler_unit`).
    public let name: String
    /// The declared type.
    public let type: AttributeType
    /// Static or dynamic.
    public let classification: AttributeClassification
    /// First class version that has this attribute.
    public let sinceVersion: UInt8
    /// A source disagreement or caveat from the fact sheet (⚠), if any.
    public let note: String?

    /// Creates an attribute definition.
    public init(_ index: Int, _ name: String, _ type: AttributeType, _ classification: AttributeClassification,
                since sinceVersion: UInt8 = 0, note: String? = nil) {
        self.index = index
        self.name = name
        self.type = type
        self.classification = classification
        self.sinceVersion = sinceVersion
        self.note = note
    }
}

/// One method of an interface class.
public struct MethodDefinition: Sendable, Hashable {
    /// Method index.
    public let index: Int
    /// The method's name.
    public let name: String
    /// The declared parameter type.
    public let parameter: AttributeType
    /// First class version that has this method.
    public let sinceVersion: UInt8
    /// Whether the fact sheet marks this method as disputed or UNCONFIRMED (⚠).
    public let unconfirmed: Bool
    /// A source disagreement or caveat, if any.
    public let note: String?

    /// Creates a method definition.
    public init(_ index: Int, _ name: String, _ parameter: AttributeType = .integerZero, since sinceVersion: UInt8 = 0,
                unconfirmed: Bool = false, note: String? = nil) {
        self.index = index
        self.name = name
        self.parameter = parameter
        self.sinceVersion = sinceVersion
        self.unconfirmed = unconfirmed
        self.note = note
    }
}

/// A COSEM interface class at one version: its attributes and methods as the DLMS fact sheet
/// (§8.3) documents them. The table is `InterfaceClass.catalog`.
public struct InterfaceClass: Sendable, Hashable, CustomStringConvertible {
    /// The class id (IC number).
    public let classID: UInt16
    /// The class version.
    public let version: UInt8
    /// The class name (`Register`).
    public let name: String
    /// Attributes, ordered by index.
    public let attributes: [AttributeDefinition]
    /// Methods, ordered by index (empty when the class has none).
    public let methods: [MethodDefinition]

    /// Creates a class definition; attributes and methods newer than `version` are dropped.
    public init(classID: UInt16, version: UInt8, name: String, attributes: [AttributeDefinition], methods: [MethodDefinition] = []) {
        self.classID = classID
        self.version = version
        self.name = name
        self.attributes = attributes.filter { $0.sinceVersion <= version }
        self.methods = methods.filter { $0.sinceVersion <= version }
    }

    /// `Register (IC 3, v0)`.
    public var description: String { "\(name) (IC \(classID), v\(version))" }

    /// The attribute with this index, or nil.
    public func attribute(_ index: Int) -> AttributeDefinition? { attributes.first { $0.index == index } }

    /// The method with this index, or nil.
    public func method(_ index: Int) -> MethodDefinition? { methods.first { $0.index == index } }

    /// Whether `value` has the type this class declares for `attribute`: an empty list when it
    /// does, otherwise one message per defect. An attribute index the class does not have is a defect.
    public func check(attribute index: Int, value: COSEMData) -> [String] {
        guard let a = attribute(index) else {
            return ["\(self) has no attribute \(index)"]
        }
        return a.type.mismatches(value, path: "\(name) attribute \(index) \(a.name)")
    }

    /// Whether `parameter` has the type this class declares for method `index`.
    public func check(method index: Int, parameter: COSEMData) -> [String] {
        guard let m = method(index) else {
            return ["\(self) has no method \(index)"]
        }
        return m.parameter.mismatches(parameter, path: "\(name) method \(index) \(m.name) parameter")
    }

    /// The class with this id and version, or nil when the fact sheet documents no such pair.
    public static func lookup(classID: UInt16, version: UInt8) -> InterfaceClass? {
        catalog.first { $0.classID == classID && $0.version == version }
    }

    /// All documented versions of a class id, oldest first (empty for an unknown id).
    public static func versions(of classID: UInt16) -> [InterfaceClass] {
        catalog.filter { $0.classID == classID }
    }

    /// The class ids the table knows.
    public static var knownClassIDs: Set<UInt16> { Set(catalog.map(\.classID)) }
}
