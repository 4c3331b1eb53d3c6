import Foundation
import Testing

/// The external programs these tests check our files with (python3 + jsonschema, chromium,
/// sha256sum), found in PATH. `scripts/setup` installs them. When one is missing its tests are
/// skipped with a message saying so, or fail when METERPROOF_REQUIRE_PEERS=1 (CI).
struct ExternalTool: Sendable {
    /// The name shown in messages.
    var name: String
    /// The executable's path, or nil when missing.
    var path: String?
    /// Why it cannot be used, when it cannot.
    var problem: String?

    /// CI sets METERPROOF_REQUIRE_PEERS=1: a missing tool is then a failure, not a skip.
    static let required = ProcessInfo.processInfo.environment["METERPROOF_REQUIRE_PEERS"] == "1"

    /// Run the test when the tool is there, or when it must be (the test then records the problem).
    var shouldRun: Bool { problem == nil || Self.required }

    /// The skip comment.
    var skipComment: Comment {
        Comment(rawValue: "\(name) unavailable (\(problem ?? "?")); install it with scripts/setup, "
            + "or set METERPROOF_REQUIRE_PEERS=1 to make this a failure")
    }

    /// Records the problem as a test failure and returns false when the tool is missing.
    func available(sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
        guard let problem else { return true }
        Issue.record("METERPROOF_REQUIRE_PEERS=1 but \(name) is unavailable: \(problem). Run scripts/setup.",
                     sourceLocation: sourceLocation)
        return false
    }

    static let sha256sum = ExternalTool.find("sha256sum", candidates: ["sha256sum"])

    static let chromium = ExternalTool.find("chromium", candidates: ["chromium", "chromium-browser", "google-chrome"])

    /// python3 with the `jsonschema` package (pinned in scripts/peers/requirements.txt). Probed once
    /// per run, blocking the thread that first reads it (the `.enabled(if:)` trait, before any test body).
    static let jsonschema: ExternalTool = {
        var tool = ExternalTool.find("python3 with jsonschema", candidates: ["python3"])
        guard let python = tool.path else { return tool }
        do {
            let result = try ToolProcess.runBlocking(python, ["-c", "import importlib.metadata as m, jsonschema; print(m.version('jsonschema'))"],
                                                     timeout: 60)
            if result.status != 0 {
                tool.problem = "python3 cannot import jsonschema: " + (result.stderr.split(separator: "\n").last.map(String.init) ?? "")
            }
        } catch {
            tool.problem = "cannot start python3: \(error)"
        }
        return tool
    }()

    /// The DOM headless Chromium renders for `page` (`--dump-dom`), with a throwaway profile
    /// folder; requires Chromium to exit 0 and to dump a whole document.
    static func renderedDOM(of page: URL, profile: URL) async throws -> String {
        let chromium = try #require(ExternalTool.chromium.path)
        let arguments = [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
            "--user-data-dir=\(profile.path)", "--dump-dom", page.absoluteString,
        ]
        // timeout(1) puts Chromium and its helpers in one process group and kills the group if it hangs.
        let result: ToolProcess.Result
        if let timeout = ExternalTool.find("timeout", candidates: ["timeout"]).path {
            result = try await ToolProcess.run(timeout, ["--kill-after=5", "90", chromium] + arguments, timeout: 120)
        } else {
            result = try await ToolProcess.run(chromium, arguments, timeout: 90)
        }
        try #require(!result.timedOut && result.status == 0, "chromium exited \(result.status): \(result.stderr.suffix(2000))")
        try #require(result.stdout.contains("</html>"), "no DOM dumped: \(result.stderr.suffix(2000))")
        return result.stdout
    }

    static func find(_ name: String, candidates: [String]) -> ExternalTool {
        let directories = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map(String.init)
        for candidate in candidates {
            for directory in directories {
                let path = (directory as NSString).appendingPathComponent(candidate)
                if FileManager.default.isExecutableFile(atPath: path) {
                    return ExternalTool(name: name, path: path, problem: nil)
                }
            }
        }
        return ExternalTool(name: name, path: nil, problem: "none of \(candidates.joined(separator: ", ")) is in PATH")
    }
}

/// Runs a program with a deadline and collects its output through files (no pipe can fill up).
/// ``run(_:_:directory:timeout:)`` waits on a thread of its own, not on one of the cooperative pool,
/// which Swift Testing's parallel tests share (two threads on a two-core machine).
enum ToolProcess {
    struct Result: Sendable {
        var status: Int32
        var stdout: String
        var stderr: String
        var timedOut: Bool
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Runs `executable` with `arguments` in `directory`; after `timeout` seconds the process is
    /// sent SIGTERM, then SIGKILL, and the result says it timed out.
    static func run(_ executable: String, _ arguments: [String], directory: URL? = nil, timeout: TimeInterval) async throws -> Result {
        try await withCheckedThrowingContinuation { continuation in
            Thread {
                continuation.resume(with: Swift.Result { try runBlocking(executable, arguments, directory: directory, timeout: timeout) })
            }.start()
        }
    }

    /// ``run(_:_:directory:timeout:)`` on the calling thread, which it blocks until the process ends.
    static func runBlocking(_ executable: String, _ arguments: [String], directory: URL? = nil, timeout: TimeInterval) throws -> Result {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("meterproof-tool-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outURL = scratch.appendingPathComponent("stdout")
        let errURL = scratch.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL)
        let err = try FileHandle(forWritingTo: errURL)
        defer { try? out.close(); try? err.close() }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        var environment = ProcessInfo.processInfo.environment
        environment["PYTHONIOENCODING"] = "utf-8"
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = out
        process.standardError = err
        try process.run()

        let deadline = Date().addingTimeInterval(timeout)
        var timedOut = false
        while process.isRunning {
            if Date() > deadline {
                timedOut = true
                process.terminate()
                let grace = Date().addingTimeInterval(5)
                while process.isRunning, Date() < grace { Thread.sleep(forTimeInterval: 0.05) }
                if process.isRunning { kill(process.processIdentifier, SIGKILL) }
                break
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
        process.waitUntilExit()
        return Result(status: process.terminationStatus,
                      stdout: String(decoding: (try? Data(contentsOf: outURL)) ?? Data(), as: UTF8.self),
                      stderr: String(decoding: (try? Data(contentsOf: errURL)) ?? Data(), as: UTF8.self),
                      timedOut: timedOut)
    }
}

/// A fresh folder under the temporary directory.
func makeTemporaryFolder(_ label: String) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("meterproof-\(label)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}
