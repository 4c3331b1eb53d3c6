import ArgumentParser
import Campaign

/// The `meterproof` command.
@main
struct MeterProof: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "meterproof",
        abstract: "Conformance and interoperability test harness for smart-meter protocols.",
        discussion: """
        MeterProof decodes and checks the protocols smart meters speak: EN 13757 M-Bus today; \
        DLMS/COSEM, ANSI C12.18/C12.19/C12.22 and IEC 61968-9 are planned (see the README's feature table).

        SUBCOMMANDS IN THIS BUILD
          run        Run conformance suites against a device or a simulator; write a report.
          list       Show suites, cases, simulator faults, step kinds and PICS items.
          decode     Decode frames given as hex and print their fields as JSON or text.
          report     Rewrite the report files of a run folder from its report.json.
          simulate   Serve a built-in reference meter on a pseudo-terminal or a TCP port.

        EXIT STATUS
          0    success: every frame decoded; every applicable case passed
          1    an invalid frame (decode: the message names what and the byte offset);
               a case ended fail or inconc (run)
          2    the command could not run (bad arguments, unreadable file, bad suite or profile,
               device missing), or a case ended error
          130  a run was interrupted (Ctrl-C); its report is still complete

        EXAMPLES
          meterproof run TestSuites --target sim:mbus
          meterproof run TestSuites/mbus --target 'sim:mbus?faults=late-reply'
          meterproof list faults --format json
          meterproof decode mbus 10 5B 01 5C 16
          meterproof decode mbus --file meter.hex --format text
          meterproof report Reports/20261125-101500-mbus --format html
        """,
        version: MeterProofVersion.current,
        subcommands: [Run.self, Analyze.self, List.self, Decode.self, Report.self, Simulate.self, Listen.self]
    )

    /// Runs the command with the exit statuses the help text documents: a failure of the tool itself
    /// (unreadable file, bad arguments) is 2, an invalid frame 1.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let failure as ToolFailure {
            printError("meterproof: \(failure.description)")
            exit(withError: ExitCode(2))
        } catch {
            let code = exitCode(for: error)
            if code == .validationFailure {
                printError(fullMessage(for: error))
                exit(withError: ExitCode(2))
            }
            exit(withError: error)
        }
    }
}

/// The version printed by `--version`.
enum MeterProofVersion {
    static let current = MeterProofInfo.version
}
