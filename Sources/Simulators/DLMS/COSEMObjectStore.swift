import DLMS

/// The objects of the reference meter, in object_list order, with their OBIS codes (DLMS UA Blue
/// Book / common practice; the choices are documented on each object's type):
///
/// | OBIS | IC | object | public (16) | reader (32) | manager (1) |
/// |---|---|---|---|---|---|
/// | 0.0.40.0.0.255 | 15 v1 | current association | read (no secret) | read (no secret) | read; write secret; method 1 |
/// | 0.0.41.0.0.255 | 17 | SAP assignment | read | read | read |
/// | 0.0.42.0.0.255 | 1 | logical device name | read | read | read |
/// | 0.0.43.1.0.255 | 1 | invocation counter (server frame counter) | read | read | read |
/// | 0.0.43.0.0.255 | 64 v0 | security setup | logical_name only | read | read; methods |
/// | 0.0.1.0.0.255 | 8 | clock | read | read | read; write 2,3,5–8; methods 1–6 |
/// | 0.0.22.0.0.255 | 23 v1 | IEC HDLC setup | — | read | read |
/// | 1.0.1.8.0.255, 1.0.2.8.0.255 | 3 | active energy import / export (Wh) | read | read | read |
/// | 1.0.32.7.0.255, 1.0.31.7.0.255, 1.0.1.7.0.255 | 3 | voltage L1, current L1, active power | read | read | read |
/// | 0.0.96.11.0.255 | 1 | event code | — | read | read |
/// | 1.0.0.2.0.255, 1.0.0.2.8.255 | 1 | active firmware identifier / signature | read | read | read |
/// | 0.0.25.9.0.255 | 40 v0 | push setup | — | read | read; write 3; method 1 |
/// | 0.0.44.0.0.255 | 18 v0 | image transfer | — | read | read; write 5; methods 1–4 |
/// | 0.0.13.0.0.255 | 20 | activity calendar | — | read | read; write 6–10; method 1 |
/// | 0.0.96.3.10.255 | 70 | disconnect control | read | read | read; write 4; methods 1–2 |
/// | 0.0.17.0.0.255 | 71 | limiter | — | read | read; write 3–9, 11 |
/// | 1.0.99.1.0.255 | 7 v1 | load profile (900 s) | — | read (selective 1, 2) | read; reset |
/// | 1.0.99.2.0.255 | 7 v1 | power-quality profile (600 s) | — | read (selective 1, 2) | read; reset |
/// | 1.0.94.91.0.255 | 7 v1 | instantaneous values | read | read | read; reset, capture |
/// | 0.0.99.98.0.255 | 7 v1 | standard event log | — | read | read; reset |
///
/// "—" = not in that client's object_list (GET answers object-undefined). Register reset and SAP
/// connect_logical_device are listed with no access for everyone.
final class COSEMObjectStore {
    private(set) var objects: [COSEMObject] = []
    private var byName: [OBISCode: COSEMObject] = [:]
    /// The active energy import register (its logical_name is wrong under the wrong-logical-name fault).
    let activeEnergyImport: COSEMRegisterObject

    init(configuration: COSEMServerConfiguration) {
        activeEnergyImport = COSEMRegisterObject(.activeEnergyImport, scalerUnit: ScalerUnit(scaler: 0, unit: .wattHour)) { ctx in
            .doubleLongUnsigned(COSEMObjectStore.importEnergy(secondsSinceStart: ctx.clock.secondsSinceStart))
        }
        if configuration.has(.wrongLogicalName) { activeEnergyImport.reportedLogicalName = .activeEnergyExport }
        let readerAndManager = COSEMAccessPolicy(visibility: .readerAndManager)
        add(COSEMAssociationObject())
        add(COSEMSAPAssignmentObject())
        add(COSEMDataObject(.logicalDeviceName) { ctx in .octetString(ctx.server.identity.logicalDeviceName) })
        add(COSEMDataObject(OBISCode(0, 0, 43, 1, 0)) { ctx in .doubleLongUnsigned(ctx.server.serverInvocationCounter) })
        add(COSEMSecuritySetupObject())
        add(COSEMClockObject())
        add(COSEMHDLCSetupObject())
        add(activeEnergyImport)
        add(COSEMRegisterObject(.activeEnergyExport, scalerUnit: ScalerUnit(scaler: 0, unit: .wattHour)) { ctx in
            .doubleLongUnsigned(COSEMObjectStore.exportEnergy(secondsSinceStart: ctx.clock.secondsSinceStart))
        })
        add(COSEMRegisterObject(Self.voltageL1, scalerUnit: ScalerUnit(scaler: -1, unit: .volt)) { ctx in
            .longUnsigned(COSEMObjectStore.voltage(secondsSinceStart: ctx.clock.secondsSinceStart))
        })
        add(COSEMRegisterObject(Self.currentL1, scalerUnit: ScalerUnit(scaler: -2, unit: .ampere)) { ctx in
            .longUnsigned(COSEMObjectStore.current(secondsSinceStart: ctx.clock.secondsSinceStart))
        })
        add(COSEMRegisterObject(Self.activePower, scalerUnit: ScalerUnit(scaler: 0, unit: .watt)) { _ in
            .doubleLongUnsigned(COSEMObjectStore.importPower)
        })
        add(COSEMDataObject(Self.eventCode, policy: readerAndManager) { ctx in .longUnsigned(ctx.server.lastEventCode) })
        add(COSEMDataObject(Self.firmwareIdentifier) { ctx in .octetString(ctx.server.activeFirmwareIdentifier) })
        add(COSEMDataObject(Self.firmwareSignature) { ctx in .octetString(ctx.server.activeFirmwareSignature) })
        addExtendedObjects(configuration: configuration)
    }

