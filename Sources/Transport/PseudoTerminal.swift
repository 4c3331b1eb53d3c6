import Glibc
import Synchronization

/// A pseudo-terminal pair: this object is the controller side as a `ByteStream`; a peer (a simulator's
/// client, pyserial, `SerialPort`) opens `devicePath` (`/dev/pts/N`) as if it were a serial port.
///
/// A Linux pty carries bytes, not a line: it has no baud rate timing and cannot carry parity, so parity
/// faults must be simulated above the tty. `apply(_:)` therefore changes nothing physical; it is only
/// recorded (as a note with `physical: false`). RTS/DTR are not available.
///
/// The controller keeps its own handle on the device side open so that reads see silence (not a
/// hang-up) before a peer opens the path and between peers; a peer closing is therefore not reported.
public final class PseudoTerminal: LineControl {
    private struct State {
        var settings: LineSettings
        var notes: [TransportNote] = []
    }

    /// The device path a peer opens, e.g. `/dev/pts/3`.
    public let devicePath: String
    private let channel: DescriptorChannel
    private let state: Mutex<State>

    /// Creates a pty pair in raw mode with nominal `settings` (recorded, not enforced).
    public init(settings: LineSettings = .standardDefault) throws(TransportError) {
        // openpty(3) (in glibc's libc since 2.34) does posix_openpt, grantpt, unlockpt and opens the
        // device side; Swift's Glibc module does not export posix_openpt/grantpt/unlockpt/ptsname.
        var controller: Int32 = -1
        var holder: Int32 = -1
        guard openpty(&controller, &holder, nil, nil, nil) == 0 else { throw .system("openpty") }
        var nameBuffer = [CChar](repeating: 0, count: 128)
        guard ttyname_r(holder, &nameBuffer, nameBuffer.count) == 0 else {
            let error = TransportError.system("ttyname_r")
            Glibc.close(holder)
            Glibc.close(controller)
            throw error
        }
        _ = fcntl(holder, F_SETFD, FD_CLOEXEC)
        let path = String(decoding: nameBuffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        // Raw mode on the device side: no echo, no line editing, no CR/LF translation.
        if case .failure(let error) = Termios.configure(fd: holder, settings: settings, drain: false) {
            Glibc.close(holder)
            Glibc.close(controller)
            throw error
        }
        self.devicePath = path
        self.channel = try DescriptorChannel(fd: controller, kind: .stream, isSocket: false, alsoClose: [holder])
        self.state = Mutex(State(settings: settings, notes: [TransportNote(.lineSettings(settings, physical: false))]))
    }

    public var lineSettings: LineSettings { state.withLock { $0.settings } }

    public func send(_ bytes: [UInt8]) async throws(TransportError) {
        try await channel.send(bytes)
    }

    public func receive(maxCount: Int, deadline: ContinuousClock.Instant) async throws(TransportError) -> [UInt8] {
        try await channel.receive(maxCount: maxCount, deadline: deadline)
    }

    /// Records the change; a pty has no physical line to reconfigure.
    public func apply(_ settings: LineSettings) async throws(TransportError) {
        guard !channel.isClosed else { throw .closed }
        state.withLock {
            $0.settings = settings
            $0.notes.append(TransportNote(.lineSettings(settings, physical: false)))
        }
    }

    /// Always throws `.unsupportedSetting`: a pty has no modem lines.
    public func setModemLines(rts: Bool?, dtr: Bool?) async throws(TransportError) {
        throw .unsupportedSetting("RTS/DTR control on a pseudo-terminal (\(devicePath))")
    }

    public func takeNotes() async -> [TransportNote] {
        state.withLock { s in
            defer { s.notes = [] }
            return s.notes
        }
    }

    public func close() async { channel.close() }
}
