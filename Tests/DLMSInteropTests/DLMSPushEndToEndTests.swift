import DLMS
import Foundation
import Glibc
import Simulators
import Testing

/// Our reference server's push setup (COSEMServer, IC 40 0.0.25.9.0.255, pushed by the
/// DLMSSimulatorServer loop over TCP in wrapper PDUs) pushing to `meterproof listen dlms`: the
/// listener deciphers each general-glo-ciphering DataNotification with the identity's keys and
/// checks protection, invocation counters, the push interval and the body against the push object
/// list. With the server's invocation-counter-replay fault the listener must report the replay.
@Suite("DLMS push end to end: COSEMServer → meterproof listen", .serialized)
struct DLMSPushEndToEndTests {
    static let identity = DLMSSimulatorIdentity.default
    /// The push setup's push_object_list as COSEMServer+Push documents it.
    static let objects = "40/0.0.25.9.0.255/1,8/0.0.1.0.0.255/2,3/1.0.1.8.0.255/2,3/1.0.2.8.0.255/2"

    static func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02X", $0) }.joined() }

    /// Runs the listener, starts a server pushing to it every `interval` seconds, and returns the
    /// listener's exit status and records once it has `count` pushes.
    static func run(count: Int, interval: Int64, faults: Set<DLMSFault> = []) async throws -> (status: Int32, records: [[String: Any]], stderr: String) {
        let listener = try BackgroundProcess.listener([
            "--key", hex(identity.globalUnicastKey), "--auth-key", hex(identity.authenticationKey),
            "--require", "authenticated", "--objects", objects,
            "--interval", "\(interval)s", "--tolerance", "1500ms", "--count", "\(count)", "--timeout", "60s",
        ])
        let port = try await listener.port(after: "listening on tcp://127.0.0.1:")
        let server = try await InProcessServer.start({
            COSEMServerConfiguration(faults: faults, pushInterval: interval, pushDestination: "127.0.0.1:\(port)")
        }, faults: faults)
        let status = await listener.exitStatus()
        await server.stop()
        return (status, listener.jsonLines, listener.stderr)
    }

