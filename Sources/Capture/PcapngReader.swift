/// The pcapng half of ``CaptureReader`` (draft-ietf-opsawg-pcapng): Section Header Blocks in
/// either byte order (each section resets the interfaces), Interface Description Blocks
/// (`if_name`, `if_description`, `if_tsresol` as 10^-n or 2^-n, `if_tsoffset`), Enhanced, Simple
/// and Obsolete Packet Blocks (`opt_comment`, `epb_flags`/`pack_flags`); any other block is
/// skipped by its length, its trailing length still checked.
struct PcapngParser {
    static let sectionHeaderType: UInt32 = 0x0A0D_0D0A
    static let interfaceDescriptionType: UInt32 = 1
    static let obsoletePacketType: UInt32 = 2
    static let simplePacketType: UInt32 = 3
    static let enhancedPacketType: UInt32 = 6

    /// Interfaces of the current section, in block order (their index is the interface id).
    private(set) var interfaces: [CaptureInterface] = []
    private var order = ByteOrderReader(bigEndian: false)
    /// The current section, -1 before the first Section Header Block.
    private var section = -1

    /// Reads blocks until one holds a packet; nil at a clean end of file (between blocks).
    mutating func next(_ file: inout ChunkedFile) throws(CaptureReadError) -> CapturedPacket? {
        while true {
            let start = file.offset
            let path = file.path
            let header = try file.fill(12)
            if header == 0 { return nil }
            func fail(_ kind: CaptureReadError.Kind) -> CaptureReadError {
                CaptureReadError(path: path, offset: start, kind: kind)
            }
            let truncatedHeader = CaptureReadError(path: path, offset: start,
                                                   kind: .truncated(needed: 12, available: UInt64(header)))
            guard header >= 8 else { throw truncatedHeader }
            let first = file.peek(12)
            let isSectionHeader = Array(first.prefix(4)) == [0x0A, 0x0D, 0x0D, 0x0A]
            if isSectionHeader {
                guard header >= 12 else { throw truncatedHeader }
                let magic = Array(first.suffix(4))
                switch magic {
                case [0x4D, 0x3C, 0x2B, 0x1A]: order = ByteOrderReader(bigEndian: false)
                case [0x1A, 0x2B, 0x3C, 0x4D]: order = ByteOrderReader(bigEndian: true)
                default: throw fail(.unsupportedFile("section header byte-order magic \(hexText(magic))"))
                }
            } else if section < 0 {
                throw fail(.unsupportedFile("the file does not start with a section header block"))
            }
            let type = order.u32(first, 0)
            let length = order.u32(first, 4)
            guard length >= 12 else { throw fail(.badBlockLength(length, .shorterThan12)) }
            guard length % 4 == 0 else { throw fail(.badBlockLength(length, .notMultipleOf4)) }
            let known = [Self.sectionHeaderType, Self.interfaceDescriptionType, Self.obsoletePacketType,
                         Self.simplePacketType, Self.enhancedPacketType]
            guard known.contains(type) else {
                // Unknown block: skip the body chunk by chunk, then check the trailing length.
                try file.skip(UInt64(length) - 4, blockStart: start, blockSize: UInt64(length))
                let trailer = try file.take(4, blockStart: start, blockSize: UInt64(length))
                let trailing = order.u32(trailer, 0)
                guard trailing == length else { throw fail(.badBlockLength(length, .trailingMismatch(trailing: trailing))) }
                continue
            }
            guard length <= CaptureReader.maximumBlockLength else {
                throw fail(.badBlockLength(length, .tooLarge(limit: CaptureReader.maximumBlockLength)))
            }
            let minimum: UInt32 = switch type {
            case Self.sectionHeaderType: 28
            case Self.interfaceDescriptionType: 20
            case Self.obsoletePacketType, Self.enhancedPacketType: 32
            default: 16
            }
            guard length >= minimum else { throw fail(.badBlockLength(length, .shorterThanFields(minimum: minimum))) }
            let block = try file.take(Int(length), blockStart: start, blockSize: UInt64(length))
            let trailing = order.u32(block, block.count - 4)
            guard trailing == length else { throw fail(.badBlockLength(length, .trailingMismatch(trailing: trailing))) }
            // Body: between the two length fields.
            let body = Array(block[8..<(block.count - 4)])
            switch type {
            case Self.sectionHeaderType:
                let major = order.u16(body, 4)
                guard major == 1 else { throw fail(.unsupportedFile("pcapng major version \(major)")) }
                _ = try options(body, from: 16, fail: fail)
                section += 1
                interfaces = []
            case Self.interfaceDescriptionType:
                guard interfaces.count < CaptureReader.maximumInterfaces else {
                    throw fail(.malformedBlock("more than \(CaptureReader.maximumInterfaces) interfaces in one section"))
                }
                interfaces.append(try interface(body, fail: fail))
            case Self.enhancedPacketType:
                return try enhancedPacket(body, at: start, fail: fail)
            case Self.obsoletePacketType:
                return try obsoletePacket(body, at: start, fail: fail)
            default:
                return try simplePacket(body, at: start, fail: fail)
            }
        }
    }

