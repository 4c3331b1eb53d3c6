import DLMS

/// The three clients of the reference server (``DLMSSimulatorIdentity``) and what each may see.
public enum COSEMClientRole: String, Sendable, Hashable, CaseIterable {
    /// Client 16: no authentication, read-only access to a public subset.
    case publicClient = "public"
    /// Client 32: LLS; reads every object except the secrets, writes nothing.
    case reader
    /// Client 1: HLS-GMAC with ciphering; reads and writes everything and may invoke every method.
    case manager
}

/// Which clients see an object in their object_list (and may address it at all).
enum COSEMVisibility {
    /// Every client.
    case all
    /// Reader and manager.
    case readerAndManager
    /// The manager only.
    case managerOnly

    func includes(_ role: COSEMClientRole) -> Bool {
        switch self {
        case .all: true
        case .readerAndManager: role != .publicClient
        case .managerOnly: role == .manager
        }
    }
}

/// The access policy of one object: visibility, what the public client may read, what the
/// manager may write. Reader reads all attributes but the `secret` ones; only the manager writes
/// and invokes methods.
struct COSEMAccessPolicy {
    var visibility: COSEMVisibility = .all
    /// Attributes the public client may read (nil = all).
    var publicReadable: Set<Int>? = nil
    /// Attributes nobody but the manager may read (keys, secrets).
    var managerReadableOnly: Set<Int> = []
    /// Attributes the manager may write.
    var writable: Set<Int> = []
    /// Attributes that support selective access, with their selectors.
    var selectors: [Int: [Int8]] = [:]
}

/// The outcome of reading an attribute.
enum COSEMGetOutcome {
    case value(COSEMData)
    case failure(DataAccessResult)
}

/// The outcome of invoking a method.
struct COSEMActionOutcome {
    var result: ActionResult
    var returnData: COSEMData? = nil

    static let success = COSEMActionOutcome(result: .success)
    static func failure(_ r: ActionResult) -> COSEMActionOutcome { COSEMActionOutcome(result: r) }
}

/// What an object sees of the request it answers.
struct COSEMCallContext {
    unowned let server: COSEMServer
    let association: COSEMServerAssociation
    var role: COSEMClientRole { association.role }
    var clock: SimulatedClock { server.configuration.clock }
}

/// One COSEM object of the reference server: class, version, logical name, attributes and methods.
class COSEMObject {
    let classID: UInt16
    let version: UInt8
    let logicalName: OBISCode
    let policy: COSEMAccessPolicy

    init(classID: UInt16, version: UInt8, logicalName: OBISCode, policy: COSEMAccessPolicy) {
        self.classID = classID
        self.version = version
        self.logicalName = logicalName
        self.policy = policy
    }

    /// The interface class definition the object's values must match.
    var interfaceClass: InterfaceClass? { InterfaceClass.lookup(classID: classID, version: version) }

    /// Number of attributes (from the catalog).
    var attributeCount: Int { interfaceClass?.attributes.count ?? 1 }
    /// Number of methods (from the catalog).
    var methodCount: Int { interfaceClass?.methods.count ?? 0 }

    /// The attribute access mode of `attribute` for `role` (fact sheet §8.4: 0 no access, 1 read, 3 read-write).
    func accessMode(_ attribute: Int, for role: COSEMClientRole) -> AttributeAccessMode {
        guard policy.visibility.includes(role), attribute >= 1, attribute <= attributeCount else { return .noAccess }
        switch role {
        case .publicClient:
            if let readable = policy.publicReadable, !readable.contains(attribute) { return .noAccess }
            return policy.managerReadableOnly.contains(attribute) ? .noAccess : .readOnly
        case .reader:
            return policy.managerReadableOnly.contains(attribute) ? .noAccess : .readOnly
        case .manager:
            return policy.writable.contains(attribute) ? .readAndWrite : .readOnly
        }
    }

    /// Whether `role` may invoke `method`.
    func methodAccess(_ method: Int, for role: COSEMClientRole) -> Bool {
        role == .manager && policy.visibility.includes(role) && method >= 1 && method <= methodCount
    }

    /// The value of `attribute` (1 = logical_name is answered here).
    func get(_ attribute: Int, selection: SelectiveAccessDescriptor?, in ctx: COSEMCallContext) -> COSEMGetOutcome {
        attribute == 1 ? .value(logicalName.data) : .failure(.objectUndefined)
    }

    /// Writes `attribute`; the value was already checked against the class definition.
    func set(_ attribute: Int, value: COSEMData, in ctx: COSEMCallContext) -> DataAccessResult {
        .readWriteDenied
    }

    /// Invokes `method`; the parameter was already checked against the class definition.
    func invoke(_ method: Int, parameter: COSEMData, in ctx: COSEMCallContext) -> COSEMActionOutcome {
        .failure(.objectUndefined)
    }
}

extension AttributeAccessMode {
    var allowsRead: Bool { self == .readOnly || self == .readAndWrite || self == .authenticatedReadOnly || self == .authenticatedReadAndWrite }
    var allowsWrite: Bool { self == .writeOnly || self == .readAndWrite || self == .authenticatedWriteOnly || self == .authenticatedReadAndWrite }
}
