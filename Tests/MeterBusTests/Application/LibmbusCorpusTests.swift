import CodecSupport
import Foundation
import Testing
@testable import MeterBus

/// Our decoder against libmbus's own expectations (rscada/libmbus `test/`, BSD-3-Clause; see
/// `Fixtures/libmbus/README.md`). Where we and libmbus disagree, the disagreement is listed
/// below with the source that decides it, and the test asserts our answer.
@Suite("libmbus corpus")
struct LibmbusCorpusTests {
    typealias Difference = LibmbusComparison.Difference

    /// Every place our decoding differs from libmbus's `.norm.xml`, and why ours is right.
    static let documentedDisagreements: [Difference: String] = [
        // BCD fields whose nibbles are above 9 (the meter's "error state" pattern). libmbus's normaliser
        // drops high nibbles ≥ A and keeps low ones, printing a number no meter sent; its own non-normalised
        // XML prints the digits "DDDDEBBD". Fact sheet §3.7: such a BCD is invalid (exmbus); we show the digits.
        Difference(frame: "ELS_Elster-F96-Plus", record: 4, field: "value", libmbus: "13131113.000000", ours: "DDDDEBBD"): "invalid BCD",
        Difference(frame: "ELS_Elster-F96-Plus", record: 5, field: "value", libmbus: "131.113000", ours: "DDEBBD"): "invalid BCD",
        Difference(frame: "abb_f95", record: 2, field: "value", libmbus: "1311041.300000", ours: "DDEBB4DD"): "invalid BCD",
        Difference(frame: "abb_f95", record: 3, field: "value", libmbus: "11.041300", ours: "EBB4DD"): "invalid BCD",
        // Type F with the IV bit set: libmbus skips decoding and prints a zero date; we decode the fields and
        // flag the value (`value_problem`), as the IV bit marks it invalid (fact sheet §6.2).
        Difference(frame: "REL-Relay-Padpuls2", record: 1, field: "value", libmbus: "1900-01-00T00:00:00Z", ours: "2015-07-09T21:33:00"): "IV set",
        // VIF 0x7B without the extension bit is reserved in the primary table (fact sheet §4); the record's
        // length is fixed by its DIF (8-digit BCD), so we decode it as a reserved VIF with value 302 where
        // libmbus prints an empty record (and pyMeterBus raises KeyError).
        Difference(frame: "sen_pollutherm", record: 2, field: "function", libmbus: "", ours: "instantaneous"): "reserved VIF 7B",
        Difference(frame: "sen_pollutherm", record: 2, field: "value", libmbus: "", ours: "302"): "reserved VIF 7B",
    ]

    @Test("76 test frames decode and agree with libmbus's .norm.xml, but for the documented disagreements")
    func testFramesAgreeWithLibmbus() throws {
        let frames = try LibmbusCorpus.frames(in: .testFrames)
        #expect(frames.count == 76)
        var compared = 0
        var found: [Difference] = []
        var decoded = 0
        for frame in frames {
            let bytes = try frame.bytes()
            let expected = try #require(try frame.normalizedExpectation(), "\(frame)")
            let telegram = try Telegram.decode(bytes)
            decoded += 1
            if case .fixedData = telegram.userData { continue }  // compared in the next test
            let (n, diffs) = LibmbusComparison.compare(name: frame.name, telegram: telegram, expected: expected)
            compared += n
            found += diffs
        }
        #expect(decoded == 76)
        let unexpected = found.filter { Self.documentedDisagreements[$0] == nil }
        #expect(unexpected.isEmpty, "undocumented disagreements:\n\(unexpected.map(\.description).joined(separator: "\n"))")
        let stale = Set(Self.documentedDisagreements.keys).subtracting(found)
        #expect(stale.isEmpty, "documented disagreements that no longer occur: \(stale)")
        // 942 libmbus records less 41 pseudo-records (manufacturer data, more records follow) and the 4 fixed-frame counters.
        #expect(compared == 897)
    }

    /// CI 73 fixed data frames. libmbus prints counters in the frame's unit (l, kWh); we scale to SI.
    /// manual_frame2's counter 2 has unit code 3E, "same but historic" (fact sheet §2.6): the unit of
    /// counter 1, historic. libmbus names it "reserved but historic" and leaves the value unscaled.
    @Test("fixed data structure frames")
    func fixedDataFrames() throws {
        let frames = try LibmbusCorpus.frames(in: .testFrames).filter { ["manual_frame2", "sen_pollusonic_2"].contains($0.name) }
        #expect(frames.count == 2)
        for frame in frames {
            let telegram = try Telegram.decode(try frame.bytes())
            guard case let .fixedData(f)? = telegram.userData else {
                Issue.record("\(frame.name) is not fixed data"); continue
            }
            let expected = try #require(try frame.normalizedExpectation())
            #expect(f.id == expected.slave["Id"])
            #expect("\(f.accessNumber)" == expected.slave["AccessNumber"])
            switch frame.name {
            case "manual_frame2":  // water, 1 l and 135 (historic)
                #expect(f.mediumName == "Water")
                #expect(f.counterValue(1) == 1 && f.counterValue(2) == 135)
                #expect(f.counterUnit(1).scaled?.unit == "m^3" && f.counterUnit(1).scaled?.exponent == -3)
                #expect(f.counterUnit(2).isHistoric && f.counterUnit(2).code == 0x29)
            default:  // libmbus: 6531 kWh and 69 l
                #expect(f.counterValue(1) == 6531 && f.counterValue(2) == 69)
                #expect(f.counterUnit(1).scaled?.unit == "Wh" && f.counterUnit(1).scaled?.exponent == 3)
                #expect(f.counterUnit(2).scaled?.unit == "m^3" && f.counterUnit(2).scaled?.exponent == -3)
            }
        }
    }

