/// A fault name the simulator of a protocol does not know.
public struct UnknownSimulatorFault: Error, Sendable, Equatable, CustomStringConvertible {
    /// The simulator's protocol, e.g. `mbus`.
    public var protocolName: String
    /// The name that was asked for.
    public var name: String
    /// The names the simulator knows, in catalogue order.
    public var known: [String]

    /// An error for `name`.
    public init(protocolName: String, name: String, known: [String]) {
        self.protocolName = protocolName
        self.name = name
        self.known = known
    }

    public var description: String {
        "unknown \(protocolName) simulator fault '\(name)' (known faults: \(known.joined(separator: ", ")))"
    }
}
