import Foundation
import Glibc

/// A `meterproof` process running in the background, its standard output and error going to
/// temporary files (read while it runs), its exit status delivered once.
final class BackgroundCommand: Sendable {
    let process: Process
    let outURL: URL
    let errURL: URL
    let exit: AsyncStream<Int32>

    /// Starts `meterproof arguments…`; `label` names the output files.
    init(_ arguments: [String], label: String) throws {
        let folder = FileManager.default.temporaryDirectory
        let id = UUID().uuidString
        outURL = folder.appendingPathComponent("meterproof-\(label)-\(id).out")
        errURL = folder.appendingPathComponent("meterproof-\(label)-\(id).err")
        for url in [outURL, errURL] { _ = FileManager.default.createFile(atPath: url.path, contents: nil) }
        let process = Process()
        process.executableURL = MeterProofBinary.url
        process.arguments = arguments
        process.standardOutput = try FileHandle(forWritingTo: outURL)
        process.standardError = try FileHandle(forWritingTo: errURL)
        process.standardInput = FileHandle.nullDevice
        exit = AsyncStream { continuation in
            process.terminationHandler = { continuation.yield($0.terminationStatus); continuation.finish() }
        }
        self.process = process
        try process.run()
    }

    var stdout: String { (try? String(contentsOf: outURL, encoding: .utf8)) ?? "" }
    var stderr: String { (try? String(contentsOf: errURL, encoding: .utf8)) ?? "" }

    /// Waits for the exit (at most 30 s, then SIGKILL) and returns the status.
    func waitForExit() async -> Int32 {
        let watchdog = Task { [process] in
            try await Task.sleep(for: .seconds(30))
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
        defer { watchdog.cancel() }
        var status: Int32 = -1
        for await code in exit { status = code }
        return status
    }

    /// Deletes the output files.
    func removeOutputFiles() {
        for url in [outURL, errURL] { try? FileManager.default.removeItem(at: url) }
    }
}
