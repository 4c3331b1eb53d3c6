import CodecSupport
import Testing
@testable import DLMS

/// The COSEM Data CHOICE, tag by tag (fact sheet §6.2–§6.5).
@Suite("COSEM Data")
struct COSEMDataTests {
    /// Decodes exactly, checks the value, and checks that encoding gives the same bytes.
    func roundTrip(_ text: String, _ expected: COSEMData, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let bytes = hexBytes(text)
        let (value, consumed) = try COSEMData.decode(bytes)
        #expect(value == expected, sourceLocation: sourceLocation)
        #expect(consumed == bytes.count, sourceLocation: sourceLocation)
        #expect(expected.encoded() == bytes, sourceLocation: sourceLocation)
    }

    @Test("Every tag of the fact sheet decodes and encodes")
    func everyTag() throws {
        try roundTrip("00", .nullData)
        try roundTrip("01 02 11 01 11 02", .array([.unsigned(1), .unsigned(2)]))
        try roundTrip("02 00", .structure([]))
        try roundTrip("03 00", .bool(false))
        try roundTrip("03 01", .bool(true))
        try roundTrip("03 FF", .boolean(0xFF))  // non-zero is true (GX reads != 0); the byte is kept
        try roundTrip("04 0B 80 E0", .bitString(BitString("10000000111") ?? BitString(bits: [])))
        try roundTrip("05 FF FF FF C4", .doubleLong(-60))
        try roundTrip("06 00 01 E2 40", .doubleLongUnsigned(123_456))
        try roundTrip("09 06 00 00 2A 00 00 FF", .octetString([0, 0, 42, 0, 0, 255]))
        try roundTrip("0A 03 47 52 58", .visible("GRX"))
        try roundTrip("0C 02 C3 A9", .utf8("é"))
        try roundTrip("0D 12", .bcd(0x12))
        try roundTrip("0F C0", .integer(-64))
        try roundTrip("10 80 00", .long(-32768))
        try roundTrip("11 FF", .unsigned(255))
        try roundTrip("12 0C A8", .longUnsigned(3240))
        try roundTrip("14 FF FF FF FF FF FF FF FE", .long64(-2))
        try roundTrip("15 FF FF FF FF FF FF FF FF", .long64Unsigned(.max))
        try roundTrip("16 1E", .enumerated(30))
        try roundTrip("17 3F C0 00 00", .float(1.5))
        try roundTrip("18 C0 09 21 FB 54 44 2D 18", .double(-Double.pi))
        try roundTrip("19 07 E5 01 18 FF 0E 30 39 50 FF C4 00", .dateTime(COSEMDateTime(
            date: COSEMDate(year: 2021, month: 1, dayOfMonth: 24),
            time: COSEMTime(hour: 14, minute: 48, second: 57, hundredths: 80), deviation: -60, clockStatus: [])))
        try roundTrip("1A 07 E8 0B 15 FF", .date(COSEMDate(year: 2024, month: 11, dayOfMonth: 21)))
        try roundTrip("1B 08 1E 0F 17", .time(COSEMTime(hour: 8, minute: 30, second: 15, hundredths: 23)))
        try roundTrip("FF", .dontCare)
        #expect(COSEMDataType.allCases.count == 25)
    }

    @Test("Tags no source defines (7, 8, 11, 14, 28…254) are unknownTag at the tag")
    func unknownTags() {
        for tag: UInt8 in [7, 8, 11, 14, 28, 0x80, 0xFE] {
            expectDLMSError(.unknownTag, at: 0) { _ = try COSEMData.decode([tag, 0, 0, 0, 0]) }
        }
        expectDLMSError(.unknownTag, at: 4) { _ = try COSEMData.decode(hexBytes("02 02 11 01 07")) }
    }

