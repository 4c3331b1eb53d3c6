import DLMS

/// IC 23 IEC HDLC setup (v1) at 0.0.22.0.0.255: the parameters the reference meter's HDLC link
/// (``DLMSHDLCServerLink``) actually uses — 19200 Bd (enum 6, the rate its mode E opening offers),
/// windows and maximum information field lengths of ``DLMSHDLCServerLink/defaultCapabilities``
/// (7/7, 1024/1024), inter-octet time-out 500 ms, inactivity time-out 120 s, device address = the
/// physical device address. Read-only for every client.
final class COSEMHDLCSetupObject: COSEMObject {
    init() {
        super.init(classID: 23, version: 1, logicalName: .hdlcSetup, policy: COSEMAccessPolicy(visibility: .readerAndManager))
    }

    override func get(_ attribute: Int, selection: SelectiveAccessDescriptor?, in ctx: COSEMCallContext) -> COSEMGetOutcome {
        switch attribute {
        case 2: .value(.enumerated(6))
        case 3: .value(.unsigned(UInt8(clamping: DLMSHDLCServerLink.defaultCapabilities.windowSizeTransmit)))
        case 4: .value(.unsigned(UInt8(clamping: DLMSHDLCServerLink.defaultCapabilities.windowSizeReceive)))
        case 5: .value(.longUnsigned(UInt16(clamping: DLMSHDLCServerLink.defaultCapabilities.maximumInformationFieldLengthTransmit)))
        case 6: .value(.longUnsigned(UInt16(clamping: DLMSHDLCServerLink.defaultCapabilities.maximumInformationFieldLengthReceive)))
        case 7: .value(.longUnsigned(500))
        case 8: .value(.longUnsigned(120))
        case 9: .value(.longUnsigned(ctx.server.identity.physicalDevice))
        default: super.get(attribute, selection: selection, in: ctx)
        }
    }
}
