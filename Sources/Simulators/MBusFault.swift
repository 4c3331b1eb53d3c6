/// A defect the M-Bus reference slave can be told to have (`sim:mbus?faults=NAME`,
/// `meterproof simulate mbus --fault NAME`). Each one breaks a named rule of EN 13757-2/-3, so that
/// the suites prove they can fail (ARCHITECTURE.md, "Simulators prove the suites").
public enum MBusFault: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case badChecksum = "bad-checksum"
    case wrongLField = "wrong-l-field"
    case noReply = "no-reply"
    case lateReply = "late-reply"
    case ignoresFCB = "ignores-fcb"
    case answersWrongSelection = "answers-wrong-selection"
    case answersBroadcast = "answers-broadcast"
    case wrongCI = "wrong-ci"
    case truncatedRecord = "truncated-record"
    case garbageBeforeStart = "garbage-before-start"

    /// The protocol identifier the faults belong to.
    public static let protocolName = "mbus"

    /// The name URLs and `--fault` accept.
    public var name: String { rawValue }

    /// What the slave then does wrong.
    public var description: String {
        switch self {
        case .badChecksum: "every RSP_UD carries a wrong checksum (fact sheet §1.2)"
        case .wrongLField: "the second L field of every RSP_UD is one more than the first (fact sheet §1.1)"
        case .noReply: "never answers REQ_UD2 (SND_NKE and SND_UD are still acknowledged)"
        case .lateReply: "answers REQ_UD2 250 ms after the end of the answer window (330 bit times + 50 ms at the current baud, fact sheet §1.10)"
        case .ignoresFCB: "FCB logic inverted: sends the next telegram when the FCB did not toggle and repeats the last one when it did (fact sheet §1.5)"
        case .answersWrongSelection: "acknowledges a secondary-address selection that does not match it and then answers at address 253 (fact sheet §1.8)"
        case .answersBroadcast: "answers requests sent to broadcast address 255 (fact sheet §1.6)"
        case .wrongCI: "every RSP_UD carries CI 53, a master-to-slave CI, instead of 72 (fact sheet §1.7)"
        case .truncatedRecord: "the last data record of every RSP_UD is cut short by one byte, with L and checksum consistent (fact sheet §3)"
        case .garbageBeforeStart: "three garbage bytes (00 FF 3C) precede every reply's start byte"
        }
    }

    /// The fault called `name`, or nil.
    public init?(name: String) { self.init(rawValue: name) }

    /// The faults named in `names`; ``UnknownSimulatorFault`` names the first unknown one and lists the known ones.
    public static func parse(_ names: [String]) throws(UnknownSimulatorFault) -> Set<MBusFault> {
        var faults = Set<MBusFault>()
        for name in names {
            guard let fault = MBusFault(name: name) else {
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
