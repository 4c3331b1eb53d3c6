import Foundation
import Capture
import CodecSupport
import Conformance
import Transport

/// Turns a run's evidence into `capture.pcapng` and the report's frame list, with one packet
/// number for both. Transport events become comments on the next packet; secrets are overwritten
/// with a same-length filler and the packet is marked redacted.
struct EvidenceExport {
    /// The pcapng file's bytes.
    private(set) var pcapng: [UInt8] = []
    /// The report's frames (events included), in order.
    private(set) var frames: [RunReport.FrameRecord] = []
    /// Packet number of each evidence entry that carries bytes.
    private var packetNumbers: [Int: Int] = [:]
    /// Index in `frames` of each event entry.
    private var eventFrames: [Int: Int] = [:]

    init(entries: [EvidenceEntry], link: (Int) -> CaptureLink, redaction: Redaction, drivers: [any ProtocolDriver],
         protocols: [String], start: ContinuousClock.Instant) {
        let driver = drivers.first { protocols.contains($0.protocolName) }
        var writer = PcapngWriter(application: "MeterProof \(MeterProofInfo.version)")
        var sessions: [Int: CaptureSessionID] = [:]
        var pendingComments: [String] = []
        var pendingEventIndices: [Int] = []
        for entry in entries {
            let offset = Runner.milliseconds(entry.instant - start)
            if entry.kind == .event {
                pendingComments.append(redaction.scrub(entry.note ?? "event"))
                pendingEventIndices.append(frames.count)
                eventFrames[entry.id] = frames.count
                frames.append(RunReport.FrameRecord(
                    number: 0, time: entry.date, offsetMs: offset, direction: .event, hex: "",
                    caseId: entry.caseId, note: redaction.scrub(entry.note ?? "")))
                continue
            }
            let session: CaptureSessionID
            if let existing = sessions[entry.connection] {
                session = existing
            } else {
                session = writer.beginSession(link(entry.connection), at: entry.date)
                sessions[entry.connection] = session
            }
            var (bytes, redacted) = redaction.redact(entry.bytes)
            // Secrets the protocol knows the place of (an AARQ's authentication value), whether or
            // not the key store holds them: a deliberately wrong password is redacted too.
            if redaction.enabled, let driver {
                for range in driver.secretRanges(in: bytes) where range.upperBound <= bytes.count && !range.isEmpty {
                    for i in range { bytes[i] = Redaction.filler }
                    redacted = true
                }
            }
            var decoded = entry.decoded
            var decodeError = entry.decodeError
            if redacted, let driver {
                (decoded, decodeError) = driver.decodeForEvidence(bytes)
            }
            var comments = pendingComments
            if let note = entry.note { comments.append(redaction.scrub(note)) }
            if let error = decodeError { comments.append("does not decode: \(error)") }
            let number = writer.append(
                CapturePacket(time: entry.date, direction: entry.kind == .sent ? .toDevice : .fromDevice, bytes: bytes,
                              comment: comments.isEmpty ? nil : comments.joined(separator: "; "), redacted: redacted),
                to: session)
            for index in pendingEventIndices { frames[index].number = number }
            pendingComments = []
            pendingEventIndices = []
            packetNumbers[entry.id] = number
            frames.append(RunReport.FrameRecord(
                number: number, time: entry.date, offsetMs: offset, direction: entry.kind == .sent ? .toDevice : .fromDevice,
                hex: HexText.format(bytes, separator: " "), decoded: decoded, decodeError: decodeError, redacted: redacted,
                caseId: entry.caseId, note: entry.note.map(redaction.scrub)))
        }
        if let last = entries.last {
            for (_, session) in sessions.sorted(by: { $0.key < $1.key }) { writer.endSession(session, at: last.date) }
        }
        pcapng = writer.takeBytes()
    }

    /// The packet number of an evidence entry; for an event, the packet it annotates (nil when none).
    func packetNumber(forEvidence id: Int) -> Int? {
        if let number = packetNumbers[id] { return number }
        if let index = eventFrames[id], frames[index].number > 0 { return frames[index].number }
        return nil
    }

    /// How connection `n` of a transport appears in the capture. Serial lines, ptys and in-process
    /// simulators carry raw bytes; TCP and UDP get synthetic IP headers between a harness and a
    /// device address (the real ones for IP literals and localhost, else TEST-NET-1 192.0.2.x).
    static func link(for url: TransportURL) -> (Int) -> CaptureLink {
        switch url {
        case .tcp(let host, let port):
            let (harness, device) = addresses(host)
            return { n in .tcp(harness: CaptureEndpoint(address: harness, port: UInt16(truncatingIfNeeded: 49151 + n)),
                               device: CaptureEndpoint(address: device, port: port)) }
        case .udp(let host, let port):
            let (harness, device) = addresses(host)
            return { n in .udp(harness: CaptureEndpoint(address: harness, port: UInt16(truncatingIfNeeded: 49151 + n)),
                               device: CaptureEndpoint(address: device, port: port)) }
        case .simulator("dlms", _):
            // The in-process DLMS server speaks the TCP wrapper: shown as TCP to port 4059 so that
            // Wireshark's DLMS dissector decodes it.
            return { n in .tcp(harness: CaptureEndpoint(address: [127, 0, 0, 1], port: UInt16(truncatingIfNeeded: 49151 + n)),
                               device: CaptureEndpoint(address: [127, 0, 0, 1], port: 4059)) }
        default:
            let name = url.description
            return { _ in .serial(name: name) }
        }
    }

    static func addresses(_ host: String) -> (harness: [UInt8], device: [UInt8]) {
        if host == "localhost" { return ([127, 0, 0, 1], [127, 0, 0, 1]) }
        let parts = host.split(separator: ".").compactMap { UInt8($0) }
        if parts.count == 4, host.split(separator: ".").count == 4 {
            return (parts[0] == 127 ? [127, 0, 0, 1] : [192, 0, 2, 1], parts)
        }
        if host == "::1" { return (Array(repeating: 0, count: 15) + [1], Array(repeating: 0, count: 15) + [1]) }
        return ([192, 0, 2, 1], [192, 0, 2, 2])
    }
}
