import CodecSupport

/// The 8-byte header of the TCP/UDP wrapper (IEC 62056-47; fact sheet §3).
///
/// `version (00 01) | source wPort | destination wPort | length`, all big-endian; `length` is
/// the number of APDU bytes that follow (no LLC).
public struct WrapperHeader: Hashable, Sendable {
    /// The only version, 1.
    public static let version: UInt16 = 0x0001
    /// Header size, 8 bytes.
    public static let size = 8
    /// The registered port for TCP and UDP, 4059.
    public static let port: UInt16 = 4059

    /// The sender's wPort (client SAP or server logical device).
    public var sourcePort: UInt16
    /// The receiver's wPort.
    public var destinationPort: UInt16
    /// Number of APDU bytes after the header.
    public var length: UInt16

    /// A header with these fields.
    public init(sourcePort: UInt16, destinationPort: UInt16, length: UInt16) {
        self.sourcePort = sourcePort
        self.destinationPort = destinationPort
        self.length = length
    }

    /// The eight header bytes.
    public func encoded() -> [UInt8] {
        [0x00, 0x01,
         UInt8(sourcePort >> 8), UInt8(sourcePort & 0xFF),
         UInt8(destinationPort >> 8), UInt8(destinationPort & 0xFF),
         UInt8(length >> 8), UInt8(length & 0xFF)]
    }

    /// Decodes the header at the start of `bytes` (more may follow). Version ≠ 1 is
    /// `.badFraming`, including JD's little-endian `01 00` form (U9 and GX are big-endian only —
    /// decided by U9/GX; the fact sheet lists JD's as a vendor quirk). Offsets count from `bytes.startIndex`.
    public static func decode(_ bytes: ArraySlice<UInt8>) throws(DLMSError) -> WrapperHeader {
        let s = bytes.startIndex
        if bytes.count >= 2 {
            let version = UInt16(bytes[s]) << 8 | UInt16(bytes[s + 1])
            guard version == Self.version else {
                throw DLMSError(.badFraming, at: 0, "wrapper version 0x\(HexText.format(bytes.prefix(2), separator: "")), expected 0001")
            }
        }
        guard bytes.count >= size else {
            throw DLMSError(.truncated, at: bytes.count, "wrapper header needs 8 bytes, \(bytes.count) present")
        }
        func word(_ i: Int) -> UInt16 { UInt16(bytes[s + i]) << 8 | UInt16(bytes[s + i + 1]) }
        return WrapperHeader(sourcePort: word(2), destinationPort: word(4), length: word(6))
    }
}

/// One wrapper PDU: header and APDU (IEC 62056-47; fact sheet §3). On UDP a datagram holds
/// exactly one; on TCP use ``WrapperReader``. A decoded frame's ``apdu`` is a slice of the input.
public struct WrapperFrame: Hashable, Sendable {
    /// The sender's wPort.
    public var sourcePort: UInt16
    /// The receiver's wPort.
    public var destinationPort: UInt16
    /// The APDU (xDLMS or ACSE).
    public var apdu: ArraySlice<UInt8>

    /// A frame with these fields.
    public init(sourcePort: UInt16, destinationPort: UInt16, apdu: ArraySlice<UInt8>) {
        self.sourcePort = sourcePort
        self.destinationPort = destinationPort
        self.apdu = apdu
    }

    /// The header for this frame, length truncated to 16 bits (``encoded()`` rejects longer APDUs).
    public var header: WrapperHeader {
        WrapperHeader(sourcePort: sourcePort, destinationPort: destinationPort,
                      length: UInt16(truncatingIfNeeded: apdu.count))
    }

    /// Header and APDU; `.badLength` when the APDU exceeds 65535 bytes.
    public func encoded() throws(DLMSError) -> [UInt8] {
        guard apdu.count <= 0xFFFF else {
            throw DLMSError(.badLength, at: 6, "APDU of \(apdu.count) bytes exceeds the 16-bit wrapper length")
        }
        return header.encoded() + apdu
    }

    /// Decodes exactly one frame filling `bytes` (a UDP datagram): `.truncated` when fewer
    /// APDU bytes than the length field follow, `.trailingBytes` when more do.
    public static func decode(_ bytes: ArraySlice<UInt8>) throws(DLMSError) -> WrapperFrame {
        let header = try WrapperHeader.decode(bytes)
        let total = WrapperHeader.size + Int(header.length)
        guard bytes.count >= total else {
            throw DLMSError(.truncated, at: bytes.count, "wrapper length \(header.length) needs \(total) bytes, \(bytes.count) present")
        }
        guard bytes.count == total else {
            throw DLMSError(.trailingBytes, at: total, "\(bytes.count - total) byte(s) after the \(header.length)-byte APDU")
        }
        let s = bytes.startIndex
        return WrapperFrame(sourcePort: header.sourcePort, destinationPort: header.destinationPort,
                            apdu: bytes[(s + WrapperHeader.size)..<(s + total)])
    }

    /// Decodes exactly one frame filling `bytes`.
    public static func decode(_ bytes: [UInt8]) throws(DLMSError) -> WrapperFrame {
        try decode(bytes[...])
    }
}

extension WrapperFrame: JSONRepresentable {
    /// `version`, `source_wport`, `destination_wport`, `length`, `apdu` (hex).
    public var json: JSONValue {
        .object([
            ("version", .int(Int64(WrapperHeader.version))),
            ("source_wport", .int(Int64(sourcePort))),
            ("destination_wport", .int(Int64(destinationPort))),
            ("length", .int(Int64(apdu.count))),
            ("apdu", .string(HexText.format(apdu))),
        ])
    }
}
