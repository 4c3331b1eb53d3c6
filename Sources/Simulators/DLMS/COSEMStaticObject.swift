import DLMS

/// An object whose attributes are stored values (written by the manager after the catalog's type
/// check): the limiter and the activity calendar.
class COSEMStaticObject: COSEMObject {
    var values: [Int: COSEMData]

    init(classID: UInt16, version: UInt8, logicalName: OBISCode, policy: COSEMAccessPolicy, values: [Int: COSEMData]) {
        self.values = values
        super.init(classID: classID, version: version, logicalName: logicalName, policy: policy)
    }

    override func get(_ attribute: Int, selection: SelectiveAccessDescriptor?, in ctx: COSEMCallContext) -> COSEMGetOutcome {
        if let v = values[attribute] { return .value(v) }
        return super.get(attribute, selection: selection, in: ctx)
    }

    override func set(_ attribute: Int, value: COSEMData, in ctx: COSEMCallContext) -> DataAccessResult {
        guard values[attribute] != nil else { return .readWriteDenied }
        values[attribute] = value
        return .success
    }
}

/// IC 71 Limiter (v0) at 0.0.17.0.0.255, monitoring active power import 1.0.1.7.0.255 (W):
/// thresholds 10 000 W normal / 5 000 W emergency, 60 s over and 30 s under; actions call the
/// disconnector script 0.0.10.0.106.255 (selectors 1 and 2). Stored values only: the simulated
/// power (1500 W) never crosses the threshold. The manager writes attributes 3–9 and 11.
final class COSEMLimiterObject: COSEMStaticObject {
    init() {
        let script = OBISCode(0, 0, 10, 0, 106).data
        super.init(classID: 71, version: 0, logicalName: OBISCode(0, 0, 17, 0, 0),
                   policy: COSEMAccessPolicy(visibility: .readerAndManager, writable: [3, 4, 5, 6, 7, 8, 9, 11]), values: [
            2: .structure([.longUnsigned(3), COSEMObjectStore.activePower.data, .integer(2)]),
            3: .doubleLongUnsigned(10_000),
            4: .doubleLongUnsigned(10_000),
            5: .doubleLongUnsigned(5_000),
            6: .doubleLongUnsigned(60),
            7: .doubleLongUnsigned(30),
            8: .structure([.longUnsigned(1), .octetString(COSEMActivityCalendarObject.wildcardDateTime), .doubleLongUnsigned(3600)]),
            9: .array([.longUnsigned(1)]),
            10: .bool(false),
            11: .structure([.structure([script, .longUnsigned(1)]), .structure([script, .longUnsigned(2)])]),
        ])
    }
}
