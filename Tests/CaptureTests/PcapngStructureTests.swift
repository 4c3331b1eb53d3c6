import Foundation
import Testing
@testable import Capture

/// The pcapng layout itself (draft-ietf-opsawg-pcapng §3–§4), walked block by block without any
/// outside reader, plus the writer's promises: determinism, streaming, numbering.
@Suite("pcapng structure")
struct PcapngStructureTests {
    struct Block {
        var type: UInt32
        var body: ArraySlice<UInt8>
    }

    /// Splits a little-endian section into blocks, checking both length fields and 32-bit alignment.
    static func blocks(_ bytes: [UInt8]) throws -> [Block] {
        var blocks: [Block] = []
        var offset = 0
        while offset < bytes.count {
            try #require(bytes.count - offset >= 12, "truncated block at \(offset)")
            let type = u32(bytes, offset)
            let total = Int(u32(bytes, offset + 4))
            try #require(total % 4 == 0 && total >= 12 && offset + total <= bytes.count, "block length \(total) at \(offset)")
            #expect(Int(u32(bytes, offset + total - 4)) == total, "trailing length at \(offset)")
            blocks.append(Block(type: type, body: bytes[(offset + 8)..<(offset + total - 4)]))
            offset += total
        }
        return blocks
    }

    /// Options as (code, value) until opt_endofopt; checks the padding.
    static func options(_ body: ArraySlice<UInt8>) throws -> [(UInt16, [UInt8])] {
        var result: [(UInt16, [UInt8])] = []
        var offset = body.startIndex
        while offset + 4 <= body.endIndex {
            let code = UInt16(body[offset]) | UInt16(body[offset + 1]) << 8
            let length = Int(UInt16(body[offset + 2]) | UInt16(body[offset + 3]) << 8)
            if code == 0 { break }
            let padded = (length + 3) / 4 * 4
            try #require(offset + 4 + padded <= body.endIndex, "option \(code) overruns its block")
            #expect(body[(offset + 4 + length)..<(offset + 4 + padded)].allSatisfy { $0 == 0 }, "padding of option \(code)")
            result.append((code, Array(body[(offset + 4)..<(offset + 4 + length)])))
            offset += 4 + padded
        }
        return result
    }

    static func u32(_ bytes: some RandomAccessCollection<UInt8>, _ offset: Int) -> UInt32 {
        let start = bytes.index(bytes.startIndex, offsetBy: offset)
        return (0..<4).reduce(UInt32(0)) { value, index in
            value | UInt32(bytes[bytes.index(start, offsetBy: index)]) << (8 * UInt32(index))
        }
    }

    static func sample() -> [UInt8] {
        var scenario = CaptureScenario()
        let line = scenario.begin(.serial(name: "/dev/ttyUSB0"))
        scenario.send([0x10, 0x40, 0xFE, 0x3E, 0x16], on: line, comment: "odd-length comment")
        scenario.receive([0xE5], on: line, redacted: true)
        let tcp = scenario.begin(.tcp(harness: .v4(192, 0, 2, 1, port: 49152), device: .v4(192, 0, 2, 2, port: 4059)))
        scenario.send([1, 2, 3], on: tcp)
        scenario.end(tcp)
        return scenario.writer.takeBytes()
    }

    @Test("section header: magic, version 1.0, unspecified length, shb_userappl")
    func sectionHeader() throws {
        let blocks = try Self.blocks(Self.sample())
        let shb = try #require(blocks.first)
        #expect(shb.type == 0x0A0D0D0A)
        #expect(Self.u32(shb.body, 0) == 0x1A2B3C4D)
        #expect(Array(shb.body.prefix(4)) == [0x4D, 0x3C, 0x2B, 0x1A])
        #expect(Array(shb.body.dropFirst(4).prefix(4)) == [1, 0, 0, 0])
        #expect(shb.body.dropFirst(8).prefix(8).allSatisfy { $0 == 0xFF })
        let options = try Self.options(shb.body.dropFirst(16))
        #expect(options.first { $0.0 == 4 }.map { String(decoding: $0.1, as: UTF8.self) } == "MeterProof CaptureTests")
    }

