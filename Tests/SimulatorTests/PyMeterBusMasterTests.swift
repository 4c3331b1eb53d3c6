import Foundation
import Simulators
import Testing
import Transport

/// An independent master, pyMeterBus 0.8.5 over pyserial (scripts/peers/pymeterbus_master.py),
/// talks to the reference slave served in process on a pty and on TCP.
@Suite("pyMeterBus master against the reference slave")
struct PyMeterBusMasterTests {
    struct Output: Decodable {
        struct TelegramOut: Decodable {
            struct Header: Decodable {
                var c: String, a: Int, ci: String, id: String, manufacturer: String, version: Int, medium: Int
                var access_no: Int, status: Int
            }
            struct Record: Decodable {
                var value: Value?
                var unit: String?
                var storage: Int?
                var dif: String
                var vif: String?
            }
            var hex: String, header: Header, records: [Record], more_records_follow: Bool
        }
        var ok: Bool, error: String?, ack: Bool, telegrams: [TelegramOut], repeat_identical: Bool
        var selected_ack: Bool, selected: TelegramOut?
    }

    enum Value: Decodable, Equatable {
        case number(Double), text(String)
        init(from decoder: any Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let d = try? c.decode(Double.self) {
                self = .number(d)
            } else {
                self = .text(try c.decode(String.self))
            }
        }

        var number: Double? {
            if case .number(let d) = self { return d }
            return nil
        }
    }

    /// Runs the master against `port` and checks what pyMeterBus made of the conversation.
    func converse(port: String) async throws {
        if let problem = PythonPeer.problem {
            Issue.record("METERPROOF_REQUIRE_PEERS=1 but \(problem)")
            return
        }
        // 5 s per read: on a loaded 2-core CI machine the slave's task may run late; a late E5 would
        // otherwise be read as the answer to the next request.
        let result = try await PythonPeer.run([PythonPeer.masterScript.path, port, "--timeout", "5"])
        #expect(result.status == 0, "\(result.stderr)")
        let output = try JSONDecoder().decode(Output.self, from: Data(result.stdout.utf8))
        #expect(output.ok, "\(output.error ?? "") \(result.stderr)")
        #expect(output.ack)
        #expect(output.telegrams.map(\.more_records_follow) == [true, false])
        #expect(output.telegrams.map(\.header.access_no) == [1, 2])
        #expect(output.repeat_identical)
        #expect(output.selected_ack)
        for telegram in output.telegrams + [output.selected].compactMap({ $0 }) {
            #expect(telegram.header.id == "12345678")
            #expect(telegram.header.manufacturer == "MPF")
            #expect(telegram.header.version == 1 && telegram.header.medium == 4 && telegram.header.status == 0)
            #expect(telegram.header.c == "08" && telegram.header.a == 1 && telegram.header.ci == "72")
        }
        let records = output.telegrams.flatMap(\.records)
        func value(_ vif: String, storage: Int = 0) -> Value? {
            records.first { $0.vif == vif && ($0.storage ?? 0) == storage }?.value
        }
        func near(_ v: Value?, _ expected: Double) -> Bool { v?.number.map { abs($0 - expected) <= 1e-9 * max(1, abs(expected)) } ?? false }
        #expect(near(value("06"), 12_345_000))            // Wh
        #expect(near(value("06", storage: 1), 11_800_000))
        #expect(near(value("14"), 456.78))                // m^3
        #expect(near(value("2B"), 1234))                  // W
        #expect(near(value("3B"), 0.123))                 // m^3/h
        #expect(near(value("5A"), 65.2))                  // C
        #expect(near(value("5E"), 42.3))
        #expect(near(value("62"), 22.9))                  // K
        #expect(near(value("22"), 17_520 * 3600))         // seconds
        #expect(near(value("78"), 25_000_123))
        #expect(value("6D") == .text("2026-01-15T10:30"))
        #expect(value("6C", storage: 1) == .text("2025-12-31"))
        #expect(records.last?.dif == "0F" && records.last?.value == .text("4D 50 46 01 00 2A"))
    }

    @Test(.enabled(if: PythonPeer.shouldRun, Comment(rawValue: PythonPeer.skipComment)))
    func overAPseudoTerminal() async throws {
        let pty = try PseudoTerminal(settings: try LineSettings.eightNoneOne(baud: 2400))
        let server = Task { try await MBusSimulatorServer.serve(stream: pty) }
        try await converse(port: pty.devicePath)
        server.cancel()
        _ = try await server.value
        await pty.close()
    }

    @Test(.enabled(if: PythonPeer.shouldRun, Comment(rawValue: PythonPeer.skipComment)))
    func overTCP() async throws {
        let listener = try await TCPListener(host: "127.0.0.1", port: 0)
        let server = Task {
            let connection = try await listener.accept(deadline: .now + .seconds(30))
            try await MBusSimulatorServer.serve(stream: connection)
            await connection.close()
        }
        try await converse(port: "socket://127.0.0.1:\(listener.port)")
        try await server.value
        listener.close()
    }
}
