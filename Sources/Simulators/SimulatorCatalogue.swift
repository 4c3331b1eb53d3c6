import Transport

/// The built-in simulators: their faults, and the `sim:` transport that reaches them.
public enum SimulatorCatalogue {
    /// The protocols with a simulator: `mbus`, `dlms` (DLMS/COSEM over the TCP wrapper) and
    /// `dlms-hdlc` (the same server over HDLC).
    public static let protocols: [String] = [MBusFault.protocolName] + DLMSSimulatorStream.Framing.allCases.map(\.protocolName)

    /// Every fault of every simulator, for `meterproof list faults` (`dlms-hdlc` shares `dlms`'s).
    public static var faults: [SimulatorFaultInfo] { MBusFault.allCases.map(\.info) + DLMSFault.allCases.map(\.info) }

    /// Registers the `sim` scheme in `registry`: `sim:mbus?faults=a,b` opens an in-process
    /// ``MBusSimulatorStream``, `sim:dlms?faults=…` and `sim:dlms-hdlc?faults=…` a
    /// ``DLMSSimulatorStream`` with wrapper or HDLC framing. An unknown protocol or fault name is an
    /// `.invalidURL` error that lists the known ones.
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
        case DLMSSimulatorStream.Framing.wrapper.protocolName, DLMSSimulatorStream.Framing.hdlc.protocolName:
            let framing: DLMSSimulatorStream.Framing = protocolName == DLMSSimulatorStream.Framing.hdlc.protocolName ? .hdlc : .wrapper
            do {
                return DLMSSimulatorStream(framing: framing, faults: try DLMSFault.parse(faults))
            } catch {
                throw .invalidURL(error.description)
            }
        default:
            throw .invalidURL("no simulator for protocol '\(protocolName)' (simulators: \(protocols.joined(separator: ", ")))")
        }
    }
}