    @Test("one interface per distinct link, each with if_name, if_description and if_tsresol 9")
    func interfaces() throws {
        let blocks = try Self.blocks(Self.sample())
        let idbs = blocks.filter { $0.type == 1 }
        #expect(idbs.count == 2)
        let linkTypes = idbs.map { UInt16($0.body[$0.body.startIndex]) | UInt16($0.body[$0.body.startIndex + 1]) << 8 }
        #expect(linkTypes == [147, 101])
        for idb in idbs {
            let options = try Self.options(idb.body.dropFirst(8))
            #expect(options.contains { $0.0 == 9 && $0.1 == [9] })
            #expect(options.contains { $0.0 == 2 && !$0.1.isEmpty })
            #expect(options.contains { $0.0 == 3 && !$0.1.isEmpty })
        }
        let names = try idbs.map { try Self.options($0.body.dropFirst(8)).first { $0.0 == 2 }.map { String(decoding: $0.1, as: UTF8.self) } }
        #expect(names == ["/dev/ttyUSB0", "tcp://192.0.2.2:4059"])
    }

    @Test("enhanced packets: lengths, padding, epb_flags direction, comments")
    func enhancedPackets() throws {
        let epbs = try Self.blocks(Self.sample()).filter { $0.type == 6 }
        #expect(epbs.count == 2 + 3 + 1 + 3)
        let first = try #require(epbs.first)
        #expect(Self.u32(first.body, 0) == 0)  // interface 0
        #expect(Self.u32(first.body, 12) == 5 && Self.u32(first.body, 16) == 5)
        #expect(Array(first.body.dropFirst(20).prefix(8)) == [0x10, 0x40, 0xFE, 0x3E, 0x16, 0, 0, 0])
        let firstOptions = try Self.options(first.body.dropFirst(28))
        #expect(firstOptions.contains { $0.0 == 1 && $0.1 == Array("odd-length comment".utf8) })
        #expect(firstOptions.contains { $0.0 == 2 && $0.1 == [2, 0, 0, 0] })  // outbound
        let second = epbs[1]
        let secondOptions = try Self.options(second.body.dropFirst(24))
        #expect(secondOptions.contains { $0.0 == 2 && $0.1 == [1, 0, 0, 0] })  // inbound
        #expect(secondOptions.contains { $0.0 == 1 && $0.1 == Array(PcapngWriter.redactedComment.utf8) })
        // Timestamp: high and low 32 bits of nanoseconds since 1970.
        let ticks = UInt64(Self.u32(first.body, 4)) << 32 | UInt64(Self.u32(first.body, 8))
        #expect(ticks == UInt64(1_700_000_000_123_456_789 + 2 * 1_000_003_007))
    }

    @Test("same input, same bytes; streaming hand-outs concatenate to the one-shot file")
    func deterministicAndStreaming() throws {
        #expect(Self.sample() == Self.sample())
        var streamed: [UInt8] = []
        var scenario = CaptureScenario()
        streamed += scenario.writer.takeBytes()
        let line = scenario.begin(.serial(name: "/dev/ttyUSB0"))
        streamed += scenario.writer.takeBytes()
        scenario.send([0x10, 0x40, 0xFE, 0x3E, 0x16], on: line, comment: "odd-length comment")
        streamed += scenario.writer.takeBytes()
        #expect(scenario.writer.takeBytes().isEmpty)
        scenario.receive([0xE5], on: line, redacted: true)
        let tcp = scenario.begin(.tcp(harness: .v4(192, 0, 2, 1, port: 49152), device: .v4(192, 0, 2, 2, port: 4059)))
        scenario.send([1, 2, 3], on: tcp)
        streamed += scenario.writer.takeBytes()
        scenario.end(tcp)
        streamed += scenario.writer.takeBytes()
        #expect(streamed == Self.sample())
    }

    @Test("packet numbers count handshakes, closes and split parts")
    func numbering() {
        var scenario = CaptureScenario()
        let serial = scenario.begin(.serial(name: "pty"))
        #expect(scenario.send([1], on: serial).number == 1)
        let tcp = scenario.begin(.tcp(harness: .v4(10, 0, 0, 1, port: 1), device: .v4(10, 0, 0, 2, port: 2)))
        #expect(scenario.writer.packetCount == 4)  // SYN, SYN-ACK, ACK
        let big = scenario.send(Array(repeating: 0, count: 2 * PcapngWriter.maximumPayload + 1), on: tcp)
        #expect(big.number == 5 && big.parts == 3)
        #expect(scenario.receive([], on: tcp).number == 8)
        scenario.end(tcp)
        scenario.end(tcp)  // twice: nothing more
        #expect(scenario.writer.packetCount == 11)
        // Appending after the end reopens with a new handshake.
        #expect(scenario.send([9], on: tcp).number == 15)
    }

