import Foundation
import Glibc
import Testing

/// `meterproof listen dlms` as a process: pushes sent over TCP are each reported, with the
/// findings the push checks produce, and the exit status says whether any push had one.
///
/// The pushes are independent truth: the first wrapped general-glo-ciphering DataNotification of
/// u9n/dlms-cosem `tests/test_udp_message.py` (system title 2F19229199164103, invocation counter
/// 0x1E5, EK = AK = "MYDUMMYGLOBALKEY"; Tests/DLMSTests/Fixtures/security/dlms_cosem_ciphered_apdus.json).
@Suite("meterproof listen dlms")
struct ListenCommandTests {
    static let u9nPush = "0001000100010046DB082F192291991641033B30000001E5025CE9D2271FD78BE8C204211A916A9D7F587E0A7A814CADEA89E9593F01F92EA8C087B5BDFDEFEAB6BECF282DFE49C08F5BE6DC8400"
    /// The next push of the same sequence (counter 0x1E6).
    static let u9nNext = "0001000100010046DB082F192291991641033B30000001E603D4D3577B7F649934E3B7C719A3DE351AB28C7AC7B8A1E444B89691E92591CE1EB2827DF937A2E540280F6211F49364802FA0F5C413"
    static let key = "4D5944554D4D59474C4F42414C4B4559"

