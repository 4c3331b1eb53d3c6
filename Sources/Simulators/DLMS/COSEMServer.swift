import DLMS

/// The reference meter's COSEM logical device (management logical device, LN referencing): it
/// takes complete APDUs per client SAP from a server link and returns the responses.
///
/// - Associations per client (``DLMSSimulatorIdentity``): public 16 (no security), reader 32
///   (LLS), manager 1 (HLS-GMAC, LN with ciphering; every xDLMS APDU glo-/ded-/general-ciphered
///   with SC 30). See ``COSEMServerAssociation``.
/// - Objects: ``objectList`` (OBIS codes and per-client access in the tests and the report).
/// - Services: GET/SET/ACTION normal, with-list and with blocks; DataNotification pushes
///   (``pushNotification(at:)``, ``pendingPushes``).
/// - Deterministic: the clock (``SimulatedClock``) and the HLS challenges depend on nothing else.
///
/// Never traps on input: every APDU is decoded by the DLMS codec and every failure becomes a
/// documented response or nothing.
public final class COSEMServer: DLMSLogicalDevice {
    /// Identity, faults and tunables.
    public let configuration: COSEMServerConfiguration
    /// The server's objects.
    let store: COSEMObjectStore
    /// Open associations by client SAP.
    var associations: [UInt16: COSEMServerAssociation] = [:]
    /// The server's invocation counter for the next ciphered APDU it sends (the value of 0.0.43.1.0.255).
    public internal(set) var serverInvocationCounter: UInt32 = 1
    /// The reader's LLS secret (Association LN attribute 7, writable by the manager).
    var readerPassword: [UInt8]
    /// Associations accepted so far; seeds the deterministic HLS challenge.
    var associationCount: UInt32 = 0
    /// The event code of the last event logged (0.0.96.11.0.255).
    var lastEventCode: UInt16 = EventCode.powerUp
    /// The standard event log: (local seconds, event code), oldest first, at most 100.
    var events: [(Int64, UInt16)]
    /// Active firmware identifier (1.0.0.2.0.255); changes when an image is activated.
    public internal(set) var activeFirmwareIdentifier: [UInt8] = Array(COSEMServer.initialFirmware.utf8)
    /// The running image (initially ``COSEMSimulatorImage/make(identifier:size:)`` of "MPR-FW-1.0.0", 1024 bytes).
    public internal(set) var activeImage: [UInt8] = COSEMSimulatorImage.make(identifier: COSEMServer.initialFirmware, size: 1024)
    /// Active firmware signature (1.0.0.2.8.255): the SHA-256 of the whole running image.
    public internal(set) var activeFirmwareSignature: [UInt8] = SimulatorSHA256.hash(
        COSEMSimulatorImage.make(identifier: COSEMServer.initialFirmware, size: 1024))
    static let initialFirmware = "MPR-FW-1.0.0"
    /// Pushes queued by ACTION push setup method 1 (push), oldest first; the sender drains it.
    public var pendingPushes: [COSEMPush] = []
    /// Long-invoke-id of the next DataNotification.
    var nextPushInvokeID: UInt32 = 1
    /// The push slot last served by ``pushNotification(at:)``.
    var lastPushSlot: Int64?

    /// A server with `configuration`.
    public init(configuration: COSEMServerConfiguration = COSEMServerConfiguration()) {
        self.configuration = configuration
        readerPassword = configuration.identity.password
        events = [(configuration.clock.startSeconds, EventCode.powerUp)]
        store = COSEMObjectStore(configuration: configuration)
    }

    /// A server for `identity` with `faults` (other settings default).
    public convenience init(identity: DLMSSimulatorIdentity = .default, faults: Set<DLMSFault>) {
        self.init(configuration: COSEMServerConfiguration(identity: identity, faults: faults))
    }

    /// The identity in use.
    public var identity: DLMSSimulatorIdentity { configuration.identity }

    /// The association of `client`, nil when idle.
    public func association(of client: UInt16) -> COSEMServerAssociation? { associations[client] }

