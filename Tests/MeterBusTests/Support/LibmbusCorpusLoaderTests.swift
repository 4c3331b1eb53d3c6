// Checks the libmbus corpus and its loader, not the MeterBus decoder: this file uses only
// Foundation, CodecSupport and LibmbusCorpus.swift.

import CodecSupport
import Foundation
import Testing

@Suite("LibmbusCorpusLoader")
struct LibmbusCorpusLoaderTests {
    @Test func folderCounts() throws {
        let tests = try LibmbusCorpus.frames(in: .testFrames)
        #expect(tests.count == 76)
        #expect(tests.allSatisfy { $0.normalizedXMLURL != nil && $0.xmlURL != nil })

        let errors = try LibmbusCorpus.frames(in: .errorFrames)
        #expect(errors.count == 20)
        #expect(errors.filter { $0.xmlURL != nil }.count == 10)
        #expect(errors.allSatisfy { $0.normalizedXMLURL == nil })

        let unsupported = try LibmbusCorpus.frames(in: .unsupportedFrames)
        #expect(unsupported.count == 7)
        #expect(unsupported.allSatisfy { $0.xmlURL == nil && $0.normalizedXMLURL == nil })
    }

    /// Every test and error frame is a long frame (68 L L 68 … 16) as HexText reads it,
    /// whether its file wraps lines, ends in CRLF or has no final newline.
    @Test(arguments: [LibmbusFolder.testFrames, .errorFrames])
    func hexParses(_ folder: LibmbusFolder) throws {
        for frame in try LibmbusCorpus.frames(in: folder) {
            let bytes: [UInt8]
            do { bytes = try frame.bytes() } catch {
                Issue.record("\(frame): \(error)")
                continue
            }
            #expect(bytes.count >= 6, "\(frame)")
            #expect(bytes.first == 0x68 && bytes.last == 0x16, "\(frame)")
        }
    }

    /// All seven unsupported frames parse. `manual_frame1.hex` starts with a lone
    /// "D" ("D 04 04 68 53 FE 50 10 B1 16"), which HexText reads as 0x0D exactly as libmbus's
    /// mbus_hex2bin does (strtoul on "D "). The fixture is kept as upstream has it.
    @Test func unsupportedHexParses() throws {
        for frame in try LibmbusCorpus.frames(in: .unsupportedFrames) {
            if frame.name == "manual_frame1" {
                #expect(try frame.bytes() == [0x0D, 0x04, 0x04, 0x68, 0x53, 0xFE, 0x50, 0x10, 0xB1, 0x16])
            } else {
                let bytes = try frame.bytes()
                #expect(!bytes.isEmpty, "\(frame)")
            }
        }
    }

    @Test func normalizedXMLParses() throws {
        var records = 0
        var withQuantity = 0
        for frame in try LibmbusCorpus.frames(in: .testFrames) {
            let norm = try #require(try frame.normalizedExpectation(), "\(frame)")
            let raw = try #require(try frame.expectation(), "\(frame)")
            #expect(norm.error == nil, "\(frame)")
            #expect(norm.slave["Id"] != nil && norm.slave["Medium"] != nil, "\(frame)")
            #expect(!norm.records.isEmpty, "\(frame)")
            #expect(norm.records.map(\.id) == Array(0..<norm.records.count), "\(frame)")
            // The normalised file describes the same records as the raw one.
            #expect(raw.records.count == norm.records.count, "\(frame)")
            #expect(raw.slave == norm.slave, "\(frame)")
            #expect(raw.records.allSatisfy { $0.quantity == nil }, "\(frame)")
            records += norm.records.count
            withQuantity += norm.records.filter { $0.quantity != nil }.count
        }
        print("libmbus corpus: 76 .norm.xml parsed, \(records) data records, \(withQuantity) with <Quantity>")
        // Five records have no <Quantity>: the four of the two fixed-data-structure frames
        // (manual_frame2, sen_pollusonic_2) and an empty <DataRecord id="2"> in sen_pollutherm.
        #expect(records - withQuantity == 5)
    }

    @Test func errorXMLParses() throws {
        let withXML = try LibmbusCorpus.frames(in: .errorFrames).filter { $0.xmlURL != nil }
        #expect(withXML.count == 10)
        for frame in withXML {
            let expectation = try #require(try frame.expectation(), "\(frame)")
            let error = try #require(expectation.error, "\(frame)")
            #expect(!error.isEmpty, "\(frame)")
            #expect(expectation.records.isEmpty, "\(frame)")
        }
    }

    /// The files declare ISO-8859-1 but hold UTF-8; the loader must give "°C", not "Â°C".
    @Test func encodingIsReadAsUTF8() throws {
        let units = try LibmbusCorpus.frames(in: .testFrames)
            .compactMap { try $0.normalizedExpectation() }
            .flatMap { $0.records.compactMap(\.unit) }
        #expect(units.contains("°C"))
        #expect(!units.contains { $0.contains("Â") })

        let dife = try LibmbusCorpus.frames(in: .errorFrames).first { $0.name == "too_many_difes" }
        #expect(try dife?.expectation()?.error == "More than 10 DIFE´s")

        // A genuinely Latin-1 document is still read.
        let latin1 = Data(#"<?xml version="1.0" encoding="ISO-8859-1"?><MBusData><DataRecord id="0"><Unit>"#.utf8)
            + Data([0xB0, 0x43]) + Data("</Unit></DataRecord></MBusData>".utf8)
        #expect(try LibmbusCorpus.parseExpectation(latin1).records.first?.unit == "°C")
    }

    @Test func firstFrameFields() throws {
        let frame = try #require(try LibmbusCorpus.frames(in: .testFrames).first { $0.name == "ACW_Itron-BM-plus-m" })
        let e = try #require(try frame.normalizedExpectation())
        #expect(e.slave["Id"] == "11490378")
        #expect(e.slave["Manufacturer"] == "ACW")
        #expect(e.slave["Medium"] == "Cold water")
        #expect(e.slave["Signature"] == "0000")
        let volume = try #require(e.records.first { $0.id == 1 })
        #expect(volume == LibmbusExpectation.Record(
            id: 1, function: "Instantaneous value", storageNumber: 0, tariff: nil, device: nil,
            unit: "m^3", quantity: "Volume", value: "54.321000"))
        // "&amp;" is decoded.
        #expect(e.records.contains { $0.quantity == "Time point (date & time)" })
    }
}
