/// A named fault a simulator can switch on (`sim:PROTOCOL?faults=NAME`, `simulate PROTOCOL --fault NAME`).
public struct SimulatorFaultInfo: Sendable, Hashable, Codable {
    /// Protocol identifier, e.g. `mbus`.
    public var `protocol`: String
    /// The fault's name as URLs and `--fault` accept it, e.g. `bad-checksum`.
    public var name: String
    /// What the simulated device then does wrong.
    public var description: String

    public init(protocol: String, name: String, description: String) {
        self.protocol = `protocol`
        self.name = name
        self.description = description
    }
}
