/// A-XDR primitive encoding: the mirror of ``AXDRReader``.
public struct AXDRWriter: Sendable {
    /// The bytes written so far.
    public private(set) var bytes: [UInt8]

    /// Starts with no bytes.
    public init() { bytes = [] }

    /// Appends one byte.
    public mutating func append(_ byte: UInt8) { bytes.append(byte) }
    /// Appends raw bytes.
    public mutating func append(contentsOf other: some Sequence<UInt8>) { bytes.append(contentsOf: other) }

    /// Appends an unsigned big-endian integer of `width` bytes (1...8).
    public mutating func appendUIntBE(_ value: UInt64, width: Int) {
        for i in stride(from: width - 1, through: 0, by: -1) {
            bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(8 * i)))
        }
    }

    /// Unsigned16, big-endian.
    public mutating func appendUInt16(_ v: UInt16) { appendUIntBE(UInt64(v), width: 2) }
    /// Unsigned32, big-endian.
    public mutating func appendUInt32(_ v: UInt32) { appendUIntBE(UInt64(v), width: 4) }
    /// Unsigned64, big-endian.
    public mutating func appendUInt64(_ v: UInt64) { appendUIntBE(v, width: 8) }
    /// Integer8.
    public mutating func appendInt8(_ v: Int8) { bytes.append(UInt8(bitPattern: v)) }
    /// Integer16, big-endian.
    public mutating func appendInt16(_ v: Int16) { appendUInt16(UInt16(bitPattern: v)) }
    /// Integer32, big-endian.
    public mutating func appendInt32(_ v: Int32) { appendUInt32(UInt32(bitPattern: v)) }
    /// Integer64, big-endian.
    public mutating func appendInt64(_ v: Int64) { appendUInt64(UInt64(bitPattern: v)) }

    /// A length or count in its shortest form.
    public mutating func appendLength(_ n: Int) { bytes.append(contentsOf: AXDR.encodeLength(n)) }

    /// An OCTET STRING: length ‖ bytes.
    public mutating func appendOctetString(_ s: some Collection<UInt8>) {
        appendLength(s.count)
        bytes.append(contentsOf: s)
    }

    /// A BIT STRING: bit count ‖ bytes.
    public mutating func appendBitString(_ s: BitString) {
        appendLength(s.count)
        bytes.append(contentsOf: s.bytes)
    }

    /// An OPTIONAL component: `00`, or `01` and the value.
    public mutating func appendOptional<T>(_ value: T?, _ write: (inout AXDRWriter, T) -> Void) {
        guard let value else { bytes.append(0x00); return }
        bytes.append(0x01)
        write(&self, value)
    }

    /// A DEFAULT component: `00` (nil, the default), or `01` and the value.
    public mutating func appendDefault<T>(_ value: T?, _ write: (inout AXDRWriter, T) -> Void) {
        appendOptional(value, write)
    }
}
