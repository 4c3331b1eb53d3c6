import CodecSupport
import Crypto
import DLMS
import Transport

/// `image_transfer`: a firmware upgrade through Image transfer (IC 18) — initiate, blocks,
/// verify, activate — and a check that the meter runs exactly the image sent.
extension DLMSSession {
    /// A MeterProof test image: `size − 32` deterministic bytes followed by their SHA-256, so a
    /// device can verify it without a vendor key (what the reference server does).
    static func testImage(size: Int, seed: UInt64) -> [UInt8] {
        var rng = SplitMix64(seed: seed)
        let body = (0..<max(0, size - 32)).map { _ in rng.byte() }
        return body + Array(SHA256.hash(data: body))
    }

    func imageTransferStep(_ step: Step, _ context: inout StepContext) async throws {
        guard association != nil else {
            context.setVerdict(.inconc, "no association is open (an `associate` step must come first)")
            return
        }
        let obisText = try context.parameter("obis", of: step)?.textValue ?? pixitText("image_transfer_obis", context) ?? "0.0.44.0.0.255"
        guard let obis = try? OBISCode(parsing: obisText) else {
            context.setVerdict(.error, "image transfer obis '\(obisText)' is not an OBIS code")
            return
        }
        let identifier = try context.parameter("identifier", of: step)?.textValue ?? "MP-TEST-IMAGE-2"
        var image: [UInt8]
        if case .bytes(let b)? = try context.parameter("image", of: step) {
            image = b
        } else {
            let size = try context.parameter("image_size", of: step)?.intValue ?? 1000
            image = Self.testImage(size: size, seed: identifier.utf8.reduce(UInt64(size)) { $0 &* 31 &+ UInt64($1) })
        }
        func attribute(_ n: Int8) -> AttributeDescriptorWithSelection {
            AttributeDescriptorWithSelection(CosemAttributeDescriptor(classID: 18, instanceID: obis, attributeID: n))
        }
        func method(_ n: Int8) -> CosemMethodDescriptor { CosemMethodDescriptor(classID: 18, instanceID: obis, methodID: n) }

        // 1. image_block_size (attribute 2).
        guard let sizeOutcome = try await read(attribute(2), &context) else { return }
        guard sizeOutcome.result == "success", case .doubleLongUnsigned(let blockSize32)? = sizeOutcome.data, blockSize32 > 0 else {
            context.setVerdict(.fail, "image_block_size (IC 18 attribute 2) is not a positive double-long-unsigned: \(sizeOutcome.result)")
            return
        }
        let blockSize = Int(blockSize32)
        // 2. image_transfer_initiate (method 1).
        let identifierBytes = Array(identifier.utf8)
        guard let initiate = try await invoke(method: method(1), parameters: .structure([.octetString(identifierBytes), .doubleLongUnsigned(UInt32(clamping: image.count))]), &context, what: "image_transfer_initiate") else { return }
        guard initiate.result == "success" else {
            context.setVerdict(.fail, "image_transfer_initiate answered \(initiate.result)")
            return
        }
        // 3. image_block_transfer (method 2) for every block.
        let blockCount = (image.count + blockSize - 1) / blockSize
        for n in 0..<blockCount {
            let block = Array(image[(n * blockSize)..<min(image.count, (n + 1) * blockSize)])
            guard let outcome = try await invoke(method: method(2), parameters: .structure([.doubleLongUnsigned(UInt32(n)), .octetString(block)]), &context, what: "image_block_transfer \(n)") else { return }
            guard outcome.result == "success" else {
                context.setVerdict(.fail, "image_block_transfer of block \(n) answered \(outcome.result)")
                return
            }
        }
        context.log.append("transferred \(blockCount) block(s) of \(blockSize) bytes (\(image.count) bytes)")
        // 4. image_first_not_transferred_block_number (attribute 4) must be past the last block.
        if let first = try await read(attribute(4), &context), case .doubleLongUnsigned(let n)? = first.data, Int(n) < blockCount {
            context.setVerdict(.fail, "image_first_not_transferred_block_number is \(n) after all \(blockCount) blocks were transferred")
            return
        }
        // 5. image_verify (method 3).
        guard let verify = try await invoke(method: method(3), parameters: .integer(0), &context, what: "image_verify") else { return }
        guard verify.result == "success" || verify.result == "temporary-failure" else {
            context.setVerdict(.fail, "image_verify answered \(verify.result) for a valid image")
            return
        }
        // 6. image_to_activate_info (attribute 7): size and identification as sent.
        if let info = try await read(attribute(7), &context), info.result == "success",
           case .array(let entries)? = info.data, case .structure(let fields)? = entries.first, fields.count >= 2 {
            if case .doubleLongUnsigned(let size) = fields[0], Int(size) != image.count {
                context.setVerdict(.fail, "image_to_activate_info gives size \(size); \(image.count) bytes were sent")
                return
            }
            if case .octetString(let id) = fields[1], id != identifierBytes {
                context.setVerdict(.fail, "image_to_activate_info gives identification \(String(decoding: id, as: UTF8.self)); \(identifier) was sent")
                return
            }
        }
        // 7. image_activate (method 4).
        guard let activate = try await invoke(method: method(4), parameters: .integer(0), &context, what: "image_activate") else { return }
        guard activate.result == "success" else {
            context.setVerdict(.fail, "image_activate answered \(activate.result)")
            return
        }
        // 8. The running image must be the image sent: its identifier and its SHA-256.
        let identifierOBIS = pixitText("active_firmware_identifier_obis", context) ?? "1.0.0.2.0.255"
        let signatureOBIS = pixitText("active_firmware_signature_obis", context) ?? "1.0.0.2.8.255"
        if let o = try? OBISCode(parsing: identifierOBIS),
           let active = try await read(AttributeDescriptorWithSelection(CosemAttributeDescriptor(classID: 1, instanceID: o, attributeID: 2)), &context) {
            let bytes: [UInt8]? = switch active.data {
            case .octetString(let b)?, .visibleString(let b)?: b
            default: nil
            }
            if bytes != identifierBytes {
                context.setVerdict(.fail, "after activation the active firmware identifier (\(identifierOBIS)) is \(bytes.map { String(decoding: $0, as: UTF8.self) } ?? active.result); \(identifier) was activated")
                return
            }
        }
        if let o = try? OBISCode(parsing: signatureOBIS),
           let active = try await read(AttributeDescriptorWithSelection(CosemAttributeDescriptor(classID: 1, instanceID: o, attributeID: 2)), &context) {
            let digest = Array(SHA256.hash(data: image))
            guard case .octetString(let signature)? = active.data else {
                context.setVerdict(.fail, "the active firmware signature (\(signatureOBIS)) could not be read: \(active.result)")
                return
            }
            if signature != digest {
                context.setVerdict(.fail, "the activated image differs from the image sent: its SHA-256 is \(HexText.format(signature, separator: "")), the image sent has \(HexText.format(digest, separator: "")) — a block was stored corrupted yet verification passed and the image was activated (IC 18: image_verify checks the transferred image before image_activate; Gurux GXDLMSImageTransfer)")
                return
            }
        }
        if context.verdict.verdict == .none {
            context.setVerdict(.pass, "image \(identifier) (\(image.count) bytes, \(blockCount) blocks) transferred, verified and activated; the running image's SHA-256 matches")
        }
    }
}
