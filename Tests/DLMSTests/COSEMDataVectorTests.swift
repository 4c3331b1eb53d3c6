import CodecSupport
import Testing
@testable import DLMS

/// Data against independent truth: u9n/dlms-cosem test vectors and Gurux loopback sessions
/// (Fixtures/axdr; origin and licence in Fixtures/README.md).
@Suite("COSEM Data vectors")
struct COSEMDataVectorTests {
    /// Decodes a whole Data value and re-encodes it exactly.
    func decodeWhole(_ bytes: ArraySlice<UInt8>, sourceLocation: SourceLocation = #_sourceLocation) throws -> COSEMData {
        let (value, consumed) = try COSEMData.decode(bytes)
        #expect(consumed == bytes.count, sourceLocation: sourceLocation)
        #expect(value.encoded() == Array(bytes), sourceLocation: sourceLocation)
        return value
    }

    @Test("Every data-type vector decodes and re-encodes byte for byte")
    func allVectorsRoundTrip() throws {
        let vectors = try AXDRFixtures.u9Vectors()
        #expect(vectors.count == 33)
        var checked = 0
        for v in vectors {
            switch v.kind {
            case "data":
                _ = try decodeWhole(v.payload)
            case "data-sequence":
                var rest = v.payload
                while !rest.isEmpty {
                    let (value, consumed) = try COSEMData.decode(rest)
                    #expect(value.encoded() == Array(rest.prefix(consumed)), "\(v)")
                    rest = rest.dropFirst(consumed)
                }
            case "date": #expect(try COSEMDate(bytes: v.payload).encoded == Array(v.payload), "\(v)")
            case "time": #expect(try COSEMTime(bytes: v.payload).encoded == Array(v.payload), "\(v)")
            case "date-time": #expect(try COSEMDateTime(bytes: v.payload).encoded == Array(v.payload), "\(v)")
            case "obis": #expect(try OBISCode(bytes: v.payload).bytes == Array(v.payload), "\(v)")
            case "conformance": #expect(try Conformance(bytes: v.payload).bytes == Array(v.payload), "\(v)")
            case "get-with-list":
                var r = AXDRReader(v.payload)
                let n = try r.readCount()
                for _ in 0..<n {
                    #expect(try r.readChoiceTag() == 0x00, "\(v)")
                    _ = try COSEMData.decode(from: &r)
                }
                #expect(r.isAtEnd, "\(v)")
            case "bytes": break
            default: Issue.record("unknown kind \(v.kind) in \(v)")
            }
            checked += 1
        }
        #expect(checked == vectors.count)
    }

    @Test("Load profile (U9 test_a_xdr.py:31/83): array of 24 structure{date-time, status, value}")
    func loadProfile() throws {
        let withChoice = try AXDRFixtures.u9("test_a_xdr.py", line: 31)
        let bare = try AXDRFixtures.u9("test_a_xdr.py", line: 83)
        #expect(withChoice.bytes.count == 555)  // the U9 test asserts len(data) == 555
        #expect(withChoice.bytes.first == 0x00)  // Get-Data-Result: data
        let value = try decodeWhole(withChoice.payload)
        #expect(value == (try decodeWhole(bare.payload)))
        guard case let .array(rows) = value else { Issue.record("not an array"); return }
        #expect(rows.count == 24)
        #expect(rows.allSatisfy { $0.elements?.count == 3 })
        let first = try #require(rows.first?.elements)
        #expect(first[0].dateTimeValue?.date == COSEMDate(year: 2018, month: 2, dayOfMonth: 12, dayOfWeek: 5))
        #expect(first[0].dateTimeValue?.time == COSEMTime(hour: 0, minute: 0, second: 0, hundredths: 0))
        #expect(first[0].dateTimeValue?.utcOffsetMinutes == nil)
        #expect(first[1] == .unsigned(0))
        #expect(first[2] == .doubleLongUnsigned(100_000))
        for (hour, row) in rows.enumerated() {
            #expect(row.elements?[0].dateTimeValue?.time.hour == UInt8(hour))
        }
        #expect(rows.last?.elements?[2] == .doubleLongUnsigned(0x0001_AC00))
    }

