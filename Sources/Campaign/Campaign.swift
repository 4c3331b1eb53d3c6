import Foundation
import Capture
import CodecSupport
import Conformance
import Reports
import Transport

/// A conformance run from start to finish: suites and device loaded and checked before anything
/// is sent, the runner against the transport, then the run folder (`capture.pcapng`,
/// `report.json`, `junit.xml`, `report.html`, `summary.md`, `manifest.sha256`).
public struct Campaign: Sendable {
    public let options: CampaignOptions
    /// The loaded suites.
    public let suites: [TestSuite]
    /// The transport URL, as text and parsed.
    public let transport: String
    public let transportURL: TransportURL
    public let pics: [String: Bool]
    public let pixit: [String: PIXITValue]
    let profilePath: String?
    let secrets: SecretRegistry
    let transports: TransportRegistry

    /// Loads and checks everything a run needs; throws before any byte is sent.
    public init(options: CampaignOptions, transports: TransportRegistry = Catalogue.transports()) throws(CampaignError) {
        self.options = options
        self.transports = transports
        let secrets = SecretRegistry()
        self.secrets = secrets
        let registry = Catalogue.vocabularyRegistry
        guard !options.suitePaths.isEmpty else { throw CampaignError("no suite given (e.g. TestSuites/mbus)") }
        suites = try SuiteDiscovery.load(options.suitePaths, registry: registry)
        switch options.device {
        case .profile(let path):
            let profile: DeviceProfile
            do {
                profile = try ProfileLoader.load(path: path, registry: registry, secrets: secrets)
            } catch {
                throw CampaignError("the device profile has errors:\n\(error.description)")
            }
            transport = profile.transport
            pics = profile.pics
            pixit = profile.pixit
            profilePath = path
        case .target(let url):
            transport = url
            let protocols = Set(suites.map(\.protocolName))
            var pics: [String: Bool] = [:]
            var pixit: [String: PIXITValue] = [:]
            let parsedURL = try? TransportURL(parsing: url)
            for driver in Catalogue.drivers where protocols.contains(driver.protocolName) {
                pics.merge(parsedURL.map(driver.defaultPICS(for:)) ?? driver.defaultPICS) { $1 }
                var defaults = parsedURL.map(driver.defaultPIXIT(for:)) ?? driver.defaultPIXIT
                for name in driver.secretPIXITNames {
                    // Test secrets of the reference devices still go through the secret registry.
                    if case .string(let text)? = defaults[name] {
                        defaults[name] = .secret(Secret(bytes: Array(text.utf8), registry: secrets))
                    }
                }
                pixit.merge(defaults) { $1 }
            }
            self.pics = pics
            self.pixit = pixit
            profilePath = nil
        }
        do {
            transportURL = try TransportURL(parsing: transport)
        } catch {
            throw CampaignError("\(error)")
        }
        if let keys = options.keysPath {
            do { _ = try KeyStore.load(path: keys, secrets: secrets) } catch {
                throw CampaignError("the key store has errors:\n\(error.description)")
            }
        }
        let known = Set(Catalogue.drivers.map(\.protocolName))
        for suite in suites where !known.contains(suite.protocolName) {
            throw CampaignError("suite \(suite.path) is for protocol '\(suite.protocolName)', which this build cannot run yet")
        }
    }

    /// The folder the run writes: `reportRoot/runId`, with `-2`, `-3`, … when it exists.
    public func makeRunFolder(now: Date = Date()) throws(CampaignError) -> String {
        let protocols = Array(Set(suites.map(\.protocolName))).sorted().joined(separator: "+")
        let base = options.runId ?? "\(Self.stamp(now))-\(protocols.isEmpty ? "run" : protocols)"
        let manager = FileManager.default
        var name = base
        var n = 1
        while manager.fileExists(atPath: (options.reportRoot as NSString).appendingPathComponent(name)) {
            n += 1
            name = "\(base)-\(n)"
        }
        let folder = (options.reportRoot as NSString).appendingPathComponent(name)
        do {
            try manager.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw CampaignError("cannot create the run folder \(folder): \(error.localizedDescription)")
        }
        return folder
    }

