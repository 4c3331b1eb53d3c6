import Testing
import Transport

// Level converters and RS-485 adapters return what the master sends; echo=true drops exactly that.
@Suite("Local echo discarding")
struct EchoTests {
    @Test func theEchoIsDroppedAndTheReplyDelivered() async throws {
        let pty = try PseudoTerminal()
        let port = try SerialPort.open(path: pty.devicePath, settings: .mbusDefault, options: .init(discardEcho: true, echoGrace: .seconds(10)))  // generous: the peer is a task competing with parallel tests
        let tap = RecordingStream(port)
        let request: [UInt8] = [0x10, 0x40, 0xFE, 0x3E, 0x16]
        let peer = Task {
            let heard = try await receiveExactly(pty, count: request.count)
            try await pty.send(heard)   // the adapter's echo
            try await pty.send([0xE5])  // the meter's acknowledgement
        }
        try await tap.send(request)
        #expect(try await receiveExactly(tap, count: 1) == [0xE5])
        try await peer.value
        #expect(!tap.recording.snapshot.contains { if case .note(.echoMismatch) = $0.kind { true } else { false } })
        await port.close()
        await pty.close()
    }

    @Test func aWrongEchoIsRecordedAndItsBytesAreKept() async throws {
        let pty = try PseudoTerminal()
        let port = try SerialPort.open(path: pty.devicePath, settings: .mbusDefault, options: .init(discardEcho: true, echoGrace: .seconds(10)))  // generous: the peer is a task competing with parallel tests
        let tap = RecordingStream(port)
        let request: [UInt8] = [0x10, 0x40, 0xFE, 0x3E, 0x16]
        let garbled: [UInt8] = [0x10, 0x40, 0xFF, 0x3E, 0x16]
        let peer = Task {
            _ = try await receiveExactly(pty, count: request.count)
            try await pty.send(garbled)
        }
        try await tap.send(request)
        try await peer.value
        #expect(tap.recording.snapshot.contains { $0.kind == .note(.echoMismatch(expected: request, received: garbled)) })
        #expect(try await receiveExactly(tap, count: garbled.count) == garbled)
        await port.close()
        await pty.close()
    }
}
