import DLMS
import Testing
@testable import Simulators

/// The HDLC server link as a state machine, driven with frames built by our codec (fact sheet §1).
@Suite("DLMS HDLC server link")
struct DLMSLinkHDLCTests {
    typealias V = LinkVectors

    func decode(_ out: [[UInt8]]) throws -> [HDLCFrame] {
        try out.map { try HDLCFrame.decode($0) }
    }

    /// A link after SNRM/UA with `parameters` proposed by the client.
    func connected(_ device: RecordingLogicalDevice, faults: Set<DLMSFault> = [],
                   parameters: HDLCParameters? = nil) throws -> DLMSHDLCServerLink {
        var link = DLMSHDLCServerLink(faults: faults, device: device)
        let ua = try decode(link.receive(V.snrm(parameters: parameters)))
        try #require(ua.count == 1 && ua[0].frameType == .unnumberedAcknowledge)
        return link
    }

    // MARK: SNRM / UA

    @Test func snrmWithoutParametersIsAnsweredWithTheDefaults() throws {
        var link = DLMSHDLCServerLink(device: RecordingLogicalDevice())
        let out = try decode(link.receive(V.snrm))
        #expect(out.count == 1)
        let ua = try #require(out.first)
        #expect(ua.control.rawValue == 0x73)
        #expect(ua.destination == V.client && ua.source == V.server)
        let parameters = try #require(try ua.negotiatedParameters())
        // §1.8: no information field means 128 bytes and window 1 on both sides.
        #expect(parameters.maximumInformationFieldLengthTransmit == 128)
        #expect(parameters.maximumInformationFieldLengthReceive == 128)
        #expect(parameters.windowSizeTransmit == 1 && parameters.windowSizeReceive == 1)
        // Written as GX writes them: 1-byte lengths, 4-byte windows (§1.8 example block).
        #expect(Array(ua.information) == [0x81, 0x80, 0x12, 0x05, 0x01, 0x80, 0x06, 0x01, 0x80,
                                          0x07, 0x04, 0x00, 0x00, 0x00, 0x01, 0x08, 0x04, 0x00, 0x00, 0x00, 0x01])
        #expect(link.mode == .normalResponse)
    }

    @Test func snrmProposalsAreNegotiatedDownToTheMinimum() throws {
        var link = DLMSHDLCServerLink(device: RecordingLogicalDevice())
        let proposal = HDLCParameters(maximumInformationFieldLengthTransmit: 2000, maximumInformationFieldLengthReceive: 256,
                                      windowSizeTransmit: 7, windowSizeReceive: 3)
        let ua = try #require(try decode(link.receive(V.snrm(parameters: proposal))).first)
        let p = try #require(try ua.negotiatedParameters())
        // UA values are the server's: it sends at most what the client receives and vice versa.
        #expect(p.maximumInformationFieldLengthTransmit == 256)
        #expect(p.maximumInformationFieldLengthReceive == 1024)
        #expect(p.windowSizeTransmit == 3)
        #expect(p.windowSizeReceive == 7)
        #expect(link.negotiated == p)
    }

    @Test func snrmWithAMalformedParameterBlockGetsFRMR() throws {
        var link = DLMSHDLCServerLink(device: RecordingLogicalDevice())
        let bad = HDLCFrame.unnumbered(.setNormalResponseMode, destination: V.server, source: V.client, information: [0x81, 0x80, 0x05, 0x05, 0x03][...])
        let out = try decode(link.receive(V.encode(try #require(bad))))
        let frmr = try #require(try out.first?.frameReject())
        #expect(frmr.reasons == .invalidInformation)
        #expect(link.mode == .normalDisconnected)
    }

    @Test func bytesMayArriveInAnyChunks() throws {
        var link = DLMSHDLCServerLink(device: RecordingLogicalDevice())
        var out: [[UInt8]] = []
        for byte in V.snrm { out += link.receive([byte]) }
        #expect(try decode(out).map(\.frameType) == [.unnumberedAcknowledge])
    }

    @Test func aPartialFrameIsDroppedAfterTheInterOctetTimeout() throws {
        let start = ContinuousClock.now
        // An SNRM without its closing flag, then a whole SNRM 1 s later: one UA, not two.
        var link = DLMSHDLCServerLink(device: RecordingLogicalDevice())
        #expect(link.receive(V.snrm.dropLast(), at: start).isEmpty)
        #expect(try decode(link.receive(V.snrm, at: start + .seconds(1))).map(\.frameType) == [.unnumberedAcknowledge])
        // A frame split by a shorter gap is still joined.
        var other = DLMSHDLCServerLink(device: RecordingLogicalDevice())
        #expect(other.receive(V.snrm.prefix(4), at: start).isEmpty)
        #expect(try decode(other.receive(V.snrm.dropFirst(4), at: start + .milliseconds(100))).count == 1)
    }

    @Test func afterAnAnswerAFrameWithoutItsOpeningFlagIsNotOpenedByTheLastClosingFlag() throws {
        var link = DLMSHDLCServerLink(device: RecordingLogicalDevice())
        #expect(link.receive(V.snrm).count == 1)
        #expect(link.receive(V.disc().dropFirst()).isEmpty)
        #expect(link.mode == .normalResponse)
    }

    // MARK: Addresses

    @Test func framesForAnotherServerAreIgnored() throws {
        let device = RecordingLogicalDevice()
        var link = DLMSHDLCServerLink(device: device)
        for other in [try HDLCAddress.server(logical: 1, physical: 18), try HDLCAddress.server(logical: 2, physical: 17),
                      try HDLCAddress.server(logical: 2)] {
            #expect(link.receive(V.snrm(parameters: nil, to: other)).isEmpty)
            #expect(link.receive(V.disc(to: other)).isEmpty)
        }
        #expect(link.mode == .normalDisconnected)
    }

    @Test func answersWithTheAddressSizeTheClientUsed() throws {
        for server in [try HDLCAddress(upper: 1, lower: 17, size: .four), try HDLCAddress(upper: 1, lower: 17, size: .two)] {
            var link = DLMSHDLCServerLink(device: RecordingLogicalDevice())
            let ua = try #require(try decode(link.receive(V.snrm(parameters: nil, to: server))).first)
            #expect(ua.source == server)
            let response = try #require(try decode(link.receive(V.information(V.aarq, ns: 0, nr: 0, to: server))).first)
            #expect(response.source == server && response.source.size == server.size)
        }
    }

    // MARK: I frames

    @Test func anIFrameReachesTheLogicalDeviceAndItsAnswerComesBackWithTheResponseLLC() throws {
        let device = RecordingLogicalDevice { _ in [[0x61, 0x03, 0xA1, 0x01, 0x00]] }
        var link = try connected(device)
        let out = try decode(link.receive(V.aarqFrame))
        #expect(device.received.map(\.apdu) == [V.aarq])
        #expect(device.received.map(\.client) == [16])
        let response = try #require(out.first)
        #expect(out.count == 1)
        // §1.6 frame 5: control 30 = I, N(S)=0, N(R)=1, F=1; LLC E6 E7 00.
        #expect(response.control.rawValue == 0x30)
        #expect(response.llc == .response)
        #expect(Array(response.information) == [0xE6, 0xE7, 0x00, 0x61, 0x03, 0xA1, 0x01, 0x00])
        // The next request acknowledges it and gets N(S)=1, N(R)=2.
        let second = try #require(try decode(link.receive(V.information([0xC0, 0x01], ns: 1, nr: 1))).first)
        #expect(second.control.sendSequence == 1 && second.control.receiveSequence == 2)
    }

    @Test func anOutOfSequenceIFrameIsDiscardedAndRRCarriesTheExpectedNR() throws {
        let device = RecordingLogicalDevice()
        var link = try connected(device)
        let out = try decode(link.receive(V.information([0xC0, 0x01], ns: 3, nr: 0)))
        #expect(device.received.isEmpty)
        let rr = try #require(out.first)
        #expect(rr.frameType == .receiveReady && rr.control.receiveSequence == 0 && rr.control.pollFinal)
        // The right N(S) is then accepted.
        #expect(try decode(link.receive(V.information([0xC0, 0x01], ns: 0, nr: 0))).first?.frameType == .information)
    }

    @Test func anInvalidNRGetsFRMRAndTheLinkStaysRejectedUntilSNRM() throws {
        var link = try connected(RecordingLogicalDevice())
        let out = try decode(link.receive(V.information([0xC0, 0x01], ns: 0, nr: 4)))
        let frmr = try #require(try out.first?.frameReject())
        #expect(frmr.reasons == .invalidReceiveSequence)
        #expect(frmr.rejectedControl == HDLCControl.information(sendSequence: 0, receiveSequence: 4, pollFinal: true))
        #expect(try decode(link.receive(V.rr(0))).first?.frameType == .frameReject)
        #expect(try decode(link.receive(V.snrm)).first?.frameType == .unnumberedAcknowledge)
        #expect(try decode(link.receive(V.rr(0))).first?.frameType == .receiveReady)
    }

    @Test func anUndefinedControlFieldOrAResponseSentAsACommandGetsFRMR() throws {
        var link = try connected(RecordingLogicalDevice())
        let rej = HDLCFrame(destination: V.server, source: V.client, control: HDLCControl(rawValue: 0x19))
        #expect(try decode(link.receive(V.encode(rej))).first?.frameReject()?.reasons == .controlFieldUndefined)
        var other = try connected(RecordingLogicalDevice())
        let ua = try #require(HDLCFrame.unnumbered(.unnumberedAcknowledge, destination: V.server, source: V.client))
        #expect(try decode(other.receive(V.encode(ua))).first?.frameReject()?.reasons == .controlFieldUndefined)
    }

    @Test func anInformationFieldBeyondTheNegotiatedMaximumGetsFRMR() throws {
        let device = RecordingLogicalDevice()
        var link = try connected(device)
        let out = try decode(link.receive(V.information(V.apdu(200), ns: 0, nr: 0)))
        #expect(try out.first?.frameReject()?.reasons == .informationSizeExceeded)
        #expect(device.received.isEmpty)
    }

    @Test func framesWithABadFCSAreDroppedUnanswered() throws {
        var link = try connected(RecordingLogicalDevice())
        var frame = V.aarqFrame
        frame[frame.count - 2] ^= 0x01
        #expect(link.receive(frame).isEmpty)
    }

    // MARK: NDM, DISC

    @Test func commandsInNDMGetDM() throws {
        let device = RecordingLogicalDevice()
        var link = DLMSHDLCServerLink(device: device)
        #expect(try decode(link.receive(V.aarqFrame)).map(\.control.rawValue) == [0x1F])
        #expect(try decode(link.receive(V.rr(0))).map(\.control.rawValue) == [0x1F])
        #expect(try decode(link.receive(V.disc())).map(\.control.rawValue) == [0x1F])
        #expect(device.received.isEmpty)
    }

    @Test func discInNRMGetsUAAndClosesTheLink() throws {
        let device = RecordingLogicalDevice()
        var link = try connected(device)
        let out = try decode(link.receive(V.disc()))
        #expect(out.map(\.control.rawValue) == [0x73])
        #expect(out.first?.information.isEmpty == true)
        #expect(device.closed == [16])
        #expect(link.mode == .normalDisconnected)
        #expect(try decode(link.receive(V.disc())).map(\.control.rawValue) == [0x1F])
    }

    @Test func aSecondSNRMResetsTheLinkAndEndsTheAssociation() throws {
        let device = RecordingLogicalDevice()
        var link = try connected(device)
        _ = link.receive(V.aarqFrame)
        _ = link.receive(V.snrm)
        #expect(device.closed == [16])
        // Sequence numbers start again at 0.
        #expect(try decode(link.receive(V.aarqFrame)).first?.control.rawValue == 0x30)
    }

    @Test func aSilentClientLosesTheLinkAfterTheInactivityTimeout() throws {
        let device = RecordingLogicalDevice()
        let start = ContinuousClock.now
        var link = DLMSHDLCServerLink(device: device)
        _ = link.receive(V.snrm, at: start)
        _ = link.receive(V.aarqFrame, at: start + .seconds(100))
        link.checkInactivity(at: start + .seconds(200))
        #expect(link.mode == .normalResponse)
        link.checkInactivity(at: start + .seconds(221))
        #expect(link.mode == .normalDisconnected)
        #expect(device.closed == [16])
        // An I frame after that gets DM.
        #expect(try decode(link.receive(V.information([0xC0, 0x01], ns: 1, nr: 1), at: start + .seconds(222))).map(\.control.rawValue) == [0x1F])
    }

    @Test func linkLossClosesTheAssociation() throws {
        let device = RecordingLogicalDevice()
        var link = try connected(device)
        link.linkLost()
        #expect(device.closed == [16])
        #expect(link.mode == .normalDisconnected)
    }

    // MARK: Segmentation

    @Test func clientSegmentsAreAcknowledgedWithRRAndJoined() throws {
        let device = RecordingLogicalDevice { _ in [[0xC4, 0x01]] }
        var link = try connected(device)
        let apdu = V.apdu(300)
        let frames = try HDLCSegmentation.informationFrames(apdu: apdu, llc: .command, destination: V.server, source: V.client,
                                                            maximumInformationFieldLength: 128, firstSendSequence: 0, receiveSequence: 0)
        #expect(frames.count == 3)
        for (index, frame) in frames.dropLast().enumerated() {
            let out = try decode(link.receive(V.encode(frame)))
            #expect(out.map(\.frameType) == [.receiveReady])
            #expect(out.first?.control.receiveSequence == UInt8(index + 1))
        }
        let last = try decode(link.receive(V.encode(try #require(frames.last))))
        #expect(device.received.map(\.apdu) == [apdu])
        #expect(last.first?.control.receiveSequence == 3)
    }

    @Test func longResponsesAreSegmentedOneFrameAtATimeWithWindowOne() throws {
        let response = V.apdu(300)
        var link = try connected(RecordingLogicalDevice { _ in [response] })
        var received: [HDLCFrame] = try decode(link.receive(V.information([0xC0, 0x01], ns: 0, nr: 0)))
        #expect(received.count == 1)
        while let last = received.last, last.segmented {
            #expect(last.control.pollFinal)
            let next = try decode(link.receive(V.rr(last.control.sendSequence.map { ($0 + 1) & 7 } ?? 0)))
            #expect(next.count == 1)
            received += next
        }
        #expect(received.map(\.information.count) == [128, 128, 47])
        #expect(received.compactMap(\.control.sendSequence) == [0, 1, 2])
        var reassembler = HDLCReassembler()
        var joined: HDLCReassembled?
        for frame in received { joined = try reassembler.append(frame) }
        #expect(joined?.llc == .response)
        #expect(joined?.apdu == response)
    }

    @Test func aWiderWindowSendsBurstsWithFOnTheLastFrameAndResendsWhatIsNotAcknowledged() throws {
        let response = V.apdu(600)
        let proposal = HDLCParameters(windowSizeTransmit: 1, windowSizeReceive: 3)
        var link = try connected(RecordingLogicalDevice { _ in [response] }, parameters: proposal)
        let burst = try decode(link.receive(V.information([0xC0, 0x01], ns: 0, nr: 0)))
        #expect(burst.compactMap(\.control.sendSequence) == [0, 1, 2])
        #expect(burst.map(\.control.pollFinal) == [false, false, true])
        #expect(burst.map(\.segmented) == [true, true, true])
        // RR acknowledging only the first two: the third is sent again.
        let again = try decode(link.receive(V.rr(2)))
        #expect(again.compactMap(\.control.sendSequence) == [2])
        // RR acknowledging all three: the last two (603 bytes = 4 × 128 + 91).
        let rest = try decode(link.receive(V.rr(3)))
        #expect(rest.compactMap(\.control.sendSequence) == [3, 4])
        #expect(rest.map(\.segmented) == [true, false])
        #expect(rest.map(\.control.pollFinal) == [false, true])
        // Nothing left: a poll gets RR.
        #expect(try decode(link.receive(V.rr(5))).map(\.frameType) == [.receiveReady])
    }

    @Test func rnrHoldsTheResponseUntilRR() throws {
        var link = try connected(RecordingLogicalDevice { _ in [V.apdu(300)] })
        _ = link.receive(V.information([0xC0, 0x01], ns: 0, nr: 0))
        let rnr = V.encode(.receiveNotReady(destination: V.server, source: V.client, receiveSequence: 1))
        #expect(try decode(link.receive(rnr)).map(\.frameType) == [.receiveReady])
        #expect(try decode(link.receive(V.rr(1))).first?.control.sendSequence == 1)
    }

    @Test func uiFramesAreDeliveredAndAnsweredWithUI() throws {
        let device = RecordingLogicalDevice()
        var link = DLMSHDLCServerLink(device: device)
        let ui = try #require(HDLCFrame.unnumbered(.unnumberedInformation, destination: V.server, source: V.client,
                                                   information: (HDLCLLC.command.bytes + [0xC0, 0x01])[...]))
        let out = try decode(link.receive(V.encode(ui)))
        #expect(device.received.map(\.apdu) == [[0xC0, 0x01]])
        #expect(out.map(\.frameType) == [.unnumberedInformation])
        #expect(out.first?.llc == .response)
    }

    // MARK: Link faults

    @Test func missingLLCHeaderFaultSendsTheBareAPDU() throws {
        var link = try connected(RecordingLogicalDevice { _ in [[0x61, 0x00]] }, faults: [.missingLLCHeader])
        let response = try #require(try decode(link.receive(V.aarqFrame)).first)
        #expect(Array(response.information) == [0x61, 0x00])
        #expect(response.llc == nil)
    }

    @Test func badFCSFaultBreaksTheFCSOfEveryIFrameOnly() throws {
        var link = DLMSHDLCServerLink(faults: [.badFCS], device: RecordingLogicalDevice())
        #expect(try decode(link.receive(V.snrm)).first?.frameType == .unnumberedAcknowledge)
        for (ns, nr) in [(UInt8(0), UInt8(0)), (1, 1)] {
            let out = link.receive(V.information([0xC0, 0x01], ns: ns, nr: nr))
            let bytes = try #require(out.first)
            let parsed = try HDLCFrame.parse(bytes)
            #expect(parsed.frame.frameType == .information)
            #expect(parsed.headerCheckOK && !parsed.frameCheckOK)
        }
        #expect(try decode(link.receive(V.disc())).first?.frameType == .unnumberedAcknowledge)
    }

    @Test func sequenceErrorFaultRepeatsNSOnTheSecondIFrame() throws {
        var link = try connected(RecordingLogicalDevice(), faults: [.hdlcSequenceError])
        let first = try #require(try decode(link.receive(V.information([0xC0, 0x01], ns: 0, nr: 0))).first)
        let second = try #require(try decode(link.receive(V.information([0xC0, 0x02], ns: 1, nr: 1))).first)
        let third = try #require(try decode(link.receive(V.information([0xC0, 0x03], ns: 2, nr: 2))).first)
        #expect(first.control.sendSequence == 0)
        #expect(second.control.sendSequence == 0)
        #expect(third.control.sendSequence == 2)
        // Without the fault: 0, 1.
        var clean = try connected(RecordingLogicalDevice())
        _ = clean.receive(V.information([0xC0, 0x01], ns: 0, nr: 0))
        #expect(try decode(clean.receive(V.information([0xC0, 0x02], ns: 1, nr: 1))).first?.control.sendSequence == 1)
    }

    @Test func ignoresDISCFaultLeavesDISCUnansweredAndStaysInNRM() throws {
        let device = RecordingLogicalDevice()
        var link = try connected(device, faults: [.ignoresDISC])
        #expect(link.receive(V.disc()).isEmpty)
        #expect(link.mode == .normalResponse)
        #expect(device.closed.isEmpty)
        #expect(try decode(link.receive(V.aarqFrame)).first?.frameType == .information)
    }

    @Test func applicationFaultsDoNotChangeTheLink() throws {
        let link = DLMSHDLCServerLink(faults: Set(DLMSFault.allCases), device: RecordingLogicalDevice())
        #expect(link.faults == Set(DLMSFault.allCases.filter(\.isLinkFault)))
    }
}
