/// A parsed transport URL, as device profiles and `--target` give it.
///
/// - `serial:///dev/ttyUSB0?baud=2400&parity=even&databits=8&stopbits=1&echo=true&rts=on&dtr=off`
///   (defaults: 9600 baud, 8 data bits, no parity, 1 stop bit, no echo discarding, RTS/DTR untouched)
/// - `tcp://host:port`, `udp://host:port` (IPv6 literals in brackets: `tcp://[::1]:4059`)
/// - `http://host[:port][/path]`, `https://…` (parsed only; default ports 80 and 443)
/// - `sim:mbus?faults=a,b` (parsed only: a simulator opener is registered by the composition layer)
public enum TransportURL: Sendable, Equatable, CustomStringConvertible {
    /// What a `serial:` URL asks of the port beyond its path.
    public struct SerialOptions: Sendable, Equatable {
        /// Baud rate and framing.
        public var settings: LineSettings
        /// Discard the local echo.
        public var echo: Bool
        /// RTS to raise (`true`), lower (`false`) or leave (`nil`).
        public var rts: Bool?
        /// DTR to raise (`true`), lower (`false`) or leave (`nil`).
        public var dtr: Bool?

        /// Options with the given values.
        public init(settings: LineSettings = .standardDefault, echo: Bool = false, rts: Bool? = nil, dtr: Bool? = nil) {
            self.settings = settings
            self.echo = echo
            self.rts = rts
            self.dtr = dtr
        }
    }

    case serial(path: String, options: SerialOptions)
    case tcp(host: String, port: UInt16)
    case udp(host: String, port: UInt16)
    case http(secure: Bool, host: String, port: UInt16, path: String)
    case simulator(protocolName: String, faults: [String])

    /// The scheme a `TransportRegistry` dispatches on: `serial`, `tcp`, `udp`, `http`, `https`, `sim`.
    public var scheme: String {
        switch self {
        case .serial: "serial"
        case .tcp: "tcp"
        case .udp: "udp"
        case .http(let secure, _, _, _): secure ? "https" : "http"
        case .simulator: "sim"
        }
    }