    /// Objects beyond the first slice (profiles, push, image transfer, calendar, disconnect, limiter).
    private func addExtendedObjects(configuration: COSEMServerConfiguration) {
        add(COSEMPushSetupObject(destination: configuration.pushDestination))
        add(COSEMImageTransferObject(blockSize: configuration.imageBlockSize))
        add(COSEMActivityCalendarObject())
        add(COSEMDisconnectControlObject())
        add(COSEMLimiterObject())
        let clockColumn = CaptureObjectDefinition(classID: 8, logicalName: .clock, attributeIndex: 2)
        // Load profile 1.0.99.1.0.255: one entry every 900 s since the clock's start, 30 days deep.
        add(COSEMProfileObject(Self.loadProfile, captureObjects: [
            clockColumn,
            CaptureObjectDefinition(classID: 3, logicalName: .activeEnergyImport, attributeIndex: 2),
            CaptureObjectDefinition(classID: 3, logicalName: .activeEnergyExport, attributeIndex: 2),
        ], capturePeriod: 900, profileEntries: 2880) { ctx in
            Self.periodicRows(ctx, period: 900, depth: 2880) { s in
                [.doubleLongUnsigned(Self.importEnergy(secondsSinceStart: s)), .doubleLongUnsigned(Self.exportEnergy(secondsSinceStart: s))]
            }
        })
        // Power-quality profile 1.0.99.2.0.255 (load profile 2 used for voltage and current): every 600 s, 10 days deep.
        add(COSEMProfileObject(Self.powerQualityProfile, captureObjects: [
            clockColumn,
            CaptureObjectDefinition(classID: 3, logicalName: Self.voltageL1, attributeIndex: 2),
            CaptureObjectDefinition(classID: 3, logicalName: Self.currentL1, attributeIndex: 2),
        ], capturePeriod: 600, profileEntries: 1440) { ctx in
            Self.periodicRows(ctx, period: 600, depth: 1440) { s in
                [.longUnsigned(Self.voltage(secondsSinceStart: s)), .longUnsigned(Self.current(secondsSinceStart: s))]
            }
        })
        // Instantaneous values 1.0.94.91.0.255 (a country-specific C = 94 code, our choice): one row captured on read.
        add(COSEMProfileObject(Self.instantaneousProfile, captureObjects: [
            clockColumn,
            CaptureObjectDefinition(classID: 3, logicalName: Self.voltageL1, attributeIndex: 2),
            CaptureObjectDefinition(classID: 3, logicalName: Self.currentL1, attributeIndex: 2),
            CaptureObjectDefinition(classID: 3, logicalName: Self.activePower, attributeIndex: 2),
        ], capturePeriod: 0, profileEntries: 1, capturable: true, visibility: .all) { ctx in
            let s = ctx.clock.secondsSinceStart
            return [[.octetString(ctx.clock.now.encoded), .longUnsigned(Self.voltage(secondsSinceStart: s)),
                     .longUnsigned(Self.current(secondsSinceStart: s)), .doubleLongUnsigned(Self.importPower)]]
        })
        // Standard event log 0.0.99.98.0.255: clock time and event code of every logged event.
        add(COSEMProfileObject(COSEMServer.standardEventLog, captureObjects: [
            clockColumn, CaptureObjectDefinition(classID: 1, logicalName: Self.eventCode, attributeIndex: 2),
        ], capturePeriod: 0, profileEntries: 100) { ctx in
            ctx.server.events.map { [.octetString(ctx.clock.dateTime(seconds: $0.0).encoded), .longUnsigned($0.1)] }
        })
    }

