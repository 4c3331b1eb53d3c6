import Foundation
import Testing
@testable import Capture

/// The shared ANSI C12.22 captures (Fixtures/c1222, attribution in SOURCE.txt): each is read to
/// the end, its IPv4/IPv6 packets decoded and its TCP streams on port 1153 reassembled without a
/// gap or conflict, ready for the C12.22 dissector. Packet counts are cross-checked with tshark.
@Suite("C1222Captures")
struct C1222CaptureTests {
    /// What one capture holds, as observed (and, for packet and byte counts, as tshark reports it).
    struct Expected: Sendable, CustomTestStringConvertible {
        var file: String
        var packets: Int
        var ipv4: Int
        var ipv6: Int
        var tcpSegments: Int
        /// Packets that are IP but neither TCP nor UDP (ICMPv6 neighbour discovery).
        var otherTransport: Int
        /// Stream bytes client → server and server → client of the one connection on 1153.
        var clientToServer: Int
        var serverToClient: Int
        /// The connection's client port (the SYN's sender, or the first segment's).
        var clientPort: UInt16
        var testDescription: String { file }
    }

    static let expected: [Expected] = [
        .init(file: "c1222_ident_service_tcp.pcap", packets: 5, ipv4: 5, ipv6: 0, tcpSegments: 5, otherTransport: 0,
              clientToServer: 50, serverToClient: 91, clientPort: 1577),
        .init(file: "c1222_logon_service_tcp.pcap", packets: 5, ipv4: 5, ipv6: 0, tcpSegments: 5, otherTransport: 0,
              clientToServer: 64, serverToClient: 52, clientPort: 1577),
        .init(file: "c1222_over_ipv6.pcap", packets: 11, ipv4: 0, ipv6: 11, tcpSegments: 9, otherTransport: 2,
              clientToServer: 104, serverToClient: 155, clientPort: 42787),
        .init(file: "c1222_reg_service_tcp.pcap", packets: 5, ipv4: 5, ipv6: 0, tcpSegments: 5, otherTransport: 0,
              clientToServer: 93, serverToClient: 66, clientPort: 1577),
        .init(file: "c1222_resolve_service_tcp.pcap", packets: 5, ipv4: 5, ipv6: 0, tcpSegments: 5, otherTransport: 0,
              clientToServer: 60, serverToClient: 63, clientPort: 1577),
        .init(file: "c1222_rw_service_tcp.pcap", packets: 5, ipv4: 5, ipv6: 0, tcpSegments: 5, otherTransport: 0,
              clientToServer: 56, serverToClient: 61, clientPort: 1577),
        .init(file: "c1222_security_service_tcp.pcap", packets: 5, ipv4: 5, ipv6: 0, tcpSegments: 5, otherTransport: 0,
              clientToServer: 70, serverToClient: 50, clientPort: 1577),
        .init(file: "c1222_service_error_tcp.pcap", packets: 5, ipv4: 5, ipv6: 0, tcpSegments: 5, otherTransport: 0,
              clientToServer: 50, serverToClient: 50, clientPort: 1577),
        // Two segments, both from port 1153, no handshake: the first segment's sender is the "client".
        .init(file: "c1222_std_example8.pcap", packets: 2, ipv4: 2, ipv6: 0, tcpSegments: 2, otherTransport: 0,
              clientToServer: 155, serverToClient: 0, clientPort: 1153),
        .init(file: "c1222_trace_service_tcp.pcap", packets: 5, ipv4: 5, ipv6: 0, tcpSegments: 5, otherTransport: 0,
              clientToServer: 60, serverToClient: 77, clientPort: 1577),
        .init(file: "c1222_wait_service_tcp.pcap", packets: 5, ipv4: 5, ipv6: 0, tcpSegments: 5, otherTransport: 0,
              clientToServer: 51, serverToClient: 50, clientPort: 1577),
        // No handshake: the first segment (from 192.168.1.101:1577 to 1153) makes its sender the client.
        .init(file: "c1222overIPv4.cap", packets: 2, ipv4: 2, ipv6: 0, tcpSegments: 2, otherTransport: 0,
              clientToServer: 73, serverToClient: 111, clientPort: 1577),
    ]

    static var folder: URL {
        Bundle.module.resourceURL?.appendingPathComponent("Fixtures/c1222")
            ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/c1222")
    }

    @Test("Every fixture is listed here, with its attribution beside it")
    func inventory() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.folder.path)
            .filter { $0.hasSuffix(".pcap") || $0.hasSuffix(".cap") }.sorted()
        #expect(names == Self.expected.map(\.file).sorted())
        let source = try String(contentsOf: Self.folder.appendingPathComponent("SOURCE.txt"), encoding: .utf8)
        #expect(source.contains("BSD-3-Clause") && source.contains("Wireshark"))
    }

    @Test("Read to the end, IP decoded, TCP on 1153 reassembled without gaps", arguments: expected)
    func capture(_ expected: Expected) throws {
        let digest = CaptureDigest.read(Self.folder.appendingPathComponent(expected.file).path)
        #expect(digest.readError == nil)
        #expect(digest.packets == expected.packets)
        #expect(digest.ipv4 == expected.ipv4 && digest.ipv6 == expected.ipv6)
        #expect(digest.linkErrors == 0 && digest.ipErrors == 0 && digest.ipDrops == 0 && digest.fragmentsPending == 0)
        #expect(digest.tcpSegments == expected.tcpSegments && digest.tcpErrors == 0 && digest.tcpChecksumErrors == 0)
        #expect(digest.otherTransport == expected.otherTransport && digest.udpDatagrams == 0)
        #expect(digest.connections.count == 1)
        let connection = try #require(digest.connections(port: 1153).first)
        #expect(connection.key.client.port == expected.clientPort)
        #expect(connection.streams[0].count == expected.clientToServer)
        #expect(connection.streams[1].count == expected.serverToClient)
        #expect(connection.gaps == 0 && connection.conflicts == 0 && connection.contiguous)
        #expect(connection.closed == .endOfCapture)
    }

    @Test("Packet counts agree with tshark's io,stat; stream bytes with its tcp.len", .enabled(if: TSharkPeer.current.shouldRun),
          arguments: expected)
    func tshark(_ expected: Expected) async throws {
        guard TSharkPeer.current.ready() else { return }
        let file = Self.folder.appendingPathComponent(expected.file).path
        let stat = try await TSharkPeer.run(["-n", "-r", file, "-q", "-z", "io,stat,0"])
        // The interval row: "| 0.000 <> 1.411 |     11 |  1243 |".
        let row = try #require(stat.split(separator: "\n").first { $0.contains("<>") })
        let columns = row.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(Int(columns[1]) == expected.packets, "\(row)")
        let rows = try await TSharkPeer.fields(file, ["tcp.srcport", "tcp.len"])
        var bytes = [0, 0]
        for row in rows {
            guard let port = row["tcp.srcport"].flatMap({ UInt16($0) }), let length = row["tcp.len"].flatMap({ Int($0) })
            else { continue }
            bytes[port == expected.clientPort ? 0 : 1] += length
        }
        #expect(bytes == [expected.clientToServer, expected.serverToClient])
        #expect(rows.filter { $0["tcp.srcport"]?.isEmpty == false }.count == expected.tcpSegments)
    }
}
