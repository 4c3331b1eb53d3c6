import CodecSupport
import Testing
@testable import DLMS

/// OBIS codes (fact sheet §8.1, §8.2).
@Suite("OBIS codes")
struct OBISCodeTests {
    @Test("Text forms parse to the same code; printing is A-B:C.D.E*F")
    func textForms() throws {
        let clock = OBISCode(0, 0, 1, 0, 0, 255)
        for text in ["0-0:1.0.0*255", "0-0:1.0.0", "0-0:1.0.0.255", "0.0.1.0.0.255"] {
            #expect(try OBISCode(parsing: text) == clock, "\(text)")
        }
        #expect(clock.description == "0-0:1.0.0*255")
        #expect(clock.dotted == "0.0.1.0.0.255")
        #expect(OBISCode("1-0:1.8.0*255") == .activeEnergyImport)
        #expect(OBISCode("1-0:99.1.0*101")?.f == 101)
    }

    @Test("Malformed text is refused with the character offset")
    func refusals() {
        expectDLMSError(.invalidValue, at: 4) { _ = try OBISCode(parsing: "0-0:256.0.0*255") }
        expectDLMSError(.invalidValue, at: 4) { _ = try OBISCode(parsing: "0-0:.0.0*255") }
        expectDLMSError(.invalidValue, at: 0) { _ = try OBISCode(parsing: "") }
        expectDLMSError(.invalidValue, at: 0) { _ = try OBISCode(parsing: "0:0-1.0.0*255") }
        expectDLMSError(.invalidValue, at: 0) { _ = try OBISCode(parsing: "0.0.1.0.0") }
        expectDLMSError(.trailingBytes, at: 13) { _ = try OBISCode(parsing: "0-0:1.0.0*255*1") }
        expectDLMSError(.trailingBytes, at: 13) { _ = try OBISCode(parsing: "0-0:1.0.0*255 ") }
        #expect(OBISCode("x") == nil)
    }

    @Test("The 6-byte octet-string form (U9 test_cosem.py: 00 00 2B 01 00 FF = 0-0:43.1.0*255)")
    func octetStringForm() throws {
        let v = try AXDRFixtures.u9("test_cosem.py", line: 12)
        let code = try OBISCode(bytes: v.payload)
        #expect(code == OBISCode(0, 0, 43, 1, 0, 255))
        #expect(code.bytes == Array(v.payload))
        #expect(code.wellKnownName == "Invocation counter")
        #expect(try OBISCode(data: code.data) == code)
        #expect(code.data.encoded() == hexBytes("09 06 00 00 2B 01 00 FF"))
        expectDLMSError(.badLength) { _ = try OBISCode(bytes: [0, 0, 1]) }
        expectDLMSError(.invalidValue) { _ = try OBISCode(data: .visible("0-0:1.0.0*255")) }
    }

    @Test("Well-known names (fact sheet §8.2)")
    func wellKnown() {
        #expect(OBISCode.clock.wellKnownName == "Clock")
        #expect(OBISCode.logicalDeviceName.wellKnownName == "COSEM logical device name")
        #expect(OBISCode.currentAssociation.wellKnownName == "Current association")
        #expect(OBISCode(0, 0, 40, 0, 3).wellKnownName == "Association")
        #expect(OBISCode.sapAssignment.wellKnown?.classIDs == [17])
        #expect(OBISCode(0, 0, 96, 3, 10).wellKnownName == "Disconnect control")
        #expect(OBISCode(1, 0, 1, 8, 2).wellKnownName == "Active energy import (+A), tariff")
        #expect(OBISCode(1, 0, 72, 7, 0).wellKnownName == "Voltage L3")
        #expect(OBISCode(0, 0, 99, 98, 1).wellKnownName == "Event log")
        #expect(OBISCode(1, 0, 1, 8, 0, 3).wellKnownName == nil)  // a billing period, not the current value
        #expect(OBISCode.clock.json.serialized() == #"{"obis":"0-0:1.0.0*255","name":"Clock"}"#)
        #expect(OBISCode(1, 0, 1, 8, 0).medium == "electricity" && OBISCode(7, 0, 3, 0, 0).medium == "gas")
        #expect(OBISCode(0, 128, 1, 0, 0).isManufacturerSpecific && OBISCode(1, 0, 1, 8, 128).isManufacturerSpecific)
        #expect(!OBISCode.clock.isManufacturerSpecific)
        #expect(OBISCode.clock < OBISCode.activeEnergyImport)
    }
}
