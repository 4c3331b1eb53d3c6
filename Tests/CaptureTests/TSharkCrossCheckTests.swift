import Foundation
import Testing
@testable import Capture

/// Independent truth: tshark 4.0 reads every capture we write and must see exactly the packets,
/// numbers, bytes, comments, directions and nanosecond timestamps we meant, with valid checksums
/// and no TCP analysis complaint.
@Suite("tshark reads our pcapng", .enabled(if: TSharkPeer.current.shouldRun, TSharkPeer.current.skipComment))
struct TSharkCrossCheckTests {
    static let checksums = ["tcp.check_checksum:TRUE", "ip.check_checksum:TRUE", "udp.check_checksum:TRUE"]
    /// Maps LINKTYPE_USER0 to the data dissector, as Captures/README.md tells users to do.
    static let userDLT = #"uat:user_dlts:"User 0 (DLT=147)","data","0","","0","""#

    @Test("serial bytes on LINKTYPE_USER0: bytes, direction, comments, redaction, ns timestamps, interface")
    func serial() async throws {
        guard TSharkPeer.current.ready() else { return }
        var scenario = CaptureScenario()
        let line = scenario.begin(.serial(name: "serial:///dev/ttyUSB0?baud=2400&parity=even"))
        scenario.send([0x10, 0x40, 0xFE, 0x3E, 0x16], on: line, comment: "SND_NKE to 254")
        scenario.receive([0xE5], on: line)
        scenario.send([0x68, 0x05, 0x05, 0x68, 0x53, 0xFE, 0x51, 0x0F, 0x00, 0xA1, 0x16], on: line,
                      comment: "key in frame", redacted: true)
        scenario.receive(CaptureScenario.bytes(300, seed: 7), on: line)
        scenario.end(line)
        let folder = try ScratchFolder()
        let file = folder.file("serial.pcapng")
        try scenario.writer.flush(toFile: file)

        let rows = try await TSharkPeer.fields(file, ["frame.number", "frame.comment", "frame.time_epoch", "data.data",
                                                      "frame.packet_flags_direction", "frame.interface_name", "frame.encap_type",
                                                      "_ws.expert.message"],
                                               options: [Self.userDLT])
        #expect(rows.count == scenario.writer.packetCount)
        #expect(rows.count == 4)
        for entry in scenario.written {
            let row = try #require(rows.first { $0["frame.number"] == String(entry.number) }, "frame \(entry.number)")
            #expect(row["data.data"] == hex(entry.packet.bytes))
            #expect(row["frame.time_epoch"] == CaptureScenario.epochText(entry.packet.timestamp))
            #expect(row["frame.packet_flags_direction"] == (entry.packet.direction == .fromDevice ? "0x00000001" : "0x00000002"))
            #expect(row["frame.interface_name"] == "serial:///dev/ttyUSB0?baud=2400&parity=even")
            let comments = row["frame.comment"].map { $0.split(separator: "|").map(String.init) } ?? []
            if let comment = entry.packet.comment { #expect(comments.contains(comment)) }
            #expect(comments.contains(PcapngWriter.redactedComment) == entry.packet.redacted)
            // Mapped through DLT_USER, nothing is left undecoded.
            #expect(!(row["_ws.expert.message"] ?? "").contains("not handled"))
        }
        #expect(Set(rows.compactMap { $0["frame.encap_type"] }).count == 1)
    }

    @Test("TCP: two sessions, both directions, comment, redaction, a split write — numbers, seq/ack, checksums, no analysis flags")
    func tcpTwoSessions() async throws {
        guard TSharkPeer.current.ready() else { return }
        var scenario = CaptureScenario()
        let device = CaptureEndpoint.v4(192, 0, 2, 2, port: 4059)
        let first = scenario.begin(.tcp(harness: .v4(192, 0, 2, 1, port: 49152), device: device))
        scenario.send([0x00, 0x01, 0x00, 0x10, 0x00, 0x01, 0x00, 0x05, 0x60, 0x03, 0x80, 0x01, 0x00], on: first,
                      comment: "AARQ")
        scenario.receive(CaptureScenario.bytes(40, seed: 1), on: first)
        scenario.send(CaptureScenario.bytes(17, seed: 2), on: first, redacted: true)
        scenario.send(CaptureScenario.bytes(5, seed: 3), on: first)  // two writes in a row, no answer between
        scenario.receive(CaptureScenario.bytes(150_000, seed: 4), on: first, comment: "large block")
        scenario.send(CaptureScenario.bytes(65_496, seed: 5), on: first)  // one byte over a segment
        scenario.end(first)
        let second = scenario.begin(.tcp(harness: .v4(192, 0, 2, 1, port: 49153), device: device))
        scenario.send(CaptureScenario.bytes(9, seed: 6), on: second)
        scenario.receive(CaptureScenario.bytes(11, seed: 7), on: second, comment: "after reconnect")
        scenario.end(second)

        let folder = try ScratchFolder()
        let file = folder.file("tcp.pcapng")
        try scenario.writer.flush(toFile: file)
        try await checkTCP(scenario, file: file, expectedPackets: 3 + 9 + 3 + 3 + 2 + 3)
        // Both sessions share one interface.
        let interfaces = try await TSharkPeer.fields(file, ["frame.interface_name"])
        #expect(Set(interfaces.compactMap { $0["frame.interface_name"] }) == ["tcp://192.0.2.2:4059"])
    }

    @Test("TCP over IPv6: checksums and sequence numbers")
    func tcpIPv6() async throws {
        guard TSharkPeer.current.ready() else { return }
        var scenario = CaptureScenario()
        let session = scenario.begin(.tcp(harness: .v6(1, port: 50000), device: .v6(2, port: 4059)))
        scenario.send(CaptureScenario.bytes(33, seed: 8), on: session, comment: "v6 request")
        scenario.receive(CaptureScenario.bytes(70_000, seed: 9), on: session)
        scenario.send(CaptureScenario.bytes(1, seed: 10), on: session, redacted: true)
        scenario.end(session)
        let folder = try ScratchFolder()
        let file = folder.file("tcp6.pcapng")
        try scenario.writer.flush(toFile: file)
        try await checkTCP(scenario, file: file, expectedPackets: 3 + 4 + 3)
    }

    @Test("UDP over IPv4 and IPv6: payloads, checksums, comments, one interface per device endpoint")
    func udp() async throws {
        guard TSharkPeer.current.ready() else { return }
        var scenario = CaptureScenario()
        let v4 = scenario.begin(.udp(harness: .v4(127, 0, 0, 1, port: 49152), device: .v4(127, 0, 0, 1, port: 4059)))
        let v6 = scenario.begin(.udp(harness: .v6(1, port: 49153), device: .v6(2, port: 4059)))
        scenario.send(CaptureScenario.bytes(12, seed: 11), on: v4, comment: "datagram")
        scenario.receive(CaptureScenario.bytes(200, seed: 12), on: v4)
        scenario.send(CaptureScenario.bytes(7, seed: 13), on: v6, redacted: true)
        scenario.receive(CaptureScenario.bytes(1, seed: 14), on: v6)
        // A datagram whose checksum computes to 0x0000 must carry 0xFFFF (RFC 768): two payload
        // bytes equal to the checksum over a zero payload bring the sum to exactly that.
        let addresses = SyntheticIP.Addresses(source: .v4(127, 0, 0, 1, port: 49152), destination: .v4(127, 0, 0, 1, port: 4059))
        let zeroPayload = SyntheticIP.udp(addresses, payload: [0, 0], ipID: 0)
        let balancing = Array(zeroPayload[26...27])
        let zeroSum = scenario.send(balancing, on: v4)
        scenario.end(v4)
        scenario.end(v6)
        let folder = try ScratchFolder()
        let file = folder.file("udp.pcapng")
        try scenario.writer.flush(toFile: file)

        let rows = try await TSharkPeer.fields(file, ["frame.number", "frame.comment", "frame.time_epoch", "udp.payload",
                                                      "udp.checksum", "udp.checksum.status", "ip.checksum.status", "ip.version",
                                                      "frame.interface_name"],
                                               options: Self.checksums)
        #expect(rows.count == 5)
        #expect(rows.first { $0["frame.number"] == String(zeroSum.number) }?["udp.checksum"] == "0xffff")
        #expect(rows.count == scenario.writer.packetCount)
        for entry in scenario.written {
            let row = try #require(rows.first { $0["frame.number"] == String(entry.number) }, "frame \(entry.number)")
            #expect(row["udp.payload"] == hex(entry.packet.bytes))
            #expect(row["udp.checksum.status"] == "1", "frame \(entry.number)")
            #expect(row["frame.time_epoch"] == CaptureScenario.epochText(entry.packet.timestamp))
            let comments = row["frame.comment"].map { $0.split(separator: "|").map(String.init) } ?? []
            if let comment = entry.packet.comment { #expect(comments.contains(comment)) }
            #expect(comments.contains(PcapngWriter.redactedComment) == entry.packet.redacted)
            if entry.session == v4 {
                #expect(row["ip.checksum.status"] == "1")
                #expect(row["frame.interface_name"] == "udp://127.0.0.1:4059")
            } else {
                #expect(row["ip.version"] == "6")
                #expect(row["frame.interface_name"] == "udp://[2001:db8:0:0:0:0:0:2]:4059")
            }
        }
    }

    @Test("a file flushed after every packet is readable at every step (what a crash leaves)")
    func streamingPrefixIsReadable() async throws {
        guard TSharkPeer.current.ready() else { return }
        var scenario = CaptureScenario()
        let folder = try ScratchFolder()
        let file = folder.file("growing.pcapng")
        let session = scenario.begin(.tcp(harness: .v4(192, 0, 2, 1, port: 49152), device: .v4(192, 0, 2, 2, port: 4059)))
        try scenario.writer.flush(toFile: file)
        #expect(try await TSharkPeer.fields(file, ["frame.number"]).count == 3)
        for round in 0..<3 {
            scenario.send(CaptureScenario.bytes(10 + round, seed: UInt32(round)), on: session)
            try scenario.writer.flush(toFile: file)
            scenario.receive(CaptureScenario.bytes(20 + round, seed: UInt32(100 + round)), on: session)
            try scenario.writer.flush(toFile: file)
            #expect(try await TSharkPeer.fields(file, ["frame.number"]).count == scenario.writer.packetCount)
        }
        scenario.end(session)
        try scenario.writer.flush(toFile: file)
        try await checkTCP(scenario, file: file, expectedPackets: 3 + 6 + 3)
    }

    /// Every data packet at the number `append` returned with its bytes, relative seq/ack computed
    /// from the byte counts so far, good checksums, no analysis flags anywhere.
    private func checkTCP(_ scenario: CaptureScenario, file: String, expectedPackets: Int) async throws {
        let rows = try await TSharkPeer.fields(
            file,
            ["frame.number", "frame.comment", "frame.time_epoch", "frame.packet_flags_direction", "tcp.seq", "tcp.ack",
             "tcp.flags.str", "tcp.analysis.flags", "ip.checksum.status", "tcp.checksum.status", "tcp.payload",
             "ip.version", "ip.id"],
            options: Self.checksums)
        #expect(rows.count == expectedPackets)
        #expect(rows.count == scenario.writer.packetCount)
        for row in rows {
            let number = row["frame.number"] ?? "?"
            #expect(row["tcp.analysis.flags", default: ""].isEmpty, "frame \(number): \(row["tcp.analysis.flags"] ?? "")")
            #expect(row["tcp.checksum.status"] == "1", "frame \(number) TCP checksum")
            if row["ip.version"] == "4" { #expect(row["ip.checksum.status"] == "1", "frame \(number) IP checksum") }
        }
        var rowsByNumber: [Int: [String: String]] = [:]
        for row in rows { if let number = row["frame.number"].flatMap(Int.init) { rowsByNumber[number] = row } }
        var sent: [CaptureSessionID: Int] = [:]
        var received: [CaptureSessionID: Int] = [:]
        for entry in scenario.written {
            var payload = ""
            for part in 0..<entry.parts {
                let row = try #require(rowsByNumber[entry.number + part], "frame \(entry.number + part)")
                let outbound = entry.packet.direction == .toDevice
                let mine = outbound ? sent[entry.session, default: 0] : received[entry.session, default: 0]
                let theirs = outbound ? received[entry.session, default: 0] : sent[entry.session, default: 0]
                let offset = part * PcapngWriter.maximumPayload
                #expect(row["tcp.seq"] == String(1 + mine + offset), "frame \(entry.number + part) seq")
                #expect(row["tcp.ack"] == String(1 + theirs), "frame \(entry.number + part) ack")
                #expect(row["tcp.flags.str"]?.contains("P") == true && row["tcp.flags.str"]?.contains("A") == true)
                #expect(row["frame.time_epoch"] == CaptureScenario.epochText(entry.packet.timestamp))
                #expect(row["frame.packet_flags_direction"] == (outbound ? "0x00000002" : "0x00000001"))
                let comments = row["frame.comment"].map { $0.split(separator: "|").map(String.init) } ?? []
                #expect(comments.contains(PcapngWriter.redactedComment) == entry.packet.redacted)
                if part == 0, let comment = entry.packet.comment { #expect(comments.contains(comment)) }
                payload += row["tcp.payload"] ?? ""
            }
            #expect(payload == hex(entry.packet.bytes), "payload of frame \(entry.number)")
            #expect(entry.parts == max(1, (entry.packet.bytes.count + PcapngWriter.maximumPayload - 1) / PcapngWriter.maximumPayload))
            if entry.packet.direction == .toDevice {
                sent[entry.session, default: 0] += entry.packet.bytes.count
            } else {
                received[entry.session, default: 0] += entry.packet.bytes.count
            }
        }
        // The handshake and close of each session are there, with the FINs acknowledged.
        let flags = rows.compactMap { $0["tcp.flags.str"] }
        #expect(flags.filter { $0.contains("S") && !$0.contains("A") }.count == Set(scenario.written.map(\.session)).count)
        #expect(flags.filter { $0.contains("F") }.count == 2 * Set(scenario.written.map(\.session)).count)
    }
}
