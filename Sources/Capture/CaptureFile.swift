import Glibc

/// Writing a capture file failed.
public struct CaptureFileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file being written.
    public var path: String
    /// The `errno` of the failing call.
    public var code: Int32

    /// The path and the system's wording of the error.
    public var description: String {
        "cannot write capture \(path): \(String(cString: strerror(code)))"
    }
}

/// Plain POSIX file output: create/replace or append, retrying short writes and EINTR.
enum CaptureFile {
    static func write(_ bytes: [UInt8], to path: String, truncating: Bool) throws(CaptureFileError) {
        let flags = O_WRONLY | O_CREAT | O_CLOEXEC | (truncating ? O_TRUNC : O_APPEND)
        let descriptor = open(path, flags, 0o644)
        guard descriptor >= 0 else { throw CaptureFileError(path: path, code: errno) }
        defer { close(descriptor) }
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                throw CaptureFileError(path: path, code: errno)
            }
            offset += written
        }
    }
}
