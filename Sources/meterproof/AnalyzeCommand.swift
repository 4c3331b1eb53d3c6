import Analysis
import ArgumentParser
import Conformance
import Foundation
import Synchronization

/// `meterproof analyze CAPTURE…`.
struct Analyze: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Analyse captures (pcap, pcapng): decode DLMS/COSEM and M-Bus, check conversations, write a report.",
        discussion: """
        Reads each capture once, streaming (memory stays bounded by the open conversations): link \
        layer, IPv4 and IPv6 (fragments reassembled), TCP reassembled per direction (missing bytes \
        reported as gaps), UDP, and MeterProof's serial records. Conversations are handed to the \
        dissector chosen by --decode-as, then by port (DLMS 4059), then by heuristic (HDLC 7E A?, \
        wrapper 00 01, M-Bus 68/10/E5 with a right checksum); streams no dissector claims (C12.22 on \
        1153 for now) are still reported as conversations with byte counts. Findings are checks over \
        conversations: unanswered requests, invoke-id mismatches, latency, rejected associations, \
        exception responses, cleartext meter data where ciphering is expected, invocation-counter \
        replays, GCM tag failures, malformed PDUs, TCP gaps, M-Bus checksum errors and addresses.

        The run folder (Reports/<run-id>/ unless --report-dir) receives report.json (with \
        report.schema.json), junit.xml, report.html, summary.md, pdus.jsonl (one decoded PDU per \
        line) and manifest.sha256. Several captures are analysed in parallel (--jobs); the output \
        order is the argument order.

        KEYS
          --keys FILE reads the key store (dlms: system title → ek/ak). Ciphered APDUs are \
        deciphered with the keys of the server's system title (AARE responding-AP-title), the \
        carried title (general-ciphering) or the client's (AARQ calling-AP-title). Keys are never printed.

        EXIT STATUS
          0  no finding of severity error
          1  at least one finding of severity error
          2  a capture could not be read to its end (missing, truncated, unsupported): the report
             keeps what was read; or bad arguments

        EXAMPLES
          meterproof analyze field-trial.pcapng
          meterproof analyze a.pcap b.pcapng --keys keys.yaml --expect-ciphering --report-dir /tmp/runs
          meterproof analyze gw.pcap --decode-as tcp.port==10001,mbus --mbus-addresses 1,5
          meterproof analyze meter.pcap --decode-as tcp.port==4060,dlms --latency-threshold 2s
        """
    )

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
        case all, json, junit, html, markdown
    }

    @Argument(help: "Capture files (pcap or pcapng).")
    var captures: [String]

    @Option(name: .customLong("report-dir"), help: ArgumentHelp("Folder the run folder is created in.", valueName: "dir"))
    var reportDir: String = "Reports"

    @Option(name: .customLong("run-id"), help: ArgumentHelp("Name of the run folder (default: time and 'analyze').", valueName: "name"))
    var runId: String?

    @Option(help: ArgumentHelp("Key store (dlms: system title → ek/ak).", valueName: "file"))
    var keys: String?

    @Option(name: .customLong("decode-as"), help: ArgumentHelp("Map a port to a dissector, like tshark -d: tcp.port==N,dlms or udp.port==N,mbus (repeatable).", valueName: "rule"))
    var decodeAs: [String] = []

    @Option(help: ArgumentHelp("Report files besides report.json and pdus.jsonl: all, json (none else), junit, html, markdown (repeatable).", valueName: "format"))
    var format: [OutputFormat] = []

    @Option(help: ArgumentHelp("Captures analysed at once (default: the number of cores).", valueName: "n"))
    var jobs: Int?

    @Option(name: .customLong("latency-threshold"), help: ArgumentHelp("Response latency threshold for every protocol: 500ms, 2s or milliseconds (default: DLMS 5 s, M-Bus 1.3 s).", valueName: "time"))
    var latencyThreshold: String?

    @Flag(name: .customLong("expect-ciphering"), help: "DLMS meter data must be ciphered in every conversation (a cleartext response or notification is a privacy finding).")
    var expectCiphering = false

    @Option(name: .customLong("mbus-addresses"), help: ArgumentHelp("M-Bus primary addresses replies may come from, e.g. 1,5,10.", valueName: "list"))
    var mbusAddresses: String?

    @Option(name: .customLong("max-conversations"), help: ArgumentHelp("Conversations open at once per capture (default 4096).", valueName: "n"))
    var maxConversations: Int?

    @Flag(name: .customLong("no-pdus"), help: "Do not write pdus.jsonl (PDUs are still decoded, counted and checked; faster).")
    var noPDUs = false

    @Flag(help: "No progress bar.")
    var quiet = false

    func validate() throws {
        for rule in decodeAs {
            guard let parsed = DecodeAsRule(parsing: rule) else {
                throw ValidationError("--decode-as \(rule): expected tcp.port==N,PROTOCOL or udp.port==N,PROTOCOL")
            }
            guard DissectorRegistry.standard.registration(named: parsed.protocolName) != nil else {
                let known = DissectorRegistry.standard.registrations.map(\.protocolName).joined(separator: ", ")
                throw ValidationError("--decode-as \(rule): no dissector named \(parsed.protocolName) (known: \(known))")
            }
        }
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        if let maxConversations, maxConversations < 1 { throw ValidationError("--max-conversations must be at least 1") }
        if let latencyThreshold, Self.parseDuration(latencyThreshold) == nil {
            throw ValidationError("--latency-threshold \(latencyThreshold): expected e.g. 500ms, 2s or 1500")
        }
        if let mbusAddresses, Self.parseAddresses(mbusAddresses) == nil {
            throw ValidationError("--mbus-addresses \(mbusAddresses): expected primary addresses 0…255 separated by commas")
        }
    }

    func run() throws {
        var options = AnalysisOptions()
        options.decodeAs = decodeAs.compactMap(DecodeAsRule.init(parsing:))
        options.expectCiphering = expectCiphering
        options.pduRecords = !noPDUs
        options.latencyThreshold = latencyThreshold.flatMap(Self.parseDuration)
        options.mbusAddresses = mbusAddresses.flatMap(Self.parseAddresses) ?? []
        if let maxConversations { options.maximumOpenConversations = maxConversations }
        if let keys {
            do {
                options.dlmsKeys = DLMSKeyRing(try KeyStore.load(path: keys, secrets: SecretRegistry()))
            } catch {
                throw ToolFailure("\(keys): \(error.description)")
            }
        }
        let folder: String
        do {
            folder = try RunFolder.create(root: reportDir, name: runId ?? "\(Self.stamp(Date()))-analyze")
        } catch {
            throw ToolFailure("cannot create the run folder in \(reportDir): \(error.localizedDescription)")
        }
        let sizes = captures.map { path -> UInt64 in
            ((try? FileManager.default.attributesOfItem(atPath: path)[.size]) as? NSNumber)?.uint64Value ?? 0
        }
        let progress = AnalyzeProgress(sizes: sizes, enabled: !quiet)
        let run = AnalysisRun(paths: captures, analyzer: CaptureAnalyzer(options: options),
                              jobs: jobs ?? ProcessInfo.processInfo.activeProcessorCount)
        let partFolder = folder
        let update: (@Sendable (Int, UInt64) -> Void)? = progress.enabled
            ? { @Sendable (index: Int, bytes: UInt64) in progress.update(file: index, bytes: bytes) } : nil
        let results = run.run(pduPath: { (index: Int) -> String? in RunFolder.pduPart(in: partFolder, index: index) },
                              progress: update)
        progress.finish()
        let report = AnalysisReport(runID: (folder as NSString).lastPathComponent, tool: "meterproof \(MeterProofVersion.current)",
                                    files: results, rules: DissectorRegistry.standard.allRules)
        var formats = Set(format)
        if formats.isEmpty { formats = [.all] }
        var writeFormats: Set<RunFolder.Format> = []
        if formats.contains(.all) || formats.contains(.junit) { writeFormats.insert(.junit) }
        if formats.contains(.all) || formats.contains(.html) { writeFormats.insert(.html) }
        if formats.contains(.all) || formats.contains(.markdown) { writeFormats.insert(.markdown) }
        do {
            try RunFolder.write(report, to: folder, formats: writeFormats, pdus: !noPDUs)
        } catch {
            throw ToolFailure("cannot write the report in \(folder): \(error.localizedDescription)")
        }
        printSummary(report, folder: folder)
        if report.exitStatus != 0 { throw ExitCode(report.exitStatus) }
    }

    private func printSummary(_ report: AnalysisReport, folder: String) {
        let s = report.findingsBySeverity
        print("\(report.files.count) capture(s): \(report.packetCount) packets, \(report.pduCount) PDUs, \(report.conversationCount) conversations; findings: \(s[.error] ?? 0) error, \(s[.warning] ?? 0) warning, \(s[.info] ?? 0) info")
        for (id, count) in report.findingsByID {
            print("  \(id): \(count)")
        }
        print("report: \(folder)")
        for (_, problem) in report.problems {
            printError("meterproof: \(problem.message) (the report keeps what was read)")
        }
    }

    /// `500ms`, `2s`, `1.5s` or bare milliseconds, as nanoseconds.
    static func parseDuration(_ text: String) -> Int64? {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        let (number, scale): (Substring, Double) = t.hasSuffix("ms") ? (t.dropLast(2), 1e6) : t.hasSuffix("s") ? (t.dropLast(), 1e9) : (t[...], 1e6)
        guard let value = Double(number), value >= 0, value * scale < 9e18 else { return nil }
        return Int64(value * scale)
    }

    /// `1,5,10` as a set of addresses.
    static func parseAddresses(_ text: String) -> Set<UInt8>? {
        var out: Set<UInt8> = []
        for part in text.split(separator: ",") {
            guard let value = UInt8(part.trimmingCharacters(in: .whitespaces)) else { return nil }
            out.insert(value)
        }
        return out.isEmpty ? nil : out
    }

    static func stamp(_ date: Date) -> String {
        let c = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC") ?? .current, from: date)
        func p(_ v: Int?, _ w: Int = 2) -> String { let s = String(v ?? 0); return String(repeating: "0", count: max(0, w - s.count)) + s }
        return "\(p(c.year, 4))\(p(c.month))\(p(c.day))-\(p(c.hour))\(p(c.minute))\(p(c.second))"
    }
}

