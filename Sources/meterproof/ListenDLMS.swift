import ArgumentParser
import CodecSupport
import Conformance
import DLMS
import Dispatch
import Foundation
import Synchronization
import Transport

/// `meterproof listen dlms`: a DLMS/COSEM push receiver that checks every push.
struct ListenDLMS: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dlms",
        abstract: "Receive DLMS/COSEM pushes (DataNotification, EventNotification), decipher and check them.",
        discussion: """
        Listens where a meter's push setup (IC 40, send_destination_and_method) \
        sends its pushes and judges each one (Sources/DLMS/Push): framing detected \
        per connection or line (wrapper; on a serial line or TCP also HDLC UI/I \
        frames, segments joined), ciphered pushes deciphered with security suite 0 \
        (general-glo-ciphering, general-ded-ciphering, glo-/ded-event-notification), \
        then checked.

        ENDPOINTS (--listen; 127.0.0.1 unless you name another host)
          tcp://HOST:PORT     accept connections, several at once (0: any port)
          udp://HOST:PORT     one datagram = one push
          serial:///dev/ttyX?baud=9600&parity=none
                              a serial line (HDLC or wrapper)
        The bound endpoint is printed to standard error as "listening on URL".

        KEYS (K is hex, env:NAME or file:PATH; keys are never printed)
          --key K --auth-key K   EK and AK for every sender
          --broadcast-key K      the global broadcast key (SC bit 6)
          --dedicated-key K      for general-ded / ded- ciphered pushes
          --system-title T       the sender's title (8 bytes hex) for pushes
                                 that do not carry it
          --keys FILE            the key store (dlms: system title → ek/ak),
                                 looked up by the carried title

        FINDING IDS
          PUSH_UNDECODABLE        bytes or APDU do not decode (error, offset)
          PUSH_NOT_NOTIFICATION   not a DataNotification/EventNotification
          PUSH_CLEARTEXT          cleartext (or authentication only) where
                                  --require asks for more
          PUSH_NOT_AUTHENTICATED  ciphered without authentication under
                                  --require authenticated
          PUSH_AUTH_TAG           the authentication tag does not match
          PUSH_CANNOT_DECIPHER    no key for the sender, unsupported suite
                                  (severity inconclusive)
          PUSH_IC_REPLAY          invocation counter already used by the
                                  same system title
          PUSH_IC_DECREASED       invocation counter below the last one
          PUSH_INTERVAL           time since the sender's previous push
                                  outside --interval ± --tolerance
          PUSH_CONTENT_COUNT      body elements ≠ entries of --objects
          PUSH_CONTENT_TYPE       a body element's type ≠ the type the class
                                  declares for the attribute

        --objects is the push setup's push_object_list as \
        CLASS/OBIS/ATTRIBUTE[/DATA_INDEX] items, e.g. \
        40/0.0.25.9.0.255/1,8/0.0.1.0.0.255/2,3/1.0.1.8.0.255/2.

        OUTPUT (--format json: one object per push and line)
          push, arrival, length, sender, connection, framing, wrapper | hdlc,
          protection ({tag, security_control, authenticated, encrypted,
          invocation_counter, system_title, counter} or "cleartext"),
          notification (the plain APDU), interval_s,
          findings [{id, severity, reason, offset}]

        ENDING
          --count N ends after N pushes, --timeout D after D (30s, 500ms, 2m);
          SIGINT (Ctrl-C) or SIGTERM end it cleanly.

        EXIT STATUS
          0  no push had a finding
          1  at least one push had a finding
          2  the listener could not run (bad arguments or keys, endpoint
             unavailable), or --timeout passed before --count pushes arrived

        EXAMPLES
          meterproof listen dlms --listen tcp://127.0.0.1:4059 \\
              --key env:EK --auth-key env:AK --require authenticated
          meterproof listen dlms --listen udp://127.0.0.1:4059 \\
              --keys keys.yaml --interval 15m --tolerance 30s
          meterproof listen dlms --listen 'serial:///dev/ttyUSB0?baud=115200'
        """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case json, text
    }

    enum Requirement: String, ExpressibleByArgument, CaseIterable {
        case none, ciphered, authenticated
    }

    @Option(help: ArgumentHelp("Where to listen: tcp://HOST:PORT, udp://HOST:PORT or serial:///dev/…", valueName: "url"))
    var listen = "tcp://127.0.0.1:4059"

    @Option(name: .long, help: ArgumentHelp("Encryption key EK (hex, env:NAME or file:PATH).", valueName: "key"))
    var key: String?

    @Option(name: .customLong("auth-key"), help: ArgumentHelp("Authentication key AK (hex, env:NAME or file:PATH).", valueName: "key"))
    var authKey: String?

    @Option(name: .customLong("broadcast-key"), help: ArgumentHelp("Global broadcast encryption key.", valueName: "key"))
    var broadcastKey: String?

    @Option(name: .customLong("dedicated-key"), help: ArgumentHelp("Dedicated key for ded- ciphered pushes.", valueName: "key"))
    var dedicatedKey: String?

    @Option(name: .customLong("system-title"), help: ArgumentHelp("The sender's system title, 8 bytes hex.", valueName: "hex"))
    var systemTitle: String?

    @Option(name: .long, help: ArgumentHelp("Key store file.", valueName: "path"))
    var keys: String?

    @Option(help: "Protection every push must have: none, ciphered or authenticated.")
    var require: Requirement = .none

    @Option(help: ArgumentHelp("Expected time between pushes of one sender (e.g. 15s, 15m).", valueName: "duration"))
    var interval: String?

    @Option(help: ArgumentHelp("Allowed deviation from --interval (default 0).", valueName: "duration"))
    var tolerance: String?

    @Option(help: ArgumentHelp("The push object list: CLASS/OBIS/ATTRIBUTE[/DATA_INDEX],…", valueName: "list"))
    var objects: String?

    @Option(help: ArgumentHelp("End after this many pushes.", valueName: "n"))
    var count: Int?

    @Option(help: ArgumentHelp("End after this long (e.g. 30s).", valueName: "duration"))
    var timeout: String?

    @Option(help: "Output format: json (one line per push) or text.")
    var format: Format = .json

    func validate() throws {
        _ = try Self.endpoint(listen)
        if let interval { _ = try Self.duration(interval, option: "--interval") }
        if let tolerance {
            guard interval != nil else { throw ValidationError("--tolerance needs --interval") }
            _ = try Self.duration(tolerance, option: "--tolerance")
        }
        if let timeout { _ = try Self.duration(timeout, option: "--timeout") }
        if let count, count < 1 { throw ValidationError("--count must be at least 1") }
        if let objects {
            do { _ = try PushExpectation.parseObjectList(objects) } catch { throw ValidationError("--objects: \(error.reason)") }
        }
        if let systemTitle, ValueText.hexBytes(systemTitle)?.count != 8 {
            throw ValidationError("--system-title must be 8 bytes of hex")
        }
    }

    func run() throws {
        let expectation = PushExpectation(
            protection: PushExpectation.Protection(rawValue: require.rawValue) ?? .none,
            interval: try interval.map { try Self.duration($0, option: "--interval") },
            tolerance: try tolerance.map { try Self.duration($0, option: "--tolerance") } ?? .zero,
            objects: try objects.map { try PushExpectation.parseObjectList($0) })
        let sink = PushSink(inspector: PushInspector(expectation: expectation, keys: try pushKeys()),
                            format: format, limit: count)
        let endpoint = try Self.endpoint(listen)
        let timeLimit = try timeout.map { try Self.duration($0, option: "--timeout") }
        let outcome = try runBlocking { () async throws -> ListenOutcome in
            let stop = ListenStop()
            await sink.setStop(stop)
            let server = Task { () async throws in try await Self.serve(endpoint, sink: sink) }
            stop.attach(server)
            let signals = StopSignals { stop.stop(.signal) }
            defer { signals.cancel() }
            let timer = timeLimit.map { limit in
                Task {
                    try await Task.sleep(for: limit)
                    stop.stop(.timeout)
                }
            }
            defer { timer?.cancel() }
            do {
                try await server.value
            } catch let error as TransportError where error == .cancelled || error == .closed {
            } catch is CancellationError {
            }
            return ListenOutcome(reason: stop.reason, received: await sink.received, withFindings: await sink.withFindings)
        }
        printError("meterproof: listener stopped (\(outcome.reason?.rawValue ?? "endpoint closed")): \(outcome.received) push(es), \(outcome.withFindings) with findings")
        if let count, outcome.received < count, outcome.reason == .timeout {
            throw ToolFailure("--timeout passed after \(outcome.received) of \(count) push(es)")
        }
        if outcome.withFindings > 0 { throw ExitCode(1) }
    }

    /// The keys from the options and the key store.
    private func pushKeys() throws -> PushKeys {
        let secrets = SecretRegistry()
        func resolve(_ text: String?, _ option: String) throws -> [UInt8]? {
            guard let text else { return nil }
            do { return try KeyStore.key(text, secrets: secrets).reveal() } catch {
                throw ToolFailure("\(option): \(error.message)")
            }
        }
        var keys = PushKeys()
        let ek = try resolve(key, "--key"), ak = try resolve(authKey, "--auth-key")
        let bk = try resolve(broadcastKey, "--broadcast-key"), dk = try resolve(dedicatedKey, "--dedicated-key")
        if ek != nil || ak != nil || bk != nil || dk != nil {
            keys.common = PushKeys.Entry(encryptionKey: ek, authenticationKey: ak, broadcastKey: bk, dedicatedKey: dk)
        }
        if let systemTitle, let bytes = ValueText.hexBytes(systemTitle) {
            keys.systemTitle = try? SystemTitle(bytes)
        }
        if let path = self.keys {
            let store: KeyStore
            do { store = try KeyStore.load(path: path, secrets: secrets) } catch { throw ToolFailure("\(path): \(error.description)") }
            for (title, entry) in store.dlms {
                guard let bytes = ValueText.hexBytes(title), let systemTitle = try? SystemTitle(bytes) else { continue }
                keys.bySystemTitle[systemTitle] = PushKeys.Entry(encryptionKey: entry.ek?.reveal(), authenticationKey: entry.ak?.reveal(),
                                                                 broadcastKey: bk, dedicatedKey: dk)
            }
        }
        return keys
    }

    // MARK: Endpoints

    enum Endpoint: Sendable, Equatable {
        case tcp(host: String, port: UInt16)
        case udp(host: String, port: UInt16)
        case serial(path: String, settings: LineSettings)
    }

    /// `tcp://H:P` and `udp://H:P` (port 0 allowed), or a `serial:` transport URL.
    static func endpoint(_ text: String) throws -> Endpoint {
        let lower = text.lowercased()
        if lower.hasPrefix("tcp://") || lower.hasPrefix("udp://") {
            var authority = String(text.dropFirst(6))
            if authority.hasSuffix("/") { authority.removeLast() }
            guard let colon = authority.lastIndex(of: ":") else {
                throw ValidationError("--listen '\(text)' has no port (\(lower.prefix(3))://HOST:PORT; 0 for any free port)")
            }
            var host = String(authority[..<colon])
            if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
            guard !host.isEmpty else { throw ValidationError("--listen '\(text)' has no host") }
            guard let port = UInt16(authority[authority.index(after: colon)...]) else {
                throw ValidationError("--listen '\(text)': the port must be a number from 0 to 65535")
            }
            return lower.hasPrefix("tcp") ? .tcp(host: host, port: port) : .udp(host: host, port: port)
        }
        guard lower.hasPrefix("serial:") else {
            throw ValidationError("--listen takes tcp://HOST:PORT, udp://HOST:PORT or serial:///dev/…; got '\(text)'")
        }
        do {
            guard case .serial(let path, let options) = try TransportURL(parsing: text) else {
                throw ValidationError("--listen '\(text)' is not a serial URL")
            }
            return .serial(path: path, settings: options.settings)
        } catch let error as TransportError {
            throw ValidationError("--listen: \(error)")
        }
    }

    /// `500ms`, `15s`, `2m`, `1h` or a number of seconds (fractions allowed).
    static func duration(_ text: String, option: String) throws -> Duration {
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        var number = Substring(text.trimmingCharacters(in: .whitespaces))
        var scale = 1.0
        for (suffix, factor) in units where number.hasSuffix(suffix) {
            number = number.dropLast(suffix.count)
            scale = factor
            break
        }
        guard let value = Double(number), value >= 0, value.isFinite else {
            throw ValidationError("\(option) '\(text)' is not a duration (e.g. 500ms, 15s, 2m, 1h)")
        }
        return .milliseconds(Int64((value * scale * 1000).rounded()))
    }

    // MARK: Serving

    private static func announce(_ endpoint: String) {
        printError("meterproof: listening on \(endpoint)")
    }

    static func serve(_ endpoint: Endpoint, sink: PushSink) async throws {
        switch endpoint {
        case .tcp(let host, let port):
            let listener = try await TCPListener(host: host, port: port)
            defer { listener.close() }
            announce("tcp://\(host.contains(":") ? "[\(host)]" : host):\(listener.port)")
            try await withThrowingTaskGroup(of: Void.self) { group in
                var number = 0
                while !Task.isCancelled {
                    let connection = try await listener.accept()
                    number += 1
                    let origin = "tcp connection \(number)"
                    group.addTask {
                        await sink.note("a meter connected", origin: origin)
                        await Self.read(connection, origin: origin, sink: sink)
                        await connection.close()
                    }
                }
                group.cancelAll()
            }
        case .udp(let host, let port):
            let socket = try await UDPSocket.bind(host: host, port: port)
            announce("udp://\(host.contains(":") ? "[\(host)]" : host):\(socket.localPort)")
            do {
                while !Task.isCancelled {
                    let datagram = try await socket.receive(maxCount: 65_535, deadline: .now + .seconds(3600))
                    if !datagram.isEmpty { await sink.receive(datagram, arrival: Date(), origin: "udp") }
                }
            } catch {
                await socket.close()
                throw error
            }
            await socket.close()
        case .serial(let path, let settings):
            let port = try SerialPort.open(path: path, settings: settings)
            announce("serial://\(path) (\(settings.baud) Bd)")
            await Self.read(port, origin: path, sink: sink)
            await port.close()
        }
    }

    /// Reads a stream until it closes or the task is cancelled, cutting it into pushes.
    private static func read(_ stream: any ByteStream, origin: String, sink: PushSink) async {
        var splitter = PushStreamSplitter()
        func deliver(_ units: [PushStreamSplitter.Unit]) async {
            for unit in units {
                switch unit {
                case .push(let bytes): await sink.receive(bytes, arrival: Date(), origin: origin)
                case .note(let text): await sink.note(text, origin: origin)
                }
            }
        }
        while !Task.isCancelled {
            do {
                let bytes = try await stream.receive(maxCount: 4096, deadline: .now + .seconds(3600))
                await deliver(splitter.append(bytes))
            } catch {
                if error != .cancelled && error != .closed {
                    await sink.note(error == .connectionClosed ? "the meter disconnected" : "read failed: \(error)", origin: origin)
                }
                break
            }
        }
        await deliver(splitter.finish())
    }
}

