import Dispatch
import Glibc
import Synchronization

/// A set-once flag a cancellation handler raises for one operation.
final class CancellationFlag: Sendable {
    private let raised = Atomic<Bool>(false)
    var isRaised: Bool { raised.load(ordering: .acquiring) }
    func raise() { raised.store(true, ordering: .releasing) }
}

/// A non-blocking file descriptor driven by poll(2) on two serial dispatch queues (reads, writes).
///
/// A self-pipe wakes a blocked poll on cancellation or `close()`. The descriptor is closed only when
/// no operation uses it any more, so a closed number can never be reused under a running poll.
final class DescriptorChannel: Sendable {
    /// What end-of-file and `EIO` mean on this descriptor.
    enum Kind: Sendable {
        /// TCP or a pty controller: read 0 / `EIO` = peer closed.
        case stream
        /// UDP: a zero-length read is an empty datagram, skipped.
        case datagram
        /// A tty device: read 0 / `EIO` = the device went away.
        case device(path: String)
    }

    private struct State {
        var closed = false
        var active = 0
    }

    let fd: Int32
    let kind: Kind
    private let isSocket: Bool
    private let wakeRead: Int32
    private let wakeWrite: Int32
    private let extraDescriptors: [Int32]
    private let state = Mutex(State())
    private let descriptorsReleased = Atomic<Bool>(false)
    private let readQueue = DispatchQueue(label: "meterproof.transport.read")
    private let writeQueue = DispatchQueue(label: "meterproof.transport.write")

    /// Takes ownership of `fd` (made non-blocking here) and of `alsoClose` (closed with it).
    init(fd: Int32, kind: Kind, isSocket: Bool, alsoClose: [Int32] = []) throws(TransportError) {
        var pipeFDs: [Int32] = [-1, -1]
        guard pipe(&pipeFDs) == 0 else { throw .system("pipe") }
        for d in [fd, pipeFDs[0], pipeFDs[1]] {
            let flags = fcntl(d, F_GETFL)
            guard flags >= 0, fcntl(d, F_SETFL, flags | O_NONBLOCK) == 0,
                  fcntl(d, F_SETFD, FD_CLOEXEC) == 0 else {
                let error = TransportError.system("fcntl")
                Glibc.close(pipeFDs[0]); Glibc.close(pipeFDs[1])
                throw error
            }
        }
        self.fd = fd
        self.kind = kind
        self.isSocket = isSocket
        self.wakeRead = pipeFDs[0]
        self.wakeWrite = pipeFDs[1]
        self.extraDescriptors = alsoClose
    }

    deinit { releaseDescriptors() }

    var isClosed: Bool { state.withLock { $0.closed } }

    /// Closes the descriptor now, or as soon as the operations in flight have seen `.closed`.
    func close() {
        let closeNow = state.withLock { s -> Bool in
            if s.closed { return false }
            s.closed = true
            return s.active == 0
        }
        if closeNow { releaseDescriptors() } else { wake() }
    }

    /// Closes every descriptor, once.
    private func releaseDescriptors() {
        guard !descriptorsReleased.exchange(true, ordering: .acquiringAndReleasing) else { return }
        Glibc.close(fd)
        Glibc.close(wakeRead)
        Glibc.close(wakeWrite)
        for d in extraDescriptors { Glibc.close(d) }
    }

    private func wake() {
        var byte: UInt8 = 1
        _ = write(wakeWrite, &byte, 1)  // a full pipe already wakes: EAGAIN is fine
    }

    private func drainWake() {
        var buffer = [UInt8](repeating: 0, count: 64)
        while buffer.withUnsafeMutableBytes({ read(wakeRead, $0.baseAddress, $0.count) }) > 0 {}
    }

    // MARK: Operations