    @Test("With-list results (U9 test_a_xdr.py:112/132/150 and test_get.py:424)")
    func withListResults() throws {
        let qos = try decodeWhole(try AXDRFixtures.u9("test_a_xdr.py", line: 132).payload)
        #expect(qos == .structure([.longUnsigned(720), .longUnsigned(3240), .unsigned(18), .unsigned(30), .integer(-64)]))
        let cell = try decodeWhole(try AXDRFixtures.u9("test_a_xdr.py", line: 150).payload)
        #expect(cell == .structure([.doubleLongUnsigned(0), .longUnsigned(0), .unsigned(0), .unsigned(0),
                                    .longUnsigned(0), .longUnsigned(0), .longUnsigned(0)]))
        // Line 112 is two with-list results: structure(7), the result choice 00, structure(5).
        let pair = try AXDRFixtures.u9("test_a_xdr.py", line: 112).payload
        let (first, n) = try COSEMData.decode(pair)
        #expect(n == 23)
        #expect(first == .structure([.doubleLongUnsigned(0x0190_560B), .longUnsigned(806), .unsigned(15), .unsigned(4),
                                     .longUnsigned(240), .longUnsigned(1), .longUnsigned(0)]))
        #expect(pair.dropFirst(n).first == 0x00)
        let (second, _) = try COSEMData.decode(pair.dropFirst(n + 1))
        #expect(second.elements?.count == 5 && second.elements?.last == .integer(-64))

        var r = AXDRReader(try AXDRFixtures.u9("test_get.py", line: 424).payload)
        #expect(try r.readCount() == 9)
        var results: [COSEMData] = []
        for _ in 0..<9 { _ = try r.readChoiceTag(); results.append(try COSEMData.decode(from: &r)) }
        #expect(results[0] == .longUnsigned(50) && results[6] == .longUnsigned(0x08FE))
        #expect(results[7].elements?.count == 7 && results[8].elements?.count == 5)
    }

    @Test("Strings, dates and times (U9 test_dlms_data.py, test_dlms_date_time_data.py, test_time.py)")
    func stringsDatesTimes() throws {
        for (line, text) in [(17, "Kamstrup_V0001"), (18, "5706567196382485"), (19, "6841131BN143101090")] {
            let v = try decodeWhole(try AXDRFixtures.u9("test_dlms_data.py", line: line).payload)
            #expect(v.stringValue == text)
            #expect(COSEMData.visible(text).encoded() == Array(try AXDRFixtures.u9("test_dlms_data.py", line: line).payload))
        }
        let han = try decodeWhole(try AXDRFixtures.u9("test_dlms_data.py", line: 7).payload)
        #expect(han.elements?.count == 25)  // U9 asserts 25 parsed values
        #expect(han.elements?[1].octets.flatMap { try? OBISCode(bytes: $0) } == OBISCode(1, 1, 0, 0, 5))
        #expect(han.elements?[6] == .doubleLongUnsigned(2342))
        #expect(han.elements?[24] == .longUnsigned(228))

        #expect(try decodeWhole(try AXDRFixtures.u9("test_dlms_date_time_data.py", line: 11).payload)
                == .date(COSEMDate(year: 2024, month: 11, dayOfMonth: 21)))
        #expect(try decodeWhole(try AXDRFixtures.u9("test_dlms_date_time_data.py", line: 25).payload) == .date(.notSpecified))
        #expect(try COSEMDate(bytes: try AXDRFixtures.u9("test_dlms_date_time_data.py", line: 29).payload) == .notSpecified)
        let t = try decodeWhole(try AXDRFixtures.u9("test_dlms_date_time_data.py", line: 39).payload)
        #expect(t == .time(COSEMTime(hour: 8, minute: 30, second: 15, hundredths: 23)))  // time(8, 30, 15, 230000)
        #expect(try decodeWhole(try AXDRFixtures.u9("test_dlms_date_time_data.py", line: 53).payload) == .time(.notSpecified))
        #expect(try COSEMTime(bytes: try AXDRFixtures.u9("test_dlms_date_time_data.py", line: 57).payload) == .notSpecified)
        #expect(COSEMDate.notSpecified.iso8601 == nil && COSEMTime.notSpecified.iso8601 == nil)

        // test_time.py: the same instants U9 builds with dateutil.
        let expectations = [(13, "2020-01-01T00:03:00.00+02:00"), (17, "2020-01-06T00:03:00.00+01:00"), (21, "2018-02-12T00:00:00.00")]
        for (line, iso) in expectations {
            #expect(try COSEMDateTime(bytes: try AXDRFixtures.u9("test_time.py", line: line).payload).iso8601 == iso)
        }
        let withList = try AXDRFixtures.u9("test_get.py", line: 398)
        #expect(try COSEMDateTime(bytes: withList.payload).iso8601 == "2021-06-03T14:09:23.00+01:00")
        #expect(try COSEMDateTime(bytes: withList.payload).date.dayOfWeek == 4)  // Thursday
    }

    @Test("Selective access, SET, ACTION, GET and notification data (U9 test_xdlms)")
    func xdlmsData() throws {
        let cod = try decodeWhole(try AXDRFixtures.u9("test_selective_access.py", line: 20).payload)
        #expect(cod == .structure([.longUnsigned(8), OBISCode.clock.data, .integer(2), .longUnsigned(0)]))
        let range = try decodeWhole(try AXDRFixtures.u9("test_selective_access.py", line: 78).payload)
        #expect(range.elements?.count == 4)
        #expect(range.elements?[1].dateTimeValue?.iso8601 == "2020-01-01T00:03:00.00+02:00")
        #expect(range.elements?[2].dateTimeValue?.iso8601 == "2020-01-06T00:03:00.00+01:00")
        #expect(range.elements?[3] == .array([]))  // all columns

        let set = try decodeWhole(try AXDRFixtures.u9("test_set.py", line: 16).payload)
        #expect(set.dateTimeValue?.iso8601 == "2021-01-24T14:48:57.80+01:00")
        let action = try decodeWhole(try AXDRFixtures.u9("test_action.py", line: 16).payload)
        #expect(action.octets?.count == 17)
        #expect(try decodeWhole(try AXDRFixtures.u9("test_get.py", line: 158).payload) == .doubleLongUnsigned(5009))
        #expect(try decodeWhole(try AXDRFixtures.u9("test_data_notification.py", line: 15).payload).octets?.count == 34)

        let buffer = try decodeWhole(try AXDRFixtures.u9("test_parsers.py", line: 6).payload)
        #expect(buffer.elements?.count == 4)
        #expect(buffer.elements?[0].elements?[0].dateTimeValue?.iso8601 == "2019-12-31T23:00:00.00+01:00")
        #expect(buffer.elements?[0].elements?[2] == .doubleLongUnsigned(1517))
        #expect(buffer.elements?[1].elements?[0] == .nullData)  // later rows leave the time to the reader

        var r = AXDRReader(try AXDRFixtures.u9("test_get.py", line: 392).payload)
        #expect(try r.readCount() == 2)
        _ = try r.readChoiceTag()
        #expect(try COSEMData.decode(from: &r).octets == Array(try AXDRFixtures.u9("test_get.py", line: 396).payload))
        _ = try r.readChoiceTag()
        #expect(try COSEMData.decode(from: &r).octets == Array(try AXDRFixtures.u9("test_get.py", line: 398).payload))
    }

    @Test("Gurux loopback GET responses: object list, logical device name, energy register, clock")
    func guruxLoopback() throws {
        let file = try AXDRFixtures.gurux()
        #expect(file.exchanges.count == 8)
        for x in file.exchanges {
            let value = try decodeWhole(x.data)
            switch x.requestedOBIS {
            case OBISCode.currentAssociation?:
                let rows = try #require(value.elements)
                let listed = rows.compactMap { row -> String? in
                    guard let e = row.elements, e.count == 4, let ln = e[2].octets,
                          let code = try? OBISCode(bytes: ln), let cls = e[0].integerValue else { return nil }
                    return "\(cls) v\(e[1].integerValue ?? -1) \(code)"
                }
                #expect(listed == ["15 v2 0-0:40.0.0*255", "1 v0 0-0:42.0.0*255", "8 v0 0-0:1.0.0*255",
                                   "3 v0 1-0:1.8.0*255", "1 v0 0-0:43.1.0*255"])
            case OBISCode.logicalDeviceName?:
                #expect(value == .visible("GRX0000123456789"))  // Gurux client: "Value: GRX0000123456789"
            case OBISCode.activeEnergyImport?:
                #expect(value == .doubleLong(123_456))  // "Value: 123456"
            case OBISCode.clock?:
                let dt = try #require(value.dateTimeValue)  // "Value: 11/25/26 08:08:44:000000"
                #expect(dt.iso8601 == "2026-11-25T08:08:44.00Z")
                #expect(dt.deviation == 0 && dt.clockStatus == [] && dt.date.dayOfWeek == 0xFF)
            default:
                Issue.record("unexpected request in \(x.exchange)")
            }
        }
    }

    @Test("Gurux loopback conformance blocks: proposed and granted")
    func guruxConformance() throws {
        let blocks = try AXDRFixtures.gurux().conformance_blocks
        let proposed = try Conformance.decode(ber: hexBytes(blocks[0].ber)[...]).value
        #expect(proposed.bits == [1, 11, 12, 13, 14, 17, 19, 20, 21, 23])
        #expect(proposed.contains(.generalProtection) && proposed.contains(.access))
        let granted = try Conformance.decode(ber: hexBytes(blocks[1].ber)[...]).value
        #expect(granted == [.blockTransferWithGetOrRead, .multipleReferences, .get, .set, .selectiveAccess, .action])
        #expect(granted.berEncoded == hexBytes(blocks[1].ber))
    }
}
