import Testing
import Transport

@Suite("TCP and UDP")
struct SocketTests {
    @Test func tcpLoopbackBothDirectionsAndPeerClose() async throws {
        let listener = try await TCPListener(host: "127.0.0.1", port: 0)
        #expect(listener.port != 0)
        async let accepted = listener.accept(deadline: .now + .seconds(10))
        let client = try await TCPConnection.connect(host: "127.0.0.1", port: listener.port, deadline: .now + .seconds(10))
        let server = try await accepted
        try await client.send([0x00, 0x01, 0x00, 0x10])
        #expect(try await receiveExactly(server, count: 4) == [0x00, 0x01, 0x00, 0x10])
        try await server.send([0xC0, 0x01])
        #expect(try await receiveExactly(client, count: 2) == [0xC0, 0x01])
        await server.close()
        await #expect(throws: TransportError.connectionClosed) {
            _ = try await client.receive(maxCount: 16, deadline: .now + .seconds(10))
        }
        await client.close()
        listener.close()
    }

    @Test func tcpSilenceUntilTheDeadline() async throws {
        let listener = try await TCPListener()
        async let accepted = listener.accept()
        let client = try await TCPConnection.connect(host: "localhost", port: listener.port, deadline: .now + .seconds(10))
        let server = try await accepted
        let deadline = ContinuousClock.now + .milliseconds(100)
        #expect(try await client.receive(maxCount: 8, deadline: deadline).isEmpty)
        #expect(ContinuousClock.now >= deadline)
        await client.close()
        await server.close()
        listener.close()
    }

    @Test func udpLoopbackOneSendIsOneDatagram() async throws {
        let a = try await UDPSocket.bind()
        let b = try await UDPSocket.bind()
        try await a.connect(host: "127.0.0.1", port: b.localPort)
        try await b.connect(host: "127.0.0.1", port: a.localPort)
        try await a.send([1, 2, 3])
        try await a.send([4, 5])
        #expect(try await b.receive(maxCount: 100, timeout: .seconds(5)) == [1, 2, 3])
        #expect(try await b.receive(maxCount: 100, timeout: .seconds(5)) == [4, 5])
        try await b.send([9])
        #expect(try await a.receive(maxCount: 100, timeout: .seconds(5)) == [9])
        let deadline = ContinuousClock.now + .milliseconds(50)
        #expect(try await a.receive(maxCount: 100, deadline: deadline).isEmpty)
        #expect(ContinuousClock.now >= deadline)
        await a.close()
        await b.close()
    }

    @Test func registryOpensTcpAndRefusesUnregisteredSchemes() async throws {
        let listener = try await TCPListener()
        let registry = TransportRegistry.standard()
        async let accepted = listener.accept()
        let stream = try await registry.open("tcp://127.0.0.1:\(listener.port)")
        let server = try await accepted
        try await stream.send([0x68])
        #expect(try await receiveExactly(server, count: 1) == [0x68])
        await #expect(throws: TransportError.noOpener(scheme: "sim")) { _ = try await registry.open("sim:mbus") }
        registry.register(scheme: "sim") { _ throws(TransportError) in try PseudoTerminal() }
        let simulated = try await registry.open("sim:mbus?faults=bad-checksum")
        await simulated.close()
        await stream.close()
        await server.close()
        listener.close()
    }
}
