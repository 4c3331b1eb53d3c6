import DLMS

/// The attributes the head end reads and the values a meter returns for them.
enum PolledObject: CaseIterable {
    /// Active energy import, register value (class 3, 1.0.1.8.0.255, attribute 2).
    case energy
    /// Its scaler_unit (attribute 3).
    case energyScalerUnit
    /// Instantaneous voltage L1 (class 3, 1.0.32.7.0.255, attribute 2).
    case voltage
    /// Clock time (class 8, 0.0.1.0.0.255, attribute 2).
    case clock
    /// Logical device name (class 1, 0.0.42.0.0.255, attribute 2).
    case logicalDeviceName
    /// Load profile buffer (class 7, 1.0.99.1.0.255, attribute 2): large, sent in blocks.
    case loadProfile
    /// An object the meter does not have (class 1, 0.0.96.99.99.255): data-access-result object-undefined.
    case undefined

    var descriptor: CosemAttributeDescriptor {
        switch self {
        case .energy: CosemAttributeDescriptor(classID: 3, instanceID: OBISCode(1, 0, 1, 8, 0), attributeID: 2)
        case .energyScalerUnit: CosemAttributeDescriptor(classID: 3, instanceID: OBISCode(1, 0, 1, 8, 0), attributeID: 3)
        case .voltage: CosemAttributeDescriptor(classID: 3, instanceID: OBISCode(1, 0, 32, 7, 0), attributeID: 2)
        case .clock: CosemAttributeDescriptor(classID: 8, instanceID: OBISCode(0, 0, 1, 0, 0), attributeID: 2)
        case .logicalDeviceName: CosemAttributeDescriptor(classID: 1, instanceID: OBISCode(0, 0, 42, 0, 0), attributeID: 2)
        case .loadProfile: CosemAttributeDescriptor(classID: 7, instanceID: OBISCode(1, 0, 99, 1, 0), attributeID: 2)
        case .undefined: CosemAttributeDescriptor(classID: 1, instanceID: OBISCode(0, 0, 96, 99, 99), attributeID: 2)
        }
    }

    /// The value at capture time `micros` (nil for ``undefined``).
    func value(meter: Meter, micros: UInt64, rng: inout SeededRandom) -> COSEMData? {
        switch self {
        case .energy: return .doubleLongUnsigned(UInt32(rng.int(1_000...90_000_000)))
        case .energyScalerUnit: return .structure([.integer(0), .enumerated(30)])
        case .voltage: return .longUnsigned(UInt16(rng.int(2_250...2_350)))
        case .clock: return .octetString(COSEMClock.dateTime(micros: micros))
        case .logicalDeviceName: return .octetString(Array("MPF\(String(100_000_000 + meter.index))".utf8))
        case .loadProfile:
            // 15-minute entries: capture time, status, A+ and A− energy.
            let entries = rng.int(24...400)
            var energy = UInt32(rng.int(1_000...50_000_000))
            let end = micros / 900_000_000 * 900_000_000
            return .array((0..<entries).map { i in
                energy &+= UInt32(rng.int(0...400))
                let time = end - UInt64(entries - 1 - i) * 900_000_000
                return .structure([.octetString(COSEMClock.dateTime(micros: time)), .unsigned(0),
                                   .doubleLongUnsigned(energy), .doubleLongUnsigned(UInt32(rng.int(0...5_000)))])
            })
        case .undefined: return nil
        }
    }
}

/// COSEM date-time octet strings (12 bytes, Blue Book 4.1.6.1) in UTC.
enum COSEMClock {
    static func dateTime(micros: UInt64) -> [UInt8] {
        let seconds = Int64(micros / 1_000_000)
        let days = seconds / 86_400
        let secondOfDay = Int(seconds % 86_400)
        // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
        let z = days + 719_468
        let era = z / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = UInt8(doy - (153 * mp + 2) / 5 + 1)
        let month = UInt8(mp < 10 ? mp + 3 : mp - 9)
        let year = UInt16(yoe + era * 400 + (month <= 2 ? 1 : 0))
        let weekday = UInt8((days + 3) % 7 + 1)  // 1970-01-01 was a Thursday; Monday is 1
        return [UInt8(year >> 8), UInt8(truncatingIfNeeded: year), month, day, weekday,
                UInt8(secondOfDay / 3600), UInt8(secondOfDay / 60 % 60), UInt8(secondOfDay % 60),
                UInt8(micros / 10_000 % 100), 0x00, 0x00, 0x00]  // deviation 0 (UTC), status 0
    }
}

