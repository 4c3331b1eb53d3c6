import DLMS
import Testing
import Transport
@testable import Simulators

/// The IEC 62056-21 mode E opening on the meter's side (fact sheet §2): the pure parser, and the
/// whole opening over a real pty pair with the recorded line settings. The pty suite is timed
/// (reaction times of 200 ms): listed in scripts/test's TIMED group.
@Suite("DLMS mode E opening (parser)")
struct DLMSModeEOpeningParserTests {
    let signOn: [UInt8] = Array("/?!\r\n".utf8)
    let ackHDLC19200: [UInt8] = [0x06, 0x32, 0x36, 0x32, 0x0D, 0x0A]

    @Test func theIdentificationOffersTheHighestRateAndModeE() {
        let opening = DLMSModeEServerOpening()
        #expect(opening.identification.encoded() == Array("/MPR6\\2MPR0000000000001\r\n".utf8))
        #expect(opening.reactionTime == .milliseconds(200))
        #expect(DLMSModeEServerOpening(highestRate: .bd9600).identification.baudRate == .bd9600)
    }

    @Test func signOnThenAcknowledgementSelectsHDLC() {
        var opening = DLMSModeEServerOpening()
        // Wake-up NULs before the sign-on are skipped; chunks may split a message anywhere.
        var events: [DLMSModeEServerOpening.Event] = []
        for byte in [0x00, 0x00] + signOn { events += opening.receive([byte]) }
        #expect(events.count == 1)
        #expect(opening.receive(ackHDLC19200) == [.accepted(.bd19200)])
        // Lower rates are accepted too.
        _ = opening.receive(signOn)
        #expect(opening.receive([0x06, 0x32, 0x35, 0x32, 0x0D, 0x0A]) == [.accepted(.bd9600)])
    }

    @Test func whatTheMeterDoesNotOfferIsRefusedOrIgnored() throws {
        var opening = DLMSModeEServerOpening(highestRate: .bd9600, deviceAddress: "12345")
        // An acknowledgement without a sign-on is ignored.
        #expect(opening.receive(ackHDLC19200).isEmpty)
        // A sign-on for another meter is ignored; for this one or for any meter it is answered.
        #expect(opening.receive(Array("/?99999!\r\n".utf8)).isEmpty)
        #expect(opening.receive(Array("/?12345!\r\n".utf8)).count == 1)
        // A rate above the offered one, and mode C's data readout, are refused.
        #expect(opening.receive(ackHDLC19200) == [.refused(try ModeEOptionSelect.decode(ackHDLC19200))])
        _ = opening.receive(signOn)
        let readout: [UInt8] = [0x06, 0x30, 0x35, 0x30, 0x0D, 0x0A]
        #expect(opening.receive(readout) == [.refused(try ModeEOptionSelect.decode(readout))])
    }
}

@Suite("DLMS mode E opening served on a pty")
struct DLMSServeModeETests {
    /// Reads from `line` until `count` bytes or 3 s.
    static func read(_ line: any ByteStream, count: Int) async throws -> [UInt8] {
        var bytes: [UInt8] = []
        let deadline = ContinuousClock.now + .seconds(3)
        while bytes.count < count {
            let chunk = try await line.receive(maxCount: count - bytes.count, deadline: deadline)
            if chunk.isEmpty { break }
            bytes += chunk
        }
        return bytes
    }

    static func settings(_ notes: [TransportNote]) -> [String] {
        notes.compactMap { note in
            guard case .lineSettings(let s, physical: false) = note.kind else { return nil }
            return s.description
        }
    }

    @Test func opensAt300Bd7E1AndSwitchesToTheAgreedRate8N1ThenSpeaksHDLC() async throws {
        // A pty cannot carry parity: both sides open 8N1; the meter's settings are only recorded.
        let pty = try PseudoTerminal(settings: try LineSettings.eightNoneOne(baud: 300))
        _ = await pty.takeNotes()
        let device = RecordingLogicalDevice()
        let server = Task { try await DLMSSimulatorServer.serve(line: pty, modeE: true, device: DLMSSharedLogicalDevice(device)) }
        let client = try SerialPort.open(path: pty.devicePath, settings: try LineSettings.eightNoneOne(baud: 300))

        let start = ContinuousClock.now
        try await client.send(Array("/?!\r\n".utf8))
        let identification = try await Self.read(client, count: 25)
        #expect(identification == Array("/MPR6\\2MPR0000000000001\r\n".utf8))
        // Not before the 200 ms reaction time (§2.4); the upper bound is left loose for slow machines.
        #expect(ContinuousClock.now - start >= .milliseconds(200))
        let ack: [UInt8] = [0x06, 0x32, 0x36, 0x32, 0x0D, 0x0A]
        try await client.send(ack)
        #expect(try await Self.read(client, count: 6) == ack)

        let ua = try HDLCFrame.decode(try await DLMSSimulatorStreamTests.exchange(client, LinkVectors.snrm, expecting: 33))
        #expect(ua.frameType == .unnumberedAcknowledge)
        #expect(Self.settings(await pty.takeNotes()) == ["300 7E1", "19200 7E1", "19200 8N1"])

        // DISC ends the session: the optical port goes back to 300 Bd for the next sign-on.
        let disc = try HDLCFrame.decode(try await DLMSSimulatorStreamTests.exchange(client, LinkVectors.disc(), expecting: 9))
        #expect(disc.frameType == .unnumberedAcknowledge)
        var back: [String] = []
        let deadline = ContinuousClock.now + .seconds(3)
        while back.isEmpty && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
            back = Self.settings(await pty.takeNotes())
        }
        #expect(back == ["300 7E1"])
        #expect(device.closed == [16])
        server.cancel()
        try await server.value
        await client.close()
        await pty.close()
    }
}
