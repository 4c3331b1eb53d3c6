import DLMS

/// IC 64 Security setup (v0) at 0.0.43.0.0.255: security_policy 3 (authenticated and encrypted,
/// v0 enumeration), suite 0, the current association's client system title (8 zero bytes when it
/// has none), the server system title. The public client sees only logical_name (the rest is
/// no-access: the ignores-access-rights fault shows here). Methods for the manager:
/// security_activate accepts the current policy or a stronger one (none is stronger than 3);
/// global_key_transfer answers other-reason (AES key wrap is not simulated; the keys are fixed
/// by the identity).
final class COSEMSecuritySetupObject: COSEMObject {
    init() {
        super.init(classID: 64, version: 0, logicalName: OBISCode(0, 0, 43, 0, 0), policy: COSEMAccessPolicy(publicReadable: [1]))
    }

    override func get(_ attribute: Int, selection: SelectiveAccessDescriptor?, in ctx: COSEMCallContext) -> COSEMGetOutcome {
        switch attribute {
        case 2: .value(.enumerated(3))
        case 3: .value(.enumerated(0))
        case 4: .value(.octetString(ctx.association.clientSystemTitle ?? Array(repeating: 0, count: 8)))
        case 5: .value(.octetString(ctx.server.identity.systemTitle))
        default: super.get(attribute, selection: selection, in: ctx)
        }
    }

    override func invoke(_ method: Int, parameter: COSEMData, in ctx: COSEMCallContext) -> COSEMActionOutcome {
        switch (method, parameter) {
        case let (1, .enumerated(policy)): policy == 3 ? .success : .failure(.otherReason)
        case (2, _): .failure(.otherReason)
        default: .failure(.typeUnmatched)
        }
    }
}
