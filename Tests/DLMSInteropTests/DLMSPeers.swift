// Shared by the DLMS interoperability suites: the Python peers (scripts/peers/gurux_client.py on
// gurux-dlms, scripts/peers/dlms_cosem_client.py on dlms-cosem), our reference server started in
// process on a free 127.0.0.1 port, and the built `meterproof` binary.

import DLMS
import Foundation
import Simulators
import Testing
import Transport

/// One Python peer: whether it can run here, and how to run it. A missing peer skips, or fails
/// when METERPROOF_REQUIRE_PEERS=1 (the rule of the other interop suites).
struct DLMSPeer: Sendable {
    /// The PyPI distribution, the module it installs, the pinned version (scripts/peers/requirements.txt).
    let distribution: String
    let module: String
    let pinnedVersion: String
    /// The client script in scripts/peers/.
    let script: String

    static let gurux = DLMSPeer(distribution: "gurux-dlms", module: "gurux_dlms", pinnedVersion: "1.0.203", script: "gurux_client.py")
    static let dlmsCosem = DLMSPeer(distribution: "dlms-cosem", module: "dlms_cosem", pinnedVersion: "25.1.0", script: "dlms_cosem_client.py")

    /// The repository root: three levels above this file.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// CI sets METERPROOF_REQUIRE_PEERS=1: a missing peer is then a failure, not a skip.
    static let required = ProcessInfo.processInfo.environment["METERPROOF_REQUIRE_PEERS"] == "1"

    static let guruxProblem = gurux.probe()
    static let dlmsCosemProblem = dlmsCosem.probe()

    static var guruxShouldRun: Bool { guruxProblem == nil || required }
    static var dlmsCosemShouldRun: Bool { dlmsCosemProblem == nil || required }

    static func skipComment(_ peer: DLMSPeer, _ problem: String?) -> Comment {
        Comment(rawValue: "\(peer.distribution) peer unavailable (\(problem ?? "?")); set up with scripts/setup, "
            + "or METERPROOF_REQUIRE_PEERS=1 to make this a failure")
    }

    /// Nil when python3 imports the module at the pinned version; otherwise why not. Blocks the
    /// thread that first reads it (the `.enabled(if:)` trait, before any test body).
    func probe() -> String? {
        let code = "import importlib.metadata as m, \(module); print(m.version('\(distribution)'))"
        do {
            let result = try PythonRunner.runBlocking(["-c", code])
            guard result.status == 0 else {
                let why = result.stderr.split(separator: "\n").last.map(String.init) ?? "exit status \(result.status)"
                return "python3 cannot import \(module): \(why)"
            }
            let version = result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            guard version == pinnedVersion else { return "\(distribution) \(version) installed, the tests pin \(pinnedVersion)" }
            return nil
        } catch {
            return "cannot start python3: \(error)"
        }
    }

    /// Runs the client script against 127.0.0.1:`port` (LLS with `password`, HLS-GMAC and ciphering
    /// with `hlsKeys`) and decodes the JSON object it prints.
    func read(port: UInt16, client: UInt16, password: String? = nil,
              hlsKeys: (ek: String, ak: String)? = nil) async throws -> PeerReading {
        var arguments = [Self.root.appendingPathComponent("scripts/peers/\(script)").path,
                         "--port", "\(port)", "--client", "\(client)", "--timeout", "10"]
        if let password { arguments += ["--password", password] }
        if let hlsKeys { arguments += ["--hls-gmac", "--ek", hlsKeys.ek, "--ak", hlsKeys.ak] }
        let result = try await PythonRunner.run(arguments)
        let line = result.stdout.split(separator: "\n").last.map(String.init) ?? ""
        guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
            throw PeerFailure("\(script) printed no JSON object (exit status \(result.status)); stdout: \(result.stdout); stderr: \(result.stderr)")
        }
        return PeerReading(status: result.status, fields: object, stderr: result.stderr)
    }
}

/// What a peer client printed.
struct PeerReading: @unchecked Sendable {
    var status: Int32
    var fields: [String: Any]
    var stderr: String

