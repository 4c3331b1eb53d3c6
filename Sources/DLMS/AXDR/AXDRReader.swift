import CodecSupport

/// A-XDR (IEC 61334-6, as used by xDLMS) primitive decoding over a forward-only cursor.
///
/// Every read checks the bytes left first; lengths and counts are checked against them before any
/// storage is made, so a prefix claiming 2^31 elements fails instead of reserving memory.
/// Error offsets count from the first byte of the slice handed to ``init(_:)``.
public struct AXDRReader: Sendable {
    private var cursor: ByteCursor

    /// Starts reading at the first byte of `bytes`.
    public init(_ bytes: ArraySlice<UInt8>) {
        cursor = ByteCursor(bytes)
    }

    /// Starts reading at the first byte of `bytes`.
    public init(_ bytes: [UInt8]) {
        self.init(bytes[...])
    }

    /// Offset of the next byte from the start of the slice.
    public var offset: Int { cursor.relativeOffset }
    /// Number of unread bytes.
    public var remaining: Int { cursor.remaining }
    /// True when every byte has been read.
    public var isAtEnd: Bool { cursor.isAtEnd }
    /// The next byte without consuming it, or nil at the end.
    public func peek() -> UInt8? { cursor.peek() }

    private func shortfall(_ s: ByteCursor.Shortfall, _ what: String) -> DLMSError {
        DLMSError(.truncated, at: s.offset - cursor.bytes.startIndex,
                  "\(what): needed \(s.needed) byte(s), \(s.available) left")
    }

    /// Reads one byte.
    public mutating func readByte(_ what: String = "byte") throws(DLMSError) -> UInt8 {
        do { return try cursor.readByte() } catch { throw shortfall(error, what) }
    }

    /// Reads `count` bytes as a slice sharing the input's storage.
    public mutating func readBytes(_ count: Int, _ what: String = "bytes") throws(DLMSError) -> ArraySlice<UInt8> {
        do { return try cursor.readBytes(count) } catch { throw shortfall(error, what) }
    }

    /// Reads an unsigned big-endian integer of `width` bytes (1...8).
    public mutating func readUIntBE(_ width: Int, _ what: String = "integer") throws(DLMSError) -> UInt64 {
        let field = try readBytes(width, what)
        var value: UInt64 = 0
        for b in field.prefix(8) { value = value << 8 | UInt64(b) }
        return value
    }

    /// Unsigned8.
    public mutating func readUInt8() throws(DLMSError) -> UInt8 { try readByte("Unsigned8") }
    /// Unsigned16, big-endian.
    public mutating func readUInt16() throws(DLMSError) -> UInt16 { UInt16(truncatingIfNeeded: try readUIntBE(2, "Unsigned16")) }
    /// Unsigned32, big-endian.
    public mutating func readUInt32() throws(DLMSError) -> UInt32 { UInt32(truncatingIfNeeded: try readUIntBE(4, "Unsigned32")) }
    /// Unsigned64, big-endian.
    public mutating func readUInt64() throws(DLMSError) -> UInt64 { try readUIntBE(8, "Unsigned64") }
    /// Integer8 (two's complement).
    public mutating func readInt8() throws(DLMSError) -> Int8 { Int8(bitPattern: try readByte("Integer8")) }
    /// Integer16, big-endian two's complement.
    public mutating func readInt16() throws(DLMSError) -> Int16 { Int16(bitPattern: try readUInt16()) }
    /// Integer32, big-endian two's complement.
    public mutating func readInt32() throws(DLMSError) -> Int32 { Int32(bitPattern: try readUInt32()) }
    /// Integer64, big-endian two's complement.
    public mutating func readInt64() throws(DLMSError) -> Int64 { Int64(bitPattern: try readUInt64()) }

    /// A length or count (fact sheet §6.1): `00`–`7F` is the value; `8n` means n bytes follow (n = 1…4).
    ///
    /// Only the shortest form is accepted (`81` only for 128…255, `82` for 256…65535, …), so that a
    /// decoded value re-encodes to the same bytes; `80` (indefinite) and n > 4 are refused.
    public mutating func readLength(_ what: String = "length") throws(DLMSError) -> Int {
        let start = offset
        let first = try readByte(what)
        guard first & 0x80 != 0 else { return Int(first) }
        let n = Int(first & 0x7F)
        guard (1...4).contains(n) else {
            throw DLMSError(.badLength, at: start, "\(what): long form 0x\(axdrHex(first)) needs 1 to 4 length bytes")
        }
        let value = Int(try readUIntBE(n, what))
        guard AXDR.lengthWidth(value) == 1 + n else {
            throw DLMSError(.badLength, at: start, "\(what): \(value) is not in its shortest form (\(1 + n) bytes used)")
        }
        return value
    }

