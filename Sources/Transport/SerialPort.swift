import Glibc
import Synchronization

/// A serial line (or the device side of a pty) through termios: raw mode, any standard baud rate,
/// 7/8 data bits, parity, 1/2 stop bits, changeable mid-session; RTS/DTR; optional local-echo discarding.
public final class SerialPort: LineControl {
    /// Options beyond the line settings.
    public struct Options: Sendable, Equatable {
        /// Discard the local echo that many M-Bus level converters and RS-485 adapters return.
        public var discardEcho: Bool
        /// How long to wait for the echo beyond the bytes' own time on the wire.
        public var echoGrace: Duration
        /// Options; by default no echo discarding, 100 ms grace.
        public init(discardEcho: Bool = false, echoGrace: Duration = .milliseconds(100)) {
            self.discardEcho = discardEcho
            self.echoGrace = echoGrace
        }
    }

    private struct State {
        var settings: LineSettings
        var notes: [TransportNote] = []
        /// Bytes read while expecting an echo that were not the echo; handed out by the next receive.
        var pending: [UInt8] = []
        var history: [(instant: ContinuousClock.Instant, settings: LineSettings)]
    }

    /// The device path.
    public let path: String
    /// Options given at open.
    public let options: Options
    /// Whether the device is a pseudo-terminal (a pty keeps no speed or parity: settings are
    /// then noted as recorded only).
    public let isPseudoTerminal: Bool
    private let channel: DescriptorChannel
    private let state: Mutex<State>

    private init(path: String, options: Options, channel: DescriptorChannel, settings: LineSettings, isPseudoTerminal: Bool) {
        self.path = path
        self.options = options
        self.channel = channel
        self.isPseudoTerminal = isPseudoTerminal
        let opening = TransportNote(.lineSettings(settings, physical: !isPseudoTerminal))
        self.state = Mutex(State(settings: settings, notes: [opening], history: [(opening.instant, settings)]))
    }

    /// Opens `path` and applies `settings`. A missing path throws `.deviceNotFound(path)`; a file
    /// that is not a terminal throws `.unsupportedSetting`.
    public static func open(
        path: String, settings: LineSettings, options: Options = Options()
    ) throws(TransportError) -> SerialPort {
        let fd = Glibc.open(path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else {
            let code = errno
            if code == ENOENT || code == ENXIO || code == ENODEV { throw .deviceNotFound(path) }
            throw .system("open \(path)", code)
        }
        guard isatty(fd) == 1 else {
            Glibc.close(fd)
            throw .unsupportedSetting("\(path) is not a terminal device")
        }
        if case .failure(let error) = Termios.configure(fd: fd, settings: settings, drain: false) {
            Glibc.close(fd)
            throw error
        }
        tcflush(fd, TCIOFLUSH)
        let pty = Self.isPseudoTerminal(fd: fd)
        let channel = try DescriptorChannel(fd: fd, kind: .device(path: path), isSocket: false)
        return SerialPort(path: path, options: options, channel: channel, settings: settings, isPseudoTerminal: pty)
    }

    /// Whether `fd` is a UNIX 98 pty slave (Linux device majors 136–143, Documentation/admin-guide/devices.txt).
    static func isPseudoTerminal(fd: Int32) -> Bool {
        var info = stat()
        guard fstat(fd, &info) == 0 else { return false }
        let device = UInt64(info.st_rdev)
        let major = ((device >> 8) & 0xFFF) | ((device >> 32) & ~UInt64(0xFFF))
        return (136...143).contains(major)
    }

    /// The settings in force now.
    public var lineSettings: LineSettings { state.withLock { $0.settings } }

    /// Every line-settings change of this port so far, with its time (the first is the opening one).
    /// Unlike `takeNotes()`, reading the history does not consume it.
    public var settingsHistory: [(instant: ContinuousClock.Instant, settings: LineSettings)] {
        state.withLock { $0.history }
    }

    public func send(_ bytes: [UInt8]) async throws(TransportError) {
        guard !bytes.isEmpty else { return }
        guard options.discardEcho else {
            try await channel.send(bytes)
            return
        }
        try await channel.send(bytes)
        let settings = lineSettings
        let onWire = settings.characterTime * bytes.count
        let deadline = ContinuousClock.now + onWire + options.echoGrace
        // Read back exactly as many bytes as were sent, or fewer if the deadline passes first.
        var echoed: [UInt8] = []
        while echoed.count < bytes.count {
            let chunk = try await channel.receive(maxCount: bytes.count - echoed.count, deadline: deadline)
            if chunk.isEmpty { break }
            echoed += chunk
        }
        if echoed != bytes {
            state.withLock {
                $0.notes.append(TransportNote(.echoMismatch(expected: bytes, received: echoed)))
                $0.pending += echoed
            }
        }
    }

    public func receive(maxCount: Int, deadline: ContinuousClock.Instant) async throws(TransportError) -> [UInt8] {
        guard maxCount > 0 else { return [] }
        let buffered = state.withLock { s -> [UInt8] in
            let take = Array(s.pending.prefix(maxCount))
            s.pending.removeFirst(take.count)
            return take
        }
        if !buffered.isEmpty { return buffered }
        return try await channel.receive(maxCount: maxCount, deadline: deadline)
    }

    public func apply(_ settings: LineSettings) async throws(TransportError) {
        let fd = channel.fd
        // On the write queue, so the change takes effect after every byte sent before it.
        try await channel.run(reading: false) { _ in Termios.configure(fd: fd, settings: settings, drain: true) }
        let note = TransportNote(.lineSettings(settings, physical: !isPseudoTerminal))
        state.withLock {
            $0.settings = settings
            $0.notes.append(note)
            $0.history.append((note.instant, settings))
        }
    }

    public func setModemLines(rts: Bool?, dtr: Bool?) async throws(TransportError) {
        let fd = channel.fd
        let path = path
        try await channel.run(reading: false) { _ -> Result<Void, TransportError> in
            var raise: Int32 = 0
            var lower: Int32 = 0
            if let rts { if rts { raise |= TIOCM_RTS } else { lower |= TIOCM_RTS } }
            if let dtr { if dtr { raise |= TIOCM_DTR } else { lower |= TIOCM_DTR } }
            for (request, bits) in [(UInt(TIOCMBIS), raise), (UInt(TIOCMBIC), lower)] where bits != 0 {
                var value = bits
                if ioctl(fd, request, &value) != 0 {
                    let code = errno
                    if code == EINVAL || code == ENOTTY || code == ENOTSUP {
                        return .failure(.unsupportedSetting("RTS/DTR control on \(path)"))
                    }
                    return .failure(.system("ioctl TIOCMBIS/TIOCMBIC", code))
                }
            }
            return .success(())
        }
        state.withLock { $0.notes.append(TransportNote(.modemLines(rts: rts, dtr: dtr))) }
    }

    public func takeNotes() async -> [TransportNote] {
        state.withLock { s in
            defer { s.notes = [] }
            return s.notes
        }
    }

    public func close() async { channel.close() }
}
