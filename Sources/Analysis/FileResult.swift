import Capture

/// Why a capture could not be read to its end (exit status 2); what was read before is kept.
public struct CaptureProblem: Sendable, Hashable, CustomStringConvertible {
    /// File offset where reading stopped (0 when the file could not be opened).
    public var offset: UInt64
    /// What was wrong, in words.
    public var message: String

    public var description: String { message }
}

/// The analysis of one capture.
public struct FileResult: Sendable {
    /// 1-based position among the command's arguments.
    public var fileIndex: Int
    /// The path as given.
    public var path: String
    /// `pcapng`, `pcap` or nil when the format was not recognised.
    public var format: String?
    /// Size of the file in bytes (0 when it could not be read).
    public var size: UInt64
    /// Packets read.
    public var packets = 0
    /// Packets that were neither IP nor serial (ARP, …).
    public var otherPackets = 0
    /// IPv4 and IPv6 fragments (reassembled by Capture's IPReassembler).
    public var ipFragments = 0
    /// Packets of a link type the analyser does not decode (a problem: exit status 2).
    public var unsupportedPackets = 0
    /// PDUs decoded.
    public var pduCount = 0
    /// PDUs per protocol.
    public var pdusByProtocol: [String: Int] = [:]
    /// Findings listed (up to the bound per rule), in order of discovery.
    public var findings: [Finding] = []
    /// Findings counted per rule id (all of them).
    public var findingCounts: [String: Int] = [:]
    /// The rules that reported, by id.
    public var rules: [String: FindingRule] = [:]
    /// Conversations listed (up to the bound), by id.
    public var conversations: [ConversationRecord] = []
    /// Conversations seen.
    public var conversationCount = 0
    /// Latencies over all conversations.
    public var latency = LatencyStats()
    /// First and last packet times.
    public var firstTime: Int64?
    public var lastTime: Int64?
    /// Why reading stopped early, if it did.
    public var problem: CaptureProblem?
    /// Wall-clock seconds the analysis took.
    public var elapsedSeconds: Double = 0
}
