import MeterBus
import Simulators
import Testing
import Transport

/// The slave served on real streams: a pseudo-terminal and loopback TCP.
@Suite("M-Bus simulator served on a pty and TCP")
struct MBusServeTests {
    let a = Frame.primary

    /// SND_NKE, two REQ_UD2, selection and a read-out at 253 through `master`.
    func readOut(through master: any ByteStream) async throws {
        #expect(try await MBusSimulatorStreamTests.exchange(master, .sndNKE(address: a))?.bytes == [0xE5])
        let first = try #require(try await MBusSimulatorStreamTests.exchange(master, .reqUD2(address: a, fcb: true)))
        let second = try #require(try await MBusSimulatorStreamTests.exchange(master, .reqUD2(address: a, fcb: false)))
        let t1 = try Telegram.decode(first.bytes), t2 = try Telegram.decode(second.bytes)
        #expect(t1.variableData?.moreRecordsFollow == true && t2.variableData?.moreRecordsFollow == false)
        // Not before the turnaround; the upper bound is left to the in-process stream tests, whose
        // clock is the simulated line's (here a busy machine may run this task late).
        #expect(first.after >= .milliseconds(20))
        let wildcard = try #require(SecondaryAddress("1234FFFFFFFFFFFF"))
        #expect(try await MBusSimulatorStreamTests.exchange(master, .selection(secondary: wildcard))?.bytes == [0xE5])
        let selected = try #require(try await MBusSimulatorStreamTests.exchange(master, .reqUD2(address: 253, fcb: true)))
        guard case .long(let header)? = try Telegram.decode(selected.bytes).variableData?.header else {
            Issue.record("no long header")
            return
        }
        #expect(header.id == "12345678")
    }

    @Test func servesAMasterOnAPseudoTerminal() async throws {
        // A pty carries no parity: the master opens it 8N1 at 2400 Bd.
        let settings = try LineSettings.eightNoneOne(baud: 2400)
        let pty = try PseudoTerminal(settings: settings)
        let server = Task { try await MBusSimulatorServer.serve(stream: pty) }
        let master = try SerialPort.open(path: pty.devicePath, settings: settings)
        try await readOut(through: master)
        // A baud switch is acknowledged and recorded on the pty.
        _ = await pty.takeNotes()
        #expect(try await MBusSimulatorStreamTests.exchange(master, .baudRateSwitch(address: a, baud: .baud9600))?.bytes == [0xE5])
        try await Task.sleep(for: .milliseconds(50))
        #expect(pty.lineSettings.baud == 9600)
        server.cancel()
        let slave = try await server.value
        #expect(slave.baud == .baud9600)
        await master.close()
        await pty.close()
    }

    @Test func servesOneTCPConnectionAfterAnother() async throws {
        let listener = try await TCPListener(host: "127.0.0.1", port: 0)
        let server = Task {
            for _ in 0..<2 {
                let connection = try await listener.accept(deadline: .now + .seconds(10))
                try await MBusSimulatorServer.serve(stream: connection)
                await connection.close()
            }
        }
        for _ in 0..<2 {
            let master = try await TCPConnection.connect(host: "127.0.0.1", port: listener.port, deadline: .now + .seconds(5))
            try await readOut(through: master)
            await master.close()
        }
        try await server.value
        listener.close()
    }

    @Test func serveEndsWhenThePeerCloses() async throws {
        let listener = try await TCPListener(host: "127.0.0.1", port: 0)
        async let accepted = listener.accept(deadline: .now + .seconds(5))
        let master = try await TCPConnection.connect(host: "127.0.0.1", port: listener.port, deadline: .now + .seconds(5))
        let connection = try await accepted
        await master.close()
        let slave = try await MBusSimulatorServer.serve(stream: connection)
        #expect(slave.accessNumber == 0)
        await connection.close()
        listener.close()
    }
}
