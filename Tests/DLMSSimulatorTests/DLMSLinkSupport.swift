import DLMS
import Simulators
import Synchronization

/// A logical device for link tests: answers every APDU with `reply(apdu)` (by default the APDU
/// itself) and records what the link handed it. Sendable, so a test can keep looking at it after
/// handing it to a stream or server.
final class RecordingLogicalDevice: DLMSLogicalDevice, Sendable {
    private struct Record {
        var received: [(apdu: [UInt8], client: UInt16)] = []
        var closed: [UInt16] = []
    }

    private let record = Mutex(Record())
    private let reply: @Sendable ([UInt8]) -> [[UInt8]]

    init(reply: @escaping @Sendable ([UInt8]) -> [[UInt8]] = { [$0] }) {
        self.reply = reply
    }

    var received: [(apdu: [UInt8], client: UInt16)] { record.withLock { $0.received } }
    var closed: [UInt16] { record.withLock { $0.closed } }

    func handle(apdu: [UInt8], from client: UInt16) -> [[UInt8]] {
        record.withLock { $0.received.append((apdu, client)) }
        return reply(apdu)
    }

    func linkClosed(client: UInt16) {
        record.withLock { $0.closed.append(client) }
    }
}

/// Frames and addresses of the reference server's default identity (fact sheet §1.3 examples).
enum LinkVectors {
    static let client = address { try HDLCAddress.client(16) }
    static let server = address { try HDLCAddress.server(logical: 1, physical: 17) }

    static func address(_ make: () throws -> HDLCAddress) -> HDLCAddress {
        do { return try make() } catch { fatalError("test address: \(error)") }
    }

    /// SNRM without parameters: `7E A0 08 02 23 21 93 BD 64 7E` (fact sheet §1.6 frame 1).
    static let snrm: [UInt8] = [0x7E, 0xA0, 0x08, 0x02, 0x23, 0x21, 0x93, 0xBD, 0x64, 0x7E]

    /// The I frame carrying an AARQ (fact sheet §1.6 frame 4).
    static let aarqFrame: [UInt8] = [
        0x7E, 0xA0, 0x2C, 0x02, 0x23, 0x21, 0x10, 0xAF, 0x9F, 0xE6, 0xE6, 0x00, 0x60, 0x1D, 0xA1, 0x09, 0x06, 0x07,
        0x60, 0x85, 0x74, 0x05, 0x08, 0x01, 0x01, 0xBE, 0x10, 0x04, 0x0E, 0x01, 0x00, 0x00, 0x00, 0x06, 0x5F, 0x1F,
        0x04, 0x00, 0x00, 0x1E, 0x1D, 0xFF, 0xFF, 0xC5, 0xE4, 0x7E,
    ]

    /// The AARQ inside ``aarqFrame`` (LLC removed).
    static var aarq: [UInt8] { Array(aarqFrame[12..<(aarqFrame.count - 3)]) }

    static func encode(_ frame: HDLCFrame) -> [UInt8] { (try? frame.encoded()) ?? [] }

    static func snrm(parameters: HDLCParameters?, to server: HDLCAddress = server) -> [UInt8] {
        guard let frame = try? HDLCFrame.negotiation(.setNormalResponseMode, destination: server, source: client, parameters: parameters) else { return [] }
        return encode(frame)
    }

    static func disc(to server: HDLCAddress = server) -> [UInt8] {
        HDLCFrame.unnumbered(.disconnect, destination: server, source: client).map(encode) ?? []
    }

    static func rr(_ receiveSequence: UInt8, poll: Bool = true) -> [UInt8] {
        encode(.receiveReady(destination: server, source: client, receiveSequence: receiveSequence, pollFinal: poll))
    }

    static func information(_ apdu: [UInt8], ns: UInt8, nr: UInt8, llc: HDLCLLC? = .command, poll: Bool = true,
                            segmented: Bool = false, to server: HDLCAddress = server) -> [UInt8] {
        encode(.information(destination: server, source: client, sendSequence: ns, receiveSequence: nr,
                            pollFinal: poll, segmented: segmented, information: ((llc?.bytes ?? []) + apdu)[...]))
    }

    /// A test APDU of `count` bytes (a GET-request tag, then a counting pattern).
    static func apdu(_ count: Int) -> [UInt8] {
        [0xC0] + (1..<max(1, count)).map { UInt8(truncatingIfNeeded: $0) }
    }
}
