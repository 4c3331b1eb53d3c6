import CodecSupport

/// The whole analysis: every file's result, merged in argument order, and what report.json says.
///
/// report.json field names are stable (the benchmark and CI read them): top level `schema`,
/// `run_id`, `tool`, `exit_status`, `pdu_count` (all PDUs decoded), `findings_by_id`
/// (`{rule id: count}`), `totals`, `files[]`, `conversations[]`, `findings[]`, `rules[]`, `latency`.
public struct AnalysisReport: Sendable {
    /// The run folder's name.
    public var runID: String
    /// `meterproof <version>`.
    public var tool: String
    /// Per file, in argument order.
    public var files: [FileResult]
    /// Every rule the registry knows (one junit test case each).
    public var rules: [FindingRule]

    /// A report.
    public init(runID: String, tool: String, files: [FileResult], rules: [FindingRule]) {
        self.runID = runID
        self.tool = tool
        self.files = files
        self.rules = rules
    }

    /// The schema identifier written in report.json.
    public static let schemaID = "urn:meterproof:schema:analysis-report:1"

    /// All PDUs.
    public var pduCount: Int { files.reduce(0) { $0 + $1.pduCount } }
    /// All packets.
    public var packetCount: Int { files.reduce(0) { $0 + $1.packets } }
    /// All conversations.
    public var conversationCount: Int { files.reduce(0) { $0 + $1.conversationCount } }

    /// Findings counted per rule id over all files (every finding, listed or not), sorted by id.
    public var findingsByID: [(String, Int)] {
        var counts: [String: Int] = [:]
        for file in files { for (id, n) in file.findingCounts { counts[id, default: 0] += n } }
        return counts.sorted { $0.key < $1.key }
    }

    /// The rule of an id, from the registry or the files.
    public func rule(_ id: String) -> FindingRule? {
        rules.first { $0.id == id } ?? files.lazy.compactMap { $0.rules[id] }.first
    }

    /// Findings per severity (every finding).
    public var findingsBySeverity: [FindingSeverity: Int] {
        var out: [FindingSeverity: Int] = [:]
        for (id, n) in findingsByID { out[rule(id)?.severity ?? .warning, default: 0] += n }
        return out
    }

    /// Capture problems (unreadable or cut files).
    public var problems: [(FileResult, CaptureProblem)] { files.compactMap { f in f.problem.map { (f, $0) } } }

    /// 2 when a capture could not be read, else 1 when a finding has severity error, else 0.
    public var exitStatus: Int32 {
        if !problems.isEmpty { return 2 }
        return (findingsBySeverity[.error] ?? 0) > 0 ? 1 : 0
    }

    /// Every listed finding, by file then discovery order.
    public var findings: [Finding] { files.flatMap(\.findings) }

    /// Latencies over all files.
    public var latency: LatencyStats {
        var all = LatencyStats()
        for file in files { all.merge(file.latency) }
        return all
    }

    /// report.json.
    public var json: JSONValue {
        let byID = findingsByID
        let severities = findingsBySeverity
        var pdusByProtocol: [String: Int] = [:]
        for file in files { for (name, n) in file.pdusByProtocol { pdusByProtocol[name, default: 0] += n } }
        let totals: JSONValue = .object([
            ("files", .int(Int64(files.count))), ("packets", .int(Int64(packetCount))), ("pdus", .int(Int64(pduCount))),
            ("pdus_by_protocol", .object(pdusByProtocol.sorted { $0.key < $1.key }.map { ($0.key, .int(Int64($0.value))) })),
            ("conversations", .int(Int64(conversationCount))),
            ("findings", .int(Int64(byID.reduce(0) { $0 + $1.1 }))),
            ("findings_by_severity", .object(FindingSeverity.allCases.map { ($0.rawValue, .int(Int64(severities[$0] ?? 0))) })),
        ])
        let latency = self.latency
        return .object([
            ("schema", .string(Self.schemaID)),
            ("run_id", .string(runID)),
            ("tool", .string(tool)),
            ("exit_status", .int(Int64(exitStatus))),
            ("pdu_count", .int(Int64(pduCount))),
            ("findings_by_id", .object(byID.map { ($0.0, .int(Int64($0.1))) })),
            ("totals", totals),
            ("files", .array(files.map(fileJSON))),
            ("conversations", .array(files.flatMap { file in
                file.conversations.map { conversation -> JSONValue in
                    guard case .object(let members) = conversation.json else { return conversation.json }
                    return .object([("file_index", .int(Int64(file.fileIndex)))] + members)
                }
            })),
            ("findings", .array(findings.map(findingJSON))),
            ("rules", .array(rules.map { rule in
                .object([
                    ("id", .string(rule.id)), ("severity", .string(rule.severity.rawValue)), ("title", .string(rule.title)),
                    ("source", .string(rule.source)), ("count", .int(Int64(byID.first { $0.0 == rule.id }?.1 ?? 0))),
                ])
            })),
            ("latency", .object(latencyMembers(latency))),
        ])
    }

    private func latencyMembers(_ latency: LatencyStats) -> [(String, JSONValue)] {
        guard case .object(let members) = latency.json else { return [] }
        return members + [("histogram", .array(zip(LatencyStats.bucketLabels, latency.buckets).map {
            .object([("bucket", .string($0.0)), ("count", .int(Int64($0.1)))])
        }))]
    }

    private func fileJSON(_ file: FileResult) -> JSONValue {
        .object([
            ("index", .int(Int64(file.fileIndex))), ("path", .string(file.path)),
            ("format", file.format.map(JSONValue.string) ?? .null), ("size", .uint(file.size)),
            ("packets", .int(Int64(file.packets))), ("other_packets", .int(Int64(file.otherPackets))),
            ("ip_fragments", .int(Int64(file.ipFragments))), ("unsupported_packets", .int(Int64(file.unsupportedPackets))),
            ("pdus", .int(Int64(file.pduCount))), ("conversations", .int(Int64(file.conversationCount))),
            ("conversations_listed", .int(Int64(file.conversations.count))),
            ("findings_by_id", .object(file.findingCounts.sorted { $0.key < $1.key }.map { ($0.key, .int(Int64($0.value))) })),
            ("first_time", file.firstTime.map { .string(TimeText.iso8601($0)) } ?? .null),
            ("last_time", file.lastTime.map { .string(TimeText.iso8601($0)) } ?? .null),
            ("complete", .bool(file.problem == nil)),
            ("error", file.problem.map { .object([("offset", .uint($0.offset)), ("message", .string($0.message))]) } ?? .null),
            ("elapsed_seconds", .double((file.elapsedSeconds * 1000).rounded() / 1000)),
        ])
    }

    private func findingJSON(_ finding: Finding) -> JSONValue {
        .object([
            ("id", .string(finding.rule.id)), ("severity", .string(finding.rule.severity.rawValue)),
            ("title", .string(finding.rule.title)), ("source", .string(finding.rule.source)),
            ("file_index", .int(Int64(finding.fileIndex))),
            ("file", .string(files.indices.contains(finding.fileIndex - 1) ? files[finding.fileIndex - 1].path : "")),
            ("conversation", finding.conversation.map { .int(Int64($0)) } ?? .null),
            ("frames", .array(finding.frames.map { .int(Int64($0)) })),
            ("time", finding.time.map { .string(TimeText.iso8601($0)) } ?? .null),
            ("message", .string(finding.message)),
        ])
    }
}
