import Capture
import CodecSupport
import DLMS
import Foundation
@testable import Analysis

/// Small captures built in the tests with PcapngWriter (TCP sessions start with a synthetic
/// three-way handshake, packets 1–3, and end with FIN, FIN, ACK).
struct TestCapture {
    var writer = PcapngWriter(application: "AnalysisTests")
    var now: Int64 = 1_795_000_000_000_000_000

    var time: CaptureTime { CaptureTime(nanosecondsSince1970: now) }

    mutating func tcp(harnessPort: UInt16 = 49_152, devicePort: UInt16 = 4059) -> CaptureSessionID {
        writer.beginSession(.tcp(harness: CaptureEndpoint(address: [10, 0, 0, 1], port: harnessPort),
                                 device: CaptureEndpoint(address: [10, 0, 0, 2], port: devicePort)), at: time)
    }

    mutating func serial(_ name: String = "/dev/ttyUSB0") -> CaptureSessionID {
        writer.beginSession(.serial(name: name), at: time)
    }

    /// Appends bytes `afterMs` after the previous packet; returns the packet number.
    @discardableResult
    mutating func send(_ bytes: [UInt8], _ direction: CaptureDirection, in session: CaptureSessionID, afterMs: Int64 = 2) -> Int {
        now += afterMs * 1_000_000
        return writer.append(CapturePacket(timestamp: time, direction: direction, bytes: bytes), to: session)
    }

    mutating func end(_ session: CaptureSessionID) {
        now += 1_000_000
        writer.endSession(session, at: time)
    }

    mutating func bytes() -> [UInt8] { writer.takeBytes() }

    /// Writes the capture to a fresh temporary file.
    var lastWritten: [UInt8]?

    mutating func write(dropping: Set<Int> = []) throws -> String {
        var data = lastWritten ?? bytes()
        lastWritten = data
        if !dropping.isEmpty { data = PcapngEdit.dropPackets(dropping, from: data) }
        return try TestFiles.write(data, suffix: "pcapng")
    }
}

enum TestFiles {
    static func write(_ bytes: [UInt8], suffix: String) throws -> String {
        let path = NSTemporaryDirectory() + "analysis-\(UUID().uuidString).\(suffix)"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    static func fixture(_ name: String) -> String {
        Bundle.module.url(forResource: "Fixtures/" + name, withExtension: nil)?.path ?? "missing fixture \(name)"
    }
}

/// Edits pcapng bytes block by block (little-endian sections, as PcapngWriter writes).
enum PcapngEdit {
    /// Removes the Enhanced Packet Blocks with the given 1-based packet numbers.
    static func dropPackets(_ numbers: Set<Int>, from bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var offset = 0
        var packet = 0
        while offset + 8 <= bytes.count {
            let type = u32(bytes, offset)
            let length = Int(u32(bytes, offset + 4))
            guard length >= 12, offset + length <= bytes.count else { break }
            var keep = true
            if type == 6 {
                packet += 1
                keep = !numbers.contains(packet)
            }
            if keep { out += bytes[offset..<(offset + length)] }
            offset += length
        }
        return out
    }

    static func u32(_ b: [UInt8], _ i: Int) -> UInt32 {
        UInt32(b[i]) | UInt32(b[i + 1]) << 8 | UInt32(b[i + 2]) << 16 | UInt32(b[i + 3]) << 24
    }
}

func hex(_ text: String) -> [UInt8] {
    (try? HexText.parse(text)) ?? []
}

/// DLMS APDUs from the fact sheet (dlms.md §4.9, §4.10, §5.12, §7.5) and built with the codec.
enum APDUs {
    static let clientTitle = hex("4D 50 43 4C 49 45 4E 54")  // "MPCLIENT"
    static let serverTitle = hex("4D 4D 4D 00 00 BC 61 4E")  // fact sheet §7.5
    static let ek = hex("00 01 02 03 04 05 06 07 08 09 0A 0B 0C 0D 0E 0F")
    static let ak = hex("D0 D1 D2 D3 D4 D5 D6 D7 D8 D9 DA DB DC DD DE DF")

