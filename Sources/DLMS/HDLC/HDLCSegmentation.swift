/// Splitting an APDU over I frames and joining it again (IEC 62056-46; fact sheet §1.7, §1.9).
///
/// The LLC header goes in the first segment only; S = 1 on every frame but the last of the
/// information field; N(S) counts up mod 8 from frame to frame while N(R) stays (with window 1
/// the peer answers each segment with RR and sends no I frame in between).
public enum HDLCSegmentation {
    /// How the P/F bit is set on the frames of one segmented information field.
    public enum PollFinal: Hashable, Sendable {
        /// P/F = 1 on every frame, so the peer answers each segment (U9, GX; needed with window 1 —
        /// chosen over JD's `lastFrameOnly` because the RR exchange of §1.9 relies on it).
        case everyFrame
        /// P/F = 1 only on the frame with S = 0 (JD).
        case lastFrameOnly
    }

    /// `information` cut into pieces of at most `maximumLength` bytes; one empty piece for
    /// empty input. Throws `.invalidValue` when `maximumLength` is below 1.
    public static func split(_ information: ArraySlice<UInt8>, maximumLength: Int) throws(DLMSError) -> [ArraySlice<UInt8>] {
        guard maximumLength >= 1 else {
            throw DLMSError(.invalidValue, at: 0, "maximum information field length \(maximumLength) is below 1")
        }
        guard !information.isEmpty else { return [information] }
        return stride(from: information.startIndex, to: information.endIndex, by: maximumLength).map {
            information[$0..<min($0 + maximumLength, information.endIndex)]
        }
    }

    /// The I frames that carry `apdu` (with `llc` in front when given), each information field
    /// at most `maximumInformationFieldLength` bytes (the peer's negotiated receive maximum).
    ///
    /// Throws `.invalidValue` for a maximum below 1, `.badLength` when a frame would exceed the
    /// 2047-byte frame length.
    public static func informationFrames(apdu: [UInt8], llc: HDLCLLC?, destination: HDLCAddress, source: HDLCAddress,
                                         maximumInformationFieldLength: Int, firstSendSequence: UInt8,
                                         receiveSequence: UInt8, pollFinal: PollFinal = .everyFrame) throws(DLMSError) -> [HDLCFrame] {
        let information = (llc?.bytes ?? []) + apdu
        let pieces = try split(information[...], maximumLength: maximumInformationFieldLength)
        var frames: [HDLCFrame] = []
        frames.reserveCapacity(pieces.count)
        for (index, piece) in pieces.enumerated() {
            let last = index == pieces.count - 1
            let frame = HDLCFrame.information(
                destination: destination, source: source,
                sendSequence: UInt8(truncatingIfNeeded: (Int(firstSendSequence) + index) & 0x07),
                receiveSequence: receiveSequence,
                pollFinal: pollFinal == .everyFrame || last,
                segmented: !last, information: piece)
            guard frame.lengthField <= HDLCFrame.maximumLengthField else {
                throw DLMSError(.badLength, at: 1, "a frame with \(piece.count) information bytes exceeds the 2047-byte frame length")
            }
            frames.append(frame)
        }
        return frames
    }
}

/// An information field joined from its segments, with the LLC header taken off.
public struct HDLCReassembled: Hashable, Sendable {
    /// The LLC header the first segment began with, or nil.
    public let llc: HDLCLLC?
    /// The bytes after the LLC header: the APDU.
    public let apdu: [UInt8]
    /// How many frames carried it.
    public let frameCount: Int

    /// A joined field.
    public init(llc: HDLCLLC?, apdu: [UInt8], frameCount: Int) {
        self.llc = llc
        self.apdu = apdu
        self.frameCount = frameCount
    }
}

/// Joins the segments of one information field (fact sheet §1.9): feed I or UI frames in the
/// order received; a frame with S = 0 completes the field.
///
/// Checks: all segments have the same frame type; N(S) of each I segment follows the previous
/// one mod 8 (`.invalidValue`); the total stays within ``maximumLength`` (`.badLength`). After
/// an error the partial field is dropped. Other frame types are `.unsupported` and leave the
/// state unchanged. Error offsets are 0 (they concern a sequence, not a byte).
public struct HDLCReassembler: Sendable {
    /// The largest information field accepted, LLC included.
    public let maximumLength: Int
    private var pending: [UInt8] = []
    private var frames = 0
    private var type: HDLCControl.FrameType?
    private var lastSendSequence: UInt8?

    /// A reassembler accepting up to `maximumLength` bytes (default: a 65535-byte APDU plus LLC).
    public init(maximumLength: Int = 0xFFFF + 3) {
        self.maximumLength = maximumLength
    }

    /// True while segments of an unfinished field are held.
    public var isInProgress: Bool { frames > 0 }

    /// Adds one frame; returns the whole field when `frame` is its last segment, else nil.
    public mutating func append(_ frame: HDLCFrame) throws(DLMSError) -> HDLCReassembled? {
        guard let frameType = frame.frameType, frameType == .information || frameType == .unnumberedInformation else {
            throw DLMSError(.unsupported, at: 0, "only I and UI frames carry segments, not \(frame.frameType?.name ?? "an undefined frame")")
        }
        if let type, type != frameType {
            reset()
            throw DLMSError(.invalidValue, at: 0, "a \(frameType.name) frame interrupts a segmented \(type.name) field")
        }
        if frameType == .information, let previous = lastSendSequence, let ns = frame.control.sendSequence,
           ns != (previous + 1) & 0x07 {
            reset()
            throw DLMSError(.invalidValue, at: 0, "segment N(S) \(ns) does not follow \(previous)")
        }
        guard pending.count + frame.information.count <= maximumLength else {
            reset()
            throw DLMSError(.badLength, at: 0, "reassembled information field exceeds \(maximumLength) bytes")
        }
        pending += frame.information
        frames += 1
        type = frameType
        lastSendSequence = frame.control.sendSequence
        guard !frame.segmented else { return nil }
        let (llc, rest) = HDLCLLC.split(pending[...])
        let result = HDLCReassembled(llc: llc, apdu: Array(rest), frameCount: frames)
        reset()
        return result
    }

    /// Drops a partial field.
    public mutating func reset() {
        pending = []
        frames = 0
        type = nil
        lastSendSequence = nil
    }
}
