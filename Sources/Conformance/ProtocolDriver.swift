import CodecSupport
import Transport

/// What a protocol adds to the runner: its default PICS/PIXIT (for `--target`) and sessions
/// that execute its step kinds on a byte stream.
///
/// A new protocol registers a driver next to its `StepVocabulary`; the runner needs no change.
public protocol ProtocolDriver: Sendable {
    /// Protocol identifier (`mbus`, …), as in suites and `sim:` URLs.
    var protocolName: String { get }
    /// PICS assumed for `--target URL` (what the reference simulator supports).
    var defaultPICS: [String: Bool] { get }
    /// PIXIT assumed for `--target URL` (the reference simulator's addresses and identity).
    var defaultPIXIT: [String: PIXITValue] { get }
    /// PICS assumed for `--target url`; by default ``defaultPICS`` whatever the transport.
    func defaultPICS(for url: TransportURL) -> [String: Bool]
    /// PIXIT assumed for `--target url`; by default ``defaultPIXIT`` whatever the transport.
    func defaultPIXIT(for url: TransportURL) -> [String: PIXITValue]
    /// Names of PIXIT values that are secrets (passwords, keys): reports and captures scrub them.
    var secretPIXITNames: Set<String> { get }
    /// Byte ranges of a frame that hold secrets by the protocol's structure (e.g. an AARQ's
    /// authentication value), to be redacted from captures and reports.
    func secretRanges(in bytes: [UInt8]) -> [Range<Int>]
    /// A session on a freshly opened stream.
    func makeSession(stream: any ByteStream, evidence: EvidenceLog) -> any ProtocolSession
    /// Decodes bytes for the evidence: the decoded fields, or why they do not decode.
    func decodeForEvidence(_ bytes: [UInt8]) -> (decoded: JSONValue?, error: String?)
}

extension ProtocolDriver {
    public func defaultPICS(for url: TransportURL) -> [String: Bool] { defaultPICS }
    public func defaultPIXIT(for url: TransportURL) -> [String: PIXITValue] { defaultPIXIT }
    public var secretPIXITNames: Set<String> { [] }
    public func secretRanges(in bytes: [UInt8]) -> [Range<Int>] { [] }
}

/// One protocol's state on one connection (link-layer state, last response, selected device).
/// Used from one task at a time.
public protocol ProtocolSession: AnyObject {
    /// Called before each case: drop stale input, restore line settings a previous case changed.
    func prepareCase(_ context: inout StepContext) async throws(TransportError)
    /// Executes one of the protocol's step kinds, setting the verdict in `context`.
    /// Throws only when the transport broke (the runner then gives `error`).
    func execute(_ step: Step, in context: inout StepContext) async throws(TransportError)
    /// `wait`: lets `duration` pass, recording whatever arrives without judging it.
    func idle(for duration: Duration, in context: inout StepContext) async throws(TransportError)
    /// What the device said about itself so far (`id`, `manufacturer`, …).
    var identity: [String: String] { get }
}
