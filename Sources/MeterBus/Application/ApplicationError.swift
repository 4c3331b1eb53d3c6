/// A general application error, CI 70 (EN 13757-3; fact sheet §7.1: libmbus, mbus4j and Valley.Net agree).
public struct ApplicationError: Sendable, Equatable {
    /// The error byte; nil when the frame carries none (libmbus and Valley.Net read that as 0, unspecified).
    public var code: UInt8?
    /// Any bytes after the error byte.
    public var extra: [UInt8]

    /// Creates an error.
    public init(code: UInt8?, extra: [UInt8] = []) {
        self.code = code
        self.extra = extra
    }

    /// The error's name.
    public var name: String {
        switch code ?? 0 {
        case 0x00: return "Unspecified error"
        case 0x01: return "Unimplemented CI-Field"
        case 0x02: return "Buffer too long, truncated"
        case 0x03: return "Too many records"
        case 0x04: return "Premature end of record"
        case 0x05: return "More than 10 DIFE's"
        case 0x06: return "More than 10 VIFE's"
        case 0x07: return "Reserved"
        case 0x08: return "Application busy"
        case 0x09: return "Too many readouts"
        default: return "Unknown error (0x\(hex(code ?? 0)))"
        }
    }

    /// A stable machine name.
    public var key: String {
        switch code ?? 0 {
        case 0x00: return "unspecified"
        case 0x01: return "unimplemented_ci"
        case 0x02: return "buffer_too_long"
        case 0x03: return "too_many_records"
        case 0x04: return "premature_end_of_record"
        case 0x05: return "too_many_difes"
        case 0x06: return "too_many_vifes"
        case 0x07: return "reserved"
        case 0x08: return "busy"
        case 0x09: return "too_many_readouts"
        default: return "unknown"
        }
    }

    func encoded() -> [UInt8] { (code.map { [$0] } ?? []) + extra }
}
