import Conformance
import Simulators
import Transport

/// The protocols this build knows: their suite vocabularies, runner drivers and simulators.
/// Adding a protocol means adding it here, next to its codec, vocabulary, driver and simulator.
public enum Catalogue {
    /// Step vocabularies by protocol.
    public static let vocabularies: [any StepVocabulary] = [MBusVocabulary(), DLMSVocabulary()]

    /// Runner drivers by protocol.
    public static let drivers: [any ProtocolDriver] = [MBusDriver(), DLMSDriver()]

    /// The registry the loaders use.
    public static var vocabularyRegistry: StepVocabularyRegistry { StepVocabularyRegistry(vocabularies) }

    /// Serial, TCP and UDP, plus `sim:` for the built-in simulators.
    public static func transports() -> TransportRegistry {
        let registry = TransportRegistry.standard()
        SimulatorCatalogue.register(in: registry)
        return registry
    }

    /// Every simulator fault, for `meterproof list faults`.
    public static var faults: [SimulatorFaultInfo] { SimulatorCatalogue.faults }
}
