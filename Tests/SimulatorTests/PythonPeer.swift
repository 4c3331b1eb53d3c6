import Foundation

/// Runs `python3` peers from scripts/peers/ without blocking a thread of the cooperative pool, and
/// tells whether pyMeterBus is there (the same rule as MeterBusInteropTests' PyMeterBusPeer, which
/// this target may not import: a missing peer skips, or fails when METERPROOF_REQUIRE_PEERS=1).
enum PythonPeer {
    /// The repository root: three levels above Tests/SimulatorTests/PythonPeer.swift.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// scripts/peers/pymeterbus_master.py.
    static let masterScript = root.appendingPathComponent("scripts/peers/pymeterbus_master.py")

    /// CI sets METERPROOF_REQUIRE_PEERS=1: a missing peer is then a failure, not a skip.
    static let required = ProcessInfo.processInfo.environment["METERPROOF_REQUIRE_PEERS"] == "1"

    /// Nil when `python3 -c "import meterbus, serial"` works; otherwise why not.
    static let problem: String? = {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import meterbus, serial"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
            process.waitUntilExit()
        } catch {
            return "cannot start python3: \(error)"
        }
        return process.terminationStatus == 0 ? nil : "python3 cannot import meterbus (pymeterbus 0.8.5) and serial (pyserial)"
    }()

    /// Run the test when the peer is there, or when it must be (it then fails with ``problem``).
    static var shouldRun: Bool { problem == nil || required }

    /// What the skip says.
    static var skipComment: String {
        "pyMeterBus peer unavailable (\(problem ?? "?")); set up with scripts/setup, or METERPROOF_REQUIRE_PEERS=1 to make this a failure"
    }

    struct Result: Sendable {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs `python3 arguments…` and waits for it without holding a thread.
    static func run(_ arguments: [String]) async throws -> Result {
        let folder = FileManager.default.temporaryDirectory
        let outURL = folder.appendingPathComponent("meterproof-peer-\(UUID().uuidString).out")
        let errURL = folder.appendingPathComponent("meterproof-peer-\(UUID().uuidString).err")
        for url in [outURL, errURL] { _ = FileManager.default.createFile(atPath: url.path, contents: nil) }
        defer { for url in [outURL, errURL] { try? FileManager.default.removeItem(at: url) } }
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do { try process.run() } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
        try? out.close()
        try? err.close()
        return Result(status: status, stdout: (try? String(contentsOf: outURL, encoding: .utf8)) ?? "",
                      stderr: (try? String(contentsOf: errURL, encoding: .utf8)) ?? "")
    }
}
