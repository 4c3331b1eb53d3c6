import CodecSupport
import Foundation

/// Judges received pushes one after another (no I/O): decodes each (framing detected as
/// ``DLMSMessage/detectFraming(_:)`` does: HDLC, wrapper or bare APDU), deciphers it when it is
/// ciphered and keys apply, and checks it against the ``PushExpectation``.
///
/// State across pushes: the last invocation counter per system title (``InvocationCounterTracker``)
/// and the last arrival per sender. A push whose tag fails, or whose counter is replayed, changes
/// neither. Counters are recorded only when the push deciphered (so its tag, when it has one, was
/// right) or when no key is configured at all (then the header is all there is to judge).
public struct PushInspector: Sendable {
    /// What the pushes must satisfy.
    public var expectation: PushExpectation
    /// The keys to decipher with.
    public var keys: PushKeys
    /// The invocation counters seen so far.
    public private(set) var counters = InvocationCounterTracker()
    private var lastArrival: [String: Date] = [:]
    private var received = 0

    /// An inspector with no pushes seen yet.
    public init(expectation: PushExpectation = PushExpectation(), keys: PushKeys = PushKeys()) {
        self.expectation = expectation
        self.keys = keys
    }

    /// Judges one push that arrived at `arrival`. `bytes` is one wrapper PDU, HDLC frame or APDU
    /// (an APDU reassembled from HDLC segments is handed over bare).
    public mutating func inspect(_ bytes: [UInt8], arrival: Date) -> PushRecord {
        received += 1
        var record = PushRecord(sequence: received, arrival: arrival, bytes: bytes)
        let message: DLMSMessage
        do {
            message = try DLMSMessage.decode(bytes)
        } catch {
            record.findings.append(PushFinding(.undecodable, "not a DLMS message: \(error.reason) (\(error.code.rawValue) at offset \(error.offset))",
                                               offset: error.offset))
            return record
        }
        record.message = message
        record.sender = Self.linkSender(message)
        if let error = message.apduError {
            record.findings.append(PushFinding(.undecodable, "the APDU does not decode: \(error.reason) (\(error.code.rawValue) at offset \(error.offset))",
                                               offset: error.offset))
            return record
        }
        guard let apdu = message.apdu else {
            record.findings.append(PushFinding(.undecodable, message.apduBytes.isEmpty
                ? "the frame carries no APDU" : "the frame carries a segment, not a whole APDU"))
            return record
        }
        let apduOffset = message.apduBytes.startIndex - bytes.startIndex
        var accepted = true
        switch apdu {
        case .xdlms(.ciphered(let ciphered)):
            accepted = inspectCiphered(ciphered, apduBytes: message.apduBytes, apduOffset: apduOffset, into: &record)
        case .xdlms(let plain):
            if expectation.protection != .none {
                record.findings.append(PushFinding(.cleartext, "a cleartext \(plain.name) arrived; the listener requires \(expectation.protection.rawValue) pushes",
                                                   offset: apduOffset))
            }
            record.notification = plain
        case .acse(let acse):
            record.findings.append(PushFinding(.notNotification, "an ACSE \(acse.name) arrived, not a notification",
                                               offset: apduOffset))
            return record
        }
        if let notification = record.notification {
            checkContent(notification, apduOffset: apduOffset, into: &record)
        }
        if accepted { checkInterval(into: &record) }
        return record
    }

