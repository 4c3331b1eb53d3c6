import Foundation
import Testing

/// `meterproof simulate dlms`: the built binary serves the reference DLMS/COSEM server on TCP and on
/// a pty, answers an AARQ with an AARE, stops cleanly on SIGINT/SIGTERM, and refuses bad options.
/// Timed (a real process, a socket, signals): listed in scripts/test's TIMED group.
@Suite("meterproof simulate dlms")
struct DLMSSimulateCommandTests {
    /// The AARQ of fact sheet §1.6 frame 4 / §4.9 (public client, LN, no security).
    static let aarq: [UInt8] = [
        0x60, 0x1D, 0xA1, 0x09, 0x06, 0x07, 0x60, 0x85, 0x74, 0x05, 0x08, 0x01, 0x01, 0xBE, 0x10, 0x04, 0x0E, 0x01,
        0x00, 0x00, 0x00, 0x06, 0x5F, 0x1F, 0x04, 0x00, 0x00, 0x1E, 0x1D, 0xFF, 0xFF,
    ]

    /// A running `meterproof simulate …` with its output in files.
    final class Simulator: Sendable {
        let command: BackgroundCommand

        init(_ arguments: [String]) throws {
            command = try BackgroundCommand(["simulate"] + arguments, label: "simulate")
        }

        var process: Process { command.process }
        var stdout: String { command.stdout }
        var stderr: String { command.stderr }

        /// The first line of standard output, once it is there (at most 10 s).
        func endpoint() async throws -> String {
            for _ in 0..<200 {
                if let newline = stdout.firstIndex(of: "\n") { return String(stdout[..<newline]) }
                try await Task.sleep(for: .milliseconds(50))
            }
            process.terminate()
            throw SimulateTestError("no endpoint on stdout; stderr: \(stderr)")
        }

        /// Sends `signal` and waits for the exit (at most 30 s, then SIGKILL).
        func stop(_ signal: Int32) async -> Int32 {
            kill(process.processIdentifier, signal)
            let status = await command.waitForExit()
            command.removeOutputFiles()
            return status
        }
    }

    struct SimulateTestError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    /// Sends `bytes` over a TCP connection to 127.0.0.1:`port` and returns what comes back within
    /// 3 s (blocking socket calls on a thread of their own), at least `count` bytes or what arrived.
    static func exchange(_ bytes: [UInt8], port: UInt16, count: Int) async throws -> [UInt8] {
        try await onDedicatedThread {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else { throw SimulateTestError("socket failed") }
            defer { close(fd) }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = port.bigEndian
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard connected == 0 else { throw SimulateTestError("connect to port \(port) failed") }
            var timeout = timeval(tv_sec: 3, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            guard bytes.withUnsafeBytes({ send(fd, $0.baseAddress, $0.count, 0) }) == bytes.count else {
                throw SimulateTestError("send failed")
            }
            var reply: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 4096)
            while reply.count < count {
                let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                if n <= 0 { break }
                reply += buffer.prefix(n)
            }
            return reply
        }
    }

    @Test func servesTheWrapperOnTCPAndAnswersAnAARQWithAnAccepted() async throws {
        let simulator = try Simulator(["dlms", "--listen", "tcp://127.0.0.1:0"])
        let endpoint = try await simulator.endpoint()
        #expect(endpoint.hasPrefix("tcp://127.0.0.1:"))
        let port = try #require(UInt16(endpoint.split(separator: ":").last ?? ""))
        let pdu: [UInt8] = [0x00, 0x01, 0x00, 0x10, 0x00, 0x01, 0x00, UInt8(Self.aarq.count)] + Self.aarq
        let reply = try await Self.exchange(pdu, port: port, count: 8 + 0x2B)
        // Wrapper version 1, source wPort 1, destination wPort 16; an AARE with result accepted (A2 03 02 01 00).
        #expect(reply.prefix(6) == [0x00, 0x01, 0x00, 0x01, 0x00, 0x10])
        #expect(reply.dropFirst(8).first == 0x61)
        #expect(reply.count >= 16 && reply.indices.dropLast(4).contains { reply[$0..<($0 + 5)] == [0xA2, 0x03, 0x02, 0x01, 0x00] })
        #expect(await simulator.stop(SIGINT) == 0)
    }

    @Test func servesAPseudoTerminalWithModeEAndStopsOnSIGTERM() async throws {
        let simulator = try Simulator(["dlms", "--pty", "--mode-e", "--fault", "bad-fcs"])
        let endpoint = try await simulator.endpoint()
        #expect(endpoint.hasPrefix("/dev/pts/"))
        #expect(simulator.stderr.contains("mode E then HDLC") && simulator.stderr.contains("faults: bad-fcs"))
        #expect(await simulator.stop(SIGTERM) == 0)
    }

    @Test func refusesOptionsThatDoNotFit() async throws {
        let pty = try await MeterProofBinary.run(["simulate", "dlms", "--pty", "--hdlc"])
        #expect(pty.status == 2 && pty.stderr.contains("--hdlc is for --listen"))
        let modeE = try await MeterProofBinary.run(["simulate", "dlms", "--listen", "tcp://127.0.0.1:0", "--mode-e"])
        #expect(modeE.status == 2 && modeE.stderr.contains("--mode-e is for --pty"))
        let fault = try await MeterProofBinary.run(["simulate", "dlms", "--listen", "tcp://127.0.0.1:0", "--fault", "nope"])
        #expect(fault.status == 2 && fault.stderr.contains("unknown dlms simulator fault 'nope'"))
        let mbus = try await MeterProofBinary.run(["simulate", "mbus", "--pty", "--mode-e"])
        #expect(mbus.status == 2 && mbus.stderr.contains("are for dlms"))
    }

    @Test func listFaultsShowsTheDLMSFaults() async throws {
        let r = try await MeterProofBinary.run(["list", "faults"])
        #expect(r.status == 0)
        for name in ["wrong-aare-diagnostic", "missing-llc-header", "bad-fcs", "hdlc-ns-sequence-error", "ignores-disc"] {
            #expect(r.stdout.contains("dlms  \(name)"))
        }
    }
}