    /// Runs `body` on the read or write queue, with cancellation wired to the self-pipe.
    func run<T: Sendable>(
        reading: Bool,
        _ body: @escaping @Sendable (CancellationFlag) -> Result<T, TransportError>
    ) async throws(TransportError) -> T {
        let admitted = state.withLock { s -> Bool in
            if s.closed { return false }
            s.active += 1
            return true
        }
        guard admitted else { throw .closed }
        let flag = CancellationFlag()
        let queue = reading ? readQueue : writeQueue
        let result: Result<T, TransportError> = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                queue.async { continuation.resume(returning: body(flag)) }
            }
        } onCancel: {
            flag.raise()
            self.wake()
        }
        let closeNow = state.withLock { s -> Bool in
            s.active -= 1
            return s.closed && s.active == 0
        }
        if closeNow { releaseDescriptors() }
        return try result.get()
    }

    /// Blocks (on a channel queue) until `events` (or a hang-up or error) are ready on the descriptor:
    /// the poll `revents`; the deadline passes: 0; or the operation is cancelled or the channel closed:
    /// failure. Never returns 0 before `deadline`.
    func waitReady(
        _ events: Int16, deadline: ContinuousClock.Instant?, flag: CancellationFlag
    ) -> Result<Int16, TransportError> {
        while true {
            if flag.isRaised { return .failure(.cancelled) }
            if isClosed { return .failure(.closed) }
            var timeout: Int32 = -1
            if let deadline {
                let remaining = deadline - .now
                if remaining <= .zero { return .success(0) }
                let (seconds, attoseconds) = remaining.components
                let millis = seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
                timeout = Int32(clamping: millis)
            }
            var fds = [pollfd(fd: fd, events: events, revents: 0),
                       pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
            let rc = poll(&fds, 2, timeout)
            if rc < 0 {
                if errno == EINTR { continue }
                return .failure(.system("poll"))
            }
            if fds[1].revents != 0 { drainWake(); continue }
            if fds[0].revents != 0 { return .success(fds[0].revents) }
        }
    }

    private var endOfFileError: TransportError {
        switch kind {
        case .stream, .datagram: .connectionClosed
        case .device(let path): .deviceGone(path)
        }
    }

    /// Reads what arrives before `deadline` (see `ByteStream.receive`).
    func receive(maxCount: Int, deadline: ContinuousClock.Instant) async throws(TransportError) -> [UInt8] {
        guard maxCount > 0 else { return [] }
        return try await run(reading: true) { flag in self.readLoop(maxCount: maxCount, deadline: deadline, flag: flag) }
    }

    /// The body of `receive`, also usable inside another operation on the read queue.
    func readLoop(maxCount: Int, deadline: ContinuousClock.Instant, flag: CancellationFlag) -> Result<[UInt8], TransportError> {
        var buffer = [UInt8](repeating: 0, count: maxCount)
        var hungUp = false
        while true {
            if flag.isRaised { return .failure(.cancelled) }
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, maxCount) }
            if n > 0 { return .success(Array(buffer[0..<n])) }
            let code = n == 0 ? 0 : errno
            switch (n, code, kind) {
            case (0, _, .datagram):
                continue  // an empty datagram
            case (0, _, .stream):
                return .failure(endOfFileError)
            case (0, _, .device), (_, EAGAIN, _), (_, EWOULDBLOCK, _):
                // A tty in raw mode with VMIN = VTIME = 0 reads 0 bytes when none are waiting; a hang-up
                // shows in poll as POLLHUP without data.
                if hungUp { return .failure(endOfFileError) }
                switch waitReady(Int16(POLLIN), deadline: deadline, flag: flag) {
                case .success(0): return .success([])
                case .success(let revents):
                    // A hung-up tty polls as POLLHUP (often with POLLIN) and reads 0: data still
                    // buffered comes first, then the next empty read reports the device gone.
                    hungUp = revents & Int16(POLLHUP | POLLERR) != 0
                    continue
                case .failure(let error): return .failure(error)
                }
            case (_, EINTR, _):
                continue
            case (_, EIO, _), (_, ENXIO, _), (_, ENODEV, _):
                return .failure(endOfFileError)
            case (_, ECONNRESET, _):
                return .failure(.connectionClosed)
            default:
                return .failure(.system("read", code))
            }
        }
    }

    /// Writes all of `bytes`, waiting for the descriptor to accept them.
    func send(_ bytes: [UInt8]) async throws(TransportError) {
        guard !bytes.isEmpty else { return }
        try await run(reading: false) { flag in self.writeLoop(bytes, flag: flag) }
    }

    /// The body of `send`, also usable inside another operation on the write queue.
    func writeLoop(_ bytes: [UInt8], flag: CancellationFlag) -> Result<Void, TransportError> {
        var offset = 0
        while offset < bytes.count {
            if flag.isRaised { return .failure(.cancelled) }
            let n = bytes.withUnsafeBytes { raw -> Int in
                guard let base = raw.baseAddress else { return 0 }
                let pointer = base + offset
                let count = raw.count - offset
                return isSocket ? Glibc.send(fd, pointer, count, Int32(MSG_NOSIGNAL)) : write(fd, pointer, count)
            }
            if n >= 0 { offset += n; continue }
            let code = errno
            switch code {
            case EINTR:
                continue
            case EAGAIN, EWOULDBLOCK:
                switch waitReady(Int16(POLLOUT), deadline: nil, flag: flag) {
                case .success(let revents) where revents & Int16(POLLOUT) == 0 && revents & Int16(POLLHUP | POLLERR) != 0:
                    return .failure(endOfFileError)
                case .success: continue
                case .failure(let error): return .failure(error)
                }
            case EPIPE, ECONNRESET:
                return .failure(.connectionClosed)
            case EIO, ENXIO, ENODEV:
                return .failure(endOfFileError)
            default:
                return .failure(.system(isSocket ? "send" : "write", code))
            }
        }
        return .success(())
    }
}
