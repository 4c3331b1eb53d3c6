import Glibc

/// A connected UDP socket as a `ByteStream`: one `send` is one datagram, one `receive` returns one
/// datagram (truncated to `maxCount`). Empty datagrams are skipped.
public final class UDPSocket: ByteStream {
    private let channel: DescriptorChannel
    /// The local port (useful to let a peer answer a socket bound to an ephemeral port).
    public let localPort: UInt16

    private init(channel: DescriptorChannel, localPort: UInt16) {
        self.channel = channel
        self.localPort = localPort
    }

    /// Resolves `host` and connects a datagram socket to `host:port` (no packet is sent).
    public static func connect(host: String, port: UInt16) async throws(TransportError) -> UDPSocket {
        let datagram = Int32(SOCK_DGRAM.rawValue)
        let addresses = try await SocketAddress.resolve(host: host, port: port, socketType: datagram)
        var lastError = TransportError.addressResolution(host: host, message: "no addresses")
        for address in addresses {
            do {
                let channel = try await address.connect(
                    socketType: datagram, kind: .datagram, deadline: .now + .seconds(1), description: "udp://\(host):\(port)")
                switch SocketAddress.local(of: channel.fd) {
                case .success(let local): return UDPSocket(channel: channel, localPort: local.port)
                case .failure(let error):
                    channel.close()
                    lastError = error
                }
            } catch {
                lastError = error
            }
        }
        throw lastError
    }

    /// Binds `host:port` (0: ephemeral, see `localPort`) without a peer yet; call `connect(host:port:)`
    /// before sending. For a socket whose port a peer must know first (a UDP server, a test pair).
    public static func bind(host: String = "127.0.0.1", port: UInt16 = 0) async throws(TransportError) -> UDPSocket {
        let bound = try await boundChannel(host: host, port: port, socketType: Int32(SOCK_DGRAM.rawValue), kind: .datagram)
        return UDPSocket(channel: bound.channel, localPort: bound.port)
    }

    /// Connects a bound socket to `host:port`: from then on it sends there and receives only from there.
    public func connect(host: String, port: UInt16) async throws(TransportError) {
        let datagram = Int32(SOCK_DGRAM.rawValue)
        let peers = try await SocketAddress.resolve(host: host, port: port, socketType: datagram)
        var lastError = TransportError.addressResolution(host: host, message: "no addresses")
        for peer in peers {
            if peer.withSockaddr({ Glibc.connect(channel.fd, $0, $1) }) == 0 { return }
            lastError = .system("connect udp://\(host):\(port)")
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
