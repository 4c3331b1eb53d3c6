/// A forward-only reader over a byte slice that never reads out of bounds.
///
/// Every read checks the remaining length first and throws ``ByteCursor/Shortfall``
/// with the absolute offset where data ran out; codecs map that to their own error type.
/// The cursor shares storage with the slice it was made from: reading does not copy.
public struct ByteCursor: Sendable {
    /// The bytes being read. Indices are absolute offsets into the original buffer.
    public let bytes: ArraySlice<UInt8>
    /// The index of the next byte to read.
    public private(set) var position: Int

    /// Not enough bytes were left for a read.
    public struct Shortfall: Error, Sendable, Equatable {
        /// Absolute offset of the first missing byte.
        public let offset: Int
        /// How many bytes the read needed.
        public let needed: Int
        /// How many bytes were left.
        public let available: Int
    }

    /// Starts reading at the first byte of `bytes`.
    public init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
        self.position = bytes.startIndex
    }

    /// Starts reading at the first byte of `bytes`.
    public init(_ bytes: [UInt8]) {
        self.init(bytes[...])
    }

    /// Number of unread bytes.
    public var remaining: Int { bytes.endIndex - position }
    /// True when every byte has been read.
    public var isAtEnd: Bool { position >= bytes.endIndex }
    /// Offset of the next byte relative to the start of the slice.
    public var relativeOffset: Int { position - bytes.startIndex }

    /// The next byte without consuming it, or nil at the end.
    public func peek() -> UInt8? {
        position < bytes.endIndex ? bytes[position] : nil
    }

    /// Reads one byte.
    public mutating func readByte() throws(Shortfall) -> UInt8 {
        guard position < bytes.endIndex else {
            throw Shortfall(offset: position, needed: 1, available: 0)
        }
        defer { position += 1 }
        return bytes[position]
    }

    /// Reads `count` bytes as a slice sharing the original storage.
    public mutating func readBytes(_ count: Int) throws(Shortfall) -> ArraySlice<UInt8> {
        guard count >= 0, count <= remaining else {
            throw Shortfall(offset: position, needed: count, available: remaining)
        }
        defer { position += count }
        return bytes[position..<(position + count)]
    }

    /// Reads everything that is left.
    public mutating func readRest() -> ArraySlice<UInt8> {
        defer { position = bytes.endIndex }
        return bytes[position...]
    }

    /// Reads an unsigned little-endian integer of `width` bytes (1...8).
    public mutating func readUIntLE(_ width: Int) throws(Shortfall) -> UInt64 {
        let field = try readBytes(width)
        return UInt64(littleEndian: field)
    }

    /// Skips `count` bytes.
    public mutating func skip(_ count: Int) throws(Shortfall) {
        _ = try readBytes(count)
    }
}

extension UInt64 {
    /// Assembles up to eight bytes, least significant first.
    @inlinable
    public init(littleEndian bytes: ArraySlice<UInt8>) {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        for byte in bytes.prefix(8) {
            value |= UInt64(byte) << shift
            shift += 8
        }
        self = value
    }
}
