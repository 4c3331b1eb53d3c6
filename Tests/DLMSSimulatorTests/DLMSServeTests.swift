import DLMS
import Testing
import Transport
@testable import Simulators

/// The server on real streams: loopback TCP (wrapper and HDLC framing) and a pseudo-terminal.
/// Timed (real sockets and ptys): listed in scripts/test's TIMED group.
@Suite("DLMS simulator served on TCP and a pty")
struct DLMSServeTests {
    static func pdu(_ apdu: [UInt8], from client: UInt16 = 16) throws -> [UInt8] {
        try WrapperFrame(sourcePort: client, destinationPort: 1, apdu: apdu[...]).encoded()
    }

    /// Waits up to 5 s for `condition`.
    static func eventually(_ condition: () -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + .seconds(5)
        while !condition() {
            if ContinuousClock.now > deadline { return false }
            try await Task.sleep(for: .milliseconds(20))
        }
        return true
    }

    @Test func servesWrapperPDUsOnConcurrentTCPConnectionsAndClosingEndsTheAssociation() async throws {
        let listener = try await TCPListener(host: "127.0.0.1", port: 0)
        let device = RecordingLogicalDevice { _ in [[0x61, 0x00]] }
        let server = Task { try await DLMSSimulatorServer.serve(listener: listener, device: DLMSSharedLogicalDevice(device)) }
        let first = try await TCPConnection.connect(host: "127.0.0.1", port: listener.port, deadline: .now + .seconds(5))
        let second = try await TCPConnection.connect(host: "127.0.0.1", port: listener.port, deadline: .now + .seconds(5))
        let a = try await DLMSSimulatorStreamTests.exchange(first, try Self.pdu(LinkVectors.aarq), expecting: 10)
        let b = try await DLMSSimulatorStreamTests.exchange(second, try Self.pdu(LinkVectors.aarq, from: 32), expecting: 10)
        #expect(a == [0x00, 0x01, 0x00, 0x01, 0x00, 0x10, 0x00, 0x02, 0x61, 0x00])
        #expect(b == [0x00, 0x01, 0x00, 0x01, 0x00, 0x20, 0x00, 0x02, 0x61, 0x00])
        await first.close()
        #expect(try await Self.eventually { device.closed == [16] })
        server.cancel()
        try await server.value
        await second.close()
        #expect(try await Self.eventually { Set(device.closed) == [16, 32] })
        listener.close()
    }

    @Test func servesHDLCOverTCPOnRequest() async throws {
        let listener = try await TCPListener(host: "127.0.0.1", port: 0)
        let server = Task {
            try await DLMSSimulatorServer.serve(listener: listener, framing: .hdlc, device: DLMSSharedLogicalDevice(RecordingLogicalDevice()))
        }
        let client = try await TCPConnection.connect(host: "127.0.0.1", port: listener.port, deadline: .now + .seconds(5))
        let ua = try HDLCFrame.decode(try await DLMSSimulatorStreamTests.exchange(client, LinkVectors.snrm, expecting: 33))
        #expect(ua.frameType == .unnumberedAcknowledge)
        await client.close()
        server.cancel()
        try await server.value
        listener.close()
    }

    @Test func servesHDLCOnAPseudoTerminal() async throws {
        let settings = try LineSettings.eightNoneOne(baud: 9600)
        let pty = try PseudoTerminal(settings: settings)
        let device = RecordingLogicalDevice()
        let server = Task { try await DLMSSimulatorServer.serve(line: pty, modeE: false, device: DLMSSharedLogicalDevice(device)) }
        let client = try SerialPort.open(path: pty.devicePath, settings: settings)
        let ua = try HDLCFrame.decode(try await DLMSSimulatorStreamTests.exchange(client, LinkVectors.snrm, expecting: 33))
        #expect(ua.frameType == .unnumberedAcknowledge)
        let response = try HDLCFrame.decode(try await DLMSSimulatorStreamTests.exchange(client, LinkVectors.aarqFrame,
                                                                                         expecting: LinkVectors.aarqFrame.count))
        #expect(Array(response.information.dropFirst(3)) == LinkVectors.aarq)
        server.cancel()
        try await server.value
        #expect(device.closed == [16])
        await client.close()
        await pty.close()
    }

    @Test func aPushIsSentInAWrapperPDUToItsDestination() async throws {
        let receiver = try await TCPListener(host: "127.0.0.1", port: 0)
        async let accepted = receiver.accept(deadline: .now + .seconds(5))
        let push = DLMSOutgoingPush(destination: "127.0.0.1:\(receiver.port)", clientPort: 0x66, apdu: [0x0F, 0x00, 0x00, 0x00, 0x01, 0x00, 0x09, 0x00])
        try await DLMSSimulatorServer.send(push, from: 1)
        let connection = try await accepted
        var bytes: [UInt8] = []
        while bytes.count < 16 {
            let chunk = try await connection.receive(maxCount: 64, timeout: .seconds(2))
            if chunk.isEmpty { break }
            bytes += chunk
        }
        let frame = try WrapperFrame.decode(bytes)
        #expect(frame.sourcePort == 1 && frame.destinationPort == 0x66)
        #expect(Array(frame.apdu) == push.apdu)
        await connection.close()
        receiver.close()
        await #expect(throws: TransportError.self) {
            try await DLMSSimulatorServer.send(DLMSOutgoingPush(destination: "nowhere", clientPort: 1, apdu: [0x0F]), from: 1)
        }
    }
}
