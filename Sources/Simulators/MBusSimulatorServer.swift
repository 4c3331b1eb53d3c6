import MeterBus
import Transport

/// Serves the M-Bus reference slave on a real byte stream: the device side of a pseudo-terminal,
/// an accepted TCP connection, or a serial port.
public enum MBusSimulatorServer {
    /// Reads requests from `stream`, feeds them to `slave`, waits each reply's delay (counted from
    /// when the request arrived) and sends it, until the stream closes or the task is cancelled.
    ///
    /// After a baud-rate switch has been acknowledged, a stream with line control is set to the new
    /// rate (8E1); on a pty that is only recorded. Returns the slave's final state.
    @discardableResult
    public static func serve(stream: any ByteStream, slave: MBusSlave = MBusSlave()) async throws(TransportError) -> MBusSlave {
        var slave = slave
        while !Task.isCancelled {
            let chunk: [UInt8]
            do {
                chunk = try await stream.receive(maxCount: 4096, deadline: .now + .milliseconds(500))
            } catch {
                switch error {
                case .cancelled, .closed, .connectionClosed, .deviceGone: return slave
                default: throw error
                }
            }
            guard !chunk.isEmpty else { continue }
            let arrived = ContinuousClock.now
            let baudBefore = slave.baud
            for reply in slave.receive(chunk) {
                do {
                    try await Task.sleep(until: arrived + reply.delay, clock: .continuous)
                } catch {
                    return slave
                }
                do {
                    try await stream.send(reply.bytes)
                } catch {
                    switch error {
                    case .cancelled, .closed, .connectionClosed, .deviceGone: return slave
                    default: throw error
                    }
                }
            }
            if slave.baud != baudBefore, let line = stream as? any LineControl {
                var settings = line.lineSettings
                settings.baud = slave.baud.rawValue
                settings.dataBits = 8
                settings.parity = .even
                settings.stopBits = 1
                try await line.apply(settings)
            }
        }
        return slave
    }
}
