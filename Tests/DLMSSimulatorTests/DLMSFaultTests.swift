import Testing
@testable import Simulators

@Suite struct DLMSFaultTests {
    @Test func namesRoundTripAndUnknownNamesAreListed() throws {
        for fault in DLMSFault.allCases {
            #expect(DLMSFault(name: fault.name) == fault)
            #expect(!fault.description.isEmpty)
        }
        #expect(try DLMSFault.parse(["bad-fcs", "ignores-disc"]) == [.badFCS, .ignoresDISC])
        #expect(throws: UnknownSimulatorFault.self) { try DLMSFault.parse(["no-such-fault"]) }
        #expect(DLMSFault.allCases.filter(\.isLinkFault).count == 4)
    }

    @Test func defaultIdentityIsWellFormed() {
        let identity = DLMSSimulatorIdentity.default
        #expect(identity.systemTitle.count == 8)
        #expect(identity.globalUnicastKey.count == 16 && identity.authenticationKey.count == 16)
        #expect(identity.logicalDeviceName.count == 16)
    }
}
