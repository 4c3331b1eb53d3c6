import Foundation
import Testing

/// Runs the built binary, as a user would.
struct CommandResult: Sendable {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs `body`, which waits for a child process, on a thread of its own and resumes the caller when
/// it returns: the wait holds no thread of the cooperative pool, which Swift Testing's parallel
/// tests share (two threads on a two-core machine).
func onDedicatedThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Swift.Result { try body() }) }.start()
    }
}

enum MeterProofBinary {
    /// The `meterproof` executable next to the test bundle in the build folder.
    static var url: URL {
        let candidates = [Bundle.main.bundleURL, Bundle.main.bundleURL.deletingLastPathComponent(),
                          URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()]
        for dir in candidates {
            let url = dir.appendingPathComponent("meterproof")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        return candidates[0].appendingPathComponent("meterproof")
    }

    /// Runs `meterproof arguments…` with `stdin` as its standard input, without holding a pool thread.
    static func run(_ arguments: [String], stdin: String? = nil) async throws -> CommandResult {
        try await onDedicatedThread { try runBlocking(arguments, stdin: stdin) }
    }

    private static func runBlocking(_ arguments: [String], stdin: String?) throws -> CommandResult {
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return CommandResult(status: process.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
                             stderr: String(decoding: e, as: UTF8.self))
    }

    static func json(_ line: Substring) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    }
}

/// libmbus test/test-frames/manual_frame3.hex (BSD-3-Clause): PAD 12345678 water, three records.
let manualFrame3 = "68 1F 1F 68 08 02 72 78 56 34 12 24 40 01 07 55 00 00 00 03 13 15 31 00 DA 02 3B 13 01 8B 60 04 37 18 02 18 16"

@Suite("meterproof decode mbus")
struct DecodeMBusCommandTests {
    @Test("hex arguments give one JSON object with the stable field names")
    func hexArguments() async throws {
        let r = try await MeterProofBinary.run(["decode", "mbus"] + manualFrame3.split(separator: " ").map(String.init))
        #expect(r.status == 0)
        let lines = r.stdout.split(separator: "\n")
        #expect(lines.count == 1)
        let object = try MeterProofBinary.json(lines[0])
        let frame = try #require(object["frame"] as? [String: Any])
        #expect(frame["type"] as? String == "long")
        #expect(frame["c"] as? Int == 8 && frame["a"] as? Int == 2 && frame["ci"] as? Int == 0x72)
        #expect(frame["checksum_ok"] as? Bool == true)
        let header = try #require(object["header"] as? [String: Any])
        #expect(header["id"] as? String == "12345678")
        #expect(header["manufacturer"] as? String == "PAD")
        #expect((header["medium"] as? [String: Any])?["name"] as? String == "Water")
        #expect(header["access_number"] as? Int == 85)
        let records = try #require(object["records"] as? [[String: Any]])
        #expect(records.count == 3)
        #expect(records[1]["function"] as? String == "maximum")
        #expect(records[1]["storage"] as? Int == 5)
        #expect(records[1]["unit"] as? String == "m^3/h")
        #expect(records[1]["value"] as? Double == 0.113)
        #expect(records[2]["tariff"] as? Int == 2 && records[2]["subunit"] as? Int == 1)
        #expect(records[2]["quantity"] as? String == "Energy")
        #expect(records[2]["value"] as? Int == 218370)
        #expect(records[2]["dif"] as? String == "8B60" && records[2]["vif"] as? String == "04")
    }

    @Test("a file of several frames, lower case and CRLF, gives one object per frame")
    func fileWithSeveralFrames() async throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("meterproof-cli-\(UUID()).hex")
        defer { try? FileManager.default.removeItem(at: url) }
        try (manualFrame3.lowercased() + "\r\nE5\r\n10 5b 01 5c 16\r\n").write(to: url, atomically: true, encoding: .utf8)
        let r = try await MeterProofBinary.run(["decode", "mbus", "--file", url.path])
        #expect(r.status == 0)
        let lines = r.stdout.split(separator: "\n")
        #expect(lines.count == 3)
        #expect((try MeterProofBinary.json(lines[1])["frame"] as? [String: Any])?["type"] as? String == "ack")
        let short = try #require(try MeterProofBinary.json(lines[2])["frame"] as? [String: Any])
        #expect(short["type"] as? String == "short" && short["c"] as? Int == 0x5B && short["c_name"] as? String == "REQ_UD2")
    }

    @Test("standard input is read when no hex and no file is given")
    func standardInput() async throws {
        let r = try await MeterProofBinary.run(["decode", "mbus", "--format", "text"], stdin: manualFrame3 + "\n")
        #expect(r.status == 0)
        #expect(r.stdout.contains("Volume flow = 0.113 m^3/h"))
        #expect(r.stdout.contains("storage 5"))
    }

    @Test("a bad checksum exits 1 and names the expected value and the offset")
    func badChecksum() async throws {
        let bad = manualFrame3.replacingOccurrences(of: "18 16", with: "19 16")
        let r = try await MeterProofBinary.run(["decode", "mbus", bad])
        #expect(r.status == 1)
        #expect(r.stderr.contains("checksum 0x18 expected, 0x19 found at offset 35"))
        let object = try MeterProofBinary.json(try #require(r.stdout.split(separator: "\n").first))
        #expect((object["error"] as? [String: Any])?["code"] as? String == "badChecksum")
        // --ignore-checksum decodes it anyway and reports checksum_ok false.
        let lenient = try await MeterProofBinary.run(["decode", "mbus", "--ignore-checksum", bad])
        #expect(lenient.status == 0)
        #expect(lenient.stdout.contains("\"checksum_ok\":false"))
    }

    @Test("malformed frames exit 1 with the offset, never trap", arguments: [
        ("12 34", "bad start byte 0x12", 0),
        ("68 1F 1E 68", "L fields differ", 2),
        ("68 1C 1C 68 08 02 72 78 56 34 12 24 40 01 07 55 00 00 00 03 13 15 31 00 DA 02 3B 13 01 8B 60 04 C7 16",
         "truncated record at offset 29", 32),
    ])
    func malformed(hex: String, message: String, offset: Int) async throws {
        let r = try await MeterProofBinary.run(["decode", "mbus", hex])
        #expect(r.status == 1)
        #expect(r.stderr.contains(message), "\(r.stderr)")
        #expect(r.stderr.contains("at offset \(offset)"), "\(r.stderr)")
    }

    @Test("tool failures exit 2 without a stack trace")
    func toolFailures() async throws {
        let missing = try await MeterProofBinary.run(["decode", "mbus", "--file", "/nonexistent/meter.hex"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("cannot read /nonexistent/meter.hex"))
        let notHex = try await MeterProofBinary.run(["decode", "mbus", "68", "zz"])
        #expect(notHex.status == 2)
        let both = try await MeterProofBinary.run(["decode", "mbus", "--file", "x", "68"])
        #expect(both.status == 2)
    }

    @Test("--help reads like a man page and --version prints the version")
    func helpAndVersion() async throws {
        let help = try await MeterProofBinary.run(["--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("EXIT STATUS"))
        #expect(help.stdout.contains("decode"))
        let decodeHelp = try await MeterProofBinary.run(["decode", "mbus", "--help"])
        #expect(decodeHelp.stdout.contains("JSON OUTPUT"))
        let version = try await MeterProofBinary.run(["--version"])
        #expect(version.status == 0)
        #expect(!version.stdout.isEmpty)
    }
}
