/// Encoders for the three pcapng blocks MeterProof writes (draft-ietf-opsawg-pcapng): Section
/// Header, Interface Description and Enhanced Packet. Always little-endian, whatever the host, so
/// the same input gives the same file everywhere.
enum PcapngBlock {
    static let sectionHeaderType: UInt32 = 0x0A0D_0D0A
    static let interfaceDescriptionType: UInt32 = 0x0000_0001
    static let enhancedPacketType: UInt32 = 0x0000_0006
    static let byteOrderMagic: UInt32 = 0x1A2B_3C4D

    // Option codes (§4.2, §4.3, §4.2 of the draft).
    static let optEndOfOpt: UInt16 = 0
    static let optComment: UInt16 = 1
    static let shbUserAppl: UInt16 = 4
    static let ifName: UInt16 = 2
    static let ifDescription: UInt16 = 3
    static let ifTsresol: UInt16 = 9
    static let epbFlags: UInt16 = 2

    /// `epb_flags` bits 0–1: 01 inbound, 10 outbound.
    static func directionFlags(_ direction: CaptureDirection) -> UInt32 {
        switch direction {
        case .fromDevice: 0b01
        case .toDevice: 0b10
        }
    }

    /// Section Header Block, version 1.0, section length unspecified (-1), `shb_userappl`.
    static func sectionHeader(application: String) -> [UInt8] {
        var body = LittleEndianBytes()
        body.append(byteOrderMagic)
        body.append(UInt16(1))
        body.append(UInt16(0))
        body.append(UInt64.max)  // section length not specified: the file is written as it grows
        var options = OptionList()
        options.append(text: shbUserAppl, application)
        return block(type: sectionHeaderType, body: body.bytes + options.finished())
    }

    /// Interface Description Block with `if_name`, `if_description` and `if_tsresol` = 9 (nanoseconds).
    static func interfaceDescription(linkType: UInt16, snapLength: UInt32, name: String, description: String) -> [UInt8] {
        var body = LittleEndianBytes()
        body.append(linkType)
        body.append(UInt16(0))
        body.append(snapLength)
        var options = OptionList()
        options.append(text: ifName, name)
        options.append(text: ifDescription, description)
        options.append(ifTsresol, [9])
        return block(type: interfaceDescriptionType, body: body.bytes + options.finished())
    }

    /// Enhanced Packet Block: the whole packet captured, nanosecond timestamp, `epb_flags`, comments.
    static func enhancedPacket(interfaceID: UInt32, time: CaptureTime, data: [UInt8], direction: CaptureDirection,
                               comments: [String]) -> [UInt8] {
        let ticks = UInt64(clamping: max(time.nanosecondsSince1970, 0))
        var body = LittleEndianBytes()
        body.append(interfaceID)
        body.append(UInt32(truncatingIfNeeded: ticks >> 32))
        body.append(UInt32(truncatingIfNeeded: ticks))
        body.append(UInt32(clamping: data.count))
        body.append(UInt32(clamping: data.count))
        body.bytes += data
        body.bytes += padding(data.count)
        var options = OptionList()
        for comment in comments { options.append(text: optComment, comment) }
        var flags = LittleEndianBytes()
        flags.append(directionFlags(direction))
        options.append(epbFlags, flags.bytes)
        return block(type: enhancedPacketType, body: body.bytes + options.finished())
    }

    /// Type, total length, body, total length again.
    static func block(type: UInt32, body: [UInt8]) -> [UInt8] {
        let total = UInt32(clamping: 12 + body.count)
        var out = LittleEndianBytes()
        out.bytes.reserveCapacity(Int(total))
        out.append(type)
        out.append(total)
        out.bytes += body
        out.append(total)
        return out.bytes
    }

    /// Zero bytes that bring `count` to a multiple of 4.
    static func padding(_ count: Int) -> [UInt8] {
        Array(repeating: 0, count: (4 - count % 4) % 4)
    }
}

/// A growing little-endian byte buffer.
struct LittleEndianBytes {
    var bytes: [UInt8] = []

    mutating func append(_ value: UInt16) {
        bytes.append(UInt8(truncatingIfNeeded: value))
        bytes.append(UInt8(truncatingIfNeeded: value >> 8))
    }

    mutating func append(_ value: UInt32) {
        for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
    }

    mutating func append(_ value: UInt64) {
        for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
    }
}

/// Options of one block: code, length, value padded to 32 bits, closed by `opt_endofopt`.
struct OptionList {
    private var encoded = LittleEndianBytes()
    private var isEmpty = true

    /// A UTF-8 option; values longer than an option can hold are cut at a character boundary.
    mutating func append(text code: UInt16, _ value: String) {
        append(code, Self.truncatedUTF8(value, limit: Int(UInt16.max)))
    }

    mutating func append(_ code: UInt16, _ value: [UInt8]) {
        encoded.append(code)
        encoded.append(UInt16(clamping: value.count))
        encoded.bytes += value.prefix(Int(UInt16.max))
        encoded.bytes += PcapngBlock.padding(min(value.count, Int(UInt16.max)))
        isEmpty = false
    }

    /// The options followed by `opt_endofopt`, or nothing when there are none.
    func finished() -> [UInt8] {
        guard !isEmpty else { return [] }
        var out = encoded
        out.append(PcapngBlock.optEndOfOpt)
        out.append(UInt16(0))
        return out.bytes
    }

    static func truncatedUTF8(_ text: String, limit: Int) -> [UInt8] {
        let utf8 = Array(text.utf8)
        guard utf8.count > limit else { return utf8 }
        var cut = limit
        // Step back over continuation bytes (10xxxxxx) so a scalar is never split.
        while cut > 0, utf8[cut] & 0b1100_0000 == 0b1000_0000 { cut -= 1 }
        return Array(utf8[..<cut])
    }
}