    /// A count of items that each occupy at least `minimumItemSize` bytes; refused when the bytes left cannot hold them.
    public mutating func readCount(_ what: String = "count", minimumItemSize: Int = 1) throws(DLMSError) -> Int {
        let start = offset
        let count = try readLength(what)
        if minimumItemSize > 0, count > remaining / minimumItemSize {
            throw DLMSError(.badLength, at: start, "\(what) \(count) exceeds the \(remaining) byte(s) left")
        }
        return count
    }

    /// An OCTET STRING: length ‖ bytes.
    public mutating func readOctetString(_ what: String = "octet-string") throws(DLMSError) -> ArraySlice<UInt8> {
        let start = offset
        let length = try readLength(what + " length")
        guard length <= remaining else {
            throw DLMSError(.truncated, at: start, "\(what) claims \(length) byte(s), \(remaining) left")
        }
        return try readBytes(length, what)
    }

    /// A BIT STRING: bit count ‖ ⌈bits/8⌉ bytes, first bit in the MSB of the first byte.
    public mutating func readBitString(_ what: String = "bit-string") throws(DLMSError) -> BitString {
        let start = offset
        let bits = try readLength(what + " bit count")
        let byteCount = bits / 8 + (bits % 8 == 0 ? 0 : 1)
        guard byteCount <= remaining else {
            throw DLMSError(.truncated, at: start, "\(what) claims \(bits) bit(s), \(remaining) byte(s) left")
        }
        return BitString(bitCount: bits, unchecked: Array(try readBytes(byteCount, what)))
    }

    /// A CHOICE tag (one byte).
    public mutating func readChoiceTag(_ what: String = "CHOICE tag") throws(DLMSError) -> UInt8 {
        try readByte(what)
    }

    /// An OPTIONAL component: `00` absent, `01` followed by the value.
    public mutating func readOptional<T>(
        _ what: String = "OPTIONAL flag", _ read: (inout AXDRReader) throws(DLMSError) -> T
    ) throws(DLMSError) -> T? {
        let start = offset
        switch try readByte(what) {
        case 0x00: return nil
        case 0x01: return try read(&self)
        case let other:
            throw DLMSError(.invalidValue, at: start, "\(what): 0x\(axdrHex(other)) is neither 00 (absent) nor 01 (present)")
        }
    }

    /// A DEFAULT component: `00` means the default value, `01` is followed by the value.
    ///
    /// Returns nil when the default was used, so a caller can re-encode exactly what was sent.
    public mutating func readDefault<T>(
        _ what: String = "DEFAULT flag", _ read: (inout AXDRReader) throws(DLMSError) -> T
    ) throws(DLMSError) -> T? {
        try readOptional(what, read)
    }

    /// Fails with ``DLMSError/Code/trailingBytes`` unless every byte was read.
    public func expectEnd(_ what: String = "value") throws(DLMSError) {
        guard isAtEnd else {
            throw DLMSError(.trailingBytes, at: offset, "\(remaining) byte(s) follow the \(what)")
        }
    }
}

/// A-XDR helpers shared by the reader and the writer.
public enum AXDR {
    /// The encoded width of a length or count in its shortest form (1 to 5 bytes).
    public static func lengthWidth(_ value: Int) -> Int {
        switch value {
        case ..<0x80: return 1
        case ..<0x100: return 2
        case ..<0x1_0000: return 3
        case ..<0x100_0000: return 4
        default: return 5
        }
    }

    /// The shortest encoding of a length or count (fact sheet §6.1; JD `AxdrLength` writes the minimal
    /// form, GX writes `84` where `83` suffices — we follow JD so that encodings are canonical).
    /// Negative values encode as 0; values above 2^32−1 are clamped (no A-XDR structure can hold them).
    public static func encodeLength(_ value: Int) -> [UInt8] {
        let v = UInt64(clamping: max(0, min(value, Int(UInt32.max))))
        let width = lengthWidth(Int(v))
        if width == 1 { return [UInt8(v)] }
        let n = width - 1
        var out: [UInt8] = [0x80 | UInt8(n)]
        for i in stride(from: n - 1, through: 0, by: -1) { out.append(UInt8(truncatingIfNeeded: v >> UInt64(8 * i))) }
        return out
    }
}

func axdrHex(_ b: UInt8) -> String {
    let digits: [Character] = Array("0123456789ABCDEF")
    return String([digits[Int(b >> 4)], digits[Int(b & 0x0F)]])
}
