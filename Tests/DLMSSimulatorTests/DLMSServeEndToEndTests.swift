import DLMS
import Testing
import Transport
@testable import Simulators

/// The reference server end to end: an AARQ from our codec reaches the COSEM server through each
/// link and the AARE comes back, in process (`sim:dlms`, `sim:dlms-hdlc`) and over loopback TCP.
/// The TCP test is timed: listed in scripts/test's TIMED group with the other DLMSServe suites.
@Suite("DLMS reference server end to end")
struct DLMSServeEndToEndTests {
    /// The public client's AARQ: LN referencing, no security, conformance 00 7E 1F (fact sheet §4.9).
    static var aarq: [UInt8] {
        let initiate = XDLMSAPDU.initiateRequest(InitiateRequest(proposedConformance: Conformance(rawValue: 0x007E1F),
                                                                 clientMaxReceivePDUSize: 0xFFFF)).encoded()
        return AARQ(applicationContextName: .logicalNameNoCiphering, userInformation: UserInformation(initiate)).encoded()
    }

    static func wrapped(_ apdu: [UInt8], from client: UInt16 = 16) throws -> [UInt8] {
        try WrapperFrame(sourcePort: client, destinationPort: 1, apdu: apdu[...]).encoded()
    }

    /// Reads one wrapper PDU from `stream`.
    static func readPDU(_ stream: any ByteStream) async throws -> WrapperFrame {
        var reader = WrapperReader()
        let deadline = ContinuousClock.now + .seconds(3)
        while ContinuousClock.now < deadline {
            if case .frame(let frame, _, _)? = reader.next() { return frame }
            let chunk = try await stream.receive(maxCount: 4096, deadline: deadline)
            reader.append(chunk)
        }
        throw TestFailure("no complete reply within 3 s")
    }

    /// Reads HDLC frames from `stream` until one with S = 0 (or a non-I frame) arrives, answering
    /// segments with RR; returns the frames.
    static func readHDLC(_ stream: any ByteStream) async throws -> [HDLCFrame] {
        var reader = HDLCFrameReader()
        var frames: [HDLCFrame] = []
        let deadline = ContinuousClock.now + .seconds(3)
        while ContinuousClock.now < deadline {
            while let event = reader.next() {
                guard case .frame(let frame, _, _) = event else { continue }
                frames.append(frame)
                guard frame.segmented, let ns = frame.control.sendSequence else { return frames }
                try await stream.send(LinkVectors.rr((ns + 1) & 7))
            }
            reader.append(try await stream.receive(maxCount: 4096, deadline: deadline))
        }
        throw TestFailure("no complete reply within 3 s")
    }

    static func expectAccepted(_ apdu: some Collection<UInt8>) throws {
        let aare = try AARE(decoding: Array(apdu))
        #expect(aare.result == .accepted)
    }

    @Test func simDLMSAnswersAnAARQInAWrapperWithAnAARE() async throws {
        let registry = TransportRegistry()
        SimulatorCatalogue.register(in: registry)
        let stream = try await registry.open("sim:dlms")
        #expect((stream as? DLMSSimulatorStream)?.framing == .wrapper)
        try await stream.send(try Self.wrapped(Self.aarq))
        let reply = try await Self.readPDU(stream)
        #expect(reply.sourcePort == 1 && reply.destinationPort == 16)
        try Self.expectAccepted(reply.apdu)
        await stream.close()
    }

    @Test func simDLMSHDLCAnswersAnAARQInAnIFrameWithAnAARE() async throws {
        let registry = TransportRegistry()
        SimulatorCatalogue.register(in: registry)
        let stream = try await registry.open("sim:dlms-hdlc")
        try await stream.send(LinkVectors.snrm)
        #expect(try await Self.readHDLC(stream).map(\.frameType) == [.unnumberedAcknowledge])
        try await stream.send(LinkVectors.information(Self.aarq, ns: 0, nr: 0))
        let frames = try await Self.readHDLC(stream)
        var reassembler = HDLCReassembler()
        var joined: HDLCReassembled?
        for frame in frames { joined = try reassembler.append(frame) }
        let aare = try #require(joined)
        #expect(aare.llc == .response)
        try Self.expectAccepted(aare.apdu)
        try await stream.send(LinkVectors.disc())
        #expect(try await Self.readHDLC(stream).map(\.control.rawValue) == [0x73])
        await stream.close()
    }

