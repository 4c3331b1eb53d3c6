import DLMS

/// IC 40 Push setup (v0) at 0.0.25.9.0.255: push_object_list = the push setup's own logical name,
/// clock time, active energy import and export; send_destination_and_method = TCP (0), the
/// configured destination ("127.0.0.1:4060"), A-XDR messages (0); always-open communication window;
/// no randomisation, no retries. Method 1 push queues a DataNotification in
/// ``COSEMServer/pendingPushes``. The manager may change the destination (attribute 3).
final class COSEMPushSetupObject: COSEMObject {
    static let obis = OBISCode(0, 0, 25, 9, 0)
    var destination: [UInt8]
    /// What each push carries, in order.
    let pushObjects: [CaptureObjectDefinition] = [
        CaptureObjectDefinition(classID: 40, logicalName: COSEMPushSetupObject.obis, attributeIndex: 1),
        CaptureObjectDefinition(classID: 8, logicalName: .clock, attributeIndex: 2),
        CaptureObjectDefinition(classID: 3, logicalName: .activeEnergyImport, attributeIndex: 2),
        CaptureObjectDefinition(classID: 3, logicalName: .activeEnergyExport, attributeIndex: 2),
    ]

    init(destination: String) {
        self.destination = Array(destination.utf8)
        super.init(classID: 40, version: 0, logicalName: Self.obis, policy: COSEMAccessPolicy(visibility: .readerAndManager, writable: [3]))
    }

    override func get(_ attribute: Int, selection: SelectiveAccessDescriptor?, in ctx: COSEMCallContext) -> COSEMGetOutcome {
        switch attribute {
        case 2: .value(.array(pushObjects.map(\.data)))
        case 3: .value(.structure([.enumerated(0), .octetString(destination), .enumerated(0)]))
        case 4: .value(.array([]))
        case 5: .value(.longUnsigned(0))
        case 6: .value(.unsigned(0))
        case 7: .value(.longUnsigned(0))
        default: super.get(attribute, selection: selection, in: ctx)
        }
    }

    override func set(_ attribute: Int, value: COSEMData, in ctx: COSEMCallContext) -> DataAccessResult {
        guard attribute == 3, case let .structure(p) = value, p.count == 3, case .enumerated(0) = p[0],
              case let .octetString(d) = p[1], case .enumerated(0) = p[2] else { return .otherReason }
        destination = d
        return .success
    }

    override func invoke(_ method: Int, parameter: COSEMData, in ctx: COSEMCallContext) -> COSEMActionOutcome {
        guard method == 1 else { return .failure(.objectUndefined) }
        ctx.server.pendingPushes.append(ctx.server.makePushNotification(at: ctx.clock.nowSeconds))
        return .success
    }
}
