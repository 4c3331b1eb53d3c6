import DLMS

/// The application association of one client SAP with the reference server: its state machine
/// (idle → HLS pending → associated → released), what was negotiated, the security context and
/// the block transfers in progress.
///
/// Idle is represented by the absence of an association in ``COSEMServer``; an association
/// exists from an accepted AARQ until RLRQ, a new AARQ, a failed HLS pass 3 or ``COSEMServer/linkClosed(client:)``.
public final class COSEMServerAssociation {
    /// Where the association stands.
    public enum State: Sendable, Hashable {
        /// HLS accepted in the AARE (diagnostic authentication-required); only reply_to_HLS_authentication is served.
        case pendingHLS
        /// Fully associated.
        case associated
    }

    /// The client SAP.
    public let client: UInt16
    /// What the client may see and do.
    public let role: COSEMClientRole
    /// Current state.
    public internal(set) var state: State
    /// The application context the AARE carried.
    public let applicationContext: ApplicationContextName
    /// The authentication mechanism (lowest, LLS or HLS-GMAC).
    public let mechanism: MechanismName
    /// Negotiated conformance (the AARE's block).
    public let conformance: Conformance
    /// The client's max receive PDU size (0 in the request = no limit = 65535 here).
    public let clientMaxReceivePDUSize: Int
    /// Whether every xDLMS APDU must be ciphered (LN with ciphering).
    public let ciphered: Bool
    /// Keys, system titles (client from the AARQ calling-AP-title) and the dedicated key.
    var security: SecurityContext
    /// The client's HLS challenge CtoS.
    let clientChallenge: [UInt8]
    /// The server's HLS challenge StoC.
    let serverChallenge: [UInt8]
    /// The last invocation counter accepted from the client (the ciphered InitiateRequest's first).
    var lastClientInvocationCounter: UInt32?
    /// A long GET being served block by block.
    var getTransfer: GetBlockTransfer?
    /// A SET with data blocks being received.
    var setTransfer: InboundBlockTransfer?
    /// An ACTION with parameter blocks being received.
    var actionTransfer: InboundBlockTransfer?

    init(client: UInt16, role: COSEMClientRole, state: State, applicationContext: ApplicationContextName,
         mechanism: MechanismName, conformance: Conformance, clientMaxReceivePDUSize: Int, ciphered: Bool,
         security: SecurityContext, clientChallenge: [UInt8], serverChallenge: [UInt8]) {
        self.client = client
        self.role = role
        self.state = state
        self.applicationContext = applicationContext
        self.mechanism = mechanism
        self.conformance = conformance
        self.clientMaxReceivePDUSize = clientMaxReceivePDUSize
        self.ciphered = ciphered
        self.security = security
        self.clientChallenge = clientChallenge
        self.serverChallenge = serverChallenge
    }

    /// The client's system title, when the AARQ carried one.
    public var clientSystemTitle: [UInt8]? { security.clientSystemTitle?.bytes }
    /// Whether the ciphered InitiateRequest carried a dedicated key.
    public var hasDedicatedKey: Bool { security.dedicatedKey != nil }
}
