import DLMS

/// How the reference COSEM server behaves: who it is, which faults it has, and the few tunables
/// of its objects.
public struct COSEMServerConfiguration {
    /// Addresses, clients, secrets and keys.
    public var identity: DLMSSimulatorIdentity
    /// Application faults to carry out (link faults are ignored here).
    public var faults: Set<DLMSFault>
    /// Seconds between two scheduled pushes of the push setup object (``COSEMServer/pushNotification(at:)``); 900 s by default.
    public var pushInterval: Int64
    /// The push destination written in push setup attribute 3 (transport TCP, A-XDR messages).
    public var pushDestination: String
    /// Whether pushes are ciphered (general-glo-ciphering, SC 30, GUEK/GAK, server system title). True by default:
    /// the push setup's security policy follows the manager association's (authenticated and encrypted).
    public var pushCiphered: Bool
    /// The image_block_size the image transfer object announces (bytes).
    public var imageBlockSize: UInt32
    /// The conformance block the server supports (the AARE carries proposed ∩ this).
    public var supportedConformance: Conformance
    /// The clock; injectable for tests.
    public var clock: SimulatedClock

    /// The default reference meter: push every 900 s to 127.0.0.1:4060, ciphered pushes, 64-byte image blocks.
    public init(identity: DLMSSimulatorIdentity = .default, faults: Set<DLMSFault> = [], pushInterval: Int64 = 900,
                pushDestination: String = "127.0.0.1:4060", pushCiphered: Bool = true, imageBlockSize: UInt32 = 64,
                supportedConformance: Conformance = COSEMServerConfiguration.defaultConformance,
                clock: SimulatedClock = SimulatedClock()) {
        self.identity = identity
        self.faults = faults
        self.pushInterval = max(1, pushInterval)
        self.pushDestination = pushDestination
        self.pushCiphered = pushCiphered
        self.imageBlockSize = max(1, imageBlockSize)
        self.supportedConformance = supportedConformance
        self.clock = clock
    }

    /// block transfer with GET, SET and ACTION, multiple references, data-notification, get, set,
    /// selective access, action (no attribute 0, no SN services, no event-notification).
    public static let defaultConformance: Conformance = [
        .blockTransferWithGetOrRead, .blockTransferWithSetOrWrite, .blockTransferWithAction, .multipleReferences,
        .dataNotification, .get, .set, .selectiveAccess, .action,
    ]

    /// Whether `fault` is switched on.
    func has(_ fault: DLMSFault) -> Bool { faults.contains(fault) }
}
