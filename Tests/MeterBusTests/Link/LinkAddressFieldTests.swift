import MeterBus
import Testing

@Suite("A field classes (fact sheet §1.6)")
struct LinkAddressFieldTests {
    @Test("each address range has its class", arguments: [
        (UInt8(0), AddressField.Category.unconfigured),
        (1, .primary), (5, .primary), (250, .primary),
        (251, .reserved), (252, .reserved),
        (253, .networkLayer),
        (254, .broadcastWithReply),
        (255, .broadcastWithoutReply),
    ])
    func category(_ value: UInt8, _ expected: AddressField.Category) {
        #expect(AddressField(value).category == expected)
    }

    @Test("every value 0…255 is classified, and the classes cover the ranges of §1.6")
    func allValues() {
        var counts: [AddressField.Category: Int] = [:]
        for value in UInt8.min...UInt8.max {
            counts[AddressField(value).category, default: 0] += 1
        }
        #expect(counts == [.unconfigured: 1, .primary: 250, .reserved: 2, .networkLayer: 1,
                           .broadcastWithReply: 1, .broadcastWithoutReply: 1])
    }

    @Test("named constants and helpers")
    func constants() {
        #expect(AddressField.networkLayer.rawValue == 0xFD)
        #expect(AddressField.broadcastWithReply.rawValue == 0xFE)
        #expect(AddressField.broadcastWithoutReply.rawValue == 0xFF)
        #expect(AddressField.unconfigured.rawValue == 0)
        #expect(AddressField(250).isSlaveAddress)
        #expect(!AddressField(251).isSlaveAddress)
        // libmbus mbus_set_primary_address refuses FD/FE/FF only.
        #expect(AddressField(252).isAssignable)
        #expect(!AddressField(253).isAssignable)
        #expect(!AddressField.broadcastWithoutReply.mayBeAnswered)
        #expect(AddressField.broadcastWithReply.mayBeAnswered)
        #expect(Frame.reqUD2(address: 0xFD, fcb: true).addressField?.category == .networkLayer)
    }
}
