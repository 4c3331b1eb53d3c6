import CodecSupport
import Foundation
import Testing
@testable import Analysis

/// The PDU stream's byte-level JSON and time text agree with the project's JSON tree and RFC 3339.
@Suite("Analysis: JSON bytes and times")
struct OutputEncodingTests {
    @Test("JSONBytes writes exactly what JSONValue.serialized() writes")
    func sameAsSerialized() {
        let value = JSONValue.object([
            ("s", .string("plain")), ("esc", .string("quote \" backslash \\ nl \n cr \r tab \t bell \u{07} é 漢 🙂")),
            ("i", .int(-9_223_372_036_854_775_807 - 1)), ("u", .uint(.max)), ("zero", .int(0)),
            ("d", .double(1.5)), ("whole", .double(3)), ("nan", .double(.nan)), ("null", .null), ("t", .bool(true)),
            ("f", .bool(false)), ("a", .array([.int(1), .array([]), .object([])])), ("", .string("")),
        ])
        var bytes: [UInt8] = []
        JSONBytes.append(value, to: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == value.serialized())
        var pretty: [UInt8] = []
        JSONBytes.appendPretty(value, indent: 2, to: &pretty)
        #expect(String(decoding: pretty, as: UTF8.self) == value.serialized(indent: 2))
    }

    @Test("capture times as RFC 3339 with nanoseconds", arguments: [
        (Int64(0), "1970-01-01T00:00:00.000000000Z"),
        (Int64(1_795_613_668_474_533_200), "2026-11-25T13:34:28.474533200Z"),
        (Int64(-1), "1969-12-31T23:59:59.999999999Z"),
        (Int64(951_782_400_000_000_001), "2000-02-29T00:00:00.000000001Z"),
    ])
    func iso8601(nanoseconds: Int64, text: String) {
        #expect(TimeText.iso8601(nanoseconds) == text)
    }

    @Test("--no-pdus decodes, counts and checks the same PDUs without writing them")
    func withoutRecords() throws {
        var c = TestCapture()
        let s = c.tcp()
        c.send(APDUs.wrapped(APDUs.getRequest(1), fromClient: true), .toDevice, in: s)
        c.send(APDUs.wrapped(APDUs.getResponse(2), fromClient: false), .fromDevice, in: s)
        c.end(s)
        let path = try c.write()
        var options = AnalysisOptions()
        options.pduRecords = false
        let without = Analysed(path, options: options)
        let with = Analysed(path)
        #expect(without.pdus.isEmpty)
        #expect(with.pdus.count == 2)
        #expect(without.result.pduCount == with.result.pduCount)
        #expect(without.findings == with.findings)
        #expect(without.findings.count == 1)
    }
}
