import CodecSupport

/// Why a byte sequence is not a valid M-Bus frame or user-data block, and where.
///
/// `offset` counts bytes from the first byte of the frame (the start byte), so a message
/// can point a user at the exact byte. Tests compare ``code``, not the wording.
public struct MeterBusError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of defect.
    public enum Code: String, Sendable, Equatable {
        /// The input ended before the structure was complete.
        case truncated
        /// The first byte is not E5, 10 or 68.
        case badStartByte
        /// The second start byte (68) of a long frame is missing.
        case badSecondStartByte
        /// The two L fields of a long frame differ.
        case lengthFieldsDiffer
        /// The L field is below 3 (C, A and CI are mandatory).
        case lengthTooSmall
        /// The checksum byte does not match the sum of C, A, CI and data.
        case badChecksum
        /// The stop byte (16) is missing.
        case badStopByte
        /// Bytes follow the stop byte.
        case trailingBytes
        /// A record carries more than 10 DIFEs (EN 13757-3, libmbus limit).
        case tooManyDIFEs
        /// A record carries more than 10 VIFEs (EN 13757-3, libmbus limit).
        case tooManyVIFEs
        /// A VIF/VIFE code that no table defines.
        case unknownVIF
        /// A DIF code that cannot start a record here (e.g. a reserved special function).
        case invalidDIF
        /// An LVAR value that no coding defines.
        case invalidLVAR
        /// A field whose value is not allowed (e.g. a CI without the header it requires).
        case invalidValue
        /// A CI field this codec has no decoder for.
        case unsupportedCI
    }

    /// The kind of defect.
    public let code: Code
    /// Byte offset from the start of the frame.
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
}

extension MeterBusError {
    /// Maps a cursor shortfall into a truncation error naming what was being read.
    /// `origin` is the buffer index that counts as offset 0 (the frame's first byte).
    static func truncated(_ s: ByteCursor.Shortfall, origin: Int, reading what: String) -> MeterBusError {
        MeterBusError(.truncated, at: s.offset - origin,
                      "truncated \(what): needed \(s.needed) byte\(s.needed == 1 ? "" : "s"), \(s.available) left")
    }
}