    /// AARQ, LN no ciphering, no security (§4.9 variant).
    static let aarq = hex("60 1D A1 09 06 07 60 85 74 05 08 01 01 BE 10 04 0E 01 00 00 00 06 5F 1F 04 00 00 7E 1F 04 B0")
    /// AARE accepted (§4.10).
    static let aare = hex("61 29 A1 09 06 07 60 85 74 05 08 01 01 A2 03 02 01 00 A3 05 A1 03 02 01 00 BE 10 04 0E 08 00 06 5F 1F 04 00 00 50 1F 01 F4 00 07")
    /// AARE rejected-permanent, DLMS version too low (§4.10).
    static let aareRejected = hex("61 1F A1 09 06 07 60 85 74 05 08 01 01 A2 03 02 01 01 A3 05 A1 03 02 01 01 BE 06 04 04 0E 01 06 01")
    /// AARQ with the LN-with-ciphering context and calling-AP-title = client title.
    static let cipheredAARQ = hex("60 29 A1 09 06 07 60 85 74 05 08 01 03 A6 0A 04 08") + clientTitle
        + hex("BE 10 04 0E 01 00 00 00 06 5F 1F 04 00 00 7E 1F 04 B0")
    /// AARE accepted, LN with ciphering, responding-AP-title = server title.
    static let cipheredAARE = hex("61 35 A1 09 06 07 60 85 74 05 08 01 03 A2 03 02 01 00 A3 05 A1 03 02 01 00 A4 0A 04 08") + serverTitle
        + hex("BE 10 04 0E 08 00 06 5F 1F 04 00 00 50 1F 01 F4 00 07")

    /// get-request normal for the clock time (§7.5 plaintext), invoke-id `id`.
    static func getRequest(_ id: UInt8) -> [UInt8] { [0xC0, 0x01, 0xC0 | id] + hex("00 08 00 00 01 00 00 FF 02 00") }
    /// get-response normal with data double-long-unsigned 42.
    static func getResponse(_ id: UInt8) -> [UInt8] { [0xC4, 0x01, 0xC0 | id, 0x00] + hex("06 00 00 00 2A") }
    /// get-response normal with data-access-result read-write-denied (3).
    static func getDenied(_ id: UInt8) -> [UInt8] { [0xC4, 0x01, 0xC0 | id, 0x01, 0x03] }
    /// get-request with an invalid choice (7).
    static let malformedGet = hex("C0 07 C1 00 08 00 00 01 00 00 FF 02 00")
    /// ExceptionResponse: state-error service-not-allowed, service-error operation-not-possible.
    static let exception = hex("D8 01 01")

    static var security: SecurityContext {
        SecurityContext(globalUnicastKey: ek, authenticationKey: ak, clientSystemTitle: try? SystemTitle(clientTitle),
                        serverSystemTitle: try? SystemTitle(serverTitle))
    }

    static func protect(_ apdu: [UInt8], by party: SecurityParty, ic: UInt32) -> [UInt8] {
        (try? security.protect(apdu: apdu, by: party, invocationCounter: ic)) ?? []
    }

    /// The wrapper frame (client wport 16 ↔ server wport 1).
    static func wrapped(_ apdu: [UInt8], fromClient: Bool) -> [UInt8] {
        (try? WrapperFrame(sourcePort: fromClient ? 16 : 1, destinationPort: fromClient ? 1 : 16, apdu: apdu[...]).encoded()) ?? []
    }

    static var keys: DLMSKeyRing { DLMSKeyRing(entries: [(systemTitle: serverTitle, ek: ek, ak: ak)]) }
}

/// Runs the analyser on one file and reads back its PDU records.
struct Analysed {
    let result: FileResult
    let pdus: [[String: Any]]

    init(_ path: String, options: AnalysisOptions = AnalysisOptions()) {
        // The records go to a temporary file, never beside the capture (which may be in Captures/).
        let pduPath = FileManager.default.temporaryDirectory
            .appendingPathComponent("meterproof-analysed-\(UUID().uuidString).pdus.jsonl").path
        defer { try? FileManager.default.removeItem(atPath: pduPath) }
        result = CaptureAnalyzer(options: options).analyze(path: path, fileIndex: 1, pduPath: pduPath)
        let text = (try? String(contentsOfFile: pduPath, encoding: .utf8)) ?? ""
        pdus = text.split(separator: "\n").compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any]
        }
    }

    /// `id@frames` of every listed finding, in order.
    var findings: [String] { result.findings.map { "\($0.rule.id)@\($0.frames.map(String.init).joined(separator: ","))" } }

    var report: AnalysisReport {
        AnalysisReport(runID: "test", tool: "meterproof test", files: [result], rules: DissectorRegistry.standard.allRules)
    }
}