    var ok: Bool { fields["ok"] as? Bool == true }
    subscript(_ key: String) -> Any? { fields[key] }
    func int(_ key: String) -> Int? { fields[key] as? Int }
    func string(_ key: String) -> String? { fields[key] as? String }
}

struct PeerFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Runs `python3` without holding a thread of the cooperative pool.
enum PythonRunner {
    struct Result: Sendable {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Waits for python3 through its termination handler; output goes through files.
    static func run(_ arguments: [String]) async throws -> Result {
        try await ChildProcess.run(URL(fileURLWithPath: "/usr/bin/env"), ["python3"] + arguments,
                                   environment: ["PYTHONIOENCODING": "utf-8"])
    }

    /// Blocks the calling thread until python3 exits (only for the one-time probes).
    static func runBlocking(_ arguments: [String]) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: data, as: UTF8.self), stderr: "")
    }
}

/// A child process whose end is awaited through its termination handler (no thread waits).
enum ChildProcess {
    static func run(_ executable: URL, _ arguments: [String], environment extra: [String: String] = [:]) async throws -> PythonRunner.Result {
        let folder = FileManager.default.temporaryDirectory
        let id = UUID().uuidString
        let outURL = folder.appendingPathComponent("meterproof-dlms-peer-\(id).out")
        let errURL = folder.appendingPathComponent("meterproof-dlms-peer-\(id).err")
        for url in [outURL, errURL] { _ = FileManager.default.createFile(atPath: url.path, contents: nil) }
        defer { for url in [outURL, errURL] { try? FileManager.default.removeItem(at: url) } }
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        for (key, value) in extra { environment[key] = value }
        process.environment = environment
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
        return PythonRunner.Result(status: status, stdout: (try? String(contentsOf: outURL, encoding: .utf8)) ?? "",
                                   stderr: (try? String(contentsOf: errURL, encoding: .utf8)) ?? "")
    }
}

/// Our reference server (``COSEMServer`` behind ``DLMSSimulatorServer``, wrapper framing) on a free
/// 127.0.0.1 port, served by a task until ``stop()``.
final class InProcessServer: Sendable {
    let port: UInt16
    private let listener: TCPListener
    private let task: Task<Void, Never>

    /// The reference meter with its clock stopped at its start (2026-01-01 00:00:00, deviation
    /// -60): every value a peer reads is then known exactly.
    static func fixedClockConfiguration() -> COSEMServerConfiguration {
        COSEMServerConfiguration(clock: SimulatedClock(elapsed: { 0 }))
    }

    /// Starts a server; `configure` builds its configuration (it runs here, the server lives in the task).
    static func start(_ configure: @Sendable () -> COSEMServerConfiguration = fixedClockConfiguration,
                      faults: Set<DLMSFault> = []) async throws -> InProcessServer {
        let listener = try await TCPListener(host: "127.0.0.1", port: 0)
        let (device, identity) = makeDevice(configure)
        let task = Task {
            do {
                try await DLMSSimulatorServer.serve(listener: listener, framing: .wrapper, identity: identity,
                                                    faults: faults, device: device)
            } catch {
                print("in-process server ended: \(error)")
            }
        }
        return InProcessServer(port: listener.port, listener: listener, task: task)
    }

    /// The shared logical device and its identity (the configuration stays inside the device).
    private static func makeDevice(_ configure: () -> COSEMServerConfiguration) -> (DLMSSharedLogicalDevice, DLMSSimulatorIdentity) {
        let configuration = configure()
        let identity = configuration.identity
        return (DLMSSharedLogicalDevice(COSEMServer(configuration: configuration)), identity)
    }

    private init(port: UInt16, listener: TCPListener, task: Task<Void, Never>) {
        self.port = port
        self.listener = listener
        self.task = task
    }

    func stop() async {
        task.cancel()
        listener.close()
        await task.value
    }
}

/// The `meterproof` executable next to the test bundle in the build folder.
enum MeterProofExecutable {
    static var url: URL {
        let candidates = [Bundle.main.bundleURL, Bundle.main.bundleURL.deletingLastPathComponent(),
                          URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()]
        for dir in candidates {
            let url = dir.appendingPathComponent("meterproof")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        return candidates[0].appendingPathComponent("meterproof")
    }
}