    /// Parses `text`; `.invalidURL` names what is wrong.
    public init(parsing text: String) throws(TransportError) {
        guard let colon = text.firstIndex(of: ":") else {
            throw .invalidURL("'\(text)' has no scheme (expected serial:, tcp:, udp:, http:, https: or sim:)")
        }
        let scheme = text[..<colon].lowercased()
        let rest = String(text[text.index(after: colon)...])
        switch scheme {
        case "serial":
            guard rest.hasPrefix("///") else {
                throw .invalidURL("serial URL must be serial:///absolute/device/path, got '\(text)'")
            }
            let (path, query) = Self.splitQuery(String(rest.dropFirst(2)))
            guard path.count > 1 else { throw .invalidURL("serial URL '\(text)' has no device path") }
            self = .serial(path: path, options: try Self.serialOptions(try Self.parameters(query, in: text)))
        case "tcp", "udp":
            guard rest.hasPrefix("//") else { throw .invalidURL("\(scheme) URL must be \(scheme)://host:port, got '\(text)'") }
            let (authority, query) = Self.splitQuery(String(rest.dropFirst(2)))
            guard query == nil else { throw .invalidURL("\(scheme) URL '\(text)' takes no query parameters") }
            let bare = authority.hasSuffix("/") ? String(authority.dropLast()) : authority
            guard !bare.contains("/") else { throw .invalidURL("\(scheme) URL '\(text)' takes no path") }
            let (host, port) = try Self.hostAndPort(bare, defaultPort: nil, in: text)
            self = scheme == "tcp" ? .tcp(host: host, port: port) : .udp(host: host, port: port)
        case "http", "https":
            guard rest.hasPrefix("//") else { throw .invalidURL("\(scheme) URL must be \(scheme)://host[:port]/path, got '\(text)'") }
            let afterSlashes = rest.dropFirst(2)
            let slash = afterSlashes.firstIndex(of: "/") ?? afterSlashes.endIndex
            let authority = String(afterSlashes[..<slash])
            let path = slash == afterSlashes.endIndex ? "/" : String(afterSlashes[slash...])
            let (host, port) = try Self.hostAndPort(authority, defaultPort: scheme == "https" ? 443 : 80, in: text)
            self = .http(secure: scheme == "https", host: host, port: port, path: path)
        case "sim":
            let (name, query) = Self.splitQuery(rest)
            guard !name.isEmpty else { throw .invalidURL("sim URL '\(text)' names no protocol (e.g. sim:mbus)") }
            guard name.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") }) else {
                throw .invalidURL("sim protocol '\(name)' must be lower-case letters, digits or '-'")
            }
            var faults: [String] = []
            for (key, value) in try Self.parameters(query, in: text) {
                guard key == "faults" else { throw .invalidURL("unknown sim parameter '\(key)' (only 'faults')") }
                let names = value.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                guard !names.contains(where: \.isEmpty) else { throw .invalidURL("empty fault name in 'faults=\(value)'") }
                faults += names
            }
            self = .simulator(protocolName: name, faults: faults)
        default:
            throw .invalidURL("unknown scheme '\(scheme)' (expected serial, tcp, udp, http, https or sim)")
        }
    }

    public var description: String {
        switch self {
        case .serial(let path, let o):
            let p = switch o.settings.parity { case .none: "none"; case .even: "even"; case .odd: "odd" }
            var s = "serial://\(path)?baud=\(o.settings.baud)&parity=\(p)&databits=\(o.settings.dataBits)&stopbits=\(o.settings.stopBits)"
            if o.echo { s += "&echo=true" }
            if let rts = o.rts { s += "&rts=\(rts ? "on" : "off")" }
            if let dtr = o.dtr { s += "&dtr=\(dtr ? "on" : "off")" }
            return s
        case .tcp(let host, let port): return "tcp://\(Self.bracketed(host)):\(port)"
        case .udp(let host, let port): return "udp://\(Self.bracketed(host)):\(port)"
        case .http(let secure, let host, let port, let path): return "\(secure ? "https" : "http")://\(Self.bracketed(host)):\(port)\(path)"
        case .simulator(let name, let faults): return faults.isEmpty ? "sim:\(name)" : "sim:\(name)?faults=\(faults.joined(separator: ","))"
        }
    }

    private static func bracketed(_ host: String) -> String { host.contains(":") ? "[\(host)]" : host }

    private static func splitQuery(_ s: String) -> (String, String?) {
        guard let q = s.firstIndex(of: "?") else { return (s, nil) }
        return (String(s[..<q]), String(s[s.index(after: q)...]))
    }

    /// `key=value` pairs in order; a missing `=`, an empty key or a repeated key is an error.
    private static func parameters(_ query: String?, in text: String) throws(TransportError) -> [(String, String)] {
        guard let query, !query.isEmpty else { return [] }
        var seen = Set<String>()
        var pairs: [(String, String)] = []
        for item in query.split(separator: "&", omittingEmptySubsequences: true) {
            guard let eq = item.firstIndex(of: "=") else { throw .invalidURL("parameter '\(item)' has no value (expected key=value)") }
            let key = item[..<eq].lowercased()
            let value = String(item[item.index(after: eq)...])
            guard !key.isEmpty else { throw .invalidURL("empty parameter name in '\(text)'") }
            guard seen.insert(key).inserted else { throw .invalidURL("parameter '\(key)' given twice") }
            pairs.append((key, value))
        }
        return pairs
    }

    private static func serialOptions(_ pairs: [(String, String)]) throws(TransportError) -> SerialOptions {
        var baud = LineSettings.standardDefault.baud
        var dataBits = 8
        var parity = LineSettings.Parity.none
        var stopBits = 1
        var options = SerialOptions()
        for (key, value) in pairs {
            switch key {
            case "baud":
                guard let v = Int(value) else { throw .invalidURL("baud '\(value)' is not a number") }
                baud = v
            case "databits":
                guard let v = Int(value) else { throw .invalidURL("databits '\(value)' is not a number") }
                dataBits = v
            case "stopbits":
                guard let v = Int(value) else { throw .invalidURL("stopbits '\(value)' is not a number") }
                stopBits = v
            case "parity":
                switch value.lowercased() {
                case "none", "n": parity = .none
                case "even", "e": parity = .even
                case "odd", "o": parity = .odd
                default: throw .invalidURL("parity '\(value)' (expected none, even or odd)")
                }
            case "echo": options.echo = try flag(key, value)
            case "rts": options.rts = try flag(key, value)
            case "dtr": options.dtr = try flag(key, value)
            default:
                throw .invalidURL("unknown serial parameter '\(key)' (expected baud, parity, databits, stopbits, echo, rts, dtr)")
            }
        }
        do {
            options.settings = try LineSettings(baud: baud, dataBits: dataBits, parity: parity, stopBits: stopBits)
        } catch {
            if case .unsupportedSetting(let why) = error { throw .invalidURL("unsupported \(why)") }
            throw error
        }
        return options
    }

    private static func flag(_ key: String, _ value: String) throws(TransportError) -> Bool {
        switch value.lowercased() {
        case "true", "on", "1", "yes": return true
        case "false", "off", "0", "no": return false
        default: throw .invalidURL("\(key) '\(value)' (expected true/false or on/off)")
        }
    }

    private static func hostAndPort(_ authority: String, defaultPort: UInt16?, in text: String) throws(TransportError) -> (String, UInt16) {
        var host: Substring
        var portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { throw .invalidURL("unclosed '[' in host of '\(text)'") }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if after.hasPrefix(":") { portText = after.dropFirst() } else if !after.isEmpty {
                throw .invalidURL("unexpected '\(after)' after host in '\(text)'")
            }
        } else if let colon = authority.lastIndex(of: ":") {
            host = authority[..<colon]
            portText = authority[authority.index(after: colon)...]
            guard !host.contains(":") else { throw .invalidURL("IPv6 host must be in brackets, e.g. [::1]:4059, in '\(text)'") }
        } else {
            host = Substring(authority)
        }
        guard !host.isEmpty else { throw .invalidURL("'\(text)' has no host") }
        guard let portText else {
            guard let defaultPort else { throw .invalidURL("'\(text)' has no port (expected host:port)") }
            return (String(host), defaultPort)
        }
        guard let port = UInt16(portText), port > 0 else {
            throw .invalidURL("port '\(portText)' in '\(text)' is not a number from 1 to 65535")
        }
        return (String(host), port)
    }
}
