import CodecSupport

/// A frame whose structure is valid, with the checksum as received (fact sheet §1.1–§1.2).
///
/// `Frame.parse(_:)` returns it without judging the checksum, so the capture
/// analyser and the conformance checks can report a frame with `checksum_ok: false` and still
/// show its fields; `Frame.decode(_:)` is `parse` plus a checksum check.
public struct ParsedFrame: Hashable, Sendable {
    /// The decoded fields.
    public let frame: Frame
    /// The CS byte as received, or nil for E5.
    public let receivedChecksum: UInt8?

    /// Wraps a frame and the checksum received with it.
    public init(frame: Frame, receivedChecksum: UInt8?) {
        self.frame = frame
        self.receivedChecksum = receivedChecksum
    }

    /// True when the received CS equals the sum of C, A, CI and data (§1.2); always true for E5.
    public var checksumOK: Bool { receivedChecksum == frame.checksum }

    /// Offset of the CS byte from the start byte: 3 in a short frame, L + 4 in a long one;
    /// nil for E5.
    public var checksumOffset: Int? {
        switch frame {
        case .ack: return nil
        case .short: return 3
        case .control, .long: return frame.encodedLength - 2
        }
    }

    /// The `.badChecksum` error for this frame ("checksum 0x3C expected, 0x3D found", at the
    /// CS byte), or nil when the checksum is right.
    public var checksumError: MeterBusError? {
        guard let expected = frame.checksum, let found = receivedChecksum, expected != found,
              let offset = checksumOffset else { return nil }
        return MeterBusError(.badChecksum, at: offset,
                             "checksum 0x\(HexText.format(CollectionOfOne(expected))) expected, 0x\(HexText.format(CollectionOfOne(found))) found")
    }
}
