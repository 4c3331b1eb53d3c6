import CodecSupport

/// One wired M-Bus frame (EN 13757-2; fact sheet §1.1).
///
/// | case | bytes on the wire |
/// |---|---|
/// | ``ack`` | `E5` |
/// | ``short(control:address:)`` | `10 C A CS 16` |
/// | ``control(control:address:ci:)`` | `68 03 03 68 C A CI CS 16` |
/// | ``long(control:address:ci:data:)`` | `68 L L 68 C A CI data CS 16`, L = 3 + data count |
///
/// A decoded frame's `data` is a slice of the input (no copy). The checksum is not stored: it
/// is computed from the fields, and ``ParsedFrame`` keeps the one received. A `.long` frame with
/// no data encodes exactly like `.control` and decodes as `.control`; build frames whose data
/// may be empty with ``userDataFrame(control:address:ci:data:)``.
public enum Frame: Hashable, Sendable {
    /// The single character E5, positive acknowledgement from a slave (§1.1).
    case ack
    /// A short frame: C and A only, e.g. SND_NKE or REQ_UD2 (§1.1).
    case short(control: ControlField, address: UInt8)
    /// A control frame: a long frame with L = 3, i.e. C, A and CI without data (§1.1).
    case control(control: ControlField, address: UInt8, ci: UInt8)
    /// A long frame: C, A, CI and 1–252 bytes of user data (§1.1).
    case long(control: ControlField, address: UInt8, ci: UInt8, data: ArraySlice<UInt8>)

    /// The four frame formats (§1.1).
    public enum Kind: String, Hashable, Sendable, CaseIterable {
        /// Single character E5.
        case ack
        /// `10 C A CS 16`.
        case short
        /// `68 03 03 68 C A CI CS 16`.
        case control
        /// `68 L L 68 C A CI data CS 16`.
        case long

        /// Exactly "ack", "short", "control" or "long"; used as a stable field value in reports.
        public var name: String { rawValue }
    }

    // MARK: Constants (§1.1)

    /// Single-character frame byte E5 (§1.1).
    public static let ackByte: UInt8 = 0xE5
    /// Start byte of a short frame, 10 (§1.1).
    public static let shortStartByte: UInt8 = 0x10
    /// Start byte (first and fourth byte) of a control or long frame, 68 (§1.1).
    public static let longStartByte: UInt8 = 0x68
    /// Stop byte of every frame but E5, 16 (§1.1).
    public static let stopByte: UInt8 = 0x16
    /// Offset of the first user-data byte after CI in a control or long frame: 7 (§1.1).
    public static let dataOffset = 7
    /// Most user-data bytes after CI: 252 (libmbus `MBUS_FRAME_DATA_LENGTH`, §1.1).
    public static let maximumUserDataLength = 252
    /// Most bytes in one frame: 252 + 9 = 261 (§1.1).
    public static let maximumLength = maximumUserDataLength + 9
    /// Smallest L field: 3, for C, A and CI (§1.1).
    public static let minimumLengthField: UInt8 = 3

    // MARK: Fields

    /// The frame format.
    public var kind: Kind {
        switch self {
        case .ack: return .ack
        case .short: return .short
        case .control: return .control
        case .long: return .long
        }
    }

    /// The C field, or nil for E5.
    public var control: ControlField? {
        switch self {
        case .ack: return nil
        case let .short(c, _), let .control(c, _, _), let .long(c, _, _, _): return c
        }
    }

    /// The A field (primary address), or nil for E5.
    public var address: UInt8? {
        switch self {
        case .ack: return nil
        case let .short(_, a), let .control(_, a, _), let .long(_, a, _, _): return a
        }
    }

    /// The A field with its class (§1.6), or nil for E5.
    public var addressField: AddressField? { address.map(AddressField.init(rawValue:)) }

    /// The CI byte of a control or long frame, else nil.
    public var ci: UInt8? {
        switch self {
        case .ack, .short: return nil
        case let .control(_, _, ci), let .long(_, _, ci, _): return ci
        }
    }

    /// The CI field with its meanings (§1.7), or nil for E5 and short frames.
    public var controlInformation: ControlInformation? { ci.map(ControlInformation.init(rawValue:)) }

    /// The bytes after CI; empty for E5, short and control frames. Decoded frames share the
    /// input's storage, and indices are those of the input.
    public var userData: ArraySlice<UInt8> {
        if case let .long(_, _, _, data) = self { return data }
        return []
    }

    /// The L field value (3 + data count) of a control or long frame, else nil. Larger than
    /// 255 only for a `.long` frame with too much data, which ``encoded()`` rejects.
    public var lengthField: Int? {
        switch self {
        case .ack, .short: return nil
        case .control: return 3
        case let .long(_, _, _, data): return 3 + data.count
        }
    }

    /// The correct checksum (§1.2) of this frame, or nil for E5.
    public var checksum: UInt8? {
        switch self {
        case .ack: return nil
        case let .short(c, a): return Checksum.compute(control: c.rawValue, address: a)
        case let .control(c, a, ci): return Checksum.compute(control: c.rawValue, address: a, ci: ci)
        case let .long(c, a, ci, data): return Checksum.compute(control: c.rawValue, address: a, ci: ci, data: data)
        }
    }

    /// The number of bytes ``encoded()`` produces: 1, 5, or L + 6.
    public var encodedLength: Int {
        switch self {
        case .ack: return 1
        case .short: return 5
        case .control: return 9
        case let .long(_, _, _, data): return 9 + data.count
        }
    }
}

extension Frame: CustomStringConvertible {
    /// e.g. "short REQ_UD2 FCB=1 FCV=1 (0x7B) A=5" or "long RSP_UD … A=5 CI=0x72 19 data bytes".
    public var description: String {
        switch self {
        case .ack:
            return "ack E5"
        case let .short(c, a):
            return "short \(c) A=\(a)"
        case let .control(c, a, ci):
            return "control \(c) A=\(a) CI=0x\(HexText.format(CollectionOfOne(ci)))"
        case let .long(c, a, ci, data):
            return "long \(c) A=\(a) CI=0x\(HexText.format(CollectionOfOne(ci))) \(data.count) data byte\(data.count == 1 ? "" : "s")"
        }
    }
}
