/// What `meterproof analyze` was asked to do, beyond the capture paths.
public struct AnalysisOptions: Sendable {
    /// `--decode-as` mappings (checked before the registry's ports and heuristics).
    public var decodeAs: [DecodeAsRule] = []
    /// DLMS keys by system title (from `--keys FILE`); never printed.
    public var dlmsKeys: DLMSKeyRing = DLMSKeyRing()
    /// `--latency-threshold`: one threshold for every protocol (ns), overriding the per-protocol defaults.
    public var latencyThreshold: Int64?
    /// `--expect-ciphering`: DLMS meter data must be ciphered in every conversation.
    public var expectCiphering = false
    /// `--mbus-addresses`: the primary addresses replies may come from (empty: any).
    public var mbusAddresses: Set<UInt8> = []
    /// Most conversations open at once per file (TCP connections, UDP flows, serial lines); the
    /// least recently active is closed to make room.
    public var maximumOpenConversations = 4_096
    /// A UDP or serial conversation idle this long (capture time, ns) is closed.
    public var idleTimeout: Int64 = 300_000_000_000
    /// Findings listed per rule and file in the report (all are counted).
    public var maximumListedFindingsPerRule = 1_000
    /// Conversations listed per file in the report (all are counted).
    public var maximumListedConversations = 10_000

    /// Whether PDU records (pdus.jsonl) are produced; without them the PDUs are still decoded,
    /// counted and checked, only their JSON is not built (`--no-pdus`).
    public var pduRecords = true

    /// Default options.
    public init() {}

    /// The latency threshold of a protocol: `latencyThreshold` when given, else `defaultThreshold`.
    public func latencyThreshold(default defaultThreshold: Int64) -> Int64 {
        latencyThreshold ?? defaultThreshold
    }
}
