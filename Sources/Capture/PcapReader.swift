/// The classic pcap half of ``CaptureReader``: the 24-byte file header (either byte order,
/// microsecond or nanosecond magic, version 2.x) and 16-byte record headers.
struct PcapParser {
    /// The file's one interface: link type (low 16 bits of `network`), snaplen, tick rate.
    let interface: CaptureInterface
    private let order: ByteOrderReader

    /// Reads and checks the file header (the magic is already known to be one of the four).
    init(file: inout ChunkedFile, nanosecond: Bool, bigEndian: Bool) throws(CaptureReadError) {
        order = ByteOrderReader(bigEndian: bigEndian)
        let header = try file.take(24, blockStart: 0, blockSize: 24)
        let major = order.u16(header, 4)
        guard major == 2 else {
            throw CaptureReadError(path: file.path, offset: 0, kind: .unsupportedFile("pcap major version \(major)"))
        }
        interface = CaptureInterface(linkType: UInt16(truncatingIfNeeded: order.u32(header, 20)),
                                     snapLength: order.u32(header, 16),
                                     ticksPerSecond: nanosecond ? 1_000_000_000 : 1_000_000)
    }

    /// The next record, or nil at a clean end of file (between records).
    func next(_ file: inout ChunkedFile) throws(CaptureReadError) -> CapturedPacket? {
        let start = file.offset
        let available = try file.fill(16)
        if available == 0 { return nil }
        let header = try file.take(16, blockStart: start, blockSize: 16)
        let captured = order.u32(header, 8)
        guard captured <= CaptureReader.maximumBlockLength else {
            throw CaptureReadError(path: file.path, offset: start,
                                   kind: .badBlockLength(captured, .tooLarge(limit: CaptureReader.maximumBlockLength)))
        }
        let data = try file.take(Int(captured), blockStart: start, blockSize: 16 + UInt64(captured))
        let seconds = UInt64(order.u32(header, 0))
        let fraction = UInt64(order.u32(header, 4))
        let ticks = seconds.multipliedReportingOverflow(by: interface.ticksPerSecond).partialValue &+ fraction
        return CapturedPacket(section: 0, interfaceIndex: 0, linkType: interface.linkType,
                              timestamp: interface.time(ticks: ticks), originalLength: order.u32(header, 12),
                              data: data, flags: nil, comments: [], fileOffset: start)
    }
}
