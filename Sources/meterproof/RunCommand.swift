import ArgumentParser
import Campaign
import Conformance
import Foundation

/// `meterproof run SUITE… (--device PROFILE | --target URL)`.
struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run conformance suites against a device or a built-in simulator and write a report.",
        discussion: """
        Loads every suite (a folder means every *.yaml below it) and the device description, checks \
        them completely, and only then opens the transport. Cases run in file order; each ends with \
        a TTCN-3 verdict (none < pass < inconc < fail < error) and a reason. The run folder \
        (Reports/<run-id>/ unless --report-dir) receives capture.pcapng, report.json (with its \
        schema), junit.xml, report.html, summary.md and manifest.sha256.

        DEVICE
          --device FILE   a *.device.yaml profile: transport URL, PICS, PIXIT (secrets from env:/file:)
          --target URL    a transport URL with the protocol's default PICS and PIXIT (those of the
                          reference simulator): sim:mbus, sim:mbus?faults=bad-checksum,
                          tcp://127.0.0.1:PORT, serial:///dev/ttyUSB0?baud=2400&parity=even

        INTERRUPTING
          Ctrl-C finishes the current step, marks the remaining cases as not run, writes a complete
          report marked "interrupted" and exits with 130. A second Ctrl-C exits at once.

        EXIT STATUS
          0    every applicable case passed (not-applicable cases never count)
          1    at least one case ended fail or inconc
          2    the harness could not run (bad suite, profile or URL, device missing), or a case ended error
          130  interrupted; the report is still complete

        EXAMPLES
          meterproof run TestSuites/mbus --target sim:mbus
          meterproof run TestSuites/mbus/link-layer.yaml --target 'sim:mbus?faults=late-reply'
          meterproof run TestSuites/mbus --device bench/heat-meter.device.yaml --case 'MBUS_LL_*'
          meterproof run TestSuites/mbus --target tcp://127.0.0.1:10001 --report-dir /tmp/runs
        """
    )

    @Argument(help: "Suite files or folders of suites.")
    var suites: [String]

    @Option(help: ArgumentHelp("Device profile (*.device.yaml).", valueName: "file"))
    var device: String?

    @Option(help: ArgumentHelp("Transport URL, with the protocol's default PICS and PIXIT.", valueName: "url"))
    var target: String?

    @Option(name: .customLong("report-dir"), help: ArgumentHelp("Folder the run folder is created in.", valueName: "dir"))
    var reportDir: String = "Reports"

    @Option(name: .customLong("run-id"), help: ArgumentHelp("Name of the run folder (default: time and protocol).", valueName: "name"))
    var runId: String?

    @Option(name: .customLong("case"), help: ArgumentHelp("Only cases whose id matches (* and ?); repeatable.", valueName: "id-glob"))
    var cases: [String] = []

    @Option(help: ArgumentHelp("Key store (DLMS, C12.22, wM-Bus keys).", valueName: "file"))
    var keys: String?

    @Flag(name: .customLong("include-secrets"), help: "Leave secrets in the run folder (debugging only; never share such a folder).")
    var includeSecrets = false

    @Flag(help: "No progress output.")
    var quiet = false

    func validate() throws {
        if (device == nil) == (target == nil) {
            throw ValidationError("give exactly one of --device PROFILE and --target URL")
        }
    }

    func run() throws {
        let options = CampaignOptions(
            suitePaths: suites, device: device.map { .profile(path: $0) } ?? .target(url: target ?? ""),
            reportRoot: reportDir, runId: runId, caseGlobs: cases, includeSecrets: includeSecrets, keysPath: keys)
        let campaign: Campaign
        do {
            campaign = try Campaign(options: options)
        } catch {
            throw ToolFailure(error.message)
        }
        let folder: String
        do { folder = try campaign.makeRunFolder() } catch { throw ToolFailure(error.message) }
        let interruption = Interruption()
        let signals = InterruptHandler(interruption: interruption)
        let progress = ProgressPrinter(enabled: !quiet)
        let result: Campaign.Result
        do {
            result = try runBlocking { try await campaign.run(folder: folder, interruption: interruption, progress: progress.update) }
        } catch let error as CampaignError {
            throw ToolFailure(error.message)
        }
        signals.cancel()
        progress.finish(result)
        if let harnessError = result.report.harnessError {
            printError("meterproof: \(harnessError)")
        }
        throw ExitCode(result.exitStatus)
    }
}
