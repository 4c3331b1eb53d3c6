import Glibc

/// Creates a socket bound to `host:port` (0: ephemeral), listening when `backlog` is given, wrapped in a
/// channel; returns it with the port actually bound. The one place TCP listeners and UDP sockets bind.
func boundChannel(host: String, port: UInt16, socketType: Int32, kind: DescriptorChannel.Kind,
                  backlog: Int32? = nil) async throws(TransportError) -> (channel: DescriptorChannel, port: UInt16) {
    let addresses = try await SocketAddress.resolve(host: host, port: port, socketType: socketType, passive: true)
    guard let address = addresses.first else { throw .addressResolution(host: host, message: "no addresses") }
    let fd = socket(address.family, socketType, 0)
    guard fd >= 0 else { throw .system("socket") }
    func fail(_ error: TransportError) -> TransportError {
        Glibc.close(fd)
        return error
    }
    if backlog != nil {
        var one: Int32 = 1
        _ = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
    }
    guard address.withSockaddr({ Glibc.bind(fd, $0, $1) }) == 0 else { throw fail(.system("bind \(host):\(port)")) }
    if let backlog, listen(fd, backlog) != 0 { throw fail(.system("listen")) }
    let local: SocketAddress
    switch SocketAddress.local(of: fd) {
    case .success(let value): local = value
    case .failure(let error): throw fail(error)
    }
    do {
        return (try DescriptorChannel(fd: fd, kind: kind, isSocket: true), local.port)
    } catch {
        throw fail(error)
    }
}
