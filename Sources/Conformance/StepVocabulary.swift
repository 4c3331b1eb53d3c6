/// What one protocol adds to the suite language: its step kinds and its PICS items.
///
/// A protocol module (or the executable) declares a vocabulary and registers it in a
/// `StepVocabularyRegistry`; the engine needs no change to accept a new protocol's steps.
public protocol StepVocabulary: Sendable {
    /// The protocol identifier used in suites, `sim:` URLs and `decode` (e.g. `mbus`).
    var protocolName: String { get }
    /// The protocol's own step kinds. A kind named like a generic step replaces it for this protocol.
    var stepKinds: [StepKind] { get }
    /// The PICS items this protocol defines, each prefixed `<protocolName>.`.
    var picsItems: [PICSItem] { get }
}
