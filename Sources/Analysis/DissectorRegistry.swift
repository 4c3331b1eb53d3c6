/// How a protocol plugs into the analyser: its name, ports, heuristic, dissector factory and
/// the rules its checks report. Adding a protocol (C12.22 on 1153, IEC 61968-100 XML) means
/// adding one registration to ``DissectorRegistry/standard`` (or to a registry given to the analyser).
public struct DissectorRegistration: Sendable {
    /// Stable protocol name (`dlms`, `mbus`): the `protocol` of PDU records and the key of its fields.
    public var protocolName: String
    /// TCP ports that select the dissector (either end).
    public var tcpPorts: Set<UInt16>
    /// UDP ports that select the dissector (either end).
    public var udpPorts: Set<UInt16>
    /// Whether the heuristic may claim serial (LINKTYPE_USER0) lines.
    public var claimsSerial: Bool
    /// Whether the heuristic may claim TCP/UDP flows on ports no registration names.
    public var claimsUnknownPorts: Bool
    /// Looks at the first bytes of a conversation (up to ``DissectorRegistry/heuristicWindow``;
    /// `complete` when no more will come) and says whether they are this protocol's.
    public var heuristic: @Sendable (_ bytes: ArraySlice<UInt8>, _ complete: Bool) -> Bool
    /// A fresh dissector for one conversation.
    public var makeDissector: @Sendable () -> any Dissector
    /// The rules the dissector's checks report (one junit test case each).
    public var rules: [FindingRule]

    /// A registration.
    public init(protocolName: String, tcpPorts: Set<UInt16> = [], udpPorts: Set<UInt16> = [], claimsSerial: Bool = true,
                claimsUnknownPorts: Bool = true, heuristic: @escaping @Sendable (ArraySlice<UInt8>, Bool) -> Bool,
                makeDissector: @escaping @Sendable () -> any Dissector, rules: [FindingRule]) {
        self.protocolName = protocolName
        self.tcpPorts = tcpPorts
        self.udpPorts = udpPorts
        self.claimsSerial = claimsSerial
        self.claimsUnknownPorts = claimsUnknownPorts
        self.heuristic = heuristic
        self.makeDissector = makeDissector
        self.rules = rules
    }
}

/// The dissectors the analyser knows, looked up by `--decode-as`, then port, then heuristic (in
/// registration order).
public struct DissectorRegistry: Sendable {
    /// Bytes the heuristics see at most before deciding.
    public static let heuristicWindow = 64

    /// The registrations, in heuristic order.
    public var registrations: [DissectorRegistration]
    /// Ports of protocols without a dissector yet, named in conversation summaries (`port_hint`).
    public var portHints: [UInt16: String]

    /// A registry.
    public init(registrations: [DissectorRegistration], portHints: [UInt16: String] = [:]) {
        self.registrations = registrations
        self.portHints = portHints
    }

    /// DLMS/COSEM (TCP/UDP 4059 and heuristics) and M-Bus (heuristics); C12.22 on 1153 is named as
    /// a hint until its dissector is registered.
    public static let standard = DissectorRegistry(
        registrations: [DLMSDissector.registration, MBusDissector.registration],
        portHints: [1153: "c12.22"])

    /// The registration of a protocol name.
    public func registration(named name: String) -> DissectorRegistration? {
        registrations.first { $0.protocolName == name }
    }

    /// Every rule: the pipeline's, then each registration's.
    public var allRules: [FindingRule] {
        var seen = Set<String>()
        var out: [FindingRule] = []
        for rule in FindingRules.pipeline + registrations.flatMap(\.rules) where seen.insert(rule.id).inserted {
            out.append(rule)
        }
        return out
    }

    /// The registration for a TCP/UDP conversation by `--decode-as` or port, before any bytes.
    func byPort(_ transport: ConversationTransport, ports: [UInt16], decodeAs: [DecodeAsRule]) -> DissectorRegistration? {
        for rule in decodeAs where rule.transport == transport && ports.contains(rule.port) {
            if let found = registration(named: rule.protocolName) { return found }
        }
        for registration in registrations {
            let table = transport == .tcp ? registration.tcpPorts : registration.udpPorts
            if ports.contains(where: table.contains) { return registration }
        }
        return nil
    }

    /// Whether some registration or hint names one of `ports` (so heuristics stay off it).
    func portIsKnown(_ transport: ConversationTransport, ports: [UInt16]) -> Bool {
        ports.contains { port in
            portHints[port] != nil || registrations.contains {
                (transport == .tcp ? $0.tcpPorts : $0.udpPorts).contains(port)
            }
        }
    }

    /// The registration whose heuristic claims `bytes`.
    func byHeuristic(_ bytes: ArraySlice<UInt8>, complete: Bool, serial: Bool) -> DissectorRegistration? {
        registrations.first { ($0.claimsSerial || !serial) && $0.heuristic(bytes, complete) }
    }
}