/// The progress bar of `analyze` on standard error: only on a terminal, only when the captures
/// total more than 4 MB; one rewritten line, at most ten updates a second.
final class AnalyzeProgress: Sendable {
    static let minimumTotal: UInt64 = 4 << 20
    let enabled: Bool
    private let total: UInt64
    private let state: Mutex<(done: [UInt64], last: ContinuousClock.Instant?)>
    private let start = ContinuousClock.now

    init(sizes: [UInt64], enabled: Bool) {
        total = sizes.reduce(0, +)
        self.enabled = enabled && isatty(STDERR_FILENO) == 1 && total > Self.minimumTotal
        state = Mutex((Array(repeating: 0, count: sizes.count), nil))
    }

    func update(file: Int, bytes: UInt64, force: Bool = false) {
        let line: String? = state.withLock { state in
            if state.done.indices.contains(file) { state.done[file] = bytes }
            let now = ContinuousClock.now
            if !force, let last = state.last, now - last < .milliseconds(100) { return nil }
            state.last = now
            let done = min(state.done.reduce(0, +), total)
            let fraction = total == 0 ? 1 : Double(done) / Double(total)
            let filled = Int(fraction * 30)
            let seconds = (now - start).components.seconds
            return "\ranalyze [" + String(repeating: "#", count: filled) + String(repeating: "-", count: 30 - filled)
                + "] \(Int(fraction * 100))% \(done >> 20)/\(total >> 20) MB \(seconds / 60):\(String(format: "%02d", seconds % 60))"
        }
        if let line { FileHandle.standardError.write(Data(line.utf8)) }
    }

    func finish() {
        guard enabled else { return }
        // Every file is done: show 100% before the newline.
        state.withLock { state in state.done = state.done.indices.map { $0 == 0 ? total : 0 } }
        update(file: -1, bytes: 0, force: true)
        FileHandle.standardError.write(Data("\n".utf8))
    }
}