    static func stamp(_ date: Date) -> String {
        let c = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC") ?? .current, from: date)
        func p(_ v: Int?, _ w: Int = 2) -> String { let s = String(v ?? 0); return String(repeating: "0", count: max(0, w - s.count)) + s }
        return "\(p(c.year, 4))\(p(c.month))\(p(c.day))-\(p(c.hour))\(p(c.minute))\(p(c.second))"
    }

    /// The result of a run.
    public struct Result: Sendable {
        /// The run folder written.
        public var folder: String
        public var report: RunReport
        /// 0, 1, 2 or 130 (see `RunOutcome.exitStatus`).
        public var exitStatus: Int32
    }

    /// Runs the suites and writes the run folder. Never throws once started: a transport that
    /// cannot be opened gives a report with `harness_error` and exit status 2.
    public func run(
        folder: String, interruption: Interruption = Interruption(),
        progress: @escaping @Sendable (RunProgress) -> Void = { _ in }
    ) async throws(CampaignError) -> Result {
        let evidence = EvidenceLog()
        let started = evidence.startDate
        let plan = RunPlan(
            suites: suites, selection: CaseSelection(caseGlobs: options.caseGlobs, pics: pics), pixit: pixit,
            drivers: Catalogue.drivers)
        let url = transportURL
        let transports = self.transports
        let runner = Runner(
            plan: plan, transportName: transportURL.description,
            open: { () async throws(TransportError) -> any ByteStream in try await transports.open(url) },
            evidence: evidence, interruption: interruption, progress: progress)
        let outcome = await runner.run()
        let finished = Date()

        let redaction = Redaction(secrets: secrets, enabled: !options.includeSecrets)
        let export = EvidenceExport(entries: evidence.entries, link: EvidenceExport.link(for: transportURL), redaction: redaction,
                                    drivers: Catalogue.drivers, protocols: suites.map(\.protocolName), start: evidence.startInstant)
        let capturePath = (folder as NSString).appendingPathComponent("capture.pcapng")
        do {
            try Data(export.pcapng).write(to: URL(fileURLWithPath: capturePath))
        } catch {
            throw CampaignError("cannot write \(capturePath): \(error.localizedDescription)")
        }
        let suiteResults = outcome.suites.map { suite in
            var suite = suite
            suite.cases = suite.cases.map { testCase in
                var testCase = testCase
                testCase.steps = testCase.steps.map { step in
                    var step = step
                    var seen: Set<Int> = []
                    step.frames = step.frames.compactMap { export.packetNumber(forEvidence: $0 - 1) }.filter { seen.insert($0).inserted }
                    return step
                }
                return testCase
            }
            return suite
        }
        let report = RunReport(
            tool: .init(version: MeterProofInfo.version), runId: (folder as NSString).lastPathComponent,
            startedAt: started, finishedAt: finished, interrupted: outcome.interrupted, exitStatus: Int(outcome.exitStatus),
            harnessError: outcome.harnessError,
            device: .init(profile: profilePath, transport: transportURL.description, identity: outcome.identity, pics: pics,
                          pixit: pixit.mapValues(Self.text)),
            summary: RunReport.Summary(counting: suiteResults), suites: suiteResults, frames: export.frames)
        // Scrub the whole report as text: reasons, logs and decoded fields may quote what was sent.
        let scrubbed: RunReport
        do {
            let text = String(decoding: try report.encodedJSON(), as: UTF8.self)
            scrubbed = try RunReport.decode(json: Data(redaction.scrub(text).utf8))
        } catch {
            throw CampaignError("cannot encode the report: \(error)")
        }
        do {
            _ = try RunFolderWriter.write(scrubbed, to: URL(fileURLWithPath: folder))
        } catch {
            throw CampaignError("cannot write the reports in \(folder): \(error)")
        }
        return Result(folder: folder, report: scrubbed, exitStatus: outcome.exitStatus)
    }

    static func text(_ value: PIXITValue) -> String {
        switch value {
        case .string(let s): s
        case .int(let i): String(i)
        case .bool(let b): b ? "true" : "false"
        case .list(let items): "[" + items.map(text).joined(separator: ", ") + "]"
        case .secret: Secret.mask
        }
    }
}

/// The version `report.json` and `--version` print.
public enum MeterProofInfo {
    public static let version = "0.2.0"
}
