import Glibc

/// The container format of a capture file, detected from its first four bytes.
public enum CaptureFormat: Sendable, Hashable {
    /// pcapng (draft-ietf-opsawg-pcapng); byte order is per section.
    case pcapng
    /// Classic libpcap format: microsecond (`0xA1B2C3D4`) or nanosecond (`0xA1B23C4D`) magic, in
    /// the writer's byte order.
    case pcap(nanosecond: Bool, bigEndian: Bool)

    /// The format whose magic number `bytes` (at least four) starts with, or nil.
    public static func detect(_ bytes: some Collection<UInt8>) -> CaptureFormat? {
        let magic = Array(bytes.prefix(4))
        guard magic.count == 4 else { return nil }
        switch magic {
        case [0x0A, 0x0D, 0x0D, 0x0A]: return .pcapng
        case [0xD4, 0xC3, 0xB2, 0xA1]: return .pcap(nanosecond: false, bigEndian: false)
        case [0xA1, 0xB2, 0xC3, 0xD4]: return .pcap(nanosecond: false, bigEndian: true)
        case [0x4D, 0x3C, 0xB2, 0xA1]: return .pcap(nanosecond: true, bigEndian: false)
        case [0xA1, 0xB2, 0x3C, 0x4D]: return .pcap(nanosecond: true, bigEndian: true)
        default: return nil
        }
    }
}

/// One packet read from a capture file, whatever its format or block type.
public struct CapturedPacket: Sendable, Hashable {
    /// The pcapng section the packet is in (0 for the first; always 0 for classic pcap).
    public var section: Int
    /// The interface of the packet within its section (always 0 for classic pcap).
    public var interfaceIndex: Int
    /// The interface's link type (LINKTYPE_*; the low 16 bits of a classic pcap header's `network`).
    public var linkType: UInt16
    /// When the packet was captured, converted from the interface's resolution to nanoseconds
    /// (finer resolutions are truncated). Nil for a pcapng Simple Packet Block, which has none.
    public var timestamp: CaptureTime?
    /// The packet's length on the wire; more than `data.count` when the capture cut it.
    public var originalLength: UInt32
    /// The captured bytes.
    public var data: [UInt8]
    /// pcapng `epb_flags` (or an Obsolete Packet Block's `pack_flags`), when present.
    public var flags: UInt32?
    /// Every `opt_comment` of the block, in file order.
    public var comments: [String]
    /// File offset of the block or record that held the packet.
    public var fileOffset: UInt64

    /// The comments joined by newlines, or nil when there are none.
    public var comment: String? { comments.isEmpty ? nil : comments.joined(separator: "\n") }

    /// Direction from the flags' bits 0–1, in ``PcapngWriter``'s convention: inbound = from the
    /// device, outbound = to the device. Nil when the flags are absent or say "not available".
    public var direction: CaptureDirection? {
        switch (flags ?? 0) & 0b11 {
        case 0b01: .fromDevice
        case 0b10: .toDevice
        default: nil
        }
    }

    /// A packet with every field given.
    public init(section: Int, interfaceIndex: Int, linkType: UInt16, timestamp: CaptureTime?, originalLength: UInt32,
                data: [UInt8], flags: UInt32?, comments: [String], fileOffset: UInt64) {
        self.section = section
        self.interfaceIndex = interfaceIndex
        self.linkType = linkType
        self.timestamp = timestamp
        self.originalLength = originalLength
        self.data = data
        self.flags = flags
        self.comments = comments
        self.fileOffset = fileOffset
    }
}

/// A capture interface: a pcapng Interface Description Block, or a classic pcap file header.
public struct CaptureInterface: Sendable, Hashable {
    /// LINKTYPE_* of the interface.
    public var linkType: UInt16
    /// Most bytes captured per packet (0: no limit).
    public var snapLength: UInt32
    /// `if_name`, when given.
    public var name: String?
    /// `if_description`, when given.
    public var description: String?
    /// Timestamp ticks per second (`if_tsresol`: 10^n or 2^n; 1 000 000 when absent).
    public var ticksPerSecond: UInt64
    /// `if_tsoffset`: seconds added to every timestamp (0 when absent).
    public var timestampOffset: Int64

