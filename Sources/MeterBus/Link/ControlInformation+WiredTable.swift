extension ControlInformation {
    /// The usergroup CI table of libmbus, pyMeterBus and mbus4j (fact sheet §1.7, column L/P),
    /// with 78 and 7A as pyMeterBus and jMBus read them.
    static func wiredMeaning(of code: UInt8) -> Meaning {
        switch code {
        case 0x50: return .applicationReset
        case 0x51: return .dataSend(.mode1)
        case 0x52: return .selectionOfSlaves(.mode1)
        case 0x54: return .synchronizeAction
        case 0x55: return .dataSend(.mode2)
        case 0x56: return .selectionOfSlaves(.mode2)
        case 0x70: return .generalApplicationError(.noHeader)
        case 0x71: return .alarmStatus(.noHeader)
        case 0x72: return .variableDataResponse(.longHeader, .mode1)
        case 0x73: return .fixedDataResponse(.mode1)
        case 0x76: return .variableDataResponse(.longHeader, .mode2)
        case 0x77: return .fixedDataResponse(.mode2)
        case 0x78: return .variableDataResponse(.noHeader, .mode1)
        case 0x7A: return .variableDataResponse(.shortHeader, .mode1)
        case 0xA0...0xB7: return .manufacturerSpecific
        case 0xB8...0xBF:
            guard let rate = BaudRate(ciCode: code) else { return .unknown }
            return .setBaudRate(rate)
        default: return .unknown
        }
    }
}
