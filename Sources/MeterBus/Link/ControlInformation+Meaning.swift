extension ControlInformation {
    /// The byte order of a CI's data in the usergroup table (fact sheet §1.7, §2.2).
    public enum Mode: String, Hashable, Sendable {
        /// Mode 1: multi-byte fields least significant byte first (the usual order).
        case mode1
        /// Mode 2: multi-byte fields most significant byte first.
        case mode2
    }

    /// The transport-layer header that follows the CI (fact sheet §1.7 "TPL hdr", §2.1–§2.2).
    public enum Header: String, Hashable, Sendable {
        /// No header: data (or records) start right after the CI.
        case noHeader
        /// Short header: access number, status, configuration (4 bytes).
        case shortHeader
        /// Long header: identification, manufacturer, version, medium, access number, status,
        /// configuration/signature (12 bytes).
        case longHeader
    }

    /// The extended link layer variants of EN 13757-4 (fact sheet §1.7, §8.6).
    public enum ExtendedLinkLayer: String, Hashable, Sendable {
        /// ELL I, CI 8C.
        case variantI = "I"
        /// ELL II, CI 8D.
        case variantII = "II"
        /// ELL III, CI 8E.
        case variantIII = "III"
        /// ELL IV, CI 8F.
        case variantIV = "IV"
        /// ELL V (variable), CI 86.
        case variantV = "V"
    }

    /// What a CI code announces, in the standard's words (fact sheet §1.7).
    public enum Meaning: Hashable, Sendable, CustomStringConvertible {
        // Usergroup (wired) meanings; most recur in the 2018 table.
        /// 0x50 wired: application reset (mode 1).
        case applicationReset
        /// 0x51 (mode 1) / 0x55 (mode 2) wired: data send from master to slave.
        case dataSend(Mode)
        /// 0x52 (mode 1) / 0x56 (mode 2) wired: selection of slaves by secondary address.
        /// jMBus sends 0x56 to deselect.
        case selectionOfSlaves(Mode)
        /// 0x54 wired (a suggestion), 0x5C in 2018: synchronize action.
        case synchronizeAction
        /// B8–BF: switch the line speed.
        case setBaudRate(BaudRate)
        /// A0–B7: manufacturer specific.
        case manufacturerSpecific
        /// 0x70 (and 0x6E/0x6F in 2018): report of general application errors.
        case generalApplicationError(Header)
        /// 0x71 (and 0x74/0x75 in 2018): report of alarm status.
        case alarmStatus(Header)
        /// Variable data response: wired 72 (long, mode 1), 76 (long, mode 2), 78 (none),
        /// 7A (short); 2018 72, 78, 7A ("full frame").
        case variableDataResponse(Header, Mode)
        /// 0x73 (mode 1) / 0x77 (mode 2) wired: fixed data structure response.
        case fixedDataResponse(Mode)

        // EN 13757-3:2018 / -4 / -7 meanings (wmbusmeters, exmbus).
        /// 00–1F: DLMS-based applications.
        case dlms
        /// 0x50 (none) / 0x53 (long): application reset or select to device.
        case applicationResetOrSelect(Header)
        /// 0x51 (none, wired only) / 0x5A (short) / 0x5B (long): command to device.
        case commandToDevice(Header)
        /// 0x54 (none) / 0x55 (long): request of selected application to device.
        case requestOfSelectedApplication(Header)
        /// 0x5F (long) / 0x9E (short) / 0x9F (long): specific usage.
        case specificUsage(Header)
        /// 0x60 (long) / 0x61 (short): DLMS/COSEM data to device.
        case cosemToDevice(Header)
        /// 0x64 (long) / 0x65 (short): reserved for OBIS-based data to device.
        case obisToDevice(Header)
        /// 0x66 (none) / 0x67 (short) / 0x68 (long): response of selected application.
        case responseOfSelectedApplication(Header)
        /// 0x69 (none) / 0x6A (short) / 0x6B (long): response with format frame.
        case formatFrameResponse(Header)
        /// 0x6C (absolute) / 0x6D (relative): clock synchronisation to device (long header).
        case clockSynchronization(relative: Bool)
        /// 0x73 (long) / 0x79 (none) / 0x7B (short): response as compact frame.
        case compactFrameResponse(Header)
        /// 0x7C (long) / 0x7D (short): DLMS/COSEM response from device.
        case cosemResponse(Header)
        /// 0x7E (long) / 0x7F (short): reserved for OBIS-based response from device.
        case obisResponse(Header)
        /// 0x80: transport layer to device, no application layer (long header).
        case transportLayerToDevice
        /// 0x84: transport layer to device, compact frame (long header).
        case transportLayerToDeviceCompactFrame
        /// 0x85: transport layer to device, format frame (long header).
        case transportLayerToDeviceFormatFrame
        /// 0x81: network layer data (EN 13757-5).
        case networkLayer
        /// 0x82 (long) / 0x83 (none): network management data to device.
        case networkManagementToDevice(Header)
        /// 0x87 (long) / 0x88 (short) / 0x89 (none): network management data from device.
        case networkManagementFromDevice(Header)
        /// 0x8A (short) / 0x8B (long): transport layer from device, no application layer.
        case transportLayerFromDevice(Header)
        /// 0x86, 0x8C–0x8F: extended link layer.
        case extendedLinkLayer(ExtendedLinkLayer)
        /// 0x90: authentication and fragmentation layer (AFL).
        case authenticationAndFragmentationLayer
        /// 0xC0: image transfer to device (long header).
        case imageTransferToDevice
        /// 0xC1 (short) / 0xC2 (long): image transfer from device.
        case imageTransferFromDevice(Header)
        /// 0xC3: security information transfer to device (long header).
        case securityInformationToDevice
        /// 0xC4 (short) / 0xC5 (long): security information transfer from device.
        case securityInformationFromDevice(Header)
        /// A code the table lists as reserved.
        case reserved
        /// A code the table does not name.
        case unknown

        /// The transport-layer header this meaning implies, when the table says (§1.7).
        public var header: Header? {
            switch self {
            case .applicationReset, .dataSend, .selectionOfSlaves, .synchronizeAction,
                 .setBaudRate, .fixedDataResponse:
                return .noHeader
            case let .generalApplicationError(h), let .alarmStatus(h), let .variableDataResponse(h, _),
                 let .applicationResetOrSelect(h), let .commandToDevice(h),
                 let .requestOfSelectedApplication(h), let .specificUsage(h), let .cosemToDevice(h),
                 let .obisToDevice(h), let .responseOfSelectedApplication(h),
                 let .formatFrameResponse(h), let .compactFrameResponse(h), let .cosemResponse(h),
                 let .obisResponse(h), let .networkManagementToDevice(h),
                 let .networkManagementFromDevice(h), let .transportLayerFromDevice(h),
                 let .imageTransferFromDevice(h), let .securityInformationFromDevice(h):
                return h
            case .clockSynchronization, .transportLayerToDevice, .transportLayerToDeviceCompactFrame,
                 .transportLayerToDeviceFormatFrame, .imageTransferToDevice, .securityInformationToDevice:
                return .longHeader
            case .dlms:
                return .noHeader
            case .manufacturerSpecific, .networkLayer, .extendedLinkLayer,
                 .authenticationAndFragmentationLayer, .reserved, .unknown:
                return nil
            }
        }

        /// Mode 1 or mode 2, for the usergroup meanings that have both (§1.7).
        public var mode: Mode? {
            switch self {
            case let .dataSend(m), let .selectionOfSlaves(m), let .variableDataResponse(_, m),
                 let .fixedDataResponse(m):
                return m
            default:
                return nil
            }
        }

        /// The meaning in words, e.g. "variable data response, long header, mode 1".
        public var description: String {
            switch self {
            case .applicationReset: return "application reset"
            case let .dataSend(m): return "data send, \(m.words)"
            case let .selectionOfSlaves(m): return "selection of slaves, \(m.words)"
            case .synchronizeAction: return "synchronize action"
            case let .setBaudRate(b): return "set baud rate to \(b.rawValue)"
            case .manufacturerSpecific: return "manufacturer specific"
            case let .generalApplicationError(h): return "report of general application errors, \(h.words)"
            case let .alarmStatus(h): return "report of alarm status, \(h.words)"
            case let .variableDataResponse(h, m): return "variable data response, \(h.words), \(m.words)"
            case let .fixedDataResponse(m): return "fixed data response, \(m.words)"
            case .dlms: return "DLMS-based application"
            case let .applicationResetOrSelect(h): return "application reset or select to device, \(h.words)"
            case let .commandToDevice(h): return "command to device, \(h.words)"
            case let .requestOfSelectedApplication(h): return "request of selected application to device, \(h.words)"
            case let .specificUsage(h): return "specific usage, \(h.words)"
            case let .cosemToDevice(h): return "DLMS/COSEM data to device, \(h.words)"
            case let .obisToDevice(h): return "OBIS-based data to device, \(h.words)"
            case let .responseOfSelectedApplication(h): return "response of selected application, \(h.words)"
            case let .formatFrameResponse(h): return "response with format frame, \(h.words)"
            case let .clockSynchronization(relative): return "clock synchronisation, \(relative ? "relative" : "absolute")"
            case let .compactFrameResponse(h): return "response as compact frame, \(h.words)"
            case let .cosemResponse(h): return "DLMS/COSEM response from device, \(h.words)"
            case let .obisResponse(h): return "OBIS-based response from device, \(h.words)"
            case .transportLayerToDevice: return "transport layer to device, no application layer"
            case .transportLayerToDeviceCompactFrame: return "transport layer to device, compact frame"
            case .transportLayerToDeviceFormatFrame: return "transport layer to device, format frame"
            case .networkLayer: return "network layer data"
            case let .networkManagementToDevice(h): return "network management data to device, \(h.words)"
            case let .networkManagementFromDevice(h): return "network management data from device, \(h.words)"
            case let .transportLayerFromDevice(h): return "transport layer from device, \(h.words)"
            case let .extendedLinkLayer(v): return "extended link layer \(v.rawValue)"
            case .authenticationAndFragmentationLayer: return "authentication and fragmentation layer"
            case .imageTransferToDevice: return "image transfer to device"
            case let .imageTransferFromDevice(h): return "image transfer from device, \(h.words)"
            case .securityInformationToDevice: return "security information transfer to device"
            case let .securityInformationFromDevice(h): return "security information transfer from device, \(h.words)"
            case .reserved: return "reserved"
            case .unknown: return "unknown"
            }
        }
    }
}

extension ControlInformation.Mode {
    fileprivate var words: String { self == .mode1 ? "mode 1" : "mode 2" }
}

extension ControlInformation.Header {
    fileprivate var words: String {
        switch self {
        case .noHeader: return "no header"
        case .shortHeader: return "short header"
        case .longHeader: return "long header"
        }
    }
}