    static func findingIDs(_ record: [String: Any]) -> [String] {
        (record["findings"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
    }

    @Test("three scheduled pushes arrive, decipher, and pass every check: exit status 0")
    func cleanPushes() async throws {
        let (status, records, stderr) = try await Self.run(count: 3, interval: 2)
        try #require(records.count == 3, "stderr: \(stderr)")
        #expect(status == 0, "\(records.map(Self.findingIDs)) \(stderr)")
        var counters: [Int] = []
        for record in records {
            #expect(Self.findingIDs(record) == [], "\(record["findings"] ?? "")")
            #expect(record["framing"] as? String == "wrapper")
            let wrapper = record["wrapper"] as? [String: Any]
            #expect(wrapper?["source_wport"] as? Int == Int(Self.identity.logicalDevice))
            let protection = try #require(record["protection"] as? [String: Any])
            #expect(protection["authenticated"] as? Bool == true && protection["encrypted"] as? Bool == true)
            #expect(protection["system_title"] as? String == Self.hex(Self.identity.systemTitle))
            counters.append(protection["invocation_counter"] as? Int ?? -1)
            let notification = try #require(record["notification"] as? [String: Any])
            #expect(notification["apdu"] as? String == "data-notification")
        }
        #expect(counters == counters.sorted() && Set(counters).count == 3, "\(counters)")
        // The listener measured the intervals between the pushes it received.
        #expect(records.dropFirst().allSatisfy { ($0["interval_s"] as? Double).map { $0 > 0.5 && $0 < 3.5 } ?? false })
    }

    @Test("with the server's invocation-counter-replay fault, the listener reports PUSH_IC_REPLAY")
    func replayedCounter() async throws {
        let (status, records, stderr) = try await Self.run(count: 2, interval: 1, faults: [.invocationCounterReplay])
        try #require(records.count == 2, "stderr: \(stderr)")
        #expect(status == 1)
        #expect(Self.findingIDs(records[0]) == [])
        #expect(Self.findingIDs(records[1]).contains("PUSH_IC_REPLAY"), "\(records[1])")
    }
}

/// A child process with its output in files, running while the test drives it.
final class BackgroundProcess: Sendable {
    private let process: Process
    private let outURL: URL
    private let errURL: URL
    private let exit: AsyncStream<Int32>

    init(_ executable: URL, _ arguments: [String]) throws {
        let id = UUID().uuidString
        outURL = FileManager.default.temporaryDirectory.appendingPathComponent("meterproof-dlms-bg-\(id).out")
        errURL = FileManager.default.temporaryDirectory.appendingPathComponent("meterproof-dlms-bg-\(id).err")
        for url in [outURL, errURL] { _ = FileManager.default.createFile(atPath: url.path, contents: nil) }
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["PYTHONIOENCODING"] = "utf-8"
        process.environment = environment
        process.standardOutput = try FileHandle(forWritingTo: outURL)
        process.standardError = try FileHandle(forWritingTo: errURL)
        process.standardInput = FileHandle.nullDevice
        exit = AsyncStream { continuation in
            process.terminationHandler = { continuation.yield($0.terminationStatus); continuation.finish() }
        }
        self.process = process
        try process.run()
    }

    /// `meterproof listen dlms --listen tcp://127.0.0.1:0 arguments…`.
    static func listener(_ arguments: [String]) throws -> BackgroundProcess {
        try BackgroundProcess(MeterProofExecutable.url, ["listen", "dlms", "--listen", "tcp://127.0.0.1:0"] + arguments)
    }

    deinit {
        if process.isRunning { process.terminate() }
        for url in [outURL, errURL] { try? FileManager.default.removeItem(at: url) }
    }

    var stdout: String { (try? String(contentsOf: outURL, encoding: .utf8)) ?? "" }
    var stderr: String { (try? String(contentsOf: errURL, encoding: .utf8)) ?? "" }

    /// The port after `marker` (digits up to a line end or `}`) in standard error or output.
    func port(after marker: String, inStandardError: Bool = true) async throws -> UInt16 {
        for _ in 0..<300 {
            let text = inStandardError ? stderr : stdout
            if let range = text.range(of: marker) {
                let digits = text[range.upperBound...].prefix(while: \.isNumber)
                let next = text[range.upperBound...].dropFirst(digits.count).first
                if let port = UInt16(digits), next == "\n" || next == "}" { return port }
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        process.terminate()
        throw PeerFailure("no port announced after '\(marker)'; stdout: \(stdout); stderr: \(stderr)")
    }

    /// The exit status (SIGKILL after 90 s).
    func exitStatus() async -> Int32 {
        let watchdog = Task { [process] in
            try await Task.sleep(for: .seconds(90))
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
        defer { watchdog.cancel() }
        var status: Int32 = -1
        for await code in exit { status = code }
        return status
    }

    /// The JSON objects of standard output, one per line.
    var jsonLines: [[String: Any]] {
        stdout.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }
}

/// Gurux.DLMS.Python as the receiver of our server's pushes (scripts/peers/gurux_push_receiver.py):
/// an independent implementation deciphers COSEMServer's general-glo-ciphering DataNotifications
/// with the identity's keys and finds the push object list's values in them. (Gurux does not check
/// the tag; the listener suite above does.)
@Suite("DLMS interop: Gurux and our pushes", .serialized, .enabled(if: DLMSPeer.guruxShouldRun, DLMSPeer.skipComment(.gurux, DLMSPeer.guruxProblem)))
struct GuruxPushInteropTests {
    @Test("two scheduled pushes decipher in Gurux to {push setup LN, clock time, energy import, energy export}")
    func guruxDecodesPushes() async throws {
        if let problem = DLMSPeer.guruxProblem { Issue.record("METERPROOF_REQUIRE_PEERS=1: \(problem)"); return }
        let identity = DLMSPushEndToEndTests.identity
        let receiver = try BackgroundProcess(URL(fileURLWithPath: "/usr/bin/env"), [
            "python3", DLMSPeer.root.appendingPathComponent("scripts/peers/gurux_push_receiver.py").path,
            "--count", "2", "--timeout", "30",
            "--ek", DLMSPushEndToEndTests.hex(identity.globalUnicastKey), "--ak", DLMSPushEndToEndTests.hex(identity.authenticationKey),
        ])
        let port = try await receiver.port(after: "{\"listening\": ", inStandardError: false)
        let server = try await InProcessServer.start {
            COSEMServerConfiguration(pushInterval: 1, pushDestination: "127.0.0.1:\(port)")
        }
        let status = await receiver.exitStatus()
        await server.stop()
        let pushes = receiver.jsonLines.filter { $0["listening"] == nil }
        #expect(status == 0, "stderr: \(receiver.stderr)")
        try #require(pushes.count == 2, "stdout: \(receiver.stdout)")
        for push in pushes {
            #expect(push["ok"] as? Bool == true, "\(push)")
            #expect(push["command"] as? Int == 15)
            let values = try #require(push["value"] as? [Any], "\(push)")
            try #require(values.count == 4)
            #expect((values[0] as? [String: Any])?["octets"] as? String == "0000190900FF")
            let clock = (values[1] as? [String: Any])?["octets"] as? String
            #expect(clock?.count == 24 && clock?.hasPrefix("07EA") == true, "\(values[1])")
            #expect((values[2] as? Int).map { $0 >= ServerTruth.energy } == true, "\(values[2])")
            #expect(values[3] is Int)
        }
    }

    @Test("Gurux as the manager (HLS-GMAC) writes push setup attribute 3 and invokes push: the listener receives the push and finds nothing wrong")
    func guruxTriggersPush() async throws {
        if let problem = DLMSPeer.guruxProblem { Issue.record("METERPROOF_REQUIRE_PEERS=1: \(problem)"); return }
        let identity = DLMSPushEndToEndTests.identity
        let listener = try BackgroundProcess.listener([
            "--key", DLMSPushEndToEndTests.hex(identity.globalUnicastKey), "--auth-key", DLMSPushEndToEndTests.hex(identity.authenticationKey),
            "--require", "authenticated", "--objects", DLMSPushEndToEndTests.objects, "--count", "1", "--timeout", "30s",
        ])
        let port = try await listener.port(after: "listening on tcp://127.0.0.1:")
        // No scheduled push within the test: the only push is the one the ACTION asks for.
        let server = try await InProcessServer.start {
            COSEMServerConfiguration(pushInterval: 86_400, pushDestination: "127.0.0.1:9")
        }
        let trigger = try await PythonRunner.run([
            DLMSPeer.root.appendingPathComponent("scripts/peers/gurux_trigger_push.py").path, "--port", "\(server.port)",
            "--ek", DLMSPushEndToEndTests.hex(identity.globalUnicastKey), "--ak", DLMSPushEndToEndTests.hex(identity.authenticationKey),
            "--destination", "127.0.0.1:\(port)",
        ])
        let status = await listener.exitStatus()
        await server.stop()
        #expect(trigger.status == 0, "\(trigger.stdout) \(trigger.stderr)")
        #expect(status == 0, "\(listener.stdout) \(listener.stderr)")
        let records = listener.jsonLines
        try #require(records.count == 1, "\(listener.stderr)")
        #expect(DLMSPushEndToEndTests.findingIDs(records[0]) == [])
        let protection = records[0]["protection"] as? [String: Any]
        #expect(protection?["system_title"] as? String == DLMSPushEndToEndTests.hex(identity.systemTitle))
        #expect((records[0]["notification"] as? [String: Any])?["apdu"] as? String == "data-notification")
    }
}
