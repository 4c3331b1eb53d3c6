import DLMS

/// IC 18 Image transfer (v0) at 0.0.44.0.0.255 (attributes and methods as in the catalog's IC 18).
///
/// - image_transfer_initiate(identifier, size) enables a transfer of `size` bytes (33…1 MiB) in
///   blocks of ``COSEMServerConfiguration/imageBlockSize`` (64 by default), numbered from 0;
/// - image_block_transfer(number, value): every block but the last is exactly block-size bytes;
/// - image_verify: every block present and the image valid per ``COSEMSimulatorImage``
///   (last 32 bytes = SHA-256 of the rest); status 3 verification successful, else 4 and other-reason;
/// - image_activate (after a successful verify): the active firmware identifier (1.0.0.2.0.255)
///   becomes the identifier, the active firmware signature (1.0.0.2.8.255) the SHA-256 of the whole
///   image stored; status 6. The corrupt-image-activated fault flips the first byte of block 1 as
///   it is stored, yet verify and activate succeed.
///
/// image_transfer_status values (Gurux ImageTransferStatus): 0 not initiated, 1 initiated,
/// 2 verification initiated, 3 verification successful, 4 verification failed, 5 activation
/// initiated, 6 activation successful, 7 activation failed. Visible to the reader (read-only) and
/// the manager (methods); not to the public client.
final class COSEMImageTransferObject: COSEMObject {
    let blockSize: UInt32
    var identifier: [UInt8] = []
    var size = 0
    var image: [UInt8] = []
    var received: [Bool] = []
    var status: UInt8 = 0
    static let maximumSize = 1 << 20

    init(blockSize: UInt32) {
        self.blockSize = blockSize
        super.init(classID: 18, version: 0, logicalName: OBISCode(0, 0, 44, 0, 0),
                   policy: COSEMAccessPolicy(visibility: .readerAndManager, writable: [5]))
    }

    var transferEnabled = true
    var blockCount: Int { received.count }
    var firstMissing: UInt32 { UInt32(received.firstIndex(of: false) ?? received.count) }

    override func get(_ attribute: Int, selection: SelectiveAccessDescriptor?, in ctx: COSEMCallContext) -> COSEMGetOutcome {
        switch attribute {
        case 2: return .value(.doubleLongUnsigned(blockSize))
        case 3: return .value(.bitString(BitString(bits: received)))
        case 4: return .value(.doubleLongUnsigned(firstMissing))
        case 5: return .value(.bool(transferEnabled))
        case 6: return .value(.enumerated(status))
        case 7:
            guard status >= 1 else { return .value(.array([])) }
            let signature = COSEMSimulatorImage.signature(of: image)
            return .value(.array([.structure([.doubleLongUnsigned(UInt32(size)), .octetString(identifier), .octetString(signature)])]))
        default: return super.get(attribute, selection: selection, in: ctx)
        }
    }

    override func set(_ attribute: Int, value: COSEMData, in ctx: COSEMCallContext) -> DataAccessResult {
        guard attribute == 5, let enabled = value.boolValue else { return .typeUnmatched }
        transferEnabled = enabled
        return .success
    }

    override func invoke(_ method: Int, parameter: COSEMData, in ctx: COSEMCallContext) -> COSEMActionOutcome {
        let server = ctx.server
        switch (method, parameter) {
        case let (1, .structure(p)):
            guard transferEnabled, p.count == 2, case let .octetString(id) = p[0], case let .doubleLongUnsigned(n) = p[1],
                  Int(n) >= COSEMSimulatorImage.minimumSize, Int(n) <= Self.maximumSize else { return .failure(.otherReason) }
            identifier = id
            size = Int(n)
            image = [UInt8](repeating: 0, count: size)
            received = [Bool](repeating: false, count: (size + Int(blockSize) - 1) / Int(blockSize))
            status = 1
            return .success
        case let (2, .structure(p)):
            guard status >= 1, p.count == 2, case let .doubleLongUnsigned(n) = p[0], case var .octetString(value) = p[1],
                  Int(n) < blockCount else { return .failure(.otherReason) }
            let start = Int(n) * Int(blockSize)
            let expected = min(Int(blockSize), size - start)
            guard value.count == expected else { return .failure(.otherReason) }
            if n == 1, server.configuration.has(.corruptImageActivated), !value.isEmpty { value[0] ^= 0xFF }
            image.replaceSubrange(start..<(start + expected), with: value)
            received[Int(n)] = true
            if status > 1 { status = 1 }
            return .success
        case (3, _):
            guard status >= 1 else { return .failure(.otherReason) }
            let ok = !received.contains(false) && COSEMSimulatorImage.isValid(image)
            if ok || server.configuration.has(.corruptImageActivated) && !received.contains(false) {
                status = 3
                return .success
            }
            status = 4
            return .failure(.otherReason)
        case (4, _):
            guard status == 3 || status == 6 else { return .failure(.otherReason) }
            server.activeFirmwareIdentifier = identifier
            server.activeFirmwareSignature = SimulatorSHA256.hash(image)
            server.activeImage = image
            server.logEvent(COSEMServer.EventCode.firmwareActivated)
            status = 6
            return .success
        default:
            return .failure(.typeUnmatched)
        }
    }
}