    static func bytes(_ hex: String) -> [UInt8] {
        var out: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            out.append(UInt8(hex[index..<next], radix: 16) ?? 0)
            index = next
        }
        return out
    }

    @Test("a good push, the same push replayed, and a push with a wrong tag are each reported; exit status 1")
    func goodReplayWrongTag() async throws {
        let listener = try ListenerProcess(["--key", Self.key, "--auth-key", Self.key, "--require", "authenticated",
                                            "--count", "3", "--timeout", "30s"])
        let port = try await listener.port()
        var tampered = Self.bytes(Self.u9nNext)
        tampered[tampered.count - 1] ^= 0x01
        try await TCPSender.send([Self.bytes(Self.u9nPush), Self.bytes(Self.u9nPush), tampered], to: port)
        let result = try await listener.finish()
        #expect(result.status == 1, "stderr: \(result.stderr)")
        let records = try result.stdout.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        try #require(records.count == 3, "stdout: \(result.stdout)\nstderr: \(result.stderr)")
        func ids(_ record: [String: Any]) -> [String] {
            (record["findings"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
        }
        #expect(ids(records[0]) == [])
        #expect(ids(records[1]) == ["PUSH_IC_REPLAY"])
        #expect(ids(records[2]) == ["PUSH_AUTH_TAG"])
        let protection = records[0]["protection"] as? [String: Any]
        #expect(protection?["invocation_counter"] as? Int == 0x1E5)
        #expect(protection?["system_title"] as? String == "2F19229199164103")
        let notification = records[0]["notification"] as? [String: Any]
        #expect(notification?["apdu"] as? String == "data-notification")
        #expect(records[2]["notification"] == nil)
        #expect(!result.stdout.contains(Self.key), "a key was printed")
    }

    @Test("cleartext under --require ciphered, in text format; SIGINT ends the listener cleanly")
    func cleartextTextAndInterrupt() async throws {
        let listener = try ListenerProcess(["--require", "ciphered", "--format", "text"])
        let port = try await listener.port()
        // A cleartext DataNotification: long-invoke-id 1, no date-time, body double-long-unsigned 42.
        let apdu: [UInt8] = [0x0F, 0x00, 0x00, 0x00, 0x01, 0x00, 0x06, 0x00, 0x00, 0x00, 0x2A]
        try await TCPSender.send([[0x00, 0x01, 0x00, 0x01, 0x00, 0x10, 0x00, UInt8(apdu.count)] + apdu], to: port)
        try await listener.waitForOutput(containing: "PUSH_CLEARTEXT")
        listener.interrupt()
        let result = try await listener.finish()
        #expect(result.status == 1, "stderr: \(result.stderr)")
        #expect(result.stdout.contains("push 1 at"))
        #expect(result.stdout.contains("FAIL PUSH_CLEARTEXT"))
        #expect(result.stderr.contains("interrupted"))
    }

    @Test("a serial line (a pty here) carrying an HDLC UI push: the HAN meter frame of u9n vector 108 is reported as a cleartext DataNotification")
    func serialHDLC() async throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let fixture = try String(contentsOf: root.appendingPathComponent("Tests/DLMSTests/Fixtures/hdlc/u9n_hdlc_frames.txt"), encoding: .utf8)
        let line = try #require(fixture.split(separator: "\n").first { $0.hasPrefix("108\t") })
        let frame = Self.bytes(String(line.split(separator: "\t").last ?? ""))
        #expect(frame.count == 581)
        let pty = try PTYController()
        let listener = try ListenerProcess(["--count", "1", "--timeout", "20s"], listen: "serial://\(pty.devicePath)?baud=9600")
        try await listener.waitForError(containing: "listening on serial://")
        try pty.write(Array(frame.prefix(200)))
        try await Task.sleep(for: .milliseconds(100))
        try pty.write(Array(frame.dropFirst(200)))
        let result = try await listener.finish()
        pty.close()
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let record = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(result.stdout)")
        #expect(record["framing"] as? String == "hdlc")
        #expect(record["sender"] as? String == "hdlc:4/65")
        #expect(record["protection"] as? String == "cleartext")
        #expect((record["notification"] as? [String: Any])?["apdu"] as? String == "data-notification")
        #expect((record["findings"] as? [Any])?.isEmpty == true)
    }

    @Test("UDP: one datagram is one push; two pushes of the u9n sequence decipher with no finding, exit status 0")
    func udp() async throws {
        let listener = try ListenerProcess(["--key", Self.key, "--auth-key", Self.key, "--count", "2", "--timeout", "20s"],
                                           listen: "udp://127.0.0.1:0")
        let port = try await listener.port(scheme: "udp")
        try await UDPSender.send([Self.bytes(Self.u9nPush), Self.bytes(Self.u9nNext)], to: port)
        let result = try await listener.finish()
        #expect(result.status == 0, "stdout: \(result.stdout)\nstderr: \(result.stderr)")
        let records = result.stdout.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        #expect(records.count == 2)
        #expect(records.allSatisfy { ($0["findings"] as? [Any])?.isEmpty == true })
        #expect(records.last?["connection"] as? String == "udp")
        #expect((records.last?["protection"] as? [String: Any])?["counter"] as? String == "next")
    }

    @Test("--keys: the key store entry of the carried system title deciphers; a push from an unknown title is inconclusive")
    func keyStore() async throws {
        let store = FileManager.default.temporaryDirectory.appendingPathComponent("meterproof-listen-keys-\(UUID().uuidString).yaml")
        try "dlms:\n  \"2F19229199164103\": {ek: \(Self.key), ak: \(Self.key)}\n".write(to: store, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: store) }
        let listener = try ListenerProcess(["--keys", store.path, "--count", "2", "--timeout", "20s"])
        let port = try await listener.port()
        // The same push with another carried system title (bytes 2–9 of the APDU, after DB 08).
        var stranger = Self.bytes(Self.u9nNext)
        stranger[10] ^= 0xFF
        try await TCPSender.send([Self.bytes(Self.u9nPush), stranger], to: port)
        let result = try await listener.finish()
        #expect(result.status == 1, "stderr: \(result.stderr)")
        let records = result.stdout.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        try #require(records.count == 2, "\(result.stdout)")
        #expect((records[0]["findings"] as? [Any])?.isEmpty == true)
        let finding = (records[1]["findings"] as? [[String: Any]])?.first
        #expect(finding?["id"] as? String == "PUSH_CANNOT_DECIPHER")
        #expect(finding?["severity"] as? String == "inconclusive")
        #expect(!result.stdout.contains(Self.key) && !result.stderr.contains(Self.key))
    }

    @Test("no push before --count and --timeout is exit status 2; a bad --listen is exit status 2")
    func timeoutAndBadArguments() async throws {
        let listener = try ListenerProcess(["--count", "1", "--timeout", "300ms"])
        let result = try await listener.finish()
        #expect(result.status == 2, "stderr: \(result.stderr)")
        #expect(result.stderr.contains("0 of 1"))
        let bad = try await MeterProofBinary.run(["listen", "dlms", "--listen", "http://127.0.0.1:1"])
        #expect(bad.status == 2)
        let badObjects = try await MeterProofBinary.run(["listen", "dlms", "--objects", "3/1.0.1.8.0.255"])
        #expect(badObjects.status == 2)
    }
}

