import Synchronization

/// Opens transport URLs through openers registered per scheme.
///
/// The executable (or a composition module) registers `sim` openers for the simulators, so the
/// conformance engine reaches a simulator only through bytes and never imports it.
public final class TransportRegistry: Sendable {
    /// Opens a stream for a URL of the scheme it was registered for.
    public typealias Opener = @Sendable (TransportURL) async throws(TransportError) -> any ByteStream

    private let openers = Mutex<[String: Opener]>([:])

    /// An empty registry.
    public init() {}

    /// A registry with `serial`, `tcp` and `udp` registered (connect timeout for TCP: `connectTimeout`).
    public static func standard(connectTimeout: Duration = .seconds(5)) -> TransportRegistry {
        let registry = TransportRegistry()
        registry.register(scheme: "serial") { url throws(TransportError) in
            guard case .serial(let path, let options) = url else { throw .noOpener(scheme: url.scheme) }
            let port = try SerialPort.open(
                path: path, settings: options.settings, options: SerialPort.Options(discardEcho: options.echo))
            if options.rts != nil || options.dtr != nil {
                do throws(TransportError) {
                    try await port.setModemLines(rts: options.rts, dtr: options.dtr)
                } catch {
                    await port.close()
                    throw error
                }
            }
            return port
        }
        registry.register(scheme: "tcp") { url throws(TransportError) in
            guard case .tcp(let host, let port) = url else { throw .noOpener(scheme: url.scheme) }
            return try await TCPConnection.connect(host: host, port: port, deadline: .now + connectTimeout)
        }
        registry.register(scheme: "udp") { url throws(TransportError) in
            guard case .udp(let host, let port) = url else { throw .noOpener(scheme: url.scheme) }
            return try await UDPSocket.connect(host: host, port: port)
        }
        return registry
    }

    /// Registers (or replaces) the opener for `scheme`.
    public func register(scheme: String, opener: @escaping Opener) {
        openers.withLock { $0[scheme.lowercased()] = opener }
    }

    /// The schemes that have an opener, sorted.
    public var schemes: [String] { openers.withLock { $0.keys.sorted() } }

    /// Opens `url` with its scheme's opener; `.noOpener` when none is registered.
    public func open(_ url: TransportURL) async throws(TransportError) -> any ByteStream {
        guard let opener = openers.withLock({ $0[url.scheme] }) else { throw .noOpener(scheme: url.scheme) }
        return try await opener(url)
    }

    /// Parses `text` and opens it.
    public func open(_ text: String) async throws(TransportError) -> any ByteStream {
        try await open(try TransportURL(parsing: text))
    }
}
