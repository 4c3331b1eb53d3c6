import Capture
import CodecSupport
import DLMS
import Foundation
import Testing
@testable import Analysis

/// Inputs beyond the happy path: the shared C12.22 captures (no dissector yet: conversations on
/// 1153), HDLC on a serial line, truncated, corrupted and unsupported files, random bytes.
@Suite("Analysis: capture inputs")
struct CaptureInputTests {
    @Test("C12.22 captures are read and reported as conversations on port 1153 (IPv4 and IPv6)",
          arguments: [
              ("c1222/c1222_rw_service_tcp.pcap", 5, 5, "192.168.100.124:1577", "192.168.1.101:1153", UInt64(56), UInt64(61)),
              ("c1222/c1222_over_ipv6.pcap", 11, 9, "[fe80:0:0:0:21e:ecff:fe30:9474]:42787", "[fe80:0:0:0:203:47ff:feeb:3faf]:1153",
               UInt64(104), UInt64(155)),
              ("c1222/c1222overIPv4.cap", 2, 2, "192.168.1.101:1577", "192.168.100.124:1153", UInt64(73), UInt64(111)),
          ])
    func c1222(file: String, packets: Int, conversationPackets: Int, client: String, server: String, up: UInt64, down: UInt64) throws {
        let a = Analysed(TestFiles.fixture(file))
        #expect(a.result.problem == nil)
        #expect(a.result.format == "pcap")
        #expect(a.result.packets == packets)
        #expect(a.result.pduCount == 0)
        #expect(a.findings.isEmpty)
        let conversation = try #require(a.result.conversations.first)
        #expect(a.result.conversations.count == 1)
        #expect(conversation.transport == .tcp)
        #expect(conversation.client == client)
        #expect(conversation.server == server)
        #expect(conversation.protocolName == nil)
        #expect(conversation.portHint == "c12.22")
        #expect(conversation.packets == conversationPackets)
        #expect(conversation.bytes == [up, down])
        #expect(conversation.gapBytes == 0)
    }

    @Test("HDLC on a serial line: SNRM/UA, segmented I frames joined into one APDU, direction from epb_flags")
    func hdlcSerial() throws {
        let client = try HDLCAddress.client(0x10)
        let server = try HDLCAddress.server(logical: 1, physical: 17)
        var c = TestCapture()
        let s = c.serial()
        let snrm = try #require(HDLCFrame.unnumbered(.setNormalResponseMode, destination: server, source: client)).encoded()
        let ua = try #require(HDLCFrame.unnumbered(.unnumberedAcknowledge, destination: client, source: server)).encoded()
        c.send(snrm, .toDevice, in: s)
        c.send(ua, .fromDevice, in: s)
        let request = try HDLCSegmentation.informationFrames(apdu: APDUs.getRequest(1), llc: .command, destination: server, source: client,
                                                             maximumInformationFieldLength: 128, firstSendSequence: 0, receiveSequence: 0)
        let requestFrame = c.send(try request[0].encoded(), .toDevice, in: s)
        // A 300-byte octet-string response, in three segments of at most 128 bytes.
        let long = [0xC4, 0x01, 0xC1, 0x00, 0x09, 0x82, 0x01, 0x2C] + [UInt8](repeating: 0x5A, count: 300)
        let segments = try HDLCSegmentation.informationFrames(apdu: long, llc: .response, destination: client, source: server,
                                                              maximumInformationFieldLength: 128, firstSendSequence: 0, receiveSequence: 1)
        #expect(segments.count == 3)
        var responseFrames: [Int] = []
        for (i, segment) in segments.enumerated() {
            responseFrames.append(c.send(try segment.encoded(), .fromDevice, in: s))
            if i < segments.count - 1 {
                c.send(try HDLCFrame.receiveReady(destination: server, source: client, receiveSequence: UInt8(i + 1),
                                                  pollFinal: true).encoded(), .toDevice, in: s)
            }
        }
        let a = Analysed(try c.write())
        // SNRM, UA, the request, two RR and one joined response.
        #expect(a.result.pduCount == 6)
        #expect(a.findings.isEmpty)
        #expect(a.result.conversations.first?.transport == .serial)
        #expect(a.result.conversations.first?.protocolName == "dlms")
        let joined = try #require(a.pdus.last)
        #expect(joined["frames"] as? [Int] == responseFrames)
        #expect(joined["direction"] as? String == "server_to_client")
        let dlms = try #require(joined["dlms"] as? [String: Any])
        #expect(dlms["hdlc_segments"] as? Int == 3)
        #expect((dlms["apdu"] as? [String: Any])?["apdu"] as? String == "get-response")
        #expect(a.pdus[2]["frames"] as? [Int] == [requestFrame])
        #expect(a.result.latency.count == 1)
    }

    /// A small valid capture: a wrapper exchange.
    static func validCapture() -> [UInt8] {
        var c = TestCapture()
        let s = c.tcp()
        for id in UInt8(1)...4 {
            c.send(APDUs.wrapped(APDUs.getRequest(id), fromClient: true), .toDevice, in: s)
            c.send(APDUs.wrapped(APDUs.getResponse(id), fromClient: false), .fromDevice, in: s)
        }
        c.end(s)
        return c.bytes()
    }

    @Test("a truncated file: exit status 2, the packets before the cut are analysed")
    func truncated() throws {
        let bytes = Self.validCapture()
        let path = try TestFiles.write(Array(bytes.dropLast(10)), suffix: "pcapng")
        let a = Analysed(path)
        let problem = try #require(a.result.problem)
        #expect(problem.message.contains("truncated"))
        #expect(a.result.pduCount == 8)
        #expect(a.report.exitStatus == 2)
    }

