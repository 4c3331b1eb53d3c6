import Transport

/// The built-in simulators: their faults, and the `sim:` transport that reaches them.
public enum SimulatorCatalogue {
    /// The protocols with a simulator, e.g. `mbus`.
    public static let protocols: [String] = [MBusFault.protocolName]

    /// Every fault of every simulator, for `meterproof list faults`.
    public static var faults: [SimulatorFaultInfo] { MBusFault.allCases.map(\.info) }

    /// Registers the `sim` scheme in `registry`: `sim:mbus?faults=a,b` opens an in-process
    /// ``MBusSimulatorStream``. An unknown protocol or fault name is an `.invalidURL` error that
    /// lists the known ones.
    public static func register(in registry: TransportRegistry) {
        registry.register(scheme: "sim") { url throws(TransportError) in
            guard case .simulator(let protocolName, let faults) = url else { throw .noOpener(scheme: url.scheme) }
            return try openStream(protocolName: protocolName, faults: faults)
        }
    }

    /// The in-process stream of simulator `protocolName` with the named faults switched on.
    public static func openStream(protocolName: String, faults: [String]) throws(TransportError) -> any ByteStream {
        switch protocolName {
        case MBusFault.protocolName:
            do {
                return MBusSimulatorStream(faults: try MBusFault.parse(faults))
            } catch {
                throw .invalidURL(error.description)
            }
        default:
            throw .invalidURL("no simulator for protocol '\(protocolName)' (simulators: \(protocols.joined(separator: ", ")))")
        }
    }
}