    static let loadProfile = OBISCode(1, 0, 99, 1, 0)
    static let powerQualityProfile = OBISCode(1, 0, 99, 2, 0)
    static let instantaneousProfile = OBISCode(1, 0, 94, 91, 0)

    /// Rows at start + k × `period` up to now, the last `depth` of them: the time column then `values(seconds since start)`.
    static func periodicRows(_ ctx: COSEMCallContext, period: Int64, depth: Int64,
                             values: (Int64) -> [COSEMData]) -> [[COSEMData]] {
        let clock = ctx.clock
        let elapsed = clock.nowSeconds - clock.startSeconds
        guard elapsed >= 0 else { return [] }
        let last = elapsed / period
        let first = max(0, last - depth + 1)
        return (first...last).map { k in
            let s = k * period
            return [.octetString(clock.dateTime(seconds: clock.startSeconds + s).encoded)] + values(s)
        }
    }

    func add(_ object: COSEMObject) {
        objects.append(object)
        byName[object.logicalName] = object
    }

    /// The object `logicalName` of class `classID` as `role` may address it.
    func resolve(classID: UInt16, logicalName: OBISCode, role: COSEMClientRole) -> COSEMResolution {
        guard let object = byName[logicalName], object.policy.visibility.includes(role) else { return .failure(.objectUndefined) }
        guard object.classID == classID else { return .failure(.objectClassInconsistent) }
        return .success(object)
    }

    /// The object named `logicalName`, whoever asks.
    func object(_ logicalName: OBISCode) -> COSEMObject? { byName[logicalName] }

    /// object_list (Association LN v1 attribute 2) for `role`.
    func objectListElements(for role: COSEMClientRole) -> [COSEMData] {
        objects.filter { $0.policy.visibility.includes(role) }.map { o in
            let attributes: [COSEMData] = (1...max(1, o.attributeCount)).map { i in
                let selectors: COSEMData = o.policy.selectors[i].map { .array($0.map { .integer($0) }) } ?? .nullData
                return .structure([.integer(Int8(i)), .enumerated(o.accessMode(i, for: role).rawValue), selectors])
            }
            let methods: [COSEMData] = o.methodCount == 0 ? [] : (1...o.methodCount).map { i in
                .structure([.integer(Int8(i)), .enumerated(o.methodAccess(i, for: role) ? 1 : 0)])
            }
            return .structure([.longUnsigned(o.classID), .unsigned(o.version), o.logicalName.data,
                               .structure([.array(attributes), .array(methods)])])
        }
    }

    // MARK: Simulated measurements (deterministic functions of the time since the clock's start)

    static let voltageL1 = OBISCode(1, 0, 32, 7, 0)
    static let currentL1 = OBISCode(1, 0, 31, 7, 0)
    static let activePower = OBISCode(1, 0, 1, 7, 0)
    static let eventCode = OBISCode(0, 0, 96, 11, 0)
    static let firmwareIdentifier = OBISCode(1, 0, 0, 2, 0)
    static let firmwareSignature = OBISCode(1, 0, 0, 2, 8)
    /// Constant import power (W): energy import grows by 1500 W × t.
    static let importPower: UInt32 = 1500
    /// Constant export power (W).
    static let exportPower: UInt32 = 200

    /// Active energy import (Wh): 1 000 000 Wh at the start, + 1500 W.
    static func importEnergy(secondsSinceStart s: Int64) -> UInt32 {
        UInt32(truncatingIfNeeded: 1_000_000 + s * Int64(importPower) / 3600)
    }

    /// Active energy export (Wh): 50 000 Wh at the start, + 200 W.
    static func exportEnergy(secondsSinceStart s: Int64) -> UInt32 {
        UInt32(truncatingIfNeeded: 50_000 + s * Int64(exportPower) / 3600)
    }

    /// Voltage L1 in 0.1 V: 230.0 V ± 0.5 V, changing every minute.
    static func voltage(secondsSinceStart s: Int64) -> UInt16 { UInt16(2295 + (s / 60) % 11) }

    /// Current L1 in 0.01 A (≈ 1500 W / 230 V).
    static func current(secondsSinceStart s: Int64) -> UInt16 { UInt16(650 + (s / 60) % 5) }
}

/// An object found for a request, or the Data-Access-Result why not.
enum COSEMResolution {
    case success(COSEMObject)
    case failure(DataAccessResult)
}
