import Dispatch
import Glibc

/// One resolved socket address (IPv4 or IPv6) from getaddrinfo.
struct SocketAddress: Sendable {
    var storage: sockaddr_storage
    var length: socklen_t
    var family: Int32

    /// Resolves `host`/`port` for `socketType` off the cooperative pool (getaddrinfo blocks).
    static func resolve(
        host: String, port: UInt16, socketType: Int32, passive: Bool = false
    ) async throws(TransportError) -> [SocketAddress] {
        let result: Result<[SocketAddress], TransportError> = await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(returning: resolveBlocking(host: host, port: port, socketType: socketType, passive: passive))
            }
        }
        return try result.get()
    }

    private static func resolveBlocking(host: String, port: UInt16, socketType: Int32, passive: Bool) -> Result<[SocketAddress], TransportError> {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = socketType
        hints.ai_flags = AI_NUMERICSERV | (passive ? AI_PASSIVE : 0)
        var list: UnsafeMutablePointer<addrinfo>? = nil
        let rc = getaddrinfo(host, String(port), &hints, &list)
        guard rc == 0 else {
            return .failure(.addressResolution(host: host, message: String(cString: gai_strerror(rc))))
        }
        defer { freeaddrinfo(list) }
        var addresses: [SocketAddress] = []
        var cursor = list
        while let info = cursor?.pointee {
            if let address = info.ai_addr, info.ai_addrlen <= MemoryLayout<sockaddr_storage>.size {
                var storage = sockaddr_storage()
                withUnsafeMutableBytes(of: &storage) { target in
                    target.copyMemory(from: UnsafeRawBufferPointer(start: address, count: Int(info.ai_addrlen)))
                }
                addresses.append(SocketAddress(storage: storage, length: info.ai_addrlen, family: info.ai_family))
            }
            cursor = info.ai_next
        }
        guard !addresses.isEmpty else { return .failure(.addressResolution(host: host, message: "no addresses")) }
        return .success(addresses)
    }

    /// Calls `body` with the address as a `sockaddr` pointer.
    func withSockaddr<R>(_ body: (UnsafePointer<sockaddr>, socklen_t) -> R) -> R {
        withUnsafePointer(to: storage) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, length) }
        }
    }

    /// The port of an IPv4 or IPv6 address.
    var port: UInt16 {
        withUnsafeBytes(of: storage) { raw -> UInt16 in
            switch family {
            case AF_INET: UInt16(bigEndian: raw.load(as: sockaddr_in.self).sin_port)
            case AF_INET6: UInt16(bigEndian: raw.load(as: sockaddr_in6.self).sin6_port)
            default: 0
            }
        }
    }

    /// The local address a socket is bound to.
    static func local(of fd: Int32) -> Result<SocketAddress, TransportError> {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let rc = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard rc == 0 else { return .failure(.system("getsockname")) }
        return .success(SocketAddress(storage: storage, length: length, family: Int32(storage.ss_family)))
    }

    /// Opens a socket of this address's family and connects it before `deadline`.
    /// Returns the channel over the connected socket.
    func connect(
        socketType: Int32, kind: DescriptorChannel.Kind, deadline: ContinuousClock.Instant, description: String
    ) async throws(TransportError) -> DescriptorChannel {
        let fd = socket(family, socketType, 0)
        guard fd >= 0 else { throw .system("socket") }
        let channel: DescriptorChannel
        do {
            channel = try DescriptorChannel(fd: fd, kind: kind, isSocket: true)
        } catch {
            Glibc.close(fd)
            throw error
        }
        let address = self
        do {
            try await channel.run(reading: false) { flag -> Result<Void, TransportError> in
                let rc = address.withSockaddr { Glibc.connect(fd, $0, $1) }
                if rc == 0 { return .success(()) }
                let code = errno
                guard code == EINPROGRESS || code == EINTR else {
                    return .failure(.system("connect \(description)", code))
                }
                switch channel.waitReady(Int16(POLLOUT), deadline: deadline, flag: flag) {
                case .success(0):
                    return .failure(.timeout("connect \(description)"))
                case .failure(let error):
                    return .failure(error)
                case .success:
                    var soError: Int32 = 0
                    var length = socklen_t(MemoryLayout<Int32>.size)
                    guard getsockopt(fd, SOL_SOCKET, SO_ERROR, &soError, &length) == 0 else {
                        return .failure(.system("getsockopt"))
                    }
                    return soError == 0 ? .success(()) : .failure(.system("connect \(description)", soError))
                }
            }
        } catch {
            channel.close()
            throw error
        }
        return channel
    }
}
