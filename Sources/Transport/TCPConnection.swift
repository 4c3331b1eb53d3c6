import Glibc

/// A TCP connection (IPv4 or IPv6) as a `ByteStream`. The peer closing gives `.connectionClosed`.
public final class TCPConnection: ByteStream {
    private let channel: DescriptorChannel

    init(channel: DescriptorChannel) {
        self.channel = channel
    }

    /// Resolves `host` (name, IPv4 or IPv6 literal) and connects to the first address that accepts
    /// before `deadline`; `.timeout` when none did in time.
    public static func connect(
        host: String, port: UInt16, deadline: ContinuousClock.Instant
    ) async throws(TransportError) -> TCPConnection {
        let stream = Int32(SOCK_STREAM.rawValue)
        let addresses = try await SocketAddress.resolve(host: host, port: port, socketType: stream)
        var lastError = TransportError.addressResolution(host: host, message: "no addresses")
        for address in addresses {
            do {
                let channel = try await address.connect(
                    socketType: stream, kind: .stream, deadline: deadline, description: "tcp://\(host):\(port)")
                var one: Int32 = 1
                _ = setsockopt(channel.fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
                return TCPConnection(channel: channel)
            } catch {
                lastError = error
                if case .timeout = error { break }
                if case .cancelled = error { break }
            }
        }
        throw lastError
    }

    public func send(_ bytes: [UInt8]) async throws(TransportError) {
        try await channel.send(bytes)
    }

    public func receive(maxCount: Int, deadline: ContinuousClock.Instant) async throws(TransportError) -> [UInt8] {
        try await channel.receive(maxCount: maxCount, deadline: deadline)
    }

    public func close() async { channel.close() }
}
