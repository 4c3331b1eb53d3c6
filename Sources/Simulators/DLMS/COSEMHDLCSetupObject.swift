import DLMS

/// IC 23 IEC HDLC setup (v1) at 0.0.22.0.0.255: the parameters of the reference meter's HDLC
/// port — 9600 Bd (enum 5), windows 1/1, max info field 128/128, inter-octet time-out 25 ms,
/// inactivity time-out 120 s, device address = the physical device address. Read-only for every
/// client: the HDLC link is a colleague's component and does not take its parameters from here.
final class COSEMHDLCSetupObject: COSEMObject {
    init() {
        super.init(classID: 23, version: 1, logicalName: .hdlcSetup, policy: COSEMAccessPolicy(visibility: .readerAndManager))
    }

    override func get(_ attribute: Int, selection: SelectiveAccessDescriptor?, in ctx: COSEMCallContext) -> COSEMGetOutcome {
        switch attribute {
        case 2: .value(.enumerated(5))
        case 3, 4: .value(.unsigned(1))
        case 5, 6: .value(.longUnsigned(128))
        case 7: .value(.longUnsigned(25))
        case 8: .value(.longUnsigned(120))
        case 9: .value(.longUnsigned(ctx.server.identity.physicalDevice))
        default: super.get(attribute, selection: selection, in: ctx)
        }
    }
}
