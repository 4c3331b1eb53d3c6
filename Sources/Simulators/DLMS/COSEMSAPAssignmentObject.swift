import DLMS

/// IC 17 SAP assignment (v0) at 0.0.41.0.0.255: one logical device (the management logical
/// device, SAP = identity.logicalDevice) with its logical device name. connect_logical_device is
/// listed without access (the reference meter has a fixed set of logical devices).
final class COSEMSAPAssignmentObject: COSEMObject {
    init() {
        super.init(classID: 17, version: 0, logicalName: .sapAssignment, policy: COSEMAccessPolicy())
    }

    override func methodAccess(_ method: Int, for role: COSEMClientRole) -> Bool { false }

    override func get(_ attribute: Int, selection: SelectiveAccessDescriptor?, in ctx: COSEMCallContext) -> COSEMGetOutcome {
        let identity = ctx.server.identity
        if attribute == 2 {
            return .value(.array([.structure([.longUnsigned(identity.logicalDevice), .octetString(identity.logicalDeviceName)])]))
        }
        return super.get(attribute, selection: selection, in: ctx)
    }
}
