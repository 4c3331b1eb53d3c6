/// The HDLC control field (IEC 62056-46; fact sheet §1.4).
///
/// | class | bits 7 6 5 | bit 4 | bits 3 2 1 | bit 0 |
/// |---|---|---|---|---|
/// | I | N(R) | P/F | N(S) | 0 |
/// | S (RR, RNR) | N(R) | P/F | type, 0 | 1 |
/// | U | M | P/F | M | 1 (bits 1–0 = 11) |
///
/// The raw byte is kept, so every byte round-trips; ``frameType`` is nil for a byte no frame
/// type defines (a frame decoder rejects those).
public struct HDLCControl: RawRepresentable, Hashable, Sendable {
    /// The control byte.
    public let rawValue: UInt8

    /// Wraps a control byte.
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// The frame types of IEC 62056-46 (§1.4).
    public enum FrameType: String, Hashable, Sendable, CaseIterable {
        /// I, information.
        case information = "I"
        /// RR, receive ready.
        case receiveReady = "RR"
        /// RNR, receive not ready.
        case receiveNotReady = "RNR"
        /// SNRM, set normal response mode (`83`/`93`).
        case setNormalResponseMode = "SNRM"
        /// DISC, disconnect (`43`/`53`).
        case disconnect = "DISC"
        /// UA, unnumbered acknowledge (`63`/`73`).
        case unnumberedAcknowledge = "UA"
        /// DM, disconnected mode (`0F`/`1F`).
        case disconnectedMode = "DM"
        /// FRMR, frame reject (`87`/`97`).
        case frameReject = "FRMR"
        /// UI, unnumbered information (`03`/`13`).
        case unnumberedInformation = "UI"

        /// The abbreviation used in the standard and in JSON ("I", "RR", "SNRM", …).
        public var name: String { rawValue }

        /// The control byte with P/F = 0 of an unnumbered type; nil for I, RR and RNR.
        public var unnumberedBase: UInt8? {
            switch self {
            case .setNormalResponseMode: return 0x83
            case .disconnect: return 0x43
            case .unnumberedAcknowledge: return 0x63
            case .disconnectedMode: return 0x0F
            case .frameReject: return 0x87
            // UI is 03/13 (WS, EP, U9, GX and U9's HAN push vector), not JD's C0 — decided by U9's vector.
            case .unnumberedInformation: return 0x03
            case .information, .receiveReady, .receiveNotReady: return nil
            }
        }
    }

    /// The frame type, or nil when no type defines this byte (e.g. REJ `x9`, which only GX
    /// decodes, or GX's extra DM value `17`; §1.4 and §9).
    public var frameType: FrameType? {
        if rawValue & 0x01 == 0 { return .information }
        if rawValue & 0x03 == 0x01 {
            switch (rawValue >> 2) & 0x03 {
            case 0: return .receiveReady
            case 1: return .receiveNotReady
            default: return nil
            }
        }
        switch rawValue & 0xEF {
        case 0x83: return .setNormalResponseMode
        case 0x43: return .disconnect
        case 0x63: return .unnumberedAcknowledge
        case 0x0F: return .disconnectedMode
        case 0x87: return .frameReject
        case 0x03: return .unnumberedInformation
        default: return nil
        }
    }

    /// The poll (command) or final (response) bit, bit 4.
    public var pollFinal: Bool { rawValue & 0x10 != 0 }

    /// N(S) of an I frame (0…7), else nil.
    public var sendSequence: UInt8? {
        rawValue & 0x01 == 0 ? (rawValue >> 1) & 0x07 : nil
    }

    /// N(R) of an I, RR or RNR frame (0…7), else nil.
    public var receiveSequence: UInt8? {
        switch frameType {
        case .information, .receiveReady, .receiveNotReady: return rawValue >> 5
        default: return nil
        }
    }

    /// An I frame: `N(R)<<5 | P/F<<4 | N(S)<<1`; sequence numbers are taken mod 8.
    public static func information(sendSequence: UInt8, receiveSequence: UInt8, pollFinal: Bool) -> HDLCControl {
        HDLCControl(rawValue: (receiveSequence & 0x07) << 5 | (pollFinal ? 0x10 : 0) | (sendSequence & 0x07) << 1)
    }

    /// An RR frame: `N(R)<<5 | P/F<<4 | 01`.
    public static func receiveReady(receiveSequence: UInt8, pollFinal: Bool) -> HDLCControl {
        HDLCControl(rawValue: (receiveSequence & 0x07) << 5 | (pollFinal ? 0x10 : 0) | 0x01)
    }

    /// An RNR frame: `N(R)<<5 | P/F<<4 | 05`.
    public static func receiveNotReady(receiveSequence: UInt8, pollFinal: Bool) -> HDLCControl {
        HDLCControl(rawValue: (receiveSequence & 0x07) << 5 | (pollFinal ? 0x10 : 0) | 0x05)
    }

    /// An unnumbered frame of `type` (SNRM, DISC, UA, DM, FRMR, UI); nil for I, RR and RNR.
    public static func unnumbered(_ type: FrameType, pollFinal: Bool = true) -> HDLCControl? {
        guard let base = type.unnumberedBase else { return nil }
        return HDLCControl(rawValue: base | (pollFinal ? 0x10 : 0))
    }
}
