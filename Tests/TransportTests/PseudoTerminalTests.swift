import Testing
import Transport

// The pty is the serial code path without hardware: SerialPort opens the device side exactly as it
// opens /dev/ttyUSB0, and the controller side plays the meter.
@Suite("PseudoTerminal and SerialPort")
struct PseudoTerminalTests {
    @Test func roundTripBothDirections() async throws {
        let pty = try PseudoTerminal()
        #expect(pty.devicePath.hasPrefix("/dev/pts/"))
        let port = try SerialPort.open(path: pty.devicePath, settings: .mbusDefault)
        let request: [UInt8] = [0x10, 0x5B, 0xFE, 0x59, 0x16]
        try await port.send(request)
        #expect(try await receiveExactly(pty, count: request.count) == request)
        let reply: [UInt8] = Array(0...255)  // every byte value passes unaltered in raw mode
        try await pty.send(reply)
        #expect(try await receiveExactly(port, count: reply.count) == reply)
        await port.close()
        await pty.close()
    }

    @Test func readsReturnChunksOfAtMostMaxCount() async throws {
        let pty = try PseudoTerminal()
        let port = try SerialPort.open(path: pty.devicePath, settings: .standardDefault)
        let bytes: [UInt8] = Array(1...10)
        try await pty.send(bytes)
        var collected: [UInt8] = []
        let deadline = ContinuousClock.now + .seconds(5)
        while collected.count < bytes.count {
            let chunk = try await port.receive(maxCount: 4, deadline: deadline)
            #expect(!chunk.isEmpty && chunk.count <= 4)
            if chunk.isEmpty { break }
            collected += chunk
        }
        #expect(collected == bytes)
        await port.close()
        await pty.close()
    }

    /// "Expect silence for a duration": an empty result, never before the deadline.
    @Test func silenceReturnsEmptyNoEarlierThanTheDeadline() async throws {
        let pty = try PseudoTerminal()
        let port = try SerialPort.open(path: pty.devicePath, settings: .standardDefault)
        for stream in [port as any ByteStream, pty] {
            let deadline = ContinuousClock.now + .milliseconds(150)
            let bytes = try await stream.receive(maxCount: 64, deadline: deadline)
            #expect(bytes.isEmpty)
            #expect(ContinuousClock.now >= deadline)
        }
        await port.close()
        await pty.close()
    }

    @Test func cancellationEndsAPendingReceive() async throws {
        let pty = try PseudoTerminal()
        let task = Task { () async throws(TransportError) -> [UInt8] in
            try await pty.receive(maxCount: 1, deadline: .now + .seconds(600))
        }
        try await Task.sleep(for: .milliseconds(50))
        task.cancel()
        await #expect(throws: TransportError.cancelled) { try await task.value }
        await pty.close()
    }

    @Test func closeEndsAPendingReceiveAndLaterCallsFail() async throws {
        let pty = try PseudoTerminal()
        let task = Task { () async throws(TransportError) -> [UInt8] in
            try await pty.receive(maxCount: 1, deadline: .now + .seconds(600))
        }
        try await Task.sleep(for: .milliseconds(50))
        await pty.close()
        await #expect(throws: TransportError.closed) { try await task.value }
        await #expect(throws: TransportError.closed) { try await pty.send([1]) }
    }

    @Test func lineSettingsChangesAreRecordedWithTheirTime() async throws {
        let pty = try PseudoTerminal()
        let port = try SerialPort.open(path: pty.devicePath, settings: try .sevenEvenOne(baud: 300))
        let tap = RecordingStream(port)
        let before = ContinuousClock.now
        let modeE = try LineSettings.eightEvenOne(baud: 9600)
        try await tap.apply(modeE)
        #expect(port.lineSettings == modeE)
        let notes = tap.recording.snapshot.filter { if case .note = $0.kind { true } else { false } }
        // A pty slave keeps no speed or parity: the port knows it and records the changes as such.
        #expect(port.isPseudoTerminal)
        #expect(notes.map(\.kind) == [
            .note(.lineSettings(try .sevenEvenOne(baud: 300), physical: false)),
            .note(.lineSettings(modeE, physical: false)),
        ])
        #expect(notes.count == 2 && notes[1].instant >= before)
        #expect(port.settingsHistory.map(\.settings) == [try .sevenEvenOne(baud: 300), modeE])

        // On the controller side of a pty nothing physical changes; the change is only recorded.
        let controllerTap = RecordingStream(pty)
        try await controllerTap.apply(modeE)
        #expect(controllerTap.recording.snapshot.last?.kind == .note(.lineSettings(modeE, physical: false)))
        await #expect(throws: TransportError.unsupportedSetting("RTS/DTR control on a pseudo-terminal (\(pty.devicePath))")) {
            try await pty.setModemLines(rts: true, dtr: nil)
        }
        await port.close()
        await pty.close()
    }

    /// The other side vanishing (a USB adapter unplugged; here the pty closed) is a transport error, not silence.
    @Test func deviceSideReportsTheDeviceGone() async throws {
        let pty = try PseudoTerminal()
        let path = pty.devicePath
        let port = try SerialPort.open(path: path, settings: .mbusDefault)
        await pty.close()
        await #expect(throws: TransportError.deviceGone(path)) {
            _ = try await port.receive(maxCount: 8, deadline: .now + .seconds(10))
        }
        await port.close()
    }

    @Test func invalidLineSettingsAreRejected() {
        #expect(throws: TransportError.self) { try LineSettings(baud: 2401) }
        #expect(throws: TransportError.unsupportedSetting("9 data bits (7 or 8)")) { try LineSettings(baud: 2400, dataBits: 9) }
        #expect(throws: TransportError.unsupportedSetting("3 stop bits (1 or 2)")) { try LineSettings(baud: 2400, stopBits: 3) }
        #expect(LineSettings.mbusDefault.description == "2400 8E1")
    }

    @Test func missingDeviceIsNamed() async {
        #expect(throws: TransportError.deviceNotFound("/dev/ttyNOPE")) {
            try SerialPort.open(path: "/dev/ttyNOPE", settings: .mbusDefault)
        }
        await #expect(throws: TransportError.deviceNotFound("/dev/ttyNOPE")) {
            _ = try await TransportRegistry.standard().open("serial:///dev/ttyNOPE?baud=2400&parity=even")
        }
        #expect(TransportError.deviceNotFound("/dev/ttyNOPE").description == "device not found: /dev/ttyNOPE")
    }
}
