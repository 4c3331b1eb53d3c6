import CodecSupport

/// Why bytes are not a valid DLMS/COSEM structure (HDLC frame, wrapper, APDU, A-XDR value,
/// ciphered APDU), and where.
///
/// `offset` counts bytes from the start of the structure handed to the decoder (the opening flag
/// of an HDLC frame, the first wrapper byte, the APDU tag). Tests compare ``code``, not the wording.
public struct DLMSError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of defect.
    public enum Code: String, Sendable, Equatable {
        /// The input ended before the structure was complete.
        case truncated
        /// Bytes follow a complete structure where none may.
        case trailingBytes
        /// A flag, format type, version or tag that does not belong here.
        case badFraming
        /// A header check sequence (HCS) or frame check sequence (FCS) does not match.
        case badChecksum
        /// A length field disagrees with the bytes present, or exceeds a limit.
        case badLength
        /// An address field that is not 1, 2 or 4 bytes long or uses a reserved value.
        case badAddress
        /// A tag, choice or enumeration value that no table defines.
        case unknownTag
        /// A value outside its type's range (e.g. an OBIS group, a date field).
        case invalidValue
        /// Nesting deeper than the decoder allows (bounded to keep decoding total).
        case tooDeep
        /// Authentication failed: the GCM tag or GMAC does not match.
        case authenticationFailed
        /// A key, system title or invocation counter needed to decrypt is missing or wrong.
        case missingKey
        /// A structure this codec has no decoder for.
        case unsupported
    }

    /// The kind of defect.
    public let code: Code
    /// Byte offset from the start of the structure.
    public let offset: Int
    /// What was wrong, in words.
    public let reason: String

    /// Creates an error.
    public init(_ code: Code, at offset: Int, _ reason: String) {
        self.code = code
        self.offset = offset
        self.reason = reason
    }

    public var description: String { "\(reason) (at offset \(offset))" }

    /// The same error with its offset moved by `delta` (when a structure is decoded inside another).
    public func shifted(by delta: Int) -> DLMSError {
        DLMSError(code, at: offset + delta, reason)
    }
}
