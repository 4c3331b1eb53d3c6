import Capture
import Foundation
import MeterBus
import Testing
@testable import Analysis

/// M-Bus through a transparent TCP gateway (no port of its own: the heuristic claims it).
@Suite("Analysis: M-Bus over TCP")
struct MBusAnalysisTests {
    /// A RSP_UD from address 8 (libmbus test frame ACW_Itron-BM-plus-m, MeterBusTests fixtures).
    static let reply = hex("68 3C 3C 68 08 08 72 78 03 49 11 77 04 0E 16 0A 00 00 00 0C 78 78 03 49 11 04 13 31 D4 00 00 42 6C 00 00 44 13 00 00 00 00 04 6D 0B 0B CD 13 02 27 00 00 09 FD 0E 02 09 FD 0F 06 0F 00 01 75 13 D3 16")

    /// The reply with another address and a recomputed checksum.
    static func reply(from address: UInt8) -> [UInt8] {
        var frame = reply
        frame[5] = address
        frame[frame.count - 2] = Checksum.compute(frame[4..<(frame.count - 2)])
        return frame
    }

    static func reqUD2(_ address: UInt8) -> [UInt8] { [0x10, 0x7B, address, 0x7B &+ address, 0x16] }

    @Test("checksum error and unexpected address: exact PDUs and findings")
    func checksumAndAddress() throws {
        var c = TestCapture()
        let s = c.tcp(devicePort: 10_001)
        c.send(Self.reqUD2(8), .toDevice, in: s)
        c.send(Self.reply, .fromDevice, in: s, afterMs: 120)
        c.send(Self.reqUD2(9), .toDevice, in: s)
        let stranger = c.send(Self.reply(from: 9), .fromDevice, in: s, afterMs: 130)
        c.send(Self.reqUD2(8), .toDevice, in: s)
        var corrupted = Self.reply
        corrupted[corrupted.count - 2] ^= 0xFF
        let bad = c.send(corrupted, .fromDevice, in: s, afterMs: 110)
        c.send([0x10, 0x40, 0x08, 0x48, 0x16], .toDevice, in: s)  // SND_NKE to 8
        c.send([0xE5], .fromDevice, in: s, afterMs: 20)
        c.end(s)
        var options = AnalysisOptions()
        options.mbusAddresses = [8]
        let a = Analysed(try c.write(), options: options)
        #expect(a.result.pduCount == 8)
        #expect(a.findings == ["mbus.unexpected-address@\(stranger)", "mbus.checksum-error@\(bad)"])
        #expect(a.result.conversations.first?.protocolName == "mbus")
        #expect(a.result.latency.count == 4)
        let reply = try #require(a.pdus[1]["mbus"] as? [String: Any])
        #expect((reply["frame"] as? [String: Any])?["type"] as? String == "long")
        #expect(a.report.exitStatus == 1)
    }

    @Test("a request without a reply, and a late reply over the threshold")
    func unansweredAndLate() throws {
        var c = TestCapture()
        let s = c.tcp(devicePort: 10_001)
        let lost = c.send(Self.reqUD2(8), .toDevice, in: s)
        let request = c.send(Self.reqUD2(8), .toDevice, in: s, afterMs: 2_000)
        let late = c.send(Self.reply, .fromDevice, in: s, afterMs: 1_500)
        c.end(s)
        let a = Analysed(try c.write())
        #expect(a.result.pduCount == 3)
        #expect(a.findings == ["mbus.request-without-response@\(lost)", "mbus.response-latency@\(request),\(late)"])
        var options = AnalysisOptions()
        options.latencyThreshold = 2_000_000_000
        #expect(Analysed(try c.writeAgain(), options: options).findings == ["mbus.request-without-response@\(lost)"])
    }

