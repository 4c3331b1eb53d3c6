// Runs scripts/peers/pymeterbus_decode.py (pyMeterBus 0.8.5, PyPI `pymeterbus`, module `meterbus`)
// and reads its JSON lines. The script's header comment says how pyMeterBus decodes; the comparison
// in PyMeterBusInteropTests.swift allows for exactly what it says there.

import Foundation

/// Paths in this checkout, found from this file's own path (the tests run where they were built).
enum RepositoryPaths {
    /// The repository root: three levels above Tests/MeterBusInteropTests/PyMeterBusPeer.swift.
    static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // MeterBusInteropTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()

    /// The libmbus test frames that MeterBusTests carries as resources (76 long frames; licence and
    /// provenance in Tests/MeterBusTests/Fixtures/libmbus/README.md and LICENSE.libmbus).
    static let libmbusTestFrames: URL = root.appendingPathComponent("Tests/MeterBusTests/Fixtures/libmbus/test-frames")

    /// The peer script.
    static let decodeScript: URL = root.appendingPathComponent("scripts/peers/pymeterbus_decode.py")

    /// The `.hex` files of a folder, sorted by name.
    static func hexFiles(in folder: URL) throws -> [URL] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasSuffix(".hex") }
            .sorted()
            .map { folder.appendingPathComponent($0) }
    }
}

/// One output line of pymeterbus_decode.py.
struct PeerFrame: Decodable, Sendable {
    var name: String?
    var ok: Bool
    var error: String?
    /// "long", "short", "control", "ack", "wireless"; nil when pyMeterBus refused the frame.
    var frame: String?
    var records: [PeerRecord]

    enum CodingKeys: String, CodingKey { case name, ok, error, frame, records }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decodeIfPresent(String.self, forKey: .name)
        ok = try c.decode(Bool.self, forKey: .ok)
        error = try c.decodeIfPresent(String.self, forKey: .error)
        frame = try c.decodeIfPresent(String.self, forKey: .frame)
        records = try c.decodeIfPresent([PeerRecord].self, forKey: .records) ?? []
    }
}

/// One record as pyMeterBus reads it (field meanings in the script's header comment).
struct PeerRecord: Decodable, Sendable {
    var value: PeerValue
    var unit: String?
    var quantity: String?
    var function: String?
    var storage: UInt64?
    var tariff: UInt64?
    var subunit: UInt64?
    var dif: String?
    var dife: [String]
    var vif: String?
    var vife: [String]
    var multiplier: Double?
    /// The data bytes as "12 34 ..." (for DIF 0F: everything after it).
    var data: String
}

/// A JSON value of pyMeterBus's `value` field.
enum PeerValue: Decodable, Sendable, CustomStringConvertible {
    case null
    case number(Double)
    case text(String)

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() {
            self = .null
        } else if let d = try? c.decode(Double.self) {
            self = .number(d)
        } else {
            self = .text(try c.decode(String.self))
        }
    }

    var number: Double? {
        if case let .number(d) = self { return d }
        return nil
    }

    var description: String {
        switch self {
        case .null: "null"
        case let .number(d): "\(d)"
        case let .text(s): "\"\(s)\""
        }
    }
}

/// Whether pyMeterBus can be run here, and what to say when it cannot.
struct PeerProbe: Sendable {
    /// The pinned version the documented differences were read from (scripts/peers/requirements.txt).
    static let pinnedVersion = "0.8.5"

    /// Nil when python3 with pyMeterBus 0.8.5 is usable; otherwise why not.
    var problem: String?
    /// CI sets METERPROOF_REQUIRE_PEERS=1: a missing peer is then a failure, not a skip.
    var required: Bool

    /// The probe for this process (runs python3 once, blocking the thread that first reads it: the
    /// `.enabled(if:)` trait, before the test body).
    static let current = PeerProbe.run()

    /// Run the test when the peer is there, or when it must be (it then fails with ``problem``).
    var shouldRun: Bool { problem == nil || required }

    /// What the skip line says.
    var skipComment: String {
        "pyMeterBus peer unavailable (\(problem ?? "?")); set up with scripts/setup, "
            + "or METERPROOF_REQUIRE_PEERS=1 to make this a failure"
    }

    static func run() -> PeerProbe {
        let required = ProcessInfo.processInfo.environment["METERPROOF_REQUIRE_PEERS"] == "1"
        let code = "import importlib.metadata as m, meterbus; print(m.version('pymeterbus'))"
        do {
            let result = try PythonProcess.runBlocking(["-c", code])
            guard result.status == 0 else {
                let why = result.stderr.split(separator: "\n").last.map(String.init) ?? "exit status \(result.status)"
                return PeerProbe(problem: "python3 cannot import meterbus: \(why)", required: required)
            }
            let version = result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            guard version == pinnedVersion else {
                return PeerProbe(problem: "pymeterbus \(version) installed, the comparison is written for \(pinnedVersion)",
                                 required: required)
            }
            return PeerProbe(problem: nil, required: required)
        } catch {
            return PeerProbe(problem: "cannot start python3: \(error)", required: required)
        }
    }
}

/// Runs `python3` (from PATH) and collects its output.
enum PythonProcess {
    struct Result: Sendable {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Waits on a thread of its own, not on one of the cooperative pool, which Swift Testing's
    /// parallel tests share (two threads on a two-core machine).
    static func run(_ arguments: [String]) async throws -> Result {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Swift.Result { try runBlocking(arguments) }) }.start()
        }
    }

    /// ``run(_:)`` on the calling thread, which it blocks until python3 exits.
    static func runBlocking(_ arguments: [String]) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["PYTHONIOENCODING"] = "utf-8"
        process.environment = environment
        // stderr goes to a file so that neither pipe can fill up while we wait on the other.
        let errURL = FileManager.default.temporaryDirectory
            .appendingPathComponent("meterproof-peer-\(UUID().uuidString).stderr")
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errURL) }
        let errHandle = try FileHandle(forWritingTo: errURL)
        let out = Pipe()
        process.standardOutput = out
        process.standardError = errHandle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try? errHandle.close()
        let err = (try? Data(contentsOf: errURL)) ?? Data()
        return Result(status: process.terminationStatus,
                      stdout: String(decoding: data, as: UTF8.self),
                      stderr: String(decoding: err, as: UTF8.self))
    }
}

enum PeerError: Error, CustomStringConvertible {
    case failed(status: Int32, stderr: String)
    case badLine(Int, String, any Error)

    var description: String {
        switch self {
        case let .failed(status, stderr): "pymeterbus_decode.py exited with status \(status): \(stderr)"
        case let .badLine(n, line, error): "pymeterbus_decode.py line \(n) is not a frame: \(error): \(line.prefix(200))"
        }
    }
}

extension PeerFrame {
    /// Decodes the given `.hex` files with pyMeterBus, keyed by file stem.
    static func decode(files: [URL]) async throws -> [String: PeerFrame] {
        let result = try await PythonProcess.run([RepositoryPaths.decodeScript.path] + files.map(\.path))
        guard result.status == 0 else { throw PeerError.failed(status: result.status, stderr: result.stderr) }
        var frames: [String: PeerFrame] = [:]
        let decoder = JSONDecoder()
        for (n, line) in result.stdout.split(separator: "\n").enumerated() {
            do {
                let frame = try decoder.decode(PeerFrame.self, from: Data(line.utf8))
                frames[frame.name ?? "line \(n + 1)"] = frame
            } catch {
                throw PeerError.badLine(n + 1, String(line), error)
            }
        }
        return frames
    }
}
