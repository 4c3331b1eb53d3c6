/// The 3-byte information field of an FRMR frame (IEC 62056-46 via ISO/IEC 13239; fact sheet §1.5).
///
/// Layout from a single source (JD `FrameRejectReason.java`), so the middle byte, which packs
/// V(S) and V(R) in a bit order only JD documents, is kept raw.
public struct HDLCFrameReject: Hashable, Sendable {
    /// The reason flags of the third byte (JD's masks).
    public struct Reasons: OptionSet, Hashable, Sendable {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        /// `80`: control field undefined (W).
        public static let controlFieldUndefined = Reasons(rawValue: 0x80)
        /// `40`: invalid information field (X).
        public static let invalidInformation = Reasons(rawValue: 0x40)
        /// `20`: information field too long (Y).
        public static let informationSizeExceeded = Reasons(rawValue: 0x20)
        /// `10`: invalid receive sequence number (Z).
        public static let invalidReceiveSequence = Reasons(rawValue: 0x10)
    }

    /// The control byte of the rejected frame.
    public var rejectedControl: HDLCControl
    /// The rejecting station's V(S)/V(R) byte, as sent.
    public var sequenceState: UInt8
    /// The reason byte.
    public var reasons: Reasons

    /// An FRMR information field.
    public init(rejectedControl: HDLCControl, sequenceState: UInt8 = 0, reasons: Reasons) {
        self.rejectedControl = rejectedControl
        self.sequenceState = sequenceState
        self.reasons = reasons
    }

    /// The three bytes.
    public func encoded() -> [UInt8] { [rejectedControl.rawValue, sequenceState, reasons.rawValue] }

    /// Decodes exactly three bytes; others are `.badLength`.
    public static func decode(_ bytes: ArraySlice<UInt8>) throws(DLMSError) -> HDLCFrameReject {
        guard bytes.count == 3 else {
            throw DLMSError(.badLength, at: min(bytes.count, 3), "FRMR information is \(bytes.count) bytes; 3 expected")
        }
        let s = bytes.startIndex
        return HDLCFrameReject(rejectedControl: HDLCControl(rawValue: bytes[s]), sequenceState: bytes[s + 1],
                               reasons: Reasons(rawValue: bytes[s + 2]))
    }
}