    /// An interface with every field given.
    public init(linkType: UInt16, snapLength: UInt32, name: String? = nil, description: String? = nil,
                ticksPerSecond: UInt64 = 1_000_000, timestampOffset: Int64 = 0) {
        self.linkType = linkType
        self.snapLength = snapLength
        self.name = name
        self.description = description
        self.ticksPerSecond = ticksPerSecond
        self.timestampOffset = timestampOffset
    }

    /// `ticks` in this interface's resolution (plus its offset) as nanoseconds since 1970,
    /// clamped to what `Int64` holds.
    func time(ticks: UInt64) -> CaptureTime {
        let units = max(ticksPerSecond, 1)
        let (seconds, remainder) = ticks.quotientAndRemainder(dividingBy: units)
        // remainder × 10^9 / units without overflow: remainder < units ≤ 2^64, so the quotient fits.
        let wide = remainder.multipliedFullWidth(by: 1_000_000_000)
        let fraction = units.dividingFullWidth((high: wide.high, low: wide.low)).quotient
        let whole = Int64(clamping: seconds).addingReportingOverflow(timestampOffset)
        let scaled = whole.partialValue.multipliedReportingOverflow(by: 1_000_000_000)
        let total = scaled.partialValue.addingReportingOverflow(Int64(clamping: fraction))
        if whole.overflow || scaled.overflow || total.overflow {
            return CaptureTime(nanosecondsSince1970: (whole.partialValue < 0) ? .min : .max)
        }
        return CaptureTime(nanosecondsSince1970: total.partialValue)
    }
}

/// Reading a capture file failed at a known file offset.
public struct CaptureReadError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong with a block's length field.
    public enum BlockLengthProblem: Sendable, Equatable {
        /// Not a multiple of 4.
        case notMultipleOf4
        /// Shorter than the 12 bytes of type and two lengths.
        case shorterThan12
        /// Shorter than the fixed fields of its block type.
        case shorterThanFields(minimum: UInt32)
        /// The trailing copy of the length differs.
        case trailingMismatch(trailing: UInt32)
        /// Larger than the reader holds in memory for one block or record.
        case tooLarge(limit: UInt32)
    }

    /// What went wrong.
    public enum Kind: Sendable, Equatable {
        /// `open` failed with this `errno`.
        case cannotOpen(errno: Int32)
        /// `read` failed with this `errno`.
        case readFailed(errno: Int32)
        /// Not a capture format we read (unknown magic, byte-order magic or major version).
        case unsupportedFile(String)
        /// The file ends inside a block or record that needs `needed` bytes; only `available` are left.
        case truncated(needed: UInt64, available: UInt64)
        /// A pcapng block's total length is impossible.
        case badBlockLength(UInt32, BlockLengthProblem)
        /// A packet names an interface the section has not described.
        case unknownInterface(UInt32)
        /// A block's fields or options contradict its length.
        case malformedBlock(String)
    }

    /// The file being read.
    public var path: String
    /// Offset of the block, record or file header at fault.
    public var offset: UInt64
    /// What went wrong.
    public var kind: Kind

    /// An error at `offset` of `path`.
    public init(path: String, offset: UInt64, kind: Kind) {
        self.path = path
        self.offset = offset
        self.kind = kind
    }

    /// The path, the offset and what is wrong, in words.
    public var description: String {
        let what: String
        switch kind {
        case .cannotOpen(let code): what = "cannot open: \(String(cString: strerror(code)))"
        case .readFailed(let code): what = "read failed: \(String(cString: strerror(code)))"
        case .unsupportedFile(let reason): what = "unsupported file: \(reason)"
        case .truncated(let needed, let available):
            what = "truncated: the block needs \(needed) bytes, the file has \(available) left"
        case .badBlockLength(let length, let problem): what = "bad block length \(length): \(problem)"
        case .unknownInterface(let id): what = "unknown interface id \(id)"
        case .malformedBlock(let reason): what = "malformed block: \(reason)"
        }
        return "\(path) at offset \(offset): \(what)"
    }
}

