import Foundation
import Testing
@testable import Capture

/// The sample captures in Captures/ (scripts/make-captures): every file reads to the end; the
/// serial ones are all LINKTYPE_USER0 packets; the TCP ones decode at every layer with valid
/// checksums and their streams — DLMS on 4059, M-Bus through the gateway on 10001 — reassemble
/// without gaps, conflicts or retransmissions, and close with FIN both ways.
@Suite("SampleCaptures")
struct SampleCaptureTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Captures")

    /// Every .pcapng below Captures/, relative to it, sorted.
    static let files: [String] = {
        let enumerator = FileManager.default.enumerator(atPath: root.path)
        var found: [String] = []
        while let path = enumerator?.nextObject() as? String {
            if path.hasSuffix(".pcapng") { found.append(path) }
        }
        return found.sorted()
    }()

    /// A TCP sample: its one connection's stream bytes (client → server, server → client), as read
    /// from the committed file.
    struct TCPSample: Sendable, CustomTestStringConvertible {
        var file: String
        var port: UInt16
        var toDevice: Int
        var fromDevice: Int
        var testDescription: String { file }
    }

    static let tcpSamples: [TCPSample] = [
        .init(file: "dlms/hdlc-bad-fcs.pcapng", port: 4059, toDevice: 508, fromDevice: 695),
        .init(file: "dlms/hdlc-clean.pcapng", port: 4059, toDevice: 1054, fromDevice: 1246),
        .init(file: "dlms/hdlc-invoke-id-not-echoed.pcapng", port: 4059, toDevice: 752, fromDevice: 940),
        .init(file: "dlms/wrapper-clean.pcapng", port: 4059, toDevice: 954, fromDevice: 962),
        .init(file: "dlms/wrapper-invocation-counter-replay.pcapng", port: 4059, toDevice: 534, fromDevice: 527),
        .init(file: "dlms/wrapper-invoke-id-not-echoed.pcapng", port: 4059, toDevice: 531, fromDevice: 527),
        .init(file: "dlms/wrapper-malformed-rlre-length.pcapng", port: 4059, toDevice: 933, fromDevice: 950),
        .init(file: "dlms/wrapper-plaintext-response.pcapng", port: 4059, toDevice: 534, fromDevice: 489),
        .init(file: "dlms/wrapper-wrong-aare-diagnostic.pcapng", port: 4059, toDevice: 954, fromDevice: 962),
        .init(file: "mbus/tcp-bad-checksum.pcapng", port: 10001, toDevice: 47, fromDevice: 166),
        .init(file: "mbus/tcp-clean.pcapng", port: 10001, toDevice: 47, fromDevice: 166),
        .init(file: "mbus/tcp-no-reply.pcapng", port: 10001, toDevice: 47, fromDevice: 4),
    ]

    @Test("Every capture in Captures/ reads to the end and decodes at every layer")
    func everyFileReads() throws {
        #expect(Self.files.count >= 20, "Captures/ at \(Self.root.path)")
        for file in Self.files {
            let digest = CaptureDigest.read(Self.root.appendingPathComponent(file).path)
            #expect(digest.readError == nil, "\(file): \(String(describing: digest.readError))")
            #expect(digest.packets > 0, "\(file)")
            #expect(digest.linkErrors == 0 && digest.ipErrors == 0 && digest.ipDrops == 0, "\(file)")
            #expect(digest.tcpErrors == 0 && digest.tcpChecksumErrors == 0 && digest.udpErrors == 0, "\(file)")
            #expect(digest.otherNetwork == 0 && digest.otherTransport == 0, "\(file)")
            if file.hasPrefix("mbus/sim-") {
                #expect(digest.serial == digest.packets, "\(file): serial captures hold only USER0 packets")
            }
        }
    }

    @Test("The TCP samples are exactly the ones listed here")
    func inventory() {
        let tcp = Self.files.filter { $0.hasPrefix("dlms/") || $0.hasPrefix("mbus/tcp-") }
        #expect(tcp == Self.tcpSamples.map(\.file).sorted())
    }

    @Test("One connection to the device's port, reassembled without gaps, closed with FIN", arguments: tcpSamples)
    func streams(_ sample: TCPSample) throws {
        let digest = CaptureDigest.read(Self.root.appendingPathComponent(sample.file).path)
        #expect(digest.readError == nil)
        #expect(digest.connections.count == 1 && digest.ipv4 == digest.packets && digest.tcpSegments == digest.packets)
        let connection = try #require(digest.connections(port: sample.port).first)
        #expect(connection.key.server.port == sample.port)
        #expect(connection.gaps == 0 && connection.conflicts == 0 && connection.contiguous)
        #expect(connection.closed == .fin)
        #expect(connection.streams[0].count == sample.toDevice && connection.streams[1].count == sample.fromDevice)
        let request = connection.streams[0]
        if sample.file.hasPrefix("dlms/wrapper-") {
            #expect(request.prefix(2) == [0x00, 0x01], "wrapper version 1 (IEC 62056-47)")
        } else if sample.file.hasPrefix("dlms/hdlc-") {
            #expect(request.first == 0x7E, "HDLC opening flag (IEC 62056-46)")
        } else {
            #expect(request.first == 0x10 || request.first == 0x68, "an M-Bus frame (EN 13757-2 short or long) opens the session")
        }
    }
}
