import DLMS
import Testing
import Transport
@testable import Simulators

/// `DLMSSimulatorStream` with a recording logical device: both framings, closing, silence.
@Suite("DLMS simulator stream")
struct DLMSSimulatorStreamTests {
    /// Sends `request` and reads until `count` bytes or 2 s of silence.
    static func exchange(_ stream: any ByteStream, _ request: [UInt8], expecting count: Int) async throws -> [UInt8] {
        try await stream.send(request)
        var reply: [UInt8] = []
        let deadline = ContinuousClock.now + .seconds(2)
        while reply.count < count {
            let chunk = try await stream.receive(maxCount: 4096, deadline: deadline)
            if chunk.isEmpty { break }
            reply += chunk
        }
        return reply
    }

    @Test func wrapperFramingAnswersWithTheWPortsSwapped() async throws {
        let stream = DLMSSimulatorStream(framing: .wrapper, device: RecordingLogicalDevice { _ in [[0x61, 0x00]] })
        let request = try WrapperFrame(sourcePort: 16, destinationPort: 1, apdu: LinkVectors.aarq[...]).encoded()
        let reply = try await Self.exchange(stream, request, expecting: 10)
        #expect(reply == [0x00, 0x01, 0x00, 0x01, 0x00, 0x10, 0x00, 0x02, 0x61, 0x00])
        let sent = try #require(stream.lastSendInstant)
        #expect(stream.lastArrivalInstant == sent)
        await stream.close()
    }

    @Test func hdlcFramingRunsTheHDLCLink() async throws {
        let stream = DLMSSimulatorStream(framing: .hdlc, device: RecordingLogicalDevice())
        let ua = try HDLCFrame.decode(try await Self.exchange(stream, LinkVectors.snrm, expecting: 33))
        #expect(ua.frameType == .unnumberedAcknowledge)
        let response = try HDLCFrame.decode(try await Self.exchange(stream, LinkVectors.aarqFrame, expecting: LinkVectors.aarqFrame.count))
        #expect(response.control.rawValue == 0x30)
        #expect(Array(response.information) == HDLCLLC.response.bytes + LinkVectors.aarq)
        await stream.close()
    }

    @Test func linkFaultsReachTheHDLCLink() async throws {
        let stream = DLMSSimulatorStream(framing: .hdlc, faults: [.badFCS], device: RecordingLogicalDevice())
        _ = try await Self.exchange(stream, LinkVectors.snrm, expecting: 33)
        let bytes = try await Self.exchange(stream, LinkVectors.aarqFrame, expecting: LinkVectors.aarqFrame.count)
        #expect(try HDLCFrame.parse(bytes).frameCheckOK == false)
        await stream.close()
    }

    @Test func closingIsALinkLossAndLaterCallsFail() async throws {
        let device = RecordingLogicalDevice()
        let stream = DLMSSimulatorStream(framing: .hdlc, device: device)
        _ = try await Self.exchange(stream, LinkVectors.snrm, expecting: 33)
        await stream.close()
        await stream.close()
        #expect(device.closed == [16])
        await #expect(throws: TransportError.closed) { try await stream.send(LinkVectors.snrm) }
        await #expect(throws: TransportError.closed) { try await stream.receive(maxCount: 10, timeout: .milliseconds(10)) }
    }

    @Test func silenceLastsUntilTheDeadline() async throws {
        let stream = DLMSSimulatorStream(framing: .wrapper, device: RecordingLogicalDevice())
        let start = ContinuousClock.now
        let bytes = try await stream.receive(maxCount: 10, deadline: start + .milliseconds(120))
        #expect(bytes.isEmpty)
        #expect(ContinuousClock.now - start >= .milliseconds(120))
        // A request for another logical device is not answered either.
        try await stream.send(try WrapperFrame(sourcePort: 16, destinationPort: 9, apdu: [0xC0][...]).encoded())
        #expect(try await stream.receive(maxCount: 10, timeout: .milliseconds(60)).isEmpty)
        await stream.close()
    }
}
