import MeterBus
import Simulators
import Testing

/// Secondary addressing (fact sheet §1.8): selection with wildcards at 253, deselection.
@Suite("M-Bus slave: secondary addressing")
struct MBusSelectionTests {
    static let matching = ["1234567806360104", "1234FFFFFFFFFFFF", "FFFFFFFFFFFFFFFF", "12345678FFFFFF04",
                           "1F3F5F7F0F3F0F0F", "FFFFFFFF0636FFFF"]
    static let notMatching = ["87654321FFFFFFFF", "1234567806360107", "12345679FFFFFFFF", "FFFFFFFF2440FFFF",
                              "FFFFFFFFFFFF02FF"]

    @Test(arguments: matching)
    func aMatchingSelectionIsAcknowledgedAndTheSlaveAnswersAt253(pattern: String) throws {
        let h = SlaveHarness()
        let address = try #require(SecondaryAddress(pattern))
        #expect(h.acks(.selection(secondary: address)))
        #expect(h.slave.isSelected)
        let t = try #require(try h.telegram(.reqUD2(address: 253, fcb: true)))
        #expect(SlaveHarness.header(t)?.id == "12345678")
        #expect(t.frame.address == Frame.primary)
    }

    @Test(arguments: notMatching)
    func aSelectionThatDoesNotMatchIsSilentAndDeselects(pattern: String) throws {
        let h = SlaveHarness()
        #expect(h.acks(.selection(secondary: MBusSimulatorIdentity.default.secondaryAddress)))
        #expect(h.bytes(.selection(secondary: try #require(SecondaryAddress(pattern)))) == nil)
        #expect(!h.slave.isSelected)
        #expect(h.bytes(.reqUD2(address: 253, fcb: true)) == nil)
    }

    @Test func theJMBusSelectionFrameWithC53WorksToo() throws {
        let h = SlaveHarness()
        #expect(h.acks(.selection(secondary: .wildcard, control: .sndUD)))
    }

    @Test func sndNKEAt253AcknowledgesAndDeselects() {
        let h = SlaveHarness()
        #expect(h.acks(.selection(secondary: .wildcard)))
        #expect(h.acks(.sndNKE(address: 253)))
        #expect(!h.slave.isSelected)
        #expect(h.bytes(.reqUD2(address: 253, fcb: true)) == nil)
        #expect(h.bytes(.sndNKE(address: 253)) == nil)
    }

    @Test func ci56DeselectsAsJMBusDoes() {
        let h = SlaveHarness()
        #expect(h.acks(.selection(secondary: .wildcard)))
        #expect(h.acks(.selection(secondary: MBusSimulatorIdentity.default.secondaryAddress, ci: .selectionOfSlavesMode2)))
        #expect(!h.slave.isSelected)
        #expect(h.bytes(.reqUD2(address: 253, fcb: true)) == nil)
    }

    @Test func aSelectionResetsTheFCBSoTheNextRequestIsFresh() throws {
        let h = SlaveHarness()
        let first = try #require(try h.telegram(.reqUD2(address: Frame.primary, fcb: true)))
        #expect(h.acks(.selection(secondary: .wildcard)))
        let next = try #require(try h.telegram(.reqUD2(address: 253, fcb: true)))
        #expect(next.variableData?.accessNumber == first.variableData!.accessNumber! + 1)
    }

    @Test func aSelectionToAPrimaryAddressIsNotOne() {
        let h = SlaveHarness()
        let frame = Frame.long(control: .sndUDFCB, address: Frame.primary, ci: 0x52, data: SecondaryAddress.wildcard.wireBytes[...])
        #expect(h.bytes(frame) == nil)
        #expect(!h.slave.isSelected)
    }
}