    @Test("RFC 1071 checksum example and odd lengths")
    func checksum() {
        // RFC 1071 §3: 00 01 f2 03 f4 f5 f6 f7 sums to 0xddf2; the checksum is its complement.
        #expect(SyntheticIP.internetChecksum([0x00, 0x01, 0xF2, 0x03, 0xF4, 0xF5, 0xF6, 0xF7]) == ~UInt16(0xDDF2))
        #expect(SyntheticIP.internetChecksum([0x01]) == ~UInt16(0x0100))
        // An IPv4 header with its checksum in place sums to zero.
        let packet = SyntheticIP.ipPacket(.init(source: .v4(192, 0, 2, 1, port: 0), destination: .v4(192, 0, 2, 2, port: 0)),
                                          protocolNumber: 17, payload: [1, 2, 3], ipID: 7)
        #expect(SyntheticIP.internetChecksum(packet[0..<20]) == 0)
    }

    @Test("CaptureTime keeps what a Date holds and nanoseconds exactly")
    func captureTime() {
        let date = Date(timeIntervalSince1970: 1_700_000_000.25)
        #expect(CaptureTime(date).nanosecondsSince1970 == 1_700_000_000_250_000_000)
        let micro = Date(timeIntervalSince1970: 1_700_000_000.123456)
        #expect(abs(CaptureTime(micro).nanosecondsSince1970 - 1_700_000_000_123_456_000) < 200)
        let exact = CaptureTime(nanosecondsSince1970: 1_700_000_000_123_456_789)
        #expect(CapturePacket(timestamp: exact, direction: .toDevice, bytes: []).timestamp == exact)
        #expect(CaptureTime(Date(timeIntervalSince1970: -1.5)).nanosecondsSince1970 == -1_500_000_000)
    }

    @Test("long comments are cut at a character boundary to fit an option")
    func longComment() throws {
        var writer = PcapngWriter(application: "t")
        let line = writer.beginSession(.serial(name: "x"), at: CaptureTime(nanosecondsSince1970: 0))
        let comment = String(repeating: "é", count: 40_000)  // 80 000 UTF-8 bytes
        writer.append(CapturePacket(timestamp: CaptureTime(nanosecondsSince1970: 0), direction: .toDevice, bytes: [1],
                                    comment: comment), to: line)
        let epb = try #require(try Self.blocks(writer.takeBytes()).first { $0.type == 6 })
        let option = try #require(try Self.options(epb.body.dropFirst(24)).first { $0.0 == 1 })
        #expect(option.1.count == 65_534)
        #expect(String(validating: option.1, as: UTF8.self) != nil)
    }

    @Test("endpoints of mixed families become IPv4-mapped IPv6; unusable ones are replaced and noted")
    func endpointNormalisation() throws {
        var writer = PcapngWriter(application: "t")
        let t = CaptureTime(nanosecondsSince1970: 0)
        let mixed = writer.beginSession(.udp(harness: .v4(127, 0, 0, 1, port: 1), device: .v6(2, port: 2)), at: t)
        writer.append(CapturePacket(timestamp: t, direction: .toDevice, bytes: [1]), to: mixed)
        let broken = writer.beginSession(.udp(harness: CaptureEndpoint(address: [1, 2], port: 1),
                                              device: CaptureEndpoint(address: [], port: 2)), at: t)
        writer.append(CapturePacket(timestamp: t, direction: .toDevice, bytes: [1]), to: broken)
        let epbs = try Self.blocks(writer.takeBytes()).filter { $0.type == 6 }
        #expect(epbs.count == 2)
        #expect(epbs[0].body[epbs[0].body.startIndex + 20] == 0x60)  // IPv6
        let data = Array(epbs[1].body.dropFirst(20).prefix(29))
        #expect(data[0] == 0x45 && Array(data[12..<20]) == [192, 0, 2, 1, 192, 0, 2, 2])
        let options = try Self.options(epbs[1].body.dropFirst(20 + 32))
        #expect(options.contains { $0.0 == 1 && String(decoding: $0.1, as: UTF8.self).contains("192.0.2.1") })
    }
}