    @Test("header fields agree with libmbus for every variable data frame")
    func headersAgree() throws {
        for frame in try LibmbusCorpus.frames(in: .testFrames) {
            let telegram = try Telegram.decode(try frame.bytes())
            guard let v = telegram.variableData, case let .long(h) = v.header else { continue }
            let slave = try #require(try frame.normalizedExpectation()).slave
            #expect(h.id == slave["Id"]?.leftPadded(to: 8), "\(frame.name)")
            #expect(h.manufacturer.letters == slave["Manufacturer"], "\(frame.name)")
            #expect("\(h.version)" == slave["Version"], "\(frame.name)")
            #expect("\(h.accessNumber)" == slave["AccessNumber"], "\(frame.name)")
            #expect(HexText.format([h.status.rawValue], separator: "") == slave["Status"], "\(frame.name)")
            #expect(h.deviceType.name == slave["Medium"], "\(frame.name)")
        }
    }

    @Test("encode(decode(x)) == x for every frame that decodes")
    func roundTrip() throws {
        var count = 0
        for frame in try LibmbusCorpus.allFrames() {
            guard let bytes = try? frame.bytes(), let telegram = try? Telegram.decode(bytes) else { continue }
            #expect(telegram.encoded() == bytes, "\(frame)")
            count += 1
        }
        #expect(count == 76 + 10 + 4)
    }

    /// The ten error frames with an `.xml` are valid CI 70 application errors; libmbus's text names the error.
    @Test("application-error frames decode with the error named")
    func applicationErrors() throws {
        let frames = try LibmbusCorpus.frames(in: .errorFrames).filter { $0.xmlURL != nil }
        #expect(frames.count == 10)
        for frame in frames {
            let telegram = try Telegram.decode(try frame.bytes())
            guard case let .applicationError(e)? = telegram.userData else {
                Issue.record("\(frame.name): not an application error"); continue
            }
            let libmbusText = try #require(try frame.expectation()?.error).replacingOccurrences(of: "´", with: "'")
            #expect(e.name == libmbusText, "\(frame.name)")
        }
    }

    /// The ten malformed frames: each gives a typed error at the offset of the defect.
    @Test("malformed frames give typed errors with offsets", arguments: [
        ("premature_end_of_data1", MeterBusError.Code.truncated, 32),  // record 8B 60 04 at 29 has no data
        ("premature_end_of_data2", .truncated, 32),                    // 2 of its 3 data bytes
        ("premature_end_of_dif1", .truncated, 30),                     // DIF 8B announces a DIFE, none follows
        ("premature_end_of_dif2", .truncated, 31),                     // 8B 8B: second DIFE announces another
        ("premature_end_of_var_vif1", .truncated, 44),                 // plain-text VIF length 0x13 past the end
        ("premature_end_of_vif1", .truncated, 31),                     // DIB complete, VIF missing
        ("too_long_var_vif", .truncated, 44),                          // plain-text VIF length 0xF3
        ("too_many_dife", .tooManyDIFEs, 40),                          // eleventh DIFE
        ("too_many_vife", .tooManyVIFEs, 42),                          // eleventh VIFE
        ("too_short_header", .truncated, 11),                          // 12-byte header cut after 5 bytes
    ])
    func malformedFrames(name: String, code: MeterBusError.Code, offset: Int) throws {
        let frame = try #require(try LibmbusCorpus.frames(in: .errorFrames).first { $0.name == name })
        #expect(frame.xmlURL == nil)
        #expect(performing: { try Telegram.decode(try frame.bytes()) }, throws: {
            guard let e = $0 as? MeterBusError else { return false }
            return e.code == code && e.offset == offset
        })
    }

    /// What we do with the seven frames libmbus cannot decode (also in the fixture README).
    @Test("unsupported frames decode or give typed errors", arguments: [
        ("invalid_length", "error lengthTooSmall@1"),       // L = 00
        ("invalid_length2", "error truncated@19"),          // CI 73 with 12 of its 16 bytes
        ("manual_frame1", "error badStartByte@0"),          // 0D 04 04 68 …: not a frame
        ("manual_frame4", "ok dataSend"),                   // SND_UD set primary address 8
        ("manual_frame5", "ok dataSend"),                   // SND_UD enhanced identification (64-bit)
        ("manual_frame6", "ok dataSend"),                   // SND_UD identification + energy
        ("svm_f22_telegram2", "ok variableData"),           // RSP_UD that is all manufacturer data after 1F
    ])
    func unsupportedFrames(name: String, outcome: String) throws {
        let frame = try #require(try LibmbusCorpus.frames(in: .unsupportedFrames).first { $0.name == name })
        let result: String
        do {
            let t = try Telegram.decode(try frame.bytes())
            switch t.userData {
            case .dataSend?: result = "ok dataSend"
            case .variableData?: result = "ok variableData"
            default: result = "ok other"
            }
        } catch let e as MeterBusError {
            result = "error \(e.code)@\(e.offset)"
        }
        #expect(result == outcome)
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
