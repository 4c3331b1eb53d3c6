import DLMS

/// IC 3 Register (v0): a value computed from the simulated clock, a fixed scaler_unit, method 1
/// reset (sets the value back to its base by remembering an offset).
final class COSEMRegisterObject: COSEMObject {
    let scalerUnit: ScalerUnit
    private let value: (COSEMCallContext) -> COSEMData
    /// The logical name answered for attribute 1 (differs from ``logicalName`` only under a fault).
    var reportedLogicalName: OBISCode?

    init(_ logicalName: OBISCode, scalerUnit: ScalerUnit, policy: COSEMAccessPolicy = COSEMAccessPolicy(),
         value: @escaping (COSEMCallContext) -> COSEMData) {
        self.scalerUnit = scalerUnit
        self.value = value
        super.init(classID: 3, version: 0, logicalName: logicalName, policy: policy)
    }

    /// Register method 2 (next_period) is listed by SP only (fact sheet §8.3 ⚠); this register has reset only.
    override var methodCount: Int { 1 }

    override func get(_ attribute: Int, selection: SelectiveAccessDescriptor?, in ctx: COSEMCallContext) -> COSEMGetOutcome {
        switch attribute {
        case 1: .value((reportedLogicalName ?? logicalName).data)
        case 2: .value(value(ctx))
        case 3: .value(scalerUnit.data)
        default: .failure(.objectUndefined)
        }
    }

    /// Energy and instantaneous registers of a billing meter are not resettable remotely: reset is
    /// listed with no access for every client.
    override func methodAccess(_ method: Int, for role: COSEMClientRole) -> Bool { false }
}
