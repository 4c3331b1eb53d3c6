import MeterBus
import Testing

@Suite("CI field meanings (fact sheet §1.7, §9 items 1–2)")
struct LinkControlInformationTests {
    typealias Meaning = ControlInformation.Meaning

    /// The usergroup table (libmbus/pyMeterBus column of §1.7), both directions.
    static let wired: [(UInt8, Meaning)] = [
        (0x50, .applicationReset),
        (0x51, .dataSend(.mode1)),
        (0x52, .selectionOfSlaves(.mode1)),
        (0x54, .synchronizeAction),
        (0x55, .dataSend(.mode2)),
        (0x56, .selectionOfSlaves(.mode2)),
        (0x70, .generalApplicationError(.noHeader)),
        (0x71, .alarmStatus(.noHeader)),
        (0x72, .variableDataResponse(.longHeader, .mode1)),
        (0x73, .fixedDataResponse(.mode1)),
        (0x76, .variableDataResponse(.longHeader, .mode2)),
        (0x77, .fixedDataResponse(.mode2)),
        (0x78, .variableDataResponse(.noHeader, .mode1)),
        (0x7A, .variableDataResponse(.shortHeader, .mode1)),
        (0xA0, .manufacturerSpecific),
        (0xB1, .manufacturerSpecific),
        (0xB7, .manufacturerSpecific),
        (0x00, .unknown),
        (0x53, .unknown),
        (0x8C, .unknown),
        (0xFF, .unknown),
    ]

    @Test("wired table", arguments: wired)
    func wiredMeaning(_ code: UInt8, _ expected: Meaning) {
        #expect(ControlInformation(code).meaning(in: .wired) == expected)
        #expect(CITable.wired.meaning(of: code) == expected)
    }

    @Test("B8–BF switch the baud rate to 300…38400 in both tables")
    func baudRates() {
        let expected = [300, 600, 1200, 2400, 4800, 9600, 19200, 38400]
        for (offset, rate) in expected.enumerated() {
            let code = 0xB8 + UInt8(offset)
            let baud = BaudRate(rawValue: rate)
            #expect(baud?.ciCode == code)
            #expect(BaudRate(ciCode: code) == baud)
            if let baud {
                #expect(ControlInformation(code).meaning(in: .wired) == .setBaudRate(baud))
                #expect(ControlInformation(code).meaning(in: .wireless2018) == .setBaudRate(baud))
                #expect(ControlInformation.setBaudRate(baud).rawValue == code)
            }
        }
        #expect(BaudRate(ciCode: 0xB7) == nil)
        #expect(BaudRate(ciCode: 0xC0) == nil)
    }

    /// §9 items 1–2: the codes whose meaning changed in EN 13757-3:2018 (wmbusmeters, exmbus).
    static let disagreements: [(UInt8, Meaning, Meaning)] = [
        (0x73, .fixedDataResponse(.mode1), .compactFrameResponse(.longHeader)),
        (0x54, .synchronizeAction, .requestOfSelectedApplication(.noHeader)),
        (0x55, .dataSend(.mode2), .requestOfSelectedApplication(.longHeader)),
        (0x56, .selectionOfSlaves(.mode2), .reserved),
        (0x76, .variableDataResponse(.longHeader, .mode2), .reserved),
        (0x77, .fixedDataResponse(.mode2), .reserved),
    ]

    @Test("disagreeing codes decode differently per table", arguments: disagreements)
    func disagreement(_ code: UInt8, _ wired: Meaning, _ wireless: Meaning) {
        let ci = ControlInformation(code)
        #expect(ci.meaning(in: .wired) == wired)
        #expect(ci.meaning(in: .wireless2018) == wireless)
    }

    @Test("2018 table: headers from the TPL column of §1.7")
    func wireless2018() {
        let table = CITable.wireless2018
        #expect(table.meaning(of: 0x0F) == .dlms)
        #expect(table.meaning(of: 0x53) == .applicationResetOrSelect(.longHeader))
        #expect(table.meaning(of: 0x5A) == .commandToDevice(.shortHeader))
        #expect(table.meaning(of: 0x5C) == .synchronizeAction)
        #expect(table.meaning(of: 0x6D) == .clockSynchronization(relative: true))
        #expect(table.meaning(of: 0x72).header == .longHeader)
        #expect(table.meaning(of: 0x7A).header == .shortHeader)
        #expect(table.meaning(of: 0x79) == .compactFrameResponse(.noHeader))
        #expect(table.meaning(of: 0x8A) == .transportLayerFromDevice(.shortHeader))
        #expect(table.meaning(of: 0x8C) == .extendedLinkLayer(.variantI))
        #expect(table.meaning(of: 0x86) == .extendedLinkLayer(.variantV))
        #expect(table.meaning(of: 0x90) == .authenticationAndFragmentationLayer)
        #expect(table.meaning(of: 0xC5) == .securityInformationFromDevice(.longHeader))
        #expect(table.meaning(of: 0x30) == .reserved)
        #expect(table.meaning(of: 0xC6) == .reserved)
    }

    @Test("mode and description")
    func wordsAndMode() {
        let meaning = ControlInformation.variableDataResponse.meaning(in: .wired)
        #expect(meaning.mode == .mode1)
        #expect(meaning.description == "variable data response, long header, mode 1")
        #expect(ControlInformation(0x76).meaning(in: .wired).mode == .mode2)
        #expect(ControlInformation(0x72).description == "0x72 (variable data response, long header, mode 1)")
    }
}