/// APDUs of the traffic, as a client (head end) and a server (meter) send them.
enum DLMSTraffic {
    /// Wrapper ports (IEC 62056-47): the public client, the reading client that ciphers, the
    /// management logical device, the push destination.
    static let publicClient: UInt16 = 0x10
    static let cipheringClient: UInt16 = 0x20
    static let managementLogicalDevice: UInt16 = 0x01
    static let pushClient: UInt16 = 0x66

    static let proposedConformance: Conformance = [.get, .set, .action, .selectiveAccess, .blockTransferWithGetOrRead,
                                                   .multipleReferences, .priorityMgmtSupported, .attribute0SupportedWithGet]
    static let supportedConformance: Conformance = [.get, .set, .action, .selectiveAccess, .blockTransferWithGetOrRead,
                                                    .multipleReferences]

    /// The 8-byte wrapper header and the APDU.
    static func wrap(_ apdu: [UInt8], source: UInt16, destination: UInt16) -> [UInt8] {
        WrapperHeader(sourcePort: source, destinationPort: destination, length: UInt16(apdu.count)).encoded() + apdu
    }

    static func initiateRequest() -> [UInt8] {
        XDLMSAPDU.initiateRequest(InitiateRequest(proposedConformance: proposedConformance,
                                                  clientMaxReceivePDUSize: 0xFFFF)).encoded()
    }

    static func initiateResponse(maxPDU: UInt16) -> [UInt8] {
        XDLMSAPDU.initiateResponse(InitiateResponse(negotiatedConformance: supportedConformance,
                                                    serverMaxReceivePDUSize: maxPDU)).encoded()
    }

    static func getRequest(_ invoke: InvokeIDAndPriority, _ object: PolledObject) -> [UInt8] {
        XDLMSAPDU.getRequest(.normal(invoke, AttributeDescriptorWithSelection(object.descriptor))).encoded()
    }

    static func getRequestNext(_ invoke: InvokeIDAndPriority, block: UInt32) -> [UInt8] {
        XDLMSAPDU.getRequest(.next(invoke, blockNumber: block)).encoded()
    }

    static func getResponse(_ invoke: InvokeIDAndPriority, _ result: GetDataResult) -> [UInt8] {
        XDLMSAPDU.getResponse(.normal(invoke, result)).encoded()
    }

    static func getResponseBlock(_ invoke: InvokeIDAndPriority, block: UInt32, last: Bool, raw: [UInt8]) -> [UInt8] {
        XDLMSAPDU.getResponse(.withDatablock(invoke, DataBlockG(lastBlock: last, blockNumber: block, result: .rawData(raw))))
            .encoded()
    }

    static func exceptionResponse() -> [UInt8] {
        XDLMSAPDU.exceptionResponse(ExceptionResponse(stateError: .serviceNotAllowed, serviceError: .operationNotPossible))
            .encoded()
    }

    /// A data-notification (unconfirmed, long-invoke-id `number`) with the meter's push object list:
    /// logical device name, clock, energy import and export.
    static func dataNotification(number: UInt32, meter: Meter, micros: UInt64, rng: inout SeededRandom) -> [UInt8] {
        let time = COSEMClock.dateTime(micros: micros)
        let body = COSEMData.structure([
            .octetString(Array("MPF\(String(100_000_000 + meter.index))".utf8)), .octetString(time),
            .doubleLongUnsigned(UInt32(rng.int(1_000...90_000_000))), .doubleLongUnsigned(UInt32(rng.int(0...500_000))),
        ])
        return XDLMSAPDU.dataNotification(DataNotification(
            longInvokeIDAndPriority: LongInvokeIDAndPriority(rawValue: number & 0x00FF_FFFF), dateTime: time,
            notificationBody: body)).encoded()
    }

    /// A data-notification whose body is cut short after its structure header and a data type tag
    /// that does not exist (0x63): malformed at APDU offset 20.
    static func malformedDataNotification(number: UInt32, micros: UInt64) -> [UInt8] {
        var apdu: [UInt8] = [0x0F]
        let n = number & 0x00FF_FFFF
        apdu += [UInt8(n >> 24), UInt8(truncatingIfNeeded: n >> 16), UInt8(truncatingIfNeeded: n >> 8), UInt8(truncatingIfNeeded: n)]
        apdu += [0x0C] + COSEMClock.dateTime(micros: micros)
        apdu += [0x02, 0x04, 0x63, 0x00, 0x00]
        return apdu
    }
}