    /// Every object of the server with its class, version and which clients see it.
    public var objectList: [COSEMObjectInfo] {
        store.objects.map { o in
            COSEMObjectInfo(classID: o.classID, version: o.version, logicalName: o.logicalName,
                            visibleTo: Set(COSEMClientRole.allCases.filter { o.policy.visibility.includes($0) }))
        }
    }

    // MARK: DLMSLogicalDevice

    /// One APDU from `client`; AARQ and RLRQ are served in any state, xDLMS only inside an association.
    public func handle(apdu: [UInt8], from client: UInt16) -> [[UInt8]] {
        guard let tag = apdu.first else { return [] }
        switch tag {
        case 0x60:  // AARQ
            return [handleAARQ(apdu, from: client)]
        case 0x62:  // RLRQ
            return [handleRLRQ(apdu, from: client)]
        default:
            guard let association = associations[client] else {
                // Idle: GET/SET/ACTION (plain or ciphered) get ConfirmedServiceError initiateError /
                // service / service-unsupported, as Gurux's server does (Gurux.DLMS.Net
                // GXDLMSLNCommandHandlers.HandleGetRequest/HandleSetRequest: "Return error if connection is
                // not established"); Anthony Rabine's cosem-lib (csm_server.c csm_server_execute: "Association
                // is not open") sends nothing. We follow Gurux, so a client sees why; anything else is discarded.
                return Self.confirmedServiceTags.contains(tag) ? [Self.idleError] : []
            }
            return handleXDLMS(apdu, association).map { [$0] } ?? []
        }
    }

    /// The link to `client` closed: its association (and any block transfer) ends.
    public func linkClosed(client: UInt16) {
        associations[client] = nil
    }

    /// `0E 01 03 02`: initiateError, service, service-unsupported.
    static let idleError = ConfirmedServiceError(service: 1, errorChoice: 3, errorValue: 2).apdu
    /// Plain and ciphered GET, SET and ACTION request tags.
    static let confirmedServiceTags: Set<UInt8> = [0xC0, 0xC1, 0xC3, 0xC8, 0xC9, 0xCB, 0xD0, 0xD1, 0xD3, 0xDB, 0xDC]

    /// The role of `client`, nil for an unknown SAP.
    func role(of client: UInt16) -> COSEMClientRole? {
        switch client {
        case identity.publicClient: .publicClient
        case identity.readerClient: .reader
        case identity.managerClient: .manager
        default: nil
        }
    }

    /// Takes the server invocation counter for one ciphered APDU (the invocation-counter-replay
    /// fault never advances it).
    func takeInvocationCounter() -> UInt32 {
        let ic = serverInvocationCounter
        if !configuration.has(.invocationCounterReplay), serverInvocationCounter < UInt32.max {
            serverInvocationCounter += 1
        }
        return ic
    }

    /// A security context with the server's global keys and system title.
    func baseSecurityContext(clientSystemTitle: SystemTitle?) -> SecurityContext {
        SecurityContext(globalUnicastKey: identity.globalUnicastKey, globalBroadcastKey: identity.globalBroadcastKey,
                        authenticationKey: identity.authenticationKey, clientSystemTitle: clientSystemTitle,
                        serverSystemTitle: try? SystemTitle(identity.systemTitle))
    }
}

/// One object of the reference server as listed by ``COSEMServer/objectList``.
public struct COSEMObjectInfo: Sendable, Hashable {
    /// Interface class.
    public var classID: UInt16
    /// Class version.
    public var version: UInt8
    /// OBIS code.
    public var logicalName: OBISCode
    /// Clients whose object_list contains it.
    public var visibleTo: Set<COSEMClientRole>
}

extension ConfirmedServiceError {
    /// The APDU bytes (`0E …`).
    var apdu: [UInt8] { XDLMSAPDU.confirmedServiceError(self).encoded() }
}

extension ExceptionResponse {
    /// The APDU bytes (`D8 …`).
    var apdu: [UInt8] { XDLMSAPDU.exceptionResponse(self).encoded() }
}
