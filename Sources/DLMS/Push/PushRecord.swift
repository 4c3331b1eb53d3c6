import CodecSupport
import Foundation

/// What a push receiver made of one received push: the message, its protection, the plain
/// notification, the invocation-counter verdict, the interval since the previous push, and the findings.
public struct PushRecord: Sendable {
    /// 1 for the first push received, then counting up.
    public var sequence: Int
    /// When the push arrived.
    public var arrival: Date
    /// The bytes as received (one wrapper PDU, HDLC frame or APDU).
    public var bytes: [UInt8]
    /// The decoded message, when the framing decoded.
    public var message: DLMSMessage?
    /// The ciphered APDU's header, when the push was ciphered.
    public var ciphered: CipheredAPDU?
    /// The system title that formed the IV (carried, or configured), when known.
    public var systemTitle: SystemTitle?
    /// The plain notification: the APDU itself, or the deciphered one.
    public var notification: XDLMSAPDU?
    /// The invocation counter's verdict against the previous pushes from the same system title.
    public var counterVerdict: InvocationCounterTracker.Verdict?
    /// Time since the previous accepted push from the same sender.
    public var interval: Duration?
    /// Who sent it, as used for intervals: the system title, else the wrapper or HDLC source address.
    public var sender: String
    /// What is wrong with it; empty when nothing is.
    public var findings: [PushFinding]

    /// Creates a record with no decoded parts.
    public init(sequence: Int, arrival: Date, bytes: [UInt8]) {
        self.sequence = sequence
        self.arrival = arrival
        self.bytes = bytes
        sender = "unknown"
        findings = []
    }

    /// The finding ids, in order.
    public var findingIDs: [String] { findings.map(\.id) }
}

extension InvocationCounterTracker.Verdict {
    /// `first`, `next`, `gap`, `replay`, `decreased`.
    public var name: String {
        switch self {
        case .first: "first"
        case .next: "next"
        case .gap: "gap"
        case .replay: "replay"
        case .decreased: "decreased"
        }
    }
}

extension PushRecord: JSONRepresentable {
    /// `push`, `arrival`, `length`, `framing`, `source`, `protection`, `notification`, `interval_s`,
    /// `findings` (the stable names `meterproof listen` prints).
    public var json: JSONValue {
        var m: [(String, JSONValue)] = [
            ("push", .int(Int64(sequence))),
            ("arrival", .string(Self.iso8601(arrival))),
            ("length", .int(Int64(bytes.count))),
            ("sender", .string(sender)),
        ]
        if let message {
            m.append(("framing", .string(message.framing.rawValue)))
            if let wrapper = message.wrapper {
                m.append(("wrapper", .object([("source_wport", .int(Int64(wrapper.sourcePort))),
                                               ("destination_wport", .int(Int64(wrapper.destinationPort)))])))
            }
            if let hdlc = message.hdlc { m.append(("hdlc", hdlc.json)) }
        }
        if let ciphered {
            var p: [(String, JSONValue)] = [
                ("tag", .string(ciphered.tag.name)),
                ("security_control", .uint(UInt64(ciphered.securityControl.rawValue))),
                ("authenticated", .bool(ciphered.securityControl.isAuthenticated)),
                ("encrypted", .bool(ciphered.securityControl.isEncrypted)),
                ("invocation_counter", .uint(UInt64(ciphered.invocationCounter))),
            ]
            if let systemTitle { p.append(("system_title", .string(systemTitle.description))) }
            if let counterVerdict { p.append(("counter", .string(counterVerdict.name))) }
            m.append(("protection", .object(p)))
        } else if message != nil {
            m.append(("protection", .string("cleartext")))
        }
        if let notification { m.append(("notification", notification.json)) }
        if let interval { m.append(("interval_s", .double(Self.seconds(interval)))) }
        m.append(("findings", .array(findings.map(\.json))))
        return .object(m)
    }

    /// A duration in seconds, to the millisecond.
    public static func seconds(_ d: Duration) -> Double {
        let c = d.components
        let total = Double(c.seconds) + Double(c.attoseconds) / 1e18
        return (total * 1000).rounded() / 1000
    }

    /// `2026-11-25T13:00:00.000Z`.
    public static func iso8601(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.string(from: date)
    }
}
