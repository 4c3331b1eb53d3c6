import Foundation
import Testing
@testable import Capture

/// Hand-built pcapng and pcap files that ``PcapngWriter`` never makes (big-endian sections, several
/// sections, Simple and Obsolete Packet Blocks, unknown blocks, power-of-2 and millisecond
/// resolutions, `if_tsoffset`), and files cut or corrupted at every byte.
@Suite("CaptureReader formats and damaged files")
struct CaptureReaderFormatTests {
    /// Builds pcapng blocks in one byte order.
    struct Builder {
        var bigEndian: Bool

        func u16(_ value: UInt16) -> [UInt8] {
            let bytes = [UInt8(truncatingIfNeeded: value), UInt8(value >> 8)]
            return bigEndian ? bytes.reversed() : bytes
        }

        func u32(_ value: UInt32) -> [UInt8] {
            let bytes = (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * UInt32($0))) }
            return bigEndian ? bytes.reversed() : bytes
        }

        func u64(_ value: UInt64) -> [UInt8] {
            let bytes = (0..<8).map { UInt8(truncatingIfNeeded: value >> (8 * UInt64($0))) }
            return bigEndian ? bytes.reversed() : bytes
        }

        func padded(_ bytes: [UInt8]) -> [UInt8] { bytes + Array(repeating: 0, count: (4 - bytes.count % 4) % 4) }

        func option(_ code: UInt16, _ value: [UInt8]) -> [UInt8] { u16(code) + u16(UInt16(value.count)) + padded(value) }

        var endOfOptions: [UInt8] { u16(0) + u16(0) }

        func block(_ type: UInt32, _ body: [UInt8], length: UInt32? = nil, trailing: UInt32? = nil) -> [UInt8] {
            let total = UInt32(12 + body.count)
            return u32(type) + u32(length ?? total) + body + u32(trailing ?? length ?? total)
        }

        func section(major: UInt16 = 1) -> [UInt8] {
            block(0x0A0D_0D0A, u32(0x1A2B_3C4D) + u16(major) + u16(0) + u64(.max)
                  + option(4, Array("hand-built".utf8)) + endOfOptions)
        }

        func interface(_ linkType: UInt16, snap: UInt32 = 0, options: [UInt8] = []) -> [UInt8] {
            block(1, u16(linkType) + u16(0) + u32(snap) + options + (options.isEmpty ? [] : endOfOptions))
        }

        func enhanced(_ id: UInt32, ticks: UInt64, _ data: [UInt8], original: UInt32? = nil, options: [UInt8] = []) -> [UInt8] {
            block(6, u32(id) + u32(UInt32(ticks >> 32)) + u32(UInt32(truncatingIfNeeded: ticks)) + u32(UInt32(data.count))
                  + u32(original ?? UInt32(data.count)) + padded(data) + options + (options.isEmpty ? [] : endOfOptions))
        }

        func simple(_ data: [UInt8], original: UInt32? = nil) -> [UInt8] {
            block(3, u32(original ?? UInt32(data.count)) + padded(data))
        }

        func obsolete(_ id: UInt16, ticks: UInt64, _ data: [UInt8], options: [UInt8] = []) -> [UInt8] {
            block(2, u16(id) + u16(0) + u32(UInt32(ticks >> 32)) + u32(UInt32(truncatingIfNeeded: ticks))
                  + u32(UInt32(data.count)) + u32(UInt32(data.count)) + padded(data) + options
                  + (options.isEmpty ? [] : endOfOptions))
        }
    }

    static func ns(_ seconds: Double) -> CaptureTime { CaptureTime(nanosecondsSince1970: Int64((seconds * 1e9).rounded())) }

    @Test("big-endian then little-endian section; SPB, OPB, unknown block, 2^-n, ms and if_tsoffset; unknown interface")
    func everyBlock() throws {
        let be = Builder(bigEndian: true)
        let le = Builder(bigEndian: false)
        var bytes = be.section()
        bytes += be.interface(147, options: be.option(2, Array("be0".utf8)) + be.option(9, [0x86]))  // 2^-6 s
        bytes += be.interface(1, snap: 4, options: be.option(9, [3]) + be.option(14, be.u64(10)))   // ms, +10 s
        bytes += be.block(0x0BAD, [1, 2, 3, 4, 5, 6, 7, 8])
        let epbOffset = UInt64(bytes.count)
        bytes += be.enhanced(0, ticks: 64 * 5 + 32, [0xAA, 0xBB, 0xCC],
                             options: be.option(1, Array("hello".utf8)) + be.option(2, be.u32(0b01)) + be.option(1, Array("two".utf8)))
        bytes += be.simple([1, 2, 3, 4, 5, 6])
        bytes += be.obsolete(1, ticks: 1500, Array(0..<10), options: be.option(2, be.u32(0b10)))
        bytes += le.section()
        bytes += le.interface(101, snap: 3, options: le.option(9, [0x94]))  // 2^-20 s
        bytes += le.enhanced(0, ticks: 3 << 20 | 1 << 19, [0x45])
        bytes += le.simple([9, 9, 9], original: 7)
        let badOffset = UInt64(bytes.count)
        bytes += le.enhanced(1, ticks: 0, [0])
        bytes += le.enhanced(0, ticks: 0, [0])

        let folder = try ScratchFolder()
        let file = try CaptureReaderTests.write(bytes, folder, "hand.pcapng")
        for chunkSize in [1, 5, 64 << 10] {
            let (packets, error) = CaptureReader.readAll(path: file, chunkSize: chunkSize)
            #expect(error == CaptureReadError(path: file, offset: badOffset, kind: .unknownInterface(1)))
            #expect(packets.map(\.section) == [0, 0, 0, 1, 1])
            #expect(packets.map(\.interfaceIndex) == [0, 0, 1, 0, 0])
            #expect(packets.map(\.linkType) == [147, 147, 1, 101, 101])
            #expect(packets.map(\.data) == [[0xAA, 0xBB, 0xCC], [1, 2, 3, 4, 5, 6], Array(0..<10), [0x45], [9, 9, 9]])
            #expect(packets.map(\.originalLength) == [3, 6, 10, 1, 7])
            #expect(packets.map(\.timestamp) == [Self.ns(5.5), nil, Self.ns(11.5), Self.ns(3.5), nil])
            #expect(packets.map(\.direction) == [.fromDevice, nil, .toDevice, nil, nil])
            #expect(packets.map(\.comments) == [["hello", "two"], [], [], [], []])
            #expect(packets.first?.fileOffset == epbOffset)
        }
        let reader = try CaptureReader(path: file)
        _ = try reader.next()
        #expect(reader.interfaces.map(\.name) == ["be0", nil])
        #expect(reader.interfaces.map(\.ticksPerSecond) == [64, 1000])
        #expect(reader.interfaces.map(\.timestampOffset) == [0, 10])
        while (try? reader.next()) != nil {}
        // The error sticks: every later call throws it again.
        #expect(throws: CaptureReadError(path: file, offset: badOffset, kind: .unknownInterface(1))) { try reader.next() }
        #expect(throws: CaptureReadError.self) { try reader.next() }
    }

    @Test("classic pcap in both byte orders, by hand")
    func classicByteOrders() throws {
        let folder = try ScratchFolder()
        for bigEndian in [false, true] {
            for nano in [false, true] {
                let b = Builder(bigEndian: bigEndian)
                var bytes = b.u32(nano ? 0xA1B2_3C4D : 0xA1B2_C3D4) + b.u16(2) + b.u16(4) + b.u32(0) + b.u32(0)
                bytes += b.u32(262_144) + b.u32(147)
                bytes += b.u32(1_700_000_000) + b.u32(nano ? 999_999_999 : 999_999) + b.u32(2) + b.u32(5) + [7, 8]
                bytes += b.u32(4) + b.u32(1) + b.u32(0) + b.u32(0)
                let file = try CaptureReaderTests.write(bytes, folder, "hand-\(bigEndian)-\(nano).pcap")
                let reader = try CaptureReader(path: file)
                #expect(reader.format == .pcap(nanosecond: nano, bigEndian: bigEndian))
                let packets = try CaptureReaderTests.readAll(file, chunkSize: 3)
                #expect(packets.map(\.data) == [[7, 8], []])
                #expect(packets.map(\.originalLength) == [5, 0])
                #expect(packets.map(\.timestamp) == [
                    CaptureTime(nanosecondsSince1970: 1_700_000_000_999_999_999 - (nano ? 0 : 999)),
                    CaptureTime(nanosecondsSince1970: nano ? 4_000_000_001 : 4_000_001_000),
                ])
                #expect(packets.map(\.fileOffset) == [24, 42])
            }
        }
    }

    /// A small file of every kind of block the writer makes, its blocks as (start, end).
    static func smallCapture() -> (bytes: [UInt8], blocks: [(start: Int, end: Int, type: UInt32)]) {
        var scenario = CaptureScenario()
        let line = scenario.begin(.serial(name: "x"))
        scenario.send([0x10, 0x5B, 0xFE, 0x59, 0x16], on: line, comment: "c")
        scenario.receive([0xE5], on: line)
        scenario.send([1, 2, 3, 4], on: line)
        let bytes = scenario.writer.takeBytesCopy()
        var blocks: [(Int, Int, UInt32)] = []
        var at = 0
        let order = ByteOrderReader(bigEndian: false)
        while at < bytes.count {
            let length = Int(order.u32(bytes, at + 4))
            blocks.append((at, at + length, order.u32(bytes, at)))
            at += length
        }
        return (bytes, blocks)
    }

    @Test("cut at every byte: no trap, truncated at the cut block's offset, earlier packets returned")
    func cutEverywhere() throws {
        let (bytes, blocks) = Self.smallCapture()
        let folder = try ScratchFolder()
        let whole = try CaptureReaderTests.readAll(try CaptureReaderTests.write(bytes, folder, "whole.pcapng"))
        #expect(whole.count == 3)
        for cut in 0...bytes.count {
            let file = try CaptureReaderTests.write(Array(bytes.prefix(cut)), folder, "cut.pcapng")
            let (packets, error) = CaptureReader.readAll(path: file, chunkSize: 1 + cut % 7)
            let complete = blocks.filter { $0.end <= cut }
            #expect(packets == Array(whole.prefix(complete.filter { $0.type == 6 }.count)), "cut at \(cut)")
            if cut > 0, complete.last?.end == cut {
                #expect(error == nil, "cut at block end \(cut)")
            } else {
                let error = try #require(error, "cut at \(cut)")
                #expect(error.offset <= UInt64(cut))
                if cut >= 4 {
                    #expect(error.offset == UInt64(complete.last?.end ?? 0), "cut at \(cut)")
                    guard case .truncated = error.kind else {
                        Issue.record("cut at \(cut): \(error)")
                        continue
                    }
                }
            }
        }
    }

    @Test("classic pcap cut at every byte")
    func cutClassic() throws {
        let b = Builder(bigEndian: false)
        var bytes = b.u32(0xA1B2_C3D4) + b.u16(2) + b.u16(4) + b.u32(0) + b.u32(0) + b.u32(65535) + b.u32(1)
        bytes += b.u32(1) + b.u32(2) + b.u32(3) + b.u32(3) + [1, 2, 3]
        bytes += b.u32(4) + b.u32(5) + b.u32(1) + b.u32(1) + [4]
        let folder = try ScratchFolder()
        for cut in 0...bytes.count {
            let file = try CaptureReaderTests.write(Array(bytes.prefix(cut)), folder, "cut.pcap")
            let (packets, error) = CaptureReader.readAll(path: file, chunkSize: 2)
            #expect(packets.count == (cut >= 60 ? 2 : cut >= 43 ? 1 : 0), "cut at \(cut)")
            #expect((error == nil) == [24, 43, 60].contains(cut), "cut at \(cut)")
            if let error { #expect(error.offset == (cut < 24 ? 0 : cut < 43 ? 24 : 43), "cut at \(cut)") }
        }
        // A record claiming 4 GB is refused before reading; one claiming 1 MiB in a small file is cut.
        for (claimed, kind) in [(UInt32(0xFFFF_FFF0), CaptureReadError.Kind.badBlockLength(0xFFFF_FFF0, .tooLarge(limit: CaptureReader.maximumBlockLength))),
                                (UInt32(1 << 20), .truncated(needed: 16 + 1 << 20, available: 19))] {
            let huge = Array(bytes.prefix(24)) + b.u32(1) + b.u32(2) + b.u32(claimed) + b.u32(claimed) + [1, 2, 3]
            let file = try CaptureReaderTests.write(huge, folder, "huge.pcap")
            #expect(CaptureReader.readAll(path: file).error == CaptureReadError(path: file, offset: 24, kind: kind))
        }
    }

    @Test("every byte flipped: no trap, error offsets inside the file")
    func corruptEverywhere() throws {
        let (bytes, _) = Self.smallCapture()
        let folder = try ScratchFolder()
        for index in bytes.indices {
            for mask: UInt8 in [0xFF, 0x01, 0x80] {
                var damaged = bytes
                damaged[index] ^= mask
                let file = try CaptureReaderTests.write(damaged, folder, "flip.pcapng")
                let (packets, error) = CaptureReader.readAll(path: file, chunkSize: 16)
                #expect(packets.count <= 3)
                if let error { #expect(error.offset < UInt64(bytes.count), "flip at \(index)") }
            }
        }
    }

    @Test("bad block lengths, huge lengths, unsupported files, each at its offset after the good packets")
    func badBlocks() throws {
        let le = Builder(bigEndian: false)
        let head = le.section() + le.interface(147, options: le.option(9, [9])) + le.enhanced(0, ticks: 7, [1, 2])
        let at = UInt64(head.count)
        let good = le.enhanced(0, ticks: 8, [3])
        let cases: [([UInt8], CaptureReadError.Kind)] = [
            (le.block(6, Array(repeating: 0, count: 20), length: 33), .badBlockLength(33, .notMultipleOf4)),
            (le.u32(6) + le.u32(8) + le.u32(8), .badBlockLength(8, .shorterThan12)),
            (le.block(6, Array(repeating: 0, count: 8)), .badBlockLength(20, .shorterThanFields(minimum: 32))),
            (le.block(0x0BAD, [0, 0, 0, 0], trailing: 20), .badBlockLength(16, .trailingMismatch(trailing: 20))),
            (le.block(6, Array(good.dropFirst(8).dropLast(4)), trailing: 99), .badBlockLength(UInt32(good.count), .trailingMismatch(trailing: 99))),
            (le.u32(0x0BAD) + le.u32(0xFFFF_FFFC) + [1, 2, 3, 4], .truncated(needed: 0xFFFF_FFFC, available: UInt64(12 + good.count))),
            (le.u32(6) + le.u32(0xFFFF_FFFC) + [1, 2, 3, 4], .badBlockLength(0xFFFF_FFFC, .tooLarge(limit: CaptureReader.maximumBlockLength))),
            (le.enhanced(3, ticks: 0, []), .unknownInterface(3)),
            (le.block(6, le.u32(0) + le.u32(0) + le.u32(0) + le.u32(100) + le.u32(100) + [0, 0, 0, 0]),
             .malformedBlock("captured length 100 exceeds the block body")),
            (le.block(6, le.u32(0) + le.u32(0) + le.u32(0) + le.u32(0) + le.u32(0) + le.u16(1) + le.u16(200) + [65, 66, 0, 0]),
             .malformedBlock("option 1 of 200 bytes overruns the block")),
            (le.section(major: 2), .unsupportedFile("pcapng major version 2")),
        ]
        let folder = try ScratchFolder()
        for (index, (tail, kind)) in cases.enumerated() {
            let file = try CaptureReaderTests.write(head + tail + good, folder, "bad-\(index).pcapng")
            let (packets, error) = CaptureReader.readAll(path: file)
            #expect(packets.map(\.data) == [[1, 2]], "case \(index)")
            #expect(error == CaptureReadError(path: file, offset: at, kind: kind), "case \(index)")
        }
        // Not a capture, or a section header with an unknown byte-order magic.
        let unknown = try CaptureReaderTests.write(Array("GIF89a".utf8), folder, "gif")
        #expect(CaptureReader.readAll(path: unknown).error?.kind == .unsupportedFile("magic 47 49 46 38 is neither pcapng nor pcap"))
        var badMagic = le.section()
        badMagic[8] = 0
        let magicFile = try CaptureReaderTests.write(badMagic, folder, "magic.pcapng")
        let magicError = CaptureReader.readAll(path: magicFile).error
        #expect(magicError?.offset == 0)
        if case .unsupportedFile = magicError?.kind {} else { Issue.record("\(String(describing: magicError))") }
        // A file that ends inside a block header.
        let cutHeader = try CaptureReaderTests.write(head + [1, 2, 3], folder, "cut-header.pcapng")
        #expect(CaptureReader.readAll(path: cutHeader).error == CaptureReadError(path: cutHeader, offset: at, kind: .truncated(needed: 12, available: 3)))
        // A simple packet longer than its block.
        let longSimple = try CaptureReaderTests.write(head + le.simple([1], original: 9), folder, "spb.pcapng")
        #expect(CaptureReader.readAll(path: longSimple).error?.kind == .malformedBlock("simple packet of 9 captured bytes exceeds the block body"))
        let missing = CaptureReader.readAll(path: folder.file("missing.pcapng")).error
        #expect(missing?.kind == .cannotOpen(errno: ENOENT))
        #expect(missing?.description.contains("missing.pcapng at offset 0") == true)
    }
}