    /// Protection, deciphering and the invocation counter; false when the push must not count as
    /// a genuine one (tag failed, counter not increasing).
    private mutating func inspectCiphered(_ ciphered: CipheredAPDU, apduBytes: ArraySlice<UInt8>, apduOffset: Int,
                                          into record: inout PushRecord) -> Bool {
        record.ciphered = ciphered
        let control = ciphered.securityControl
        switch expectation.protection {
        case .none: break
        case .ciphered where !control.isEncrypted:
            record.findings.append(PushFinding(.cleartext, "SC 0x\(hex(control.rawValue)) (\(control)): the push is authenticated but not encrypted, its content travels in clear; the listener requires ciphered pushes",
                                               offset: apduOffset + ciphered.securityControlOffset))
        case .authenticated where !control.isAuthenticated:
            record.findings.append(PushFinding(.notAuthenticated, "SC 0x\(hex(control.rawValue)) (\(control)) has no authentication bit; the listener requires authenticated pushes",
                                               offset: apduOffset + ciphered.securityControlOffset))
        default: break
        }
        var title: SystemTitle?
        if let carried = ciphered.systemTitle, !carried.isEmpty {
            title = try? SystemTitle(carried)
        } else {
            title = keys.systemTitle
        }
        record.systemTitle = title
        if let title { record.sender = title.description }
        var deciphered = false
        if let context = keys.context(for: title) {
            do {
                let plain = try context.unprotect(bytes: apduBytes, from: .server)
                do {
                    switch try DLMSMessage.decodeAPDU(plain.plaintext[...]) {
                    case .xdlms(let apdu): record.notification = apdu
                    case .acse: record.findings.append(PushFinding(.notNotification, "the deciphered APDU is an ACSE APDU, not a notification"))
                    }
                } catch {
                    record.findings.append(PushFinding(.undecodable, "the deciphered APDU does not decode: \(error.reason) (\(error.code.rawValue) at offset \(error.offset) of the plaintext)"))
                }
                deciphered = true
            } catch {
                let offset = apduOffset + error.offset
                switch error.code {
                case .authenticationFailed:
                    record.findings.append(PushFinding(.authenticationFailed, "\(error.reason)", offset: offset))
                    return false
                case .missingKey, .unsupported:
                    record.findings.append(PushFinding(.cannotDecipher, error.reason, offset: offset))
                default:
                    record.findings.append(PushFinding(.undecodable, "the ciphered APDU does not decode: \(error.reason)", offset: offset))
                    return false
                }
            }
        } else {
            record.findings.append(PushFinding(.cannotDecipher,
                                               "no keys for system title \(title?.description ?? "(none carried or configured)")"))
        }
        guard let title, deciphered || keys.isEmpty else { return true }
        let verdict = counters.observe(ciphered.invocationCounter, from: title)
        record.counterVerdict = verdict
        let counterOffset = apduOffset + ciphered.securityControlOffset + 1
        switch verdict {
        case .replay:
            record.findings.append(PushFinding(.counterReplayed, "invocation counter \(ciphered.invocationCounter) from \(title) was already used by an earlier push",
                                               offset: counterOffset))
            return false
        case .decreased(let last):
            record.findings.append(PushFinding(.counterDecreased, "invocation counter \(ciphered.invocationCounter) from \(title) is below the last one accepted, \(last)",
                                               offset: counterOffset))
            return false
        case .first, .next, .gap:
            return true
        }
    }

    private func checkContent(_ notification: XDLMSAPDU, apduOffset: Int, into record: inout PushRecord) {
        switch notification {
        case .dataNotification(let n):
            if let objects = expectation.objects {
                record.findings += PushContentCheck.findings(body: n.notificationBody, objects: objects)
            }
        case .eventNotificationRequest(let e):
            record.findings += PushContentCheck.findings(event: e)
        default:
            record.findings.append(PushFinding(.notNotification, "a \(notification.name) arrived, not a DataNotification or EventNotification",
                                               offset: record.ciphered == nil ? apduOffset : nil))
        }
    }

    private mutating func checkInterval(into record: inout PushRecord) {
        defer { lastArrival[record.sender] = record.arrival }
        guard let previous = lastArrival[record.sender] else { return }
        let elapsed = Duration.milliseconds(Int64((record.arrival.timeIntervalSince(previous) * 1000).rounded()))
        record.interval = elapsed
        guard let expected = expectation.interval else { return }
        let deviation = elapsed > expected ? elapsed - expected : expected - elapsed
        if deviation > expectation.tolerance {
            record.findings.append(PushFinding(.interval,
                "\(PushRecord.seconds(elapsed)) s since the previous push from \(record.sender); expected \(PushRecord.seconds(expected)) s ± \(PushRecord.seconds(expectation.tolerance)) s"))
        }
    }

    /// The sender by link address: `wport:N` for a wrapper, `hdlc:N` (upper source address) for HDLC.
    static func linkSender(_ message: DLMSMessage) -> String {
        if let wrapper = message.wrapper { return "wport:\(wrapper.sourcePort)" }
        if let hdlc = message.hdlc {
            let source = hdlc.frame.source
            return "hdlc:\(source.upper)" + (source.lower.map { "/\($0)" } ?? "")
        }
        return "unknown"
    }

    private func hex(_ b: UInt8) -> String { HexText.format([b], separator: "") }
}
