extension ControlInformation {
    /// The EN 13757-3:2018 / -4 / -7 CI table as wmbusmeters and exmbus implement it
    /// (fact sheet §1.7, columns W and X).
    ///
    /// 0x52 keeps wmbusmeters' "selection of device" (exmbus marks it invalid); codes either
    /// column calls reserved or "?" are `.reserved`.
    static func wireless2018Meaning(of code: UInt8) -> Meaning {
        switch code {
        case 0x00...0x1F: return .dlms
        case 0x50: return .applicationResetOrSelect(.noHeader)
        case 0x51: return .commandToDevice(.noHeader)
        case 0x52: return .selectionOfSlaves(.mode1)
        case 0x53: return .applicationResetOrSelect(.longHeader)
        case 0x54: return .requestOfSelectedApplication(.noHeader)
        case 0x55: return .requestOfSelectedApplication(.longHeader)
        case 0x5A: return .commandToDevice(.shortHeader)
        case 0x5B: return .commandToDevice(.longHeader)
        case 0x5C: return .synchronizeAction
        case 0x5F: return .specificUsage(.longHeader)
        case 0x60: return .cosemToDevice(.longHeader)
        case 0x61: return .cosemToDevice(.shortHeader)
        case 0x64: return .obisToDevice(.longHeader)
        case 0x65: return .obisToDevice(.shortHeader)
        case 0x66: return .responseOfSelectedApplication(.noHeader)
        case 0x67: return .responseOfSelectedApplication(.shortHeader)
        case 0x68: return .responseOfSelectedApplication(.longHeader)
        case 0x69: return .formatFrameResponse(.noHeader)
        case 0x6A: return .formatFrameResponse(.shortHeader)
        case 0x6B: return .formatFrameResponse(.longHeader)
        case 0x6C: return .clockSynchronization(relative: false)
        case 0x6D: return .clockSynchronization(relative: true)
        case 0x6E: return .generalApplicationError(.shortHeader)
        case 0x6F: return .generalApplicationError(.longHeader)
        case 0x70: return .generalApplicationError(.noHeader)
        case 0x71: return .alarmStatus(.noHeader)
        case 0x72: return .variableDataResponse(.longHeader, .mode1)
        case 0x73: return .compactFrameResponse(.longHeader)
        case 0x74: return .alarmStatus(.shortHeader)
        case 0x75: return .alarmStatus(.longHeader)
        case 0x78: return .variableDataResponse(.noHeader, .mode1)
        case 0x79: return .compactFrameResponse(.noHeader)
        case 0x7A: return .variableDataResponse(.shortHeader, .mode1)
        case 0x7B: return .compactFrameResponse(.shortHeader)
        case 0x7C: return .cosemResponse(.longHeader)
        case 0x7D: return .cosemResponse(.shortHeader)
        case 0x7E: return .obisResponse(.longHeader)
        case 0x7F: return .obisResponse(.shortHeader)
        case 0x80: return .transportLayerToDevice
        case 0x81: return .networkLayer
        case 0x82: return .networkManagementToDevice(.longHeader)
        case 0x83: return .networkManagementToDevice(.noHeader)
        case 0x84: return .transportLayerToDeviceCompactFrame
        case 0x85: return .transportLayerToDeviceFormatFrame
        case 0x86: return .extendedLinkLayer(.variantV)
        case 0x87: return .networkManagementFromDevice(.longHeader)
        case 0x88: return .networkManagementFromDevice(.shortHeader)
        case 0x89: return .networkManagementFromDevice(.noHeader)
        case 0x8A: return .transportLayerFromDevice(.shortHeader)
        case 0x8B: return .transportLayerFromDevice(.longHeader)
        case 0x8C: return .extendedLinkLayer(.variantI)
        case 0x8D: return .extendedLinkLayer(.variantII)
        case 0x8E: return .extendedLinkLayer(.variantIII)
        case 0x8F: return .extendedLinkLayer(.variantIV)
        case 0x90: return .authenticationAndFragmentationLayer
        case 0x9E: return .specificUsage(.shortHeader)
        case 0x9F: return .specificUsage(.longHeader)
        case 0xA0...0xB7: return .manufacturerSpecific
        case 0xB8...0xBF:
            guard let rate = BaudRate(ciCode: code) else { return .unknown }
            return .setBaudRate(rate)
        case 0xC0: return .imageTransferToDevice
        case 0xC1: return .imageTransferFromDevice(.shortHeader)
        case 0xC2: return .imageTransferFromDevice(.longHeader)
        case 0xC3: return .securityInformationToDevice
        case 0xC4: return .securityInformationFromDevice(.shortHeader)
        case 0xC5: return .securityInformationFromDevice(.longHeader)
        case 0x20...0x4F, 0x56...0x59, 0x5D...0x5E, 0x62...0x63, 0x76...0x77, 0x91...0x9D, 0xC6...0xFF:
            return .reserved
        default: return .unknown
        }
    }
}