/// Why the listener stopped.
enum ListenStopReason: String, Sendable {
    case count = "--count reached"
    case timeout = "--timeout passed"
    case signal = "interrupted"
}

struct ListenOutcome: Sendable {
    var reason: ListenStopReason?
    var received: Int
    var withFindings: Int
}

/// Cancels the serving task once, remembering the first reason.
final class ListenStop: Sendable {
    private let state = Mutex<(task: Task<Void, any Error>?, reason: ListenStopReason?)>((nil, nil))

    func attach(_ task: Task<Void, any Error>) {
        let cancelNow = state.withLock { s -> Bool in
            s.task = task
            return s.reason != nil
        }
        if cancelNow { task.cancel() }
    }

    func stop(_ reason: ListenStopReason) {
        let task = state.withLock { s -> Task<Void, any Error>? in
            if s.reason == nil { s.reason = reason }
            return s.task
        }
        task?.cancel()
    }

    var reason: ListenStopReason? { state.withLock { $0.reason } }
}

/// Judges pushes one at a time (they may come from several connections) and prints each record.
actor PushSink {
    private var inspector: PushInspector
    private let format: ListenDLMS.Format
    private let limit: Int?
    private var stop: ListenStop?
    private(set) var received = 0
    private(set) var withFindings = 0

    init(inspector: PushInspector, format: ListenDLMS.Format, limit: Int?) {
        self.inspector = inspector
        self.format = format
        self.limit = limit
    }

    func setStop(_ stop: ListenStop) { self.stop = stop }

    func receive(_ bytes: [UInt8], arrival: Date, origin: String) {
        if let limit, received >= limit { return }
        let record = inspector.inspect(bytes, arrival: arrival)
        received += 1
        if !record.findings.isEmpty { withFindings += 1 }
        let text: String
        switch format {
        case .json:
            guard case .object(let members) = record.json else { return }
            var out = members
            out.insert(("connection", .string(origin)), at: 4)
            text = JSONValue.object(out).serialized()
        case .text:
            text = Self.render(record, origin: origin)
        }
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
        if let limit, received >= limit { stop?.stop(.count) }
    }

    func note(_ text: String, origin: String) {
        printError("meterproof: \(origin): \(text)")
    }

    static func render(_ record: PushRecord, origin: String) -> String {
        var head = "push \(record.sequence) at \(PushRecord.iso8601(record.arrival)) on \(origin), \(record.bytes.count) bytes"
        if let framing = record.message?.framing { head += ", \(framing.rawValue)" }
        if let c = record.ciphered {
            head += ", \(c.tag.name) SC 0x\(HexText.format([c.securityControl.rawValue], separator: "")) IC \(c.invocationCounter)"
            if let verdict = record.counterVerdict { head += " (\(verdict.name))" }
            head += " from \(record.systemTitle?.description ?? "?")"
        } else if record.message != nil {
            head += ", cleartext"
        }
        if let interval = record.interval { head += ", \(PushRecord.seconds(interval)) s after the previous" }
        var lines = [head]
        if let n = record.notification { lines.append(TreeText.render(n.json, indent: 1)) }
        if record.findings.isEmpty { lines.append("  no findings") }
        for f in record.findings {
            lines.append("  \(f.severity.rawValue.uppercased()) \(f.id)\(f.offset.map { " at offset \($0)" } ?? ""): \(f.reason)")
        }
        return lines.joined(separator: "\n")
    }
}