/// Reads a pcapng or classic pcap file packet by packet, holding only the block being read.
///
/// ```swift
/// let reader = try CaptureReader(path: "capture.pcapng")
/// while let packet = try reader.next() { … }
/// ```
///
/// Errors name the file offset; every packet before the error has already been returned by
/// ``next()``, and ``next()`` keeps throwing that error afterwards. ``readAll(path:)`` collects
/// both. A block or record longer than ``maximumBlockLength`` is an error (unknown pcapng blocks
/// are skipped chunk by chunk whatever their length), so a corrupt length never allocates more
/// than the file holds or that limit.
public final class CaptureReader {
    /// The longest block or packet record held in memory (16 MiB).
    public static let maximumBlockLength: UInt32 = 16 << 20

    /// The most Interface Description Blocks one pcapng section may hold: a file of nothing but
    /// interface blocks would otherwise grow memory with its size.
    public static let maximumInterfaces = 65_536

    /// The file being read.
    public let path: String
    /// The detected format.
    public let format: CaptureFormat

    private var file: ChunkedFile
    private var parser: Parser
    private var failure: CaptureReadError?
    private var finished = false

    private enum Parser {
        case pcapng(PcapngParser)
        case pcap(PcapParser)
    }

    /// Opens `path` and detects its format from the first bytes; `chunkSize` is how much each
    /// `read` asks for.
    public init(path: String, chunkSize: Int = 64 << 10) throws(CaptureReadError) {
        self.path = path
        var file = try ChunkedFile(path: path, chunkSize: chunkSize)
        let available = try file.fill(4)
        guard available >= 4 else {
            throw CaptureReadError(path: path, offset: 0,
                                   kind: available == 0 ? .unsupportedFile("empty file")
                                       : .truncated(needed: 4, available: UInt64(available)))
        }
        guard let format = CaptureFormat.detect(file.peek(4)) else {
            throw CaptureReadError(path: path, offset: 0,
                                   kind: .unsupportedFile("magic \(hexText(file.peek(4))) is neither pcapng nor pcap"))
        }
        self.format = format
        switch format {
        case .pcapng:
            parser = .pcapng(PcapngParser())
        case .pcap(let nanosecond, let bigEndian):
            parser = .pcap(try PcapParser(file: &file, nanosecond: nanosecond, bigEndian: bigEndian))
        }
        self.file = file
    }

    /// The interfaces of the current section (the pcap header's one interface for classic pcap).
    public var interfaces: [CaptureInterface] {
        switch parser {
        case .pcapng(let state): state.interfaces
        case .pcap(let state): [state.interface]
        }
    }

    /// The next packet, or nil at the end of the file. Throws the error at the first bad or cut
    /// block, and the same error on every later call.
    public func next() throws(CaptureReadError) -> CapturedPacket? {
        if let failure { throw failure }
        if finished { return nil }
        do {
            let packet: CapturedPacket?
            switch parser {
            case .pcapng(var state):
                packet = try state.next(&file)
                parser = .pcapng(state)
            case .pcap(let state):
                packet = try state.next(&file)
            }
            if packet == nil { finished = true }
            return packet
        } catch {
            failure = error
            throw error
        }
    }

    /// Every packet of `path` up to the end or the first error, and that error.
    public static func readAll(path: String, chunkSize: Int = 64 << 10) -> (packets: [CapturedPacket], error: CaptureReadError?) {
        var packets: [CapturedPacket] = []
        do {
            let reader = try CaptureReader(path: path, chunkSize: chunkSize)
            while let packet = try reader.next() { packets.append(packet) }
            return (packets, nil)
        } catch {
            return (packets, error)
        }
    }
}

/// Bytes as space-separated lower-case hex pairs.
func hexText(_ bytes: some Sequence<UInt8>) -> String {
    bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined(separator: " ")
}

/// A file read forward with `read(2)` in chunks, holding only bytes not yet consumed.
struct ChunkedFile: ~Copyable {
    let path: String
    private let descriptor: Int32
    private let chunkSize: Int
    private var buffer: [UInt8] = []
    private var head = 0
    private var atEnd = false
    /// File offset of the next byte not consumed.
    private(set) var offset: UInt64 = 0

