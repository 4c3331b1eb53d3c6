import DLMS

/// How a meter is reached: polled by the head end or pushing to it, in the clear or glo-ciphered.
enum MeterRole: String, CaseIterable {
    case polledClear = "polled_clear"
    case polledCiphered = "polled_ciphered"
    case pushClear = "push_clear"
    case pushCiphered = "push_ciphered"

    var isCiphered: Bool { self == .polledCiphered || self == .pushCiphered }
    var isPolled: Bool { self == .polledClear || self == .polledCiphered }

    /// Four in ten meters polled in the clear, three polled ciphered, two pushing ciphered, one
    /// pushing in the clear.
    init(index: Int) {
        switch index % 10 {
        case 0...3: self = .polledClear
        case 4...6: self = .polledCiphered
        case 7...8: self = .pushCiphered
        default: self = .pushClear
        }
    }
}

/// One meter: its address, link, system titles, keys and the invocation counters that carry on
/// from one conversation to the next.
struct Meter {
    let index: Int
    let role: MeterRole
    let endpoint: TCPEndpoint
    /// Round trip time between the head end and the meter (µs).
    let rtt: UInt64
    let mss: Int
    /// The meter's server-max-receive-pdu-size (block size of its GET responses).
    let maxPDU: UInt16
    /// Keys and titles; counters in it are not used (see the two below).
    let security: SecurityContext
    /// The invocation counter the head end uses next towards this meter (client system title).
    var clientIC: UInt32
    /// The invocation counter the meter uses next (server system title).
    var serverIC: UInt32
    /// A conversation with this meter is open (a meter has at most one at a time, so each system
    /// title's counter rises in capture order).
    var busy = false

    /// The manufacturer prefix of every meter's system title ("MPF" in the FLAG id style).
    static let serverTitlePrefix: [UInt8] = Array("MPF".utf8)
    /// The head end's system title towards one meter: each meter has its own key, and the head end
    /// keeps one invocation counter per key, so it uses one title per meter.
    static let clientTitlePrefix: [UInt8] = Array("HES".utf8)

    init(index: Int, seed: UInt64) {
        var rng = SeededRandom.derived(seed: seed, stream: 0x4D45_5445_5200_0000 | UInt64(index))
        self.index = index
        role = MeterRole(index: index)
        // 100.64.0.0/10 (carrier-grade NAT, where cellular meters usually sit), behind one router.
        endpoint = TCPEndpoint(mac: [0x02, 0x00, 0x5E, 0x10, 0x00, 0x01], ip: 0x6440_0000 + UInt32(index) + 1,
                               port: 4059, ttl: 57)
        rtt = UInt64(rng.int(30...350)) * 1000
        mss = rng.pick([1460, 1460, 1380, 1360, 536])
        maxPDU = rng.pick([512, 1024, 1024, 2048])
        let ek = rng.bytes(16), ak = rng.bytes(16)
        let serial = (0..<5).map { UInt8(truncatingIfNeeded: index >> (8 * (4 - $0))) }
        security = SecurityContext(globalUnicastKey: ek, authenticationKey: ak,
                                   clientSystemTitle: try! SystemTitle(Self.clientTitlePrefix + serial),
                                   serverSystemTitle: try! SystemTitle(Self.serverTitlePrefix + serial))
        clientIC = UInt32(rng.int(1...100_000))
        serverIC = UInt32(rng.int(1...100_000))
    }

    var serverTitle: SystemTitle { security.serverSystemTitle! }
    var clientTitle: SystemTitle { security.clientSystemTitle! }

    /// Ciphers `apdu` from `sender` with its next invocation counter (or `counter`) and advances it.
    mutating func protect(_ apdu: [UInt8], by sender: SecurityParty, form: CipheredAPDUForm = .serviceSpecific(.global),
                          counter: UInt32? = nil) -> (bytes: [UInt8], counter: UInt32) {
        let ic = counter ?? (sender == .client ? clientIC : serverIC)
        if counter == nil {
            if sender == .client { clientIC &+= 1 } else { serverIC &+= 1 }
        }
        do {
            return (try security.protect(apdu: apdu, by: sender, control: .authenticatedEncryption, form: form,
                                         invocationCounter: ic), ic)
        } catch {
            fatalError("cannot cipher a generated APDU: \(error)")
        }
    }
}

/// The head end: one address, client ports taken in turn.
enum HeadEnd {
    static let mac: [UInt8] = [0x02, 0x00, 0x5E, 0x00, 0x00, 0x01]
    static let ip: UInt32 = 0x0A00_0001  // 10.0.0.1
    static let ttl: UInt8 = 64
}