/// `meterproof listen dlms --listen tcp://127.0.0.1:0 …` with its output in files.
final class ListenerProcess: Sendable {
    let command: BackgroundCommand

    init(_ arguments: [String], listen: String = "tcp://127.0.0.1:0") throws {
        command = try BackgroundCommand(["listen", "dlms", "--listen", listen] + arguments, label: "listen")
    }

    var process: Process { command.process }
    var stdout: String { command.stdout }
    var stderr: String { command.stderr }

    /// The port from "listening on SCHEME://127.0.0.1:PORT" on standard error.
    func port(scheme: String = "tcp") async throws -> UInt16 {
        for _ in 0..<200 {
            if let range = stderr.range(of: "listening on \(scheme)://127.0.0.1:") {
                let digits = stderr[range.upperBound...].prefix(while: \.isNumber)
                if let port = UInt16(digits), stderr[range.upperBound...].dropFirst(digits.count).first == "\n" { return port }
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        process.terminate()
        throw ListenerError("the listener announced no port; stderr: \(stderr)")
    }

    func waitForOutput(containing text: String) async throws {
        for _ in 0..<200 {
            if stdout.contains(text) { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw ListenerError("no '\(text)' on stdout: \(stdout)\nstderr: \(stderr)")
    }

    func waitForError(containing text: String) async throws {
        for _ in 0..<200 {
            if stderr.contains(text) { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw ListenerError("no '\(text)' on stderr: \(stderr)")
    }

    func interrupt() { kill(process.processIdentifier, SIGINT) }

    /// Waits for the exit (at most 30 s, then SIGKILL) and returns the output.
    func finish() async throws -> CommandResult {
        let status = await command.waitForExit()
        defer { command.removeOutputFiles() }
        return CommandResult(status: status, stdout: stdout, stderr: stderr)
    }
}

struct ListenerError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Sends byte blocks over one TCP connection to 127.0.0.1 (blocking socket calls on a thread of
/// their own), a short pause between blocks so that each is read on its own, then closes.
enum TCPSender {
    static func send(_ blocks: [[UInt8]], to port: UInt16) async throws {
        try await onDedicatedThread {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else { throw ListenerError("socket failed") }
            defer { close(fd) }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = port.bigEndian
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard connected == 0 else { throw ListenerError("connect to port \(port) failed: errno \(errno)") }
            for block in blocks {
                let sent = block.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                guard sent == block.count else { throw ListenerError("send failed: errno \(errno)") }
                usleep(100_000)
            }
        }
    }
}

/// The controller side of a new pseudo-terminal (openpty); the listener opens `devicePath`.
final class PTYController: Sendable {
    let fd: Int32
    let holder: Int32
    let devicePath: String

    init() throws {
        var controller: Int32 = -1
        var device: Int32 = -1
        guard openpty(&controller, &device, nil, nil, nil) == 0 else { throw ListenerError("openpty failed: errno \(errno)") }
        var name = [CChar](repeating: 0, count: 128)
        guard ttyname_r(device, &name, name.count) == 0 else { throw ListenerError("ttyname_r failed: errno \(errno)") }
        fd = controller
        holder = device
        devicePath = String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    func write(_ bytes: [UInt8]) throws {
        let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        guard written == bytes.count else { throw ListenerError("pty write failed: errno \(errno)") }
    }

    func close() {
        Glibc.close(fd)
        Glibc.close(holder)
    }
}

/// Sends each block as one UDP datagram to 127.0.0.1:`port`.
enum UDPSender {
    static func send(_ blocks: [[UInt8]], to port: UInt16) async throws {
        try await onDedicatedThread {
            let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
            guard fd >= 0 else { throw ListenerError("socket failed") }
            defer { close(fd) }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = port.bigEndian
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            for block in blocks {
                let sent = withUnsafePointer(to: &address) { pointer in
                    pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { target in
                        block.withUnsafeBytes { sendto(fd, $0.baseAddress, $0.count, 0, target, socklen_t(MemoryLayout<sockaddr_in>.size)) }
                    }
                }
                guard sent == block.count else { throw ListenerError("sendto failed: errno \(errno)") }
                usleep(50_000)
            }
        }
    }
}
