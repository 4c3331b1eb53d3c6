import Foundation
import Testing
import Transport

@Suite("RecordingStream")
struct RecordingStreamTests {
    @Test func recordsEveryChunkInOrderWithBothClocks() async throws {
        let pty = try PseudoTerminal()
        let port = try SerialPort.open(path: pty.devicePath, settings: .mbusDefault)
        let tap = RecordingStream(port)
        let wallBefore = Date()
        let before = ContinuousClock.now
        try await tap.send([0x10, 0x40, 0x01, 0x41, 0x16])
        _ = try await receiveExactly(pty, count: 5)
        try await pty.send([0xE5])
        #expect(try await receiveExactly(tap, count: 1) == [0xE5])
        // Silence is not an event.
        #expect(try await tap.receive(maxCount: 8, timeout: .milliseconds(20)).isEmpty)

        let events = tap.recording.snapshot
        #expect(events.map(\.kind) == [
            // The port is a pty: its settings are recorded, not physical.
            .note(.lineSettings(.mbusDefault, physical: false)),
            .sent([0x10, 0x40, 0x01, 0x41, 0x16]),
            .received([0xE5]),
        ])
        #expect(events.map(\.sequence) == [0, 1, 2])
        #expect(events.map(\.direction) == [nil, .toDevice, .fromDevice])
        #expect(events[2].bytes == [0xE5])
        #expect(events[1].instant >= before && events[2].instant >= events[1].instant)
        #expect(events[1].date >= wallBefore)
        await tap.close()
        await pty.close()
    }

    @Test func lineControlOnANonSerialStreamIsUnsupported() async throws {
        let a = try await UDPSocket.bind()
        let tap = RecordingStream(a)
        await #expect(throws: TransportError.self) { try await tap.apply(.mbusDefault) }
        await tap.close()
    }
}
