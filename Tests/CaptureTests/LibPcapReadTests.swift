import CLibPcap
import Foundation
import Testing
@testable import Capture

/// Independent truth #2: libpcap's own pcapng reader (pcap_open_offline) reads a single-interface
/// capture we wrote, packet for packet, at nanosecond precision.
@Suite("libpcap reads our pcapng")
struct LibPcapReadTests {
    struct Packet: Equatable {
        var seconds: Int
        var nanoseconds: Int
        var data: [UInt8]
    }

    /// Every packet of `path` through libpcap, with the handle's link type.
    static func read(_ path: String) throws -> (linkType: Int32, packets: [Packet]) {
        var errorBuffer = [CChar](repeating: 0, count: Int(PCAP_ERRBUF_SIZE))
        let opened = pcap_open_offline_with_tstamp_precision(path, UInt32(PCAP_TSTAMP_PRECISION_NANO), &errorBuffer)
        let handle = try #require(opened, "pcap_open_offline: \(String(decoding: errorBuffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))")
        defer { pcap_close(handle) }
        var packets: [Packet] = []
        var header: UnsafeMutablePointer<pcap_pkthdr>?
        var data: UnsafePointer<UInt8>?
        while true {
            let status = pcap_next_ex(handle, &header, &data)
            if status == PCAP_ERROR_BREAK { break }  // end of file
            try #require(status == 1, "pcap_next_ex: \(String(cString: pcap_geterr(handle)))")
            let record = try #require(header).pointee
            let bytes = try #require(data)
            #expect(record.caplen == record.len)
            packets.append(Packet(seconds: record.ts.tv_sec, nanoseconds: record.ts.tv_usec,
                                  data: Array(UnsafeBufferPointer(start: bytes, count: Int(record.caplen)))))
        }
        return (pcap_datalink(handle), packets)
    }

    @Test("serial capture: DLT_USER0, the raw bytes, nanosecond timestamps")
    func serial() throws {
        var scenario = CaptureScenario()
        let line = scenario.begin(.serial(name: "/dev/pts/3"))
        scenario.send([0x10, 0x5B, 0xFE, 0x59, 0x16], on: line)
        scenario.receive(CaptureScenario.bytes(250, seed: 21), on: line, comment: "RSP_UD")
        scenario.send([0x68, 0x03, 0x03, 0x68, 0x53, 0xFE, 0xBD, 0x0E, 0x16], on: line, redacted: true)
        scenario.receive(CaptureScenario.bytes(PcapngWriter.maximumPayload + 10, seed: 22), on: line)
        scenario.end(line)
        let folder = try ScratchFolder()
        let file = folder.file("serial.pcapng")
        try scenario.writer.flush(toFile: file)

        let (linkType, packets) = try Self.read(file)
        #expect(linkType == DLT_USER0)
        var expected: [Packet] = []
        for entry in scenario.written {
            let (seconds, nanoseconds) = entry.packet.timestamp.nanosecondsSince1970.quotientAndRemainder(dividingBy: 1_000_000_000)
            for start in stride(from: 0, to: max(entry.packet.bytes.count, 1), by: PcapngWriter.maximumPayload) {
                let end = min(start + PcapngWriter.maximumPayload, entry.packet.bytes.count)
                expected.append(Packet(seconds: Int(seconds), nanoseconds: Int(nanoseconds),
                                       data: Array(entry.packet.bytes[start..<end])))
            }
        }
        #expect(packets.count == scenario.writer.packetCount)
        #expect(packets == expected)
    }

    @Test("TCP capture: DLT_RAW, IPv4 headers whose lengths hold, payloads at the numbers append returned")
    func tcp() throws {
        var scenario = CaptureScenario()
        let session = scenario.begin(.tcp(harness: .v4(192, 0, 2, 1, port: 49152), device: .v4(192, 0, 2, 2, port: 4059)))
        scenario.send(CaptureScenario.bytes(24, seed: 31), on: session)
        scenario.receive(CaptureScenario.bytes(90, seed: 32), on: session)
        scenario.end(session)
        let folder = try ScratchFolder()
        let file = folder.file("tcp.pcapng")
        try scenario.writer.flush(toFile: file)

        let (linkType, packets) = try Self.read(file)
        #expect(linkType == DLT_RAW)
        #expect(packets.count == 3 + 2 + 3)
        for packet in packets {
            #expect(packet.data.first == 0x45)
            #expect(Int(packet.data[2]) << 8 | Int(packet.data[3]) == packet.data.count)  // IPv4 total length
            #expect(packet.data[9] == 6)
        }
        for entry in scenario.written {
            let packet = packets[entry.number - 1]
            let tcpHeaderLength = Int(packet.data[20 + 12] >> 4) * 4
            #expect(Array(packet.data[(20 + tcpHeaderLength)...]) == entry.packet.bytes)
            let (seconds, nanoseconds) = entry.packet.timestamp.nanosecondsSince1970.quotientAndRemainder(dividingBy: 1_000_000_000)
            #expect(packet.seconds == Int(seconds) && packet.nanoseconds == Int(nanoseconds))
        }
    }
}