    /// Opens `path` read-only; each `read(2)` asks for `chunkSize` bytes (at least 1).
    init(path: String, chunkSize: Int) throws(CaptureReadError) {
        self.path = path
        self.chunkSize = max(chunkSize, 1)
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw CaptureReadError(path: path, offset: 0, kind: .cannotOpen(errno: errno)) }
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }

    /// Reads until `count` bytes are buffered or the file ends; returns how many are buffered
    /// (capped at `count`). Memory grows only with bytes actually read.
    mutating func fill(_ count: Int) throws(CaptureReadError) -> Int {
        while buffer.count - head < count, !atEnd {
            if head > 0 {
                buffer.removeSubrange(0..<head)
                head = 0
            }
            var chunk = [UInt8](repeating: 0, count: chunkSize)
            let got = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if got < 0 {
                if errno == EINTR { continue }
                throw CaptureReadError(path: path, offset: offset + UInt64(buffer.count - head), kind: .readFailed(errno: errno))
            }
            if got == 0 {
                atEnd = true
            } else {
                buffer.append(contentsOf: chunk[..<got])
            }
        }
        return min(count, buffer.count - head)
    }

    /// The next `count` buffered bytes, not consumed (fewer if fewer are buffered).
    func peek(_ count: Int) -> ArraySlice<UInt8> {
        buffer[head..<(head + min(count, buffer.count - head))]
    }

    /// Consumes and returns exactly `count` bytes of the block starting at `blockStart`, whose
    /// total size is `blockSize`; throws `truncated` when the file ends first.
    mutating func take(_ count: Int, blockStart: UInt64, blockSize: UInt64) throws(CaptureReadError) -> [UInt8] {
        let available = try fill(count)
        guard available == count else {
            throw CaptureReadError(path: path, offset: blockStart,
                                   kind: .truncated(needed: blockSize, available: offset + UInt64(available) - blockStart))
        }
        let bytes = Array(buffer[head..<(head + count)])
        head += count
        offset += UInt64(count)
        return bytes
    }

    /// Consumes `count` bytes chunk by chunk without keeping them; throws `truncated` like ``take``.
    mutating func skip(_ count: UInt64, blockStart: UInt64, blockSize: UInt64) throws(CaptureReadError) {
        var left = count
        while left > 0 {
            let step = Int(min(left, UInt64(chunkSize)))
            let available = try fill(step)
            guard available == step else {
                throw CaptureReadError(path: path, offset: blockStart,
                                       kind: .truncated(needed: blockSize, available: offset + UInt64(available) - blockStart))
            }
            head += step
            offset += UInt64(step)
            left -= UInt64(step)
        }
    }
}

/// Fixed-width integers out of a byte array in one byte order; out-of-range reads give 0 (callers
/// check lengths first).
struct ByteOrderReader {
    var bigEndian: Bool

    /// The 16-bit value at `at`.
    func u16(_ bytes: [UInt8], _ at: Int) -> UInt16 {
        guard at >= 0, at + 2 <= bytes.count else { return 0 }
        let (a, b) = (UInt16(bytes[at]), UInt16(bytes[at + 1]))
        return bigEndian ? a << 8 | b : b << 8 | a
    }

    /// The 32-bit value at `at` (counted from the collection's start).
    func u32(_ bytes: some RandomAccessCollection<UInt8>, _ at: Int) -> UInt32 {
        let start = bytes.index(bytes.startIndex, offsetBy: at, limitedBy: bytes.endIndex) ?? bytes.endIndex
        guard at >= 0, bytes.distance(from: start, to: bytes.endIndex) >= 4 else { return 0 }
        var value: UInt32 = 0
        for step in 0..<4 {
            let byte = UInt32(bytes[bytes.index(start, offsetBy: bigEndian ? step : 3 - step)])
            value = value << 8 | byte
        }
        return value
    }

    /// The 64-bit value at `at`.
    func u64(_ bytes: [UInt8], _ at: Int) -> UInt64 {
        guard at >= 0, at + 8 <= bytes.count else { return 0 }
        var value: UInt64 = 0
        for step in 0..<8 { value = value << 8 | UInt64(bytes[at + (bigEndian ? step : 7 - step)]) }
        return value
    }
}
