import Capture

/// A capture written through ``PcapngWriter`` together with what each `append` was asked to
/// write and which packet number it returned: the expectations the readers are checked against.
struct CaptureScenario {
    struct Written {
        var session: CaptureSessionID
        var packet: CapturePacket
        /// What `append` returned.
        var number: Int
        /// Packets it took (more than one when the bytes were split).
        var parts: Int
    }

    var writer = PcapngWriter(application: "MeterProof CaptureTests")
    var written: [Written] = []
    /// Nanoseconds since 1970 of the next packet; each packet advances it by an odd amount so that
    /// every digit of `frame.time_epoch` matters.
    var clock: Int64 = 1_700_000_000_123_456_789

    mutating func tick() -> CaptureTime {
        clock += 1_000_003_007
        return CaptureTime(nanosecondsSince1970: clock)
    }

    mutating func begin(_ link: CaptureLink) -> CaptureSessionID {
        writer.beginSession(link, at: tick())
    }

    mutating func end(_ session: CaptureSessionID) {
        writer.endSession(session, at: tick())
    }

    @discardableResult
    mutating func send(_ bytes: [UInt8], on session: CaptureSessionID, comment: String? = nil,
                       redacted: Bool = false) -> Written {
        append(CapturePacket(timestamp: tick(), direction: .toDevice, bytes: bytes, comment: comment, redacted: redacted),
               session)
    }

    @discardableResult
    mutating func receive(_ bytes: [UInt8], on session: CaptureSessionID, comment: String? = nil,
                          redacted: Bool = false) -> Written {
        append(CapturePacket(timestamp: tick(), direction: .fromDevice, bytes: bytes, comment: comment, redacted: redacted),
               session)
    }

    private mutating func append(_ packet: CapturePacket, _ session: CaptureSessionID) -> Written {
        let before = writer.packetCount
        let number = writer.append(packet, to: session)
        let entry = Written(session: session, packet: packet, number: number, parts: writer.packetCount - before)
        written.append(entry)
        return entry
    }

    /// `frame.time_epoch` as tshark prints it for nanosecond interfaces.
    static func epochText(_ time: CaptureTime) -> String {
        let (seconds, nanoseconds) = time.nanosecondsSince1970.quotientAndRemainder(dividingBy: 1_000_000_000)
        let fraction = String(nanoseconds)
        return "\(seconds)." + String(repeating: "0", count: 9 - fraction.count) + fraction
    }

    /// Deterministic filler bytes (an LCG), so payloads are not all alike.
    static func bytes(_ count: Int, seed: UInt32) -> [UInt8] {
        var state = seed
        return (0..<count).map { _ in
            state = state &* 1_664_525 &+ 1_013_904_223
            return UInt8(truncatingIfNeeded: state >> 24)
        }
    }
}

extension CaptureEndpoint {
    static func v4(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8, port: UInt16) -> CaptureEndpoint {
        CaptureEndpoint(address: [a, b, c, d], port: port)
    }

    /// 2001:db8::`last` (RFC 3849 documentation prefix).
    static func v6(_ last: UInt8, port: UInt16) -> CaptureEndpoint {
        CaptureEndpoint(address: [0x20, 0x01, 0x0d, 0xb8] + Array(repeating: 0, count: 11) + [last], port: port)
    }
}