    @Test("Truncation, lying counts and trailing bytes")
    func malformed() {
        expectDLMSError(.truncated, at: 1) { _ = try COSEMData.decode(hexBytes("06 00 01")) }
        expectDLMSError(.truncated, at: 1) { _ = try COSEMData.decode(hexBytes("19 07 E5 01")) }
        expectDLMSError(.truncated, at: 1) { _ = try COSEMData.decode(hexBytes("09 84 FF FF FF FF")) }
        // An array claiming 2^31 − 1 elements fails at once: no storage is reserved for it.
        expectDLMSError(.badLength, at: 1) { _ = try COSEMData.decode(hexBytes("01 84 7F FF FF FF 00 00 00")) }
        expectDLMSError(.badLength, at: 1) { _ = try COSEMData.decode(hexBytes("0A 81 05 41 41 41 41 41")) }  // not shortest form
        expectDLMSError(.trailingBytes, at: 2) { _ = try COSEMData(decodingExactly: hexBytes("11 01 00")[...]) }
        expectDLMSError(.truncated) { _ = try COSEMData.decode([]) }
    }

    @Test("Nesting is bounded: deeper than maximumDepth is tooDeep, not a stack overflow")
    func depth() throws {
        let deep = [UInt8](repeating: 0x01, count: 20_000)
        expectDLMSError(.tooDeep) { _ = try COSEMData.decode(deep) }
        var ok: [UInt8] = []
        for _ in 0..<COSEMData.maximumDepth { ok += [0x02, 0x01] }
        ok.append(0x00)
        #expect(try COSEMData.decode(ok).consumed == ok.count)
        expectDLMSError(.tooDeep) { _ = try COSEMData.decode([0x02, 0x01] + ok) }
    }