    @Test func linkFaultsOfTheURLReachTheHDLCLink() async throws {
        let registry = TransportRegistry()
        SimulatorCatalogue.register(in: registry)
        let stream = try await registry.open("sim:dlms-hdlc?faults=missing-llc-header")
        try await stream.send(LinkVectors.snrm)
        _ = try await Self.readHDLC(stream)
        try await stream.send(LinkVectors.information(Self.aarq, ns: 0, nr: 0))
        let first = try #require(try await Self.readHDLC(stream).first)
        #expect(first.information.first == 0x61)
        await stream.close()
    }

    @Test func theCatalogueListsTheDLMSSimulatorsAndFaults() async {
        #expect(SimulatorCatalogue.protocols.contains("dlms") && SimulatorCatalogue.protocols.contains("dlms-hdlc"))
        let names = SimulatorCatalogue.faults.filter { $0.protocol == "dlms" }.map(\.name)
        #expect(names == DLMSFault.allCases.map(\.name))
        let registry = TransportRegistry()
        SimulatorCatalogue.register(in: registry)
        for url in ["sim:dlms?faults=bad-fcs,slow", "sim:dlms-hdlc?faults=slow"] {
            do {
                _ = try await registry.open(url)
                Issue.record("an unknown fault was accepted: \(url)")
            } catch {
                guard case .invalidURL(let why) = error else { Issue.record("\(error)"); continue }
                #expect(why == "unknown dlms simulator fault 'slow' (known faults: \(DLMSFault.allCases.map(\.name).joined(separator: ", ")))")
            }
        }
    }

    @Test func theServerAnswersAnAARQOverTCPWithTheCOSEMServer() async throws {
        let listener = try await TCPListener(host: "127.0.0.1", port: 0)
        let device = DLMSSharedLogicalDevice(COSEMServer(identity: .default, faults: []))
        let server = Task { try await DLMSSimulatorServer.serve(listener: listener, device: device) }
        let client = try await TCPConnection.connect(host: "127.0.0.1", port: listener.port, deadline: .now + .seconds(5))
        try await client.send(try Self.wrapped(Self.aarq))
        let reply = try await Self.readPDU(client)
        #expect(reply.sourcePort == 1 && reply.destinationPort == 16)
        try Self.expectAccepted(reply.apdu)
        // RLRQ → RLRE on the same association.
        try await client.send(try Self.wrapped(RLRQ().encoded()))
        #expect(try await Self.readPDU(client).apdu.first == 0x63)
        await client.close()
        server.cancel()
        try await server.value
        listener.close()
    }

    @Test func theServerSendsTheCOSEMServersPendingPushToItsDestination() async throws {
        let receiver = try await TCPListener(host: "127.0.0.1", port: 0)
        let cosem = COSEMServer(configuration: COSEMServerConfiguration(pushDestination: "127.0.0.1:\(receiver.port)"))
        let push = cosem.makePushNotification(at: SimulatedClock.defaultStart + 900)
        cosem.pendingPushes.append(push)
        let device = DLMSSharedLogicalDevice(cosem)
        let listener = try await TCPListener(host: "127.0.0.1", port: 0)
        let server = Task { try await DLMSSimulatorServer.serve(listener: listener, device: device) }
        let connection = try await receiver.accept(deadline: .now + .seconds(10))
        let frame = try await Self.readPDU(connection)
        #expect(frame.sourcePort == 1 && frame.destinationPort == 16)
        #expect(Array(frame.apdu) == push.apdu)
        await connection.close()
        server.cancel()
        try await server.value
        listener.close()
        receiver.close()
    }
}
