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
        let stream = Int32(SOCK_STREAM.rawValue)
        let addresses = try await SocketAddress.resolve(host: host, port: port, socketType: stream, passive: true)
        guard let address = addresses.first else { throw .addressResolution(host: host, message: "no addresses") }
        let fd = socket(address.family, stream, 0)
        guard fd >= 0 else { throw .system("socket") }
        var one: Int32 = 1
        _ = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        guard address.withSockaddr({ bind(fd, $0, $1) }) == 0 else {
            let error = TransportError.system("bind \(host):\(port)")
            Glibc.close(fd)
            throw error
        }
        guard listen(fd, backlog) == 0 else {
            let error = TransportError.system("listen")
            Glibc.close(fd)
            throw error
        }
        let local: SocketAddress
        switch SocketAddress.local(of: fd) {
        case .success(let value): local = value
        case .failure(let error):
            Glibc.close(fd)
            throw error
        }
        do {
            self.channel = try DescriptorChannel(fd: fd, kind: .stream, isSocket: true)
        } catch {
            Glibc.close(fd)
            throw error
        }
        self.port = local.port
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
