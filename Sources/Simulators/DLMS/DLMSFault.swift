/// A defect the DLMS/COSEM reference server can be told to have (`sim:dlms?faults=NAME`,
/// `meterproof simulate dlms --fault NAME`). Each one breaks a rule a named case of
/// `TestSuites/dlms/` checks, so that the suites prove they can fail.
public enum DLMSFault: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    // Application layer (COSEMServer).
    case wrongAAREDiagnostic = "wrong-aare-diagnostic"
    case acceptsWrongPassword = "accepts-wrong-password"
    case ignoresConformance = "ignores-conformance"
    case invokeIDNotEchoed = "invoke-id-not-echoed"
    case ignoresAccessRights = "ignores-access-rights"
    case wrongDataType = "wrong-data-type"
    case wrongLogicalName = "wrong-logical-name"
    case malformedRLRELength = "malformed-rlre-length"
    case blockNumberSkip = "block-number-skip"
    case invocationCounterReplay = "invocation-counter-replay"
    case plaintextResponse = "plaintext-response"
    case corruptImageActivated = "corrupt-image-activated"
    // Link layer (HDLC server link).
    case missingLLCHeader = "missing-llc-header"
    case badFCS = "bad-fcs"
    case hdlcSequenceError = "hdlc-ns-sequence-error"
    case ignoresDISC = "ignores-disc"

    /// The protocol identifier the faults belong to.
    public static let protocolName = "dlms"

    /// The name URLs and `--fault` accept.
    public var name: String { rawValue }

    /// What the server then does wrong.
    public var description: String {
        switch self {
        case .wrongAAREDiagnostic:
            "answers an AARQ with a wrong LLS password with result rejected-permanent but diagnostic no-reason-given instead of authentication-failure (fact sheet §4.7)"
        case .acceptsWrongPassword:
            "accepts an AARQ whose LLS password or HLS response is wrong (fact sheet §7.6)"
        case .ignoresConformance:
            "answers with conformance bits the client did not propose and serves services that were not agreed (fact sheet §5.3)"
        case .invokeIDNotEchoed:
            "answers GET, SET and ACTION with invoke-id 0 whatever the request carried (fact sheet §5.6)"
        case .ignoresAccessRights:
            "returns attributes whose access right for the association is no-access (fact sheet §5.8)"
        case .wrongDataType:
            "returns the clock's time (IC 8 attribute 2) as a double-long-unsigned instead of an octet-string date-time (fact sheet §6.4)"
        case .wrongLogicalName:
            "the logical_name attribute of the active energy register is 1.0.2.8.0.255 instead of its OBIS code 1.0.1.8.0.255"
        case .malformedRLRELength:
            "the RLRE's length byte is one more than its content (fact sheet §4.4)"
        case .blockNumberSkip:
            "GET with data block skips block number 2 (sends 1, 3, 4, …; fact sheet §5.9)"
        case .invocationCounterReplay:
            "every ciphered response and push carries the same invocation counter (fact sheet §7.3)"
        case .plaintextResponse:
            "answers a ciphered request with a plaintext response (fact sheet §7.2)"
        case .corruptImageActivated:
            "corrupts the second image block it stores yet reports verification success and activates the image"
        case .missingLLCHeader:
            "sends I frames without the LLC header E6 E7 00 (fact sheet §1.7)"
        case .badFCS:
            "every I frame it sends carries a wrong FCS (fact sheet §1.6)"
        case .hdlcSequenceError:
            "its second I frame repeats N(S) instead of incrementing it (fact sheet §1.9)"
        case .ignoresDISC:
            "does not answer DISC and stays in NRM (fact sheet §1.4)"
        }
    }

    /// Whether the HDLC link (not the logical device) carries the fault out.
    public var isLinkFault: Bool {
        switch self {
        case .missingLLCHeader, .badFCS, .hdlcSequenceError, .ignoresDISC: true
        default: false
        }
    }

    /// The fault called `name`, or nil.
    public init?(name: String) { self.init(rawValue: name) }

    /// The faults named in `names`; ``UnknownSimulatorFault`` names the first unknown one and lists the known ones.
    public static func parse(_ names: [String]) throws(UnknownSimulatorFault) -> Set<DLMSFault> {
        var faults = Set<DLMSFault>()
        for name in names {
            guard let fault = DLMSFault(name: name) else {
                throw UnknownSimulatorFault(protocolName: protocolName, name: name, known: allCases.map(\.name))
            }
            faults.insert(fault)
        }
        return faults
    }

    /// The catalogue entry for this fault.
    public var info: SimulatorFaultInfo {
        SimulatorFaultInfo(protocol: Self.protocolName, name: name, description: description)
    }
}
