import ArgumentParser

// Placeholder entry point: the package skeleton had no source here, and SwiftPM refuses to load a
// package whose executable product is empty, so nothing (tests included) could build. The real
// subcommands (run, analyze, decode, simulate, listen, list, report) replace this.
@main
struct MeterProofCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "meterproof",
        abstract: "Conformance test harness for smart-meter protocols (M-Bus, DLMS/COSEM, ANSI C12, CIM).",
        version: "0.0.0"
    )

    func run() throws {
        print(Self.helpMessage())
    }
}
