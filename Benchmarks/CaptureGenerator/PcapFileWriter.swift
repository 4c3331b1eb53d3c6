#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a classic pcap file (microsecond timestamps, LINKTYPE_ETHERNET), streaming: records are
/// gathered in a 1 MiB buffer and appended with `fwrite`, so memory does not grow with the file.
final class PcapFileWriter {
    /// LINKTYPE_ETHERNET.
    static let linkType: UInt32 = 1
    static let snapLength: UInt32 = 65_535
    private static let flushThreshold = 1 << 20

    private let file: UnsafeMutablePointer<FILE>
    private var buffer: [UInt8] = []
    /// Records written (tshark's frame numbers run 1…packets).
    private(set) var packets = 0
    /// Bytes of the file so far, header included.
    private(set) var fileBytes = 0

    struct OpenError: Error, CustomStringConvertible {
        var path: String
        var description: String { "cannot create \(path)" }
    }

    init(path: String) throws(OpenError) {
        guard let file = fopen(path, "wb") else { throw OpenError(path: path) }
        self.file = file
        buffer.reserveCapacity(Self.flushThreshold + 70_000)
        // Global header, little-endian: magic, version 2.4, thiszone 0, sigfigs 0, snaplen, network.
        appendLE32(0xA1B2_C3D4)
        appendLE16(2)
        appendLE16(4)
        appendLE32(0)
        appendLE32(0)
        appendLE32(Self.snapLength)
        appendLE32(Self.linkType)
    }

    /// Appends one record stamped `microseconds` since the Unix epoch; returns its frame number.
    func write(microseconds: UInt64, frame: [UInt8]) -> Int {
        appendLE32(UInt32(truncatingIfNeeded: microseconds / 1_000_000))
        appendLE32(UInt32(truncatingIfNeeded: microseconds % 1_000_000))
        appendLE32(UInt32(frame.count))
        appendLE32(UInt32(frame.count))
        buffer.append(contentsOf: frame)
        packets += 1
        if buffer.count >= Self.flushThreshold { flush() }
        return packets
    }

    /// Writes what is buffered and closes the file.
    func close() {
        flush()
        fclose(file)
    }

    private func flush() {
        guard !buffer.isEmpty else { return }
        let written = buffer.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
        precondition(written == buffer.count, "short write to the capture file")
        fileBytes += buffer.count
        buffer.removeAll(keepingCapacity: true)
    }

    private func appendLE16(_ v: UInt16) {
        buffer.append(UInt8(truncatingIfNeeded: v))
        buffer.append(UInt8(truncatingIfNeeded: v >> 8))
    }

    private func appendLE32(_ v: UInt32) {
        for shift in stride(from: 0, to: 32, by: 8) { buffer.append(UInt8(truncatingIfNeeded: v >> UInt32(shift))) }
    }

    /// Bytes written plus those still buffered.
    var size: Int { fileBytes + buffer.count }
}
