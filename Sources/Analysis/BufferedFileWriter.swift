import Glibc

/// Appends bytes to a file through a buffer (one `write(2)` per 256 KiB), so PDU records are
/// streamed to disk as they are produced without holding them.
final class BufferedFileWriter {
    let path: String
    private let descriptor: Int32
    private var buffer: [UInt8] = []
    private let capacity: Int
    /// The first write error (`errno`), after which writes are dropped.
    private(set) var failure: Int32?

    /// Creates (or truncates) `path`.
    init?(path: String, capacity: Int = 256 << 10) {
        self.path = path
        self.capacity = capacity
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { return nil }
        self.descriptor = descriptor
        buffer.reserveCapacity(capacity)
    }

    deinit {
        flush()
        close(descriptor)
    }

    /// Appends a line (a newline is added).
    func writeLine(_ text: String) {
        var text = text
        text.withUTF8 { buffer.append(contentsOf: $0) }
        buffer.append(0x0A)
        if buffer.count >= capacity { flush() }
    }

    /// Appends bytes through `body` (which writes into the buffer), flushing when it is full.
    func write(_ body: (inout [UInt8]) -> Void) {
        body(&buffer)
        if buffer.count >= capacity { flush() }
    }

    /// Writes what is buffered.
    func flush() {
        guard !buffer.isEmpty else { return }
        defer { buffer.removeAll(keepingCapacity: true) }
        guard failure == nil else { return }
        var offset = 0
        while offset < buffer.count {
            let written = buffer[offset...].withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                failure = errno
                return
            }
            offset += written
        }
    }
}
