import Foundation
import Testing

/// tshark as an independent reader of our captures (installed by scripts/setup).
///
/// Missing tshark skips the cross-check tests with a message, unless METERPROOF_REQUIRE_PEERS=1
/// (CI), where it is a failure.
struct TSharkPeer: Sendable {
    static let path = "/usr/bin/tshark"

    /// Nil when tshark can run here; otherwise why not.
    var problem: String?
    /// CI sets METERPROOF_REQUIRE_PEERS=1: a missing tshark is then a failure, not a skip.
    var required: Bool

    static let current: TSharkPeer = {
        let required = ProcessInfo.processInfo.environment["METERPROOF_REQUIRE_PEERS"] == "1"
        guard FileManager.default.isExecutableFile(atPath: path) else {
            return TSharkPeer(problem: "\(path) not found", required: required)
        }
        return TSharkPeer(problem: nil, required: required)
    }()

    /// Run the test when tshark is there, or when it must be (it then fails with ``problem``).
    var shouldRun: Bool { problem == nil || required }

    /// What the skip line says.
    var skipComment: Comment {
        Comment(rawValue: "tshark unavailable (\(problem ?? "?")); install it with scripts/setup, "
            + "or set METERPROOF_REQUIRE_PEERS=1 to make this a failure")
    }

    /// Records the failure when tshark is required but missing; true when the test can go on.
    func ready() -> Bool {
        if let problem {
            Issue.record("METERPROOF_REQUIRE_PEERS=1 but tshark is unavailable: \(problem). Run scripts/setup.")
            return false
        }
        return true
    }

    /// One row per packet, one column per field; multiple occurrences joined with "|".
    static func fields(_ file: String, _ fields: [String], options: [String] = []) async throws -> [[String: String]] {
        var arguments = ["-n", "-r", file, "-T", "fields", "-E", "separator=/t", "-E", "occurrence=a",
                         "-E", "aggregator=|", "-E", "quote=n"]
        for option in options { arguments += ["-o", option] }
        for field in fields { arguments += ["-e", field] }
        let output = try await run(arguments)
        return output.split(separator: "\n", omittingEmptySubsequences: true).map { line in
            let columns = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            var row: [String: String] = [:]
            for (index, field) in fields.enumerated() where index < columns.count { row[field] = columns[index] }
            return row
        }
    }

    /// Runs tshark and returns stdout; throws when it exits non-zero (stderr warnings are ignored).
    /// Waits on a thread of its own, not on one of the cooperative pool, which Swift Testing's
    /// parallel tests share (two threads on a two-core machine).
    static func run(_ arguments: [String]) async throws -> String {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Swift.Result { try runBlocking(arguments) }) }.start()
        }
    }

    private static func runBlocking(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let errorFile = FileManager.default.temporaryDirectory.appendingPathComponent("tshark-\(UUID().uuidString).err")
        _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errorFile) }
        let errorHandle = try FileHandle(forWritingTo: errorFile)
        defer { try? errorHandle.close() }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = errorHandle
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let stderr = (try? String(contentsOf: errorFile, encoding: .utf8)) ?? ""
        guard process.terminationStatus == 0 else {
            throw TSharkFailure(status: process.terminationStatus, stderr: stderr)
        }
        if stderr.contains("damaged") || stderr.contains("corrupt") || stderr.contains("isn't a capture file") {
            throw TSharkFailure(status: 0, stderr: stderr)
        }
        return String(decoding: data, as: UTF8.self)
    }
}

struct TSharkFailure: Error, CustomStringConvertible {
    var status: Int32
    var stderr: String
    var description: String { "tshark exited \(status): \(stderr)" }
}

/// A scratch folder removed when the test ends.
final class ScratchFolder {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("capture-tests-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// Lower-case hex without separators, as tshark prints bytes fields.
func hex(_ bytes: some Sequence<UInt8>) -> String {
    bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
}
