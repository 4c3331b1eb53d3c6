import DLMS

/// IC 70 Disconnect control (v0) at 0.0.96.3.10.255. control_mode 2 by default (remote
/// disconnection b/c, remote reconnection directly to connected, fact sheet §8.3): remote_disconnect
/// → output_state FALSE, control_state 0 (disconnected); remote_reconnect → TRUE, 1 (connected),
/// or in modes 1, 3, 5, 6 → FALSE, 2 (ready_for_reconnection). Mode 0 refuses both (other-reason).
/// Every client reads; only the manager invokes the methods and writes control_mode.
final class COSEMDisconnectControlObject: COSEMObject {
    var outputState = true
    var controlState: UInt8 = 1
    var controlMode: UInt8 = 2

    init() {
        super.init(classID: 70, version: 0, logicalName: OBISCode(0, 0, 96, 3, 10), policy: COSEMAccessPolicy(writable: [4]))
    }

    override func get(_ attribute: Int, selection: SelectiveAccessDescriptor?, in ctx: COSEMCallContext) -> COSEMGetOutcome {
        switch attribute {
        case 2: .value(.bool(outputState))
        case 3: .value(.enumerated(controlState))
        case 4: .value(.enumerated(controlMode))
        default: super.get(attribute, selection: selection, in: ctx)
        }
    }

    override func set(_ attribute: Int, value: COSEMData, in ctx: COSEMCallContext) -> DataAccessResult {
        guard attribute == 4, case let .enumerated(mode) = value else { return .typeUnmatched }
        guard mode <= 6 else { return .otherReason }
        controlMode = mode
        return .success
    }

    override func invoke(_ method: Int, parameter: COSEMData, in ctx: COSEMCallContext) -> COSEMActionOutcome {
        guard controlMode != 0 else { return .failure(.otherReason) }
        switch method {
        case 1:
            outputState = false
            controlState = 0
            ctx.server.logEvent(COSEMServer.EventCode.disconnected)
        case 2:
            if [2, 4].contains(controlMode) {
                outputState = true
                controlState = 1
                ctx.server.logEvent(COSEMServer.EventCode.reconnected)
            } else {
                controlState = 2
            }
        default:
            return .failure(.objectUndefined)
        }
        return .success
    }
}
