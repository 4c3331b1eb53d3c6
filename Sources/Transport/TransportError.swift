#if canImport(Glibc)
import Glibc
#endif

/// Why a transport operation failed. Every transport throws only this type.
public enum TransportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The peer closed the connection (TCP FIN/RST, pty peer gone).
    case connectionClosed
    /// The device path does not exist when opening it.
    case deviceNotFound(String)
    /// The device disappeared during the session (e.g. a USB adapter unplugged: `EIO`, `ENXIO`).
    case deviceGone(String)
    /// An operation with a deadline (connect, accept) did not complete in time; the text names it.
    case timeout(String)
    /// A system call failed: which one, its `errno`, and `strerror`'s text.
    case io(operation: String, errno: Int32, message: String)
    /// A line setting or control the device cannot do (e.g. RTS/DTR or parity on a pty).
    case unsupportedSetting(String)
    /// A transport URL could not be parsed; the text names what is wrong.
    case invalidURL(String)
    /// A host name could not be resolved.
    case addressResolution(host: String, message: String)
    /// No opener is registered for this URL scheme.
    case noOpener(scheme: String)
    /// The task waiting on the operation was cancelled.
    case cancelled
    /// The stream was closed locally before or during the operation.
    case closed

    /// An `.io` error for `operation` from the current `errno`.
    static func system(_ operation: String, _ code: Int32 = errno) -> TransportError {
        .io(operation: operation, errno: code, message: String(cString: strerror(code)))
    }

    public var description: String {
        switch self {
        case .connectionClosed: "connection closed by peer"
        case .deviceNotFound(let path): "device not found: \(path)"
        case .deviceGone(let path): "device gone: \(path)"
        case .timeout(let what): "timed out: \(what)"
        case .io(let op, let code, let message): "\(op) failed: \(message) (errno \(code))"
        case .unsupportedSetting(let what): "unsupported setting: \(what)"
        case .invalidURL(let why): "invalid transport URL: \(why)"
        case .addressResolution(let host, let message): "cannot resolve \(host): \(message)"
        case .noOpener(let scheme): "no transport registered for scheme '\(scheme)'"
        case .cancelled: "cancelled"
        case .closed: "transport closed"
        }
    }
}
