import CodecSupport

/// The C field of a wired M-Bus frame (EN 13757-2; fact sheet §1.3–§1.4).
///
/// Bit 7 is reserved (0), bit 6 is PRM (1 in a primary→secondary frame), bits 5 and 4 are
/// FCB/FCV from the primary and ACD/DFC from the secondary, bits 3–0 are the function code.
public struct ControlField: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The C byte as sent.
    public let rawValue: UInt8

    /// Wraps a C byte; every value is representable (see ``isValidWired``).
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// Wraps a C byte.
    public init(_ rawValue: UInt8) { self.rawValue = rawValue }

    // MARK: Bits (§1.3)

    /// PRM (bit 6, mask 0x40): true in a frame from the primary station (master→slave).
    public var isFromPrimary: Bool { rawValue & 0x40 != 0 }

    /// FCB, frame count bit (bit 5) of a primary→secondary frame; nil in a secondary frame (§1.3).
    public var fcb: Bool? { isFromPrimary ? rawValue & 0x20 != 0 : nil }

    /// FCV, frame count valid (bit 4) of a primary→secondary frame; nil in a secondary frame (§1.3).
    public var fcv: Bool? { isFromPrimary ? rawValue & 0x10 != 0 : nil }

    /// ACD, access demand (bit 5) of a secondary→primary frame; nil in a primary frame (§1.3).
    public var acd: Bool? { isFromPrimary ? nil : rawValue & 0x20 != 0 }

    /// DFC, data flow control (bit 4) of a secondary→primary frame; nil in a primary frame (§1.3).
    public var dfc: Bool? { isFromPrimary ? nil : rawValue & 0x10 != 0 }

    /// Bit 7, reserved (0 on a wired bus; wmbusmeters alone reads it as "relayed") (§1.3).
    public var reservedBit: Bool { rawValue & 0x80 != 0 }

    /// The function code, bits 3–0 (§1.3).
    public var functionCode: UInt8 { rawValue & 0x0F }

    // MARK: Function (§1.4)

    /// What a C field asks for, from PRM and the function code (§1.4).
    public enum Function: String, Hashable, Sendable, CaseIterable {
        /// SND_NKE, link reset (PRM=1, function 0).
        case sndNKE = "SND_NKE"
        /// SND_UD, send user data (PRM=1, function 3).
        case sndUD = "SND_UD"
        /// REQ_UD1, request class 1 (alarm) data (PRM=1, function A).
        case reqUD1 = "REQ_UD1"
        /// REQ_UD2, request class 2 data (PRM=1, function B).
        case reqUD2 = "REQ_UD2"
        /// RSP_UD, respond with user data (PRM=0, function 8).
        case rspUD = "RSP_UD"
        /// ACK as a C field (PRM=0, function 0); only exmbus names it, wired slaves send E5.
        case ack = "ACK"
        /// NACK as a C field (PRM=0, function 1); only exmbus names it.
        case nack = "NACK"
        /// Any other combination of PRM and function code.
        case unknown

        /// The standard's name, e.g. "REQ_UD2" (§1.4).
        public var name: String { rawValue }
    }

    /// The function named by PRM and the function code (§1.4).
    public var function: Function {
        switch (isFromPrimary, functionCode) {
        case (true, 0x0): return .sndNKE
        case (true, 0x3): return .sndUD
        case (true, 0xA): return .reqUD1
        case (true, 0xB): return .reqUD2
        case (false, 0x8): return .rspUD
        case (false, 0x0): return .ack
        case (false, 0x1): return .nack
        default: return .unknown
        }
    }

    /// The function's name, e.g. "REQ_UD2" (§1.4).
    public var name: String { function.name }

    /// Name, bits and value, e.g. "REQ_UD2 FCB=1 FCV=1 (0x7B)".
    public var description: String {
        var text = name
        if let fcb, let fcv {
            text += " FCB=\(fcb ? 1 : 0) FCV=\(fcv ? 1 : 0)"
        } else if let acd, let dfc {
            text += " ACD=\(acd ? 1 : 0) DFC=\(dfc ? 1 : 0)"
        }
        return text + " (0x" + HexText.format(CollectionOfOne(rawValue)) + ")"
    }

    // MARK: Values (§1.4)

    /// SND_NKE, link reset: 0x40 (§1.4).
    public static let sndNKE = ControlField(0x40)
    /// SND_UD with FCB=0, FCV=1: 0x53 (§1.4).
    public static let sndUD = ControlField(0x53)
    /// SND_UD with FCB=1, FCV=1: 0x73, used for secondary selection by libmbus (§1.4, §1.8).
    public static let sndUDFCB = ControlField(0x73)
    /// RSP_UD with ACD=0, DFC=0: 0x08 (§1.4).
    public static let rspUD = ControlField(0x08)

    /// REQ_UD1 with FCV=1: 0x5A, or 0x7A with FCB=1 (§1.4).
    public static func reqUD1(fcb: Bool) -> ControlField { ControlField(fcb ? 0x7A : 0x5A) }

    /// REQ_UD2 with FCV=1: 0x5B, or 0x7B with FCB=1 (§1.4).
    public static func reqUD2(fcb: Bool) -> ControlField { ControlField(fcb ? 0x7B : 0x5B) }

    /// RSP_UD with the given access-demand and data-flow-control bits: 0x08/0x18/0x28/0x38 (§1.4).
    public static func rspUD(acd: Bool, dfc: Bool) -> ControlField {
        ControlField(0x08 | (acd ? 0x20 : 0) | (dfc ? 0x10 : 0))
    }

    /// The same C field with FCB inverted, for the next request of a multi-telegram readout (§1.5).
    /// A secondary frame (PRM=0) is returned unchanged.
    public func togglingFCB() -> ControlField {
        isFromPrimary ? ControlField(rawValue ^ 0x20) : self
    }

    // MARK: Validity (§1.4, libmbus mbus_frame_verify)

    /// The C values libmbus's `mbus_frame_verify` accepts in a short frame: 40, 5A, 7A, 5B, 7B.
    public static let validInShortFrame: Set<UInt8> = [0x40, 0x5A, 0x7A, 0x5B, 0x7B]

    /// The C values libmbus's `mbus_frame_verify` accepts in a control or long frame:
    /// 53, 73, 08, 18, 28, 38.
    public static let validInLongFrame: Set<UInt8> = [0x53, 0x73, 0x08, 0x18, 0x28, 0x38]

    /// True when libmbus's `mbus_frame_verify` accepts this C value in some frame format (§1.4).
    ///
    /// M's 4B/6B (REQ_UD2 with FCV=0) and J's "any `(C & 0xCF) == 0x08`" are not accepted.
    public var isValidWired: Bool {
        Self.validInShortFrame.contains(rawValue) || Self.validInLongFrame.contains(rawValue)
    }

    /// True when libmbus's `mbus_frame_verify` accepts this C value in a frame of `kind` (§1.4).
    /// The single character E5 carries no C field, so nothing is valid for `.ack`.
    public func isValidWired(in kind: Frame.Kind) -> Bool {
        switch kind {
        case .ack: return false
        case .short: return Self.validInShortFrame.contains(rawValue)
        case .control, .long: return Self.validInLongFrame.contains(rawValue)
        }
    }
}
