/// An HDLC address field: a client SAP, or a server's upper (logical) and lower (physical)
/// HDLC address (IEC 62056-46; fact sheet §1.3).
///
/// Every byte carries 7 address bits in bits 7…1; bit 0 is 1 on the last byte only. The field is
/// 1, 2 or 4 bytes long: 1 byte holds a client SAP or a server upper address alone (0…7F); 2 bytes
/// hold upper and lower (0…7F each); 4 bytes hold upper and lower as two 14-bit halves (0…3FFF
/// each). Decoding and encoding are exact: the size is kept, so re-encoding gives the same bytes.
public struct HDLCAddress: Hashable, Sendable {
    /// How many bytes the field takes (§1.3; 3 bytes is invalid).
    public enum Size: Int, Hashable, Sendable, CaseIterable {
        /// `(v<<1)|1`.
        case one = 1
        /// `(upper<<1)`, `(lower<<1)|1`.
        case two = 2
        /// Upper and lower as two 7-bit halves each.
        case four = 4

        /// The largest value of one part in this size: 7F, or 3FFF for four bytes.
        public var maximumPart: UInt16 { self == .four ? 0x3FFF : 0x7F }
    }

    /// Number of bytes on the wire.
    public let size: Size
    /// The client SAP (1-byte form) or the server upper (logical device) address.
    public let upper: UInt16
    /// The server lower (physical device) address; nil in the 1-byte form.
    public let lower: UInt16?

    /// Client SAP 01, the client management process (§1.3 reserved values).
    public static let clientManagement: UInt8 = 0x01
    /// Client SAP 10 (16), the public client (§1.3).
    public static let publicClient: UInt8 = 0x10
    /// Server upper address 01, the management logical device (§1.3).
    public static let managementLogicalDevice: UInt16 = 0x01

    /// An address of `size` bytes; throws `.badAddress` when a part does not fit, or when `lower`
    /// is given for the 1-byte form or missing for the others.
    public init(upper: UInt16, lower: UInt16?, size: Size) throws(DLMSError) {
        guard upper <= size.maximumPart else {
            throw DLMSError(.badAddress, at: 0, "upper address \(upper) does not fit a \(size.rawValue)-byte address")
        }
        switch (size, lower) {
        case (.one, nil):
            break
        case (.one, .some):
            throw DLMSError(.badAddress, at: 0, "a 1-byte address has no lower part")
        case (_, nil):
            throw DLMSError(.badAddress, at: 0, "a \(size.rawValue)-byte address needs a lower part")
        case let (_, .some(l)):
            guard l <= size.maximumPart else {
                throw DLMSError(.badAddress, at: 0, "lower address \(l) does not fit a \(size.rawValue)-byte address")
            }
        }
        self.size = size
        self.upper = upper
        self.lower = lower
    }

    /// A client address (always 1 byte, SAP 0…7F; §1.3).
    public static func client(_ sap: UInt8) throws(DLMSError) -> HDLCAddress {
        try HDLCAddress(upper: UInt16(sap), lower: nil, size: .one)
    }

    /// A server address in the smallest form that holds it: 1 byte without `physical`, 2 bytes
    /// when both parts are ≤ 7F, else 4 bytes (§1.3).
    public static func server(logical: UInt16, physical: UInt16? = nil) throws(DLMSError) -> HDLCAddress {
        guard let physical else { return try HDLCAddress(upper: logical, lower: nil, size: .one) }
        let size: Size = logical <= 0x7F && physical <= 0x7F ? .two : .four
        return try HDLCAddress(upper: logical, lower: physical, size: size)
    }

    /// The address bytes with the extension bit set on the last one (§1.3).
    public func encoded() -> [UInt8] {
        let l = lower ?? 0
        switch size {
        case .one:
            return [UInt8(truncatingIfNeeded: upper << 1) | 1]
        case .two:
            return [UInt8(truncatingIfNeeded: upper << 1), UInt8(truncatingIfNeeded: l << 1) | 1]
        case .four:
            return [UInt8(truncatingIfNeeded: (upper >> 7) << 1), UInt8(truncatingIfNeeded: (upper & 0x7F) << 1),
                    UInt8(truncatingIfNeeded: (l >> 7) << 1), UInt8(truncatingIfNeeded: (l & 0x7F) << 1) | 1]
        }
    }

    /// Decodes exactly one address filling `bytes` (§1.3). Offsets count from `bytes.startIndex`.
    public static func decode(_ bytes: ArraySlice<UInt8>) throws(DLMSError) -> HDLCAddress {
        let (address, count) = try read(bytes)
        guard count == bytes.count else {
            throw DLMSError(.trailingBytes, at: count, "\(bytes.count - count) byte(s) after the address")
        }
        return address
    }

    /// Reads the address at the start of `bytes`: bytes up to the first with bit 0 set.
    /// Returns the address and the number of bytes it took.
    static func read(_ bytes: ArraySlice<UInt8>) throws(DLMSError) -> (HDLCAddress, Int) {
        var count = 0
        var last: Int?
        for byte in bytes.prefix(5) {
            count += 1
            if byte & 1 == 1 { last = count; break }
        }
        guard let length = last else {
            if count >= 5 {
                throw DLMSError(.badAddress, at: 4, "address longer than 4 bytes (no extension bit in the first 4)")
            }
            throw DLMSError(.badAddress, at: count, "address runs to the end of the header without an extension bit")
        }
        guard let size = Size(rawValue: length) else {
            throw DLMSError(.badAddress, at: 0, "\(length)-byte address; only 1, 2 or 4 bytes are valid")
        }
        let s = bytes.startIndex
        let parts = (0..<length).map { UInt16(bytes[s + $0] >> 1) }
        let address: HDLCAddress
        switch size {
        case .one: address = HDLCAddress(checkedUpper: parts[0], lower: nil, size: size)
        case .two: address = HDLCAddress(checkedUpper: parts[0], lower: parts[1], size: size)
        case .four: address = HDLCAddress(checkedUpper: parts[0] << 7 | parts[1], lower: parts[2] << 7 | parts[3], size: size)
        }
        return (address, length)
    }

    private init(checkedUpper: UInt16, lower: UInt16?, size: Size) {
        self.upper = checkedUpper
        self.lower = lower
        self.size = size
    }
}
