/// The LLC header at the start of an I or UI information field (IEC 62056-46; fact sheet §1.7).
///
/// It appears in the first segment only; SNRM, UA and DISC carry none.
public enum HDLCLLC: String, Hashable, Sendable, CaseIterable {
    /// `E6 E6 00`: client → server (command).
    case command
    /// `E6 E7 00`: server → client (response, also server-originated push).
    case response

    /// The three header bytes.
    public var bytes: [UInt8] {
        switch self {
        case .command: return [0xE6, 0xE6, 0x00]
        case .response: return [0xE6, 0xE7, 0x00]
        }
    }

    /// The header at the start of `information`, or nil when it begins with neither.
    public static func detect(in information: ArraySlice<UInt8>) -> HDLCLLC? {
        guard information.count >= 3 else { return nil }
        let s = information.startIndex
        guard information[s] == 0xE6, information[s + 2] == 0x00 else { return nil }
        switch information[s + 1] {
        case 0xE6: return .command
        case 0xE7: return .response
        default: return nil
        }
    }

    /// Splits `information` into its LLC header (if any) and the bytes after it (no copy).
    public static func split(_ information: ArraySlice<UInt8>) -> (llc: HDLCLLC?, rest: ArraySlice<UInt8>) {
        guard let llc = detect(in: information) else { return (nil, information) }
        return (llc, information.dropFirst(3))
    }
}
