import DLMS
import Testing
@testable import Simulators

/// The wrapper server link (fact sheet §3).
@Suite("DLMS wrapper server link")
struct DLMSLinkWrapperTests {
    func pdu(_ apdu: [UInt8], from client: UInt16 = 16, to server: UInt16 = 1) -> [UInt8] {
        (try? WrapperFrame(sourcePort: client, destinationPort: server, apdu: apdu[...]).encoded()) ?? []
    }

    @Test func anAPDUReachesTheLogicalDeviceAndTheAnswerHasTheWPortsSwapped() throws {
        let device = RecordingLogicalDevice { _ in [[0x61, 0x00]] }
        var link = DLMSWrapperServerLink(device: device)
        let out = link.receive(pdu(LinkVectors.aarq))
        #expect(device.received.map(\.apdu) == [LinkVectors.aarq])
        #expect(device.received.map(\.client) == [16])
        #expect(out == [[0x00, 0x01, 0x00, 0x01, 0x00, 0x10, 0x00, 0x02, 0x61, 0x00]])
        let reply = try WrapperFrame.decode(try #require(out.first))
        #expect(reply.sourcePort == 1 && reply.destinationPort == 16)
    }

    @Test func pdusForAnotherLogicalDeviceAreDropped() {
        let device = RecordingLogicalDevice()
        var link = DLMSWrapperServerLink(device: device)
        #expect(link.receive(pdu([0xC0, 0x01], to: 2)).isEmpty)
        #expect(link.receive(pdu([], to: 1)).isEmpty)
        #expect(device.received.isEmpty)
    }

    @Test func aBadVersionIsSkippedUntilAVersionOneHeaderLinesUp() {
        let device = RecordingLogicalDevice()
        var link = DLMSWrapperServerLink(device: device)
        // Gurux getTcpData scans for 00 01; so does WrapperReader: no answer for the garbage.
        #expect(link.receive([0x00, 0x02, 0x05, 0x10, 0x7E]).isEmpty)
        let out = link.receive(pdu([0xC0, 0x01]))
        #expect(device.received.map(\.apdu) == [[0xC0, 0x01]])
        #expect(out.count == 1)
    }

    @Test func theLengthFieldDecidesWhereAPDUEnds() {
        let device = RecordingLogicalDevice()
        var link = DLMSWrapperServerLink(device: device)
        let bytes = pdu(LinkVectors.aarq) + pdu([0xC0, 0x01], from: 32)
        var out: [[UInt8]] = []
        for byte in bytes { out += link.receive([byte]) }
        #expect(device.received.map(\.apdu) == [LinkVectors.aarq, [0xC0, 0x01]])
        #expect(device.received.map(\.client) == [16, 32])
        #expect(out.count == 2)
    }

    @Test func closingTheConnectionEndsEveryClientsAssociation() {
        let device = RecordingLogicalDevice()
        var link = DLMSWrapperServerLink(device: device)
        _ = link.receive(pdu([0xC0, 0x01], from: 16) + pdu([0xC0, 0x01], from: 1) + pdu([0xC0, 0x02], from: 16))
        link.connectionClosed()
        #expect(device.closed == [16, 1])
        #expect(link.clients.isEmpty)
    }
}