    @Test("a corrupted block length: exit status 2 with a clear message and partial results")
    func corrupted() throws {
        var bytes = Self.validCapture()
        // The 10th packet block (the 7th data packet): set an impossible length.
        var offset = 0
        var packet = 0
        while offset + 8 <= bytes.count {
            let length = Int(PcapngEdit.u32(bytes, offset + 4))
            if PcapngEdit.u32(bytes, offset) == 6 {
                packet += 1
                if packet == 10 {
                    bytes[offset + 4] = 0x03
                    break
                }
            }
            offset += length
        }
        let a = Analysed(try TestFiles.write(bytes, suffix: "pcapng"))
        let problem = try #require(a.result.problem)
        #expect(problem.message.contains("bad block length"))
        #expect(a.result.packets == 9)
        #expect(a.result.pduCount == 6)
        #expect(a.report.exitStatus == 2)
    }

    @Test("an unsupported link type and a non-capture file give exit status 2 with a clear message")
    func unsupported() throws {
        // Classic pcap, link type 999, one 4-byte record.
        var pcap: [UInt8] = [0xD4, 0xC3, 0xB2, 0xA1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0, 0, 0xE7, 0x03, 0, 0]
        pcap += [1, 0, 0, 0, 0, 0, 0, 0, 4, 0, 0, 0, 4, 0, 0, 0, 1, 2, 3, 4]
        let a = Analysed(try TestFiles.write(pcap, suffix: "pcap"))
        #expect(a.result.packets == 1)
        #expect(a.result.problem?.message.contains("unsupported link type 999") == true)
        #expect(a.report.exitStatus == 2)
        let text = Analysed(try TestFiles.write(Array("not a capture".utf8), suffix: "txt"))
        #expect(text.result.problem?.message.contains("neither pcapng nor pcap") == true)
        #expect(text.result.format == nil)
        let missing = Analysed("/nonexistent/capture.pcapng")
        #expect(missing.result.problem?.message.contains("cannot open") == true)
    }

    @Test("timestamps at the ends of the Int64 range do not trap (latency, idle check, reports)")
    func extremeTimes() throws {
        var c = TestCapture()
        c.now = .min + 1
        let s = c.tcp()
        c.send(APDUs.wrapped(APDUs.getRequest(1), fromClient: true), .toDevice, in: s, afterMs: 0)
        c.now = .max - 10
        c.send(APDUs.wrapped(APDUs.getResponse(1), fromClient: false), .fromDevice, in: s, afterMs: 0)
        let path = try c.write()
        // With the default idle timeout the connection idles out between the two packets.
        #expect(Analysed(path).findings == ["dlms.request-without-response@4", "dlms.response-without-request@5"])
        var options = AnalysisOptions()
        options.idleTimeout = .max
        let a = Analysed(path, options: options)
        #expect(a.result.pduCount == 2)
        #expect(a.findings == ["dlms.response-latency@4,5"])
        let folder = NSTemporaryDirectory() + "analysis-extreme-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try RunFolder.write(a.report, to: folder, formats: Set(RunFolder.Format.allCases), pdus: false)
        #expect(FileManager.default.fileExists(atPath: folder + "/report.html"))
    }

    @Test("random line bytes on serial, TCP and UDP (DLMS- and M-Bus-like starts) never trap", arguments: 0..<3)
    func randomStreams(transport: Int) throws {
        var rng = SplitMix64(seed: 0xD15_5EC7 + UInt64(transport))
        let starts: [[UInt8]] = [[0x7E, 0xA0], [0x00, 0x01, 0x00, 0x10, 0x00, 0x01], [0x68], [0x10], [0xE5], []]
        for _ in 0..<60 {
            var c = TestCapture()
            let s: CaptureSessionID
            switch transport {
            case 0: s = c.serial()
            case 1: s = c.tcp(devicePort: [4059, 10_001][Int(rng.next() % 2)])
            default:
                s = c.writer.beginSession(.udp(harness: CaptureEndpoint(address: [10, 0, 0, 1], port: 40_000),
                                               device: CaptureEndpoint(address: [10, 0, 0, 2], port: 4059)), at: c.time)
            }
            for _ in 0..<Int(1 + rng.next() % 12) {
                var bytes = starts[Int(rng.next() % UInt64(starts.count))]
                bytes += (0..<Int(rng.next() % 300)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
                if bytes.isEmpty { bytes = [0] }
                c.send(bytes, rng.next() % 2 == 0 ? .toDevice : .fromDevice, in: s, afterMs: Int64(rng.next() % 3_000))
            }
            c.end(s)
            let a = Analysed(try c.write())
            #expect(a.result.problem == nil)
        }
    }

    @Test("random and mutated capture bytes never trap or hang")
    func fuzz() throws {
        let valid = Self.validCapture()
        var rng = SplitMix64(seed: 0x5EED_CAB1E)
        for round in 0..<300 {
            var bytes = valid
            switch round % 4 {
            case 0:
                for _ in 0..<(1 + Int(rng.next() % 8)) {
                    let i = Int(rng.next() % UInt64(bytes.count))
                    bytes[i] = UInt8(truncatingIfNeeded: rng.next())
                }
            case 1:
                bytes = Array(bytes.prefix(Int(rng.next() % UInt64(bytes.count))))
            case 2:
                let start = 28 + Int(rng.next() % UInt64(bytes.count - 28))
                for i in start..<min(bytes.count, start + 64) { bytes[i] = UInt8(truncatingIfNeeded: rng.next()) }
            default:
                // A pcapng header, then random bytes.
                bytes = Array(valid.prefix(28)) + (0..<Int(rng.next() % 4096)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            }
            let a = Analysed(try TestFiles.write(bytes, suffix: "pcapng"))
            #expect(a.result.packets >= 0)
        }
    }
}
