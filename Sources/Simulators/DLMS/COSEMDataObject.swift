import DLMS

/// IC 1 Data (v0): a value computed on each read (logical device name, invocation counter,
/// firmware identifier and signature, event code). Writable when the policy says so and a setter is given.
final class COSEMDataObject: COSEMObject {
    private let value: (COSEMCallContext) -> COSEMData
    private let setter: ((COSEMData, COSEMCallContext) -> DataAccessResult)?

    init(_ logicalName: OBISCode, policy: COSEMAccessPolicy = COSEMAccessPolicy(),
         value: @escaping (COSEMCallContext) -> COSEMData,
         setter: ((COSEMData, COSEMCallContext) -> DataAccessResult)? = nil) {
        self.value = value
        self.setter = setter
        super.init(classID: 1, version: 0, logicalName: logicalName, policy: policy)
    }

    override func get(_ attribute: Int, selection: SelectiveAccessDescriptor?, in ctx: COSEMCallContext) -> COSEMGetOutcome {
        attribute == 2 ? .value(value(ctx)) : super.get(attribute, selection: selection, in: ctx)
    }

    override func set(_ attribute: Int, value: COSEMData, in ctx: COSEMCallContext) -> DataAccessResult {
        guard attribute == 2, let setter else { return .readWriteDenied }
        return setter(value, ctx)
    }
}