    /// An Interface Description Block's fields and options.
    private func interface(_ body: [UInt8], fail: (CaptureReadError.Kind) -> CaptureReadError) throws(CaptureReadError) -> CaptureInterface {
        var result = CaptureInterface(linkType: order.u16(body, 0), snapLength: order.u32(body, 4))
        for (code, value) in try options(body, from: 8, fail: fail) {
            switch code {
            case 2: result.name = Self.text(value)
            case 3: result.description = Self.text(value)
            case 9:
                guard let resolution = value.first else { throw fail(.malformedBlock("empty if_tsresol")) }
                let exponent = UInt64(resolution & 0x7F)
                if resolution & 0x80 != 0 {
                    guard exponent <= 63 else { throw fail(.malformedBlock("if_tsresol 2^-\(exponent) is finer than 64 bits hold")) }
                    result.ticksPerSecond = 1 << exponent
                } else {
                    guard exponent <= 19 else { throw fail(.malformedBlock("if_tsresol 10^-\(exponent) is finer than 64 bits hold")) }
                    var units: UInt64 = 1
                    for _ in 0..<exponent { units *= 10 }
                    result.ticksPerSecond = units
                }
            case 14:
                guard value.count == 8 else { throw fail(.malformedBlock("if_tsoffset of \(value.count) bytes")) }
                result.timestampOffset = Int64(bitPattern: order.u64(value, 0))
            default: break
            }
        }
        return result
    }

    private func lookUp(_ id: UInt32, fail: (CaptureReadError.Kind) -> CaptureReadError) throws(CaptureReadError) -> CaptureInterface {
        guard Int(id) < interfaces.count else { throw fail(.unknownInterface(id)) }
        return interfaces[Int(id)]
    }

    /// Packet data of `captured` bytes at `from`, checked against the body, and the options after it.
    private func dataAndOptions(_ body: [UInt8], from: Int, captured: UInt32,
                                fail: (CaptureReadError.Kind) -> CaptureReadError) throws(CaptureReadError)
        -> (data: [UInt8], comments: [String], flags: UInt32?) {
        guard UInt64(captured) <= UInt64(body.count - from) else {
            throw fail(.malformedBlock("captured length \(captured) exceeds the block body"))
        }
        let end = from + Int(captured)
        let padded = min(body.count, end + (4 - Int(captured) % 4) % 4)
        var comments: [String] = []
        var flags: UInt32?
        for (code, value) in try options(body, from: padded, fail: fail) {
            switch code {
            case 1: comments.append(Self.text(value))
            case 2:
                guard value.count == 4 else { throw fail(.malformedBlock("flags option of \(value.count) bytes")) }
                flags = order.u32(value, 0)
            default: break
            }
        }
        return (Array(body[from..<end]), comments, flags)
    }

    private func enhancedPacket(_ body: [UInt8], at offset: UInt64,
                                fail: (CaptureReadError.Kind) -> CaptureReadError) throws(CaptureReadError) -> CapturedPacket {
        let id = order.u32(body, 0)
        let interface = try lookUp(id, fail: fail)
        let ticks = UInt64(order.u32(body, 4)) << 32 | UInt64(order.u32(body, 8))
        let (data, comments, flags) = try dataAndOptions(body, from: 20, captured: order.u32(body, 12), fail: fail)
        return CapturedPacket(section: section, interfaceIndex: Int(id), linkType: interface.linkType,
                              timestamp: interface.time(ticks: ticks), originalLength: order.u32(body, 16),
                              data: data, flags: flags, comments: comments, fileOffset: offset)
    }

    private func obsoletePacket(_ body: [UInt8], at offset: UInt64,
                                fail: (CaptureReadError.Kind) -> CaptureReadError) throws(CaptureReadError) -> CapturedPacket {
        let id = UInt32(order.u16(body, 0))
        let interface = try lookUp(id, fail: fail)
        let ticks = UInt64(order.u32(body, 4)) << 32 | UInt64(order.u32(body, 8))
        let (data, comments, flags) = try dataAndOptions(body, from: 20, captured: order.u32(body, 12), fail: fail)
        return CapturedPacket(section: section, interfaceIndex: Int(id), linkType: interface.linkType,
                              timestamp: interface.time(ticks: ticks), originalLength: order.u32(body, 16),
                              data: data, flags: flags, comments: comments, fileOffset: offset)
    }

    /// Simple Packet Block: interface 0, no timestamp, captured = min(original, snaplen), which must fit the body.
    private func simplePacket(_ body: [UInt8], at offset: UInt64,
                              fail: (CaptureReadError.Kind) -> CaptureReadError) throws(CaptureReadError) -> CapturedPacket {
        let interface = try lookUp(0, fail: fail)
        let original = order.u32(body, 0)
        var captured = UInt64(original)
        if interface.snapLength > 0 { captured = min(captured, UInt64(interface.snapLength)) }
        guard captured <= UInt64(body.count - 4) else {
            throw fail(.malformedBlock("simple packet of \(captured) captured bytes exceeds the block body"))
        }
        return CapturedPacket(section: section, interfaceIndex: 0, linkType: interface.linkType, timestamp: nil,
                              originalLength: original, data: Array(body[4..<(4 + Int(captured))]), flags: nil,
                              comments: [], fileOffset: offset)
    }

    /// Options from `from` to the end of `body` (or `opt_endofopt`): code and value, padding skipped.
    private func options(_ body: [UInt8], from: Int,
                         fail: (CaptureReadError.Kind) -> CaptureReadError) throws(CaptureReadError) -> [(UInt16, [UInt8])] {
        var result: [(UInt16, [UInt8])] = []
        var at = from
        while at + 4 <= body.count {
            let code = order.u16(body, at)
            let length = Int(order.u16(body, at + 2))
            if code == 0 { break }
            guard at + 4 + length <= body.count else {
                throw fail(.malformedBlock("option \(code) of \(length) bytes overruns the block"))
            }
            result.append((code, Array(body[(at + 4)..<(at + 4 + length)])))
            at += 4 + (length + 3) / 4 * 4
        }
        return result
    }

    /// UTF-8 option text (invalid sequences replaced), trailing NULs dropped.
    static func text(_ value: [UInt8]) -> String {
        var bytes = value[...]
        while bytes.last == 0 { bytes = bytes.dropLast() }
        return String(decoding: bytes, as: UTF8.self)
    }
}