    @Test("on a serial line the answer window follows the recorded line speed; bad-checksum requests expect no reply")
    func serialAnswerWindow() throws {
        var c = TestCapture()
        let s = c.serial("sim:mbus")
        c.now += 1_000_000
        c.writer.append(CapturePacket(timestamp: c.time, direction: .toDevice, bytes: Self.reqUD2(8),
                                      comment: "line settings 2400 8E1 (recorded only: not a physical line)"), to: s)
        c.send(Self.reply, .fromDevice, in: s, afterMs: 150)  // within 330 bit times + 50 ms = 187.5 ms
        let request = c.send(Self.reqUD2(8), .toDevice, in: s)
        let late = c.send(Self.reply, .fromDevice, in: s, afterMs: 200)
        var corrupted = Self.reqUD2(8)
        corrupted[3] ^= 0xFF
        let bad = c.send(corrupted, .toDevice, in: s)
        c.end(s)
        let a = Analysed(try c.write())
        #expect(a.result.pduCount == 5)
        #expect(a.findings == ["mbus.response-latency@\(request),\(late)", "mbus.checksum-error@\(bad)"])
        #expect(a.result.conversations.first?.transport == .serial)
    }

    @Test("the recorded faulty-simulator sessions yield the finding that names the fault")
    func recordedSessions() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        func counts(_ name: String) -> [String: Int] {
            Analysed(root.appendingPathComponent("Captures/mbus/\(name).pcapng").path).result.findingCounts
        }
        let clean = counts("sim-clean")
        #expect(clean["mbus.response-latency"] == nil)
        #expect(counts("sim-late-reply")["mbus.response-latency"] ?? 0 > 0)
        #expect(counts("sim-bad-checksum")["mbus.checksum-error"] ?? 0 > clean["mbus.checksum-error"] ?? 0)
        #expect(counts("sim-no-reply")["mbus.request-without-response"] ?? 0 > clean["mbus.request-without-response"] ?? 0)
        #expect(counts("sim-answers-broadcast")["mbus.response-without-request"] ?? 0 > 0)
        #expect(counts("sim-wrong-l-field")["mbus.malformed-frame"] ?? 0 > 0)
        #expect(counts("tcp-clean").isEmpty)
    }

    @Test("--decode-as claims a stream the heuristics decline")
    func decodeAs() throws {
        var c = TestCapture()
        let s = c.tcp(devicePort: 10_002)
        c.send([0xFF, 0xFF, 0xFF] + Self.reqUD2(8), .toDevice, in: s)
        c.send([0xE5], .fromDevice, in: s)
        c.end(s)
        let path = try c.write()
        let plain = Analysed(path)
        #expect(plain.result.pduCount == 0)
        #expect(plain.result.conversations.first?.protocolName == nil)
        #expect(plain.result.conversations.first?.bytes == [8, 1])
        var options = AnalysisOptions()
        options.decodeAs = [try #require(DecodeAsRule(parsing: "tcp.port==10002,mbus"))]
        let mapped = Analysed(path, options: options)
        #expect(mapped.result.pduCount == 2)
        #expect(mapped.findings.isEmpty)
        #expect(mapped.result.conversations.first?.protocolName == "mbus")
    }

    @Test("--decode-as overrides a registered port")
    func decodeAsOverridesPort() throws {
        var c = TestCapture()
        let s = c.tcp(devicePort: 4059)
        c.send(Self.reqUD2(8), .toDevice, in: s)
        c.send([0xE5], .fromDevice, in: s)
        c.end(s)
        let path = try c.write()
        #expect(Analysed(path).result.conversations.first?.protocolName == "dlms")
        var options = AnalysisOptions()
        options.decodeAs = [DecodeAsRule(transport: .tcp, port: 4059, protocolName: "mbus")]
        let mapped = Analysed(path, options: options)
        #expect(mapped.result.conversations.first?.protocolName == "mbus")
        #expect(mapped.result.pduCount == 2)
    }

    @Test("decode-as rules parse like tshark's -d")
    func parseRules() {
        #expect(DecodeAsRule(parsing: "tcp.port==4060,dlms") == DecodeAsRule(transport: .tcp, port: 4060, protocolName: "dlms"))
        #expect(DecodeAsRule(parsing: "udp.port==9000,mbus") == DecodeAsRule(transport: .udp, port: 9000, protocolName: "mbus"))
        #expect(DecodeAsRule(parsing: "tcp.port=4060,dlms") == nil)
        #expect(DecodeAsRule(parsing: "tcp.port==70000,dlms") == nil)
        #expect(DecodeAsRule(parsing: "tcp.port==4060") == nil)
    }
}

extension TestCapture {
    /// Writes the same packets again (the writer keeps no copy: rebuild from the last file).
    mutating func writeAgain() throws -> String {
        guard let last = lastWritten else { return try write() }
        return try TestFiles.write(last, suffix: "pcapng")
    }
}
