import DLMS

/// Recognises the start of DLMS traffic: an HDLC frame (flag `7E`, frame format type 3 `A?`, a
/// length of at least 7 and, when the frame is all there, its closing flag — fact sheet dlms.md
/// §1.1–1.2), or a wrapper header (version `00 01` and a length, followed by a known APDU tag —
/// §3, §5.1).
enum DLMSHeuristic {
    /// Whether `bytes` start with DLMS framing.
    static func matches(_ bytes: ArraySlice<UInt8>, complete: Bool) -> Bool {
        hdlcFrame(at: bytes.startIndex, in: bytes) || wrapperHeader(at: bytes.startIndex, in: bytes)
    }

    /// An HDLC frame plausibly starts at `i`.
    static func hdlcFrame(at i: Int, in bytes: ArraySlice<UInt8>) -> Bool {
        guard i + 3 <= bytes.endIndex, bytes[i] == 0x7E, bytes[i + 1] & 0xF0 == 0xA0 else { return false }
        let length = Int(bytes[i + 1] & 0x07) << 8 | Int(bytes[i + 2])
        guard length >= 7 else { return false }
        let closing = i + length + 1
        return closing >= bytes.endIndex || bytes[closing] == 0x7E
    }

    /// A wrapper header with a known APDU tag after it plausibly starts at `i`.
    static func wrapperHeader(at i: Int, in bytes: ArraySlice<UInt8>) -> Bool {
        guard i + 9 <= bytes.endIndex, bytes[i] == 0x00, bytes[i + 1] == 0x01 else { return false }
        let length = Int(bytes[i + 6]) << 8 | Int(bytes[i + 7])
        return length > 0 && isAPDUTag(bytes[i + 8])
    }

    /// A tag that starts an ACSE, xDLMS or ciphered APDU.
    static func isAPDUTag(_ tag: UInt8) -> Bool {
        (0x60...0x63).contains(tag) || XDLMSAPDU.Tag(rawValue: tag) != nil || CipheredServiceTag(rawValue: tag) != nil
    }
}
