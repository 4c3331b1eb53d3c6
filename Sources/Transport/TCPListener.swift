import Glibc

/// A listening TCP socket; `accept` gives a `TCPConnection` per peer.
public final class TCPListener: Sendable {
    private let channel: DescriptorChannel
    /// The port actually bound (the ephemeral one when 0 was asked for).
    public let port: UInt16
    /// The address bound.
    public let host: String

    /// Binds `host` (default 127.0.0.1) and `port` (0: an ephemeral port, see `port`) and listens.
    public init(host: String = "127.0.0.1", port: UInt16 = 0, backlog: Int32 = 16) async throws(TransportError) {
        let bound = try await boundChannel(host: host, port: port, socketType: Int32(SOCK_STREAM.rawValue),
                                           kind: .stream, backlog: backlog)
        self.channel = bound.channel
        self.port = bound.port
        self.host = host
    }

    /// Waits for the next connection; `deadline` nil waits until cancelled or closed.
    public func accept(deadline: ContinuousClock.Instant? = nil) async throws(TransportError) -> TCPConnection {
        let channel = channel
        let fd = try await channel.run(reading: true) { flag -> Result<Int32, TransportError> in
            while true {
                let client = Glibc.accept(channel.fd, nil, nil)
                if client >= 0 { return .success(client) }
                let code = errno
                switch code {
                case EINTR, ECONNABORTED:
                    continue
                case EAGAIN, EWOULDBLOCK:
                    switch channel.waitReady(Int16(POLLIN), deadline: deadline, flag: flag) {
                    case .success(0): return .failure(.timeout("accept on port \(self.port)"))
                    case .success: continue
                    case .failure(let error): return .failure(error)
                    }
                default:
                    return .failure(.system("accept", code))
                }
            }
        }
        do {
            return TCPConnection(channel: try DescriptorChannel(fd: fd, kind: .stream, isSocket: true))
        } catch {
            Glibc.close(fd)
            throw error
        }
    }

    /// Stops listening; a pending `accept` ends with `.closed`.
    public func close() { channel.close() }
}
