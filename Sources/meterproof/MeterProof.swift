import ArgumentParser

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
          decode     Decode frames given as hex and print their fields as JSON or text.
          report     Rewrite the report files of a run folder from its report.json.

        EXIT STATUS
          0   every frame decoded
          1   at least one frame is not valid (the message names what is wrong and the byte offset)
          2   the command could not run (bad arguments, unreadable file)

        EXAMPLES
          meterproof decode mbus 10 5B 01 5C 16
          meterproof decode mbus --file meter.hex --format text
          cat frames.hex | meterproof decode mbus
        """,
        version: MeterProofVersion.current,
        subcommands: [Decode.self, Report.self]
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
    static let current = "0.1.0"
}