    @Test("Compact array: contents-description, then the untagged values as one length-prefixed block")
    func compactArray() throws {
        // structure{long-unsigned, double-long-unsigned} × 2, then array(2) of unsigned × 1
        let description = TypeDescription.structure([.simple(.longUnsigned), .simple(.doubleLongUnsigned)])
        let value = COSEMData.compactArray(try CompactArray(contentsDescription: description, elements: [
            .structure([.longUnsigned(1), .doubleLongUnsigned(2)]),
            .structure([.longUnsigned(3), .doubleLongUnsigned(4)]),
        ]))
        try roundTrip("13 02 02 12 06 0C 00 01 00 00 00 02 00 03 00 00 00 04", value)
        try roundTrip("13 01 00 02 11 02 01 02", .compactArray(try CompactArray(
            contentsDescription: .array(count: 2, element: .simple(.unsigned)),
            elements: [.array([.unsigned(1), .unsigned(2)])])))
        // Variable-length members keep their length prefix inside the contents.
        try roundTrip("13 09 04 01 41 01 42", .compactArray(try CompactArray(
            contentsDescription: .simple(.octetString), elements: [.octetString([0x41]), .octetString([0x42])])))

        expectDLMSError(.truncated, at: 5) { _ = try COSEMData.decode(hexBytes("13 02 02 12 06 0C 00 01 00 00 00 02 00 03")) }
        // Contents that stop inside an element: offset of the missing byte.
        expectDLMSError(.truncated, at: 5) { _ = try COSEMData.decode(hexBytes("13 12 03 00 01 00")) }
        // Descriptions with parts of no size cannot be split by length: refused.
        expectDLMSError(.invalidValue, at: 1) { _ = try COSEMData.decode(hexBytes("13 00 00")) }
        expectDLMSError(.invalidValue, at: 1) { _ = try COSEMData.decode(hexBytes("13 01 FF FF 02 00 00")) }
        expectDLMSError(.unsupported, at: 1) { _ = try COSEMData.decode(hexBytes("13 13 00")) }
        #expect(throws: DLMSError.self) {
            _ = try CompactArray(contentsDescription: .simple(.unsigned), elements: [.long(1)])
        }
    }

    @Test("Date-time: fields, 'not specified' values, deviation sign and ISO 8601 (fact sheet §6.4 examples)")
    func dateTime() throws {
        // U9 SET test: 2021-01-24, weekday n/s, 14:48:57.80, deviation −60 (UTC+01:00), status 0.
        let a = try COSEMDateTime(bytes: hexBytes("07 E5 01 18 FF 0E 30 39 50 FF C4 00")[...])
        #expect(a.date.year == 2021 && a.date.month == 1 && a.date.dayOfMonth == 24 && a.date.dayOfWeek == 0xFF)
        #expect(a.deviation == -60 && a.utcOffsetMinutes == 60 && a.clockStatus == [])
        #expect(a.iso8601 == "2021-01-24T14:48:57.80+01:00")
        #expect(a.isValid)
        // U9 GET test: 2019-12-19 Thu 02:00:00.00, −60.
        let b = try COSEMDateTime(bytes: hexBytes("07 E3 0C 13 04 02 00 00 00 FF C4 00")[...])
        #expect(b.date.dayOfWeek == 4 && b.iso8601 == "2019-12-19T02:00:00.00+01:00")
        // U9 HAN frame: hundredths, deviation and status not specified.
        let c = try COSEMDateTime(bytes: hexBytes("07 E3 0C 10 01 07 3B 28 FF 80 00 FF")[...])
        #expect(c.utcOffsetMinutes == nil && !c.clockStatus.isSpecified && c.time.hundredths == 0xFF)
        #expect(c.iso8601 == "2019-12-16T07:59:40")
        #expect(c.encoded == hexBytes("07 E3 0C 10 01 07 3B 28 FF 80 00 FF"))
        // Selective-access example: deviation −120, status 80 = daylight saving active.
        let d = try COSEMDateTime(bytes: hexBytes("07 E2 06 01 FF 00 03 00 FF FF 88 80")[...])
        #expect(d.clockStatus == .daylightSavingActive && d.clockStatus.names == ["daylight_saving_active"])
        #expect(d.iso8601 == "2018-06-01T00:03:00+02:00")
        // Wildcards: DST begin month, last day; no ISO text, but a readable one.
        let e = COSEMDate(year: 0xFFFF, month: 0xFE, dayOfMonth: 0xFE, dayOfWeek: 7)
        #expect(e.iso8601 == nil && e.text == "*-dst-begin-last" && e.isValid)
        #expect(!COSEMDate(year: 2023, month: 2, dayOfMonth: 29).isValid)
        #expect(COSEMDate(year: 2024, month: 2, dayOfMonth: 29).isValid)
        #expect(!COSEMTime(hour: 24, minute: 0, second: 0, hundredths: 0).isValid)
        #expect(!COSEMDateTime(date: .notSpecified, time: .notSpecified, deviation: 900, clockStatus: []).isValid)
        // Date-times carried as octet-string(12), the usual form for the clock (fact sheet §6.2).
        #expect(COSEMData.octetString(a.encoded).dateTimeValue == a)
    }

    @Test("JSON uses stable names: type and value")
    func json() throws {
        #expect(COSEMData.doubleLongUnsigned(123_456).json.serialized() == #"{"type":"double-long-unsigned","value":123456}"#)
        #expect(COSEMData.visible("GRX").json.serialized() == #"{"type":"visible-string","value":"GRX"}"#)
        #expect(COSEMData.visibleString([0x41, 0x00]).json["hex"] == .string("4100"))
        #expect(COSEMData.octetString([0, 0, 42]).json.serialized() == #"{"type":"octet-string","value":"00002A"}"#)
        #expect(COSEMData.structure([.nullData, .bool(true)]).json.serialized()
                == #"{"type":"structure","value":[{"type":"null-data","value":null},{"type":"boolean","value":true}]}"#)
        #expect(COSEMData.float(21.5367).json["value"] == .double(21.5367))
        let dt = COSEMData.dateTime(try COSEMDateTime(bytes: hexBytes("07 E5 01 18 FF 0E 30 39 50 FF C4 00")[...]))
        #expect(dt.json["value"]?["iso8601"] == .string("2021-01-24T14:48:57.80+01:00"))
        #expect(dt.json["value"]?["day_of_week"] == .null)
        #expect(dt.json["value"]?["deviation"] == .int(-60))
        let last = COSEMData.date(COSEMDate(year: 0xFFFF, month: 0xFD, dayOfMonth: 0xFE))
        #expect(last.json["value"]?["month"] == .string("daylight_savings_end"))
        #expect(last.json["value"]?["day_of_month"] == .string("last_day"))
        for t in COSEMDataType.allCases { #expect(COSEMDataType(name: t.name) == t) }
    }
}
