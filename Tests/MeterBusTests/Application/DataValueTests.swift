import CodecSupport
import Testing
@testable import MeterBus

/// Fact sheet §3.2 (data field codings), §3.6 (LVAR), §3.7 (signs), §3.8 (text byte order).
@Suite("Data values (EN 13757-3, fact sheet §3.2, §3.6–§3.8)")
struct DataValueTests {
    @Test("§3.7 negative BCD: 0B 3B 02 00 F0 = −0.002 m³/h (wmbusmeters 'Negative power values', §9.1)")
    func negativeBCD() throws {
        let r = try Spec.record("0B 3B 02 00 F0")
        #expect(r.value == .bcd(BCDNumber(bytes: [0x02, 0x00, 0xF0])))
        #expect(r.meaning.quantity == "Volume flow" && r.meaning.unit == "m^3/h")
        #expect(r.scaledNumber == -0.002)
    }

    @Test("§3.2 integers are two's complement, little-endian (libmbus, pyMeterBus, jMBus, wmbusmeters, exmbus)", arguments: [
        ("01 13 FF", Int64(-1)), ("02 13 00 80", -32_768), ("03 13 FF FF 7F", 8_388_607),
        ("04 13 01 00 00 80", -2_147_483_647), ("06 13 FF FF FF FF FF FF", -1),
        ("07 13 FF FF FF FF FF FF FF 7F", Int64.max),
    ])
    func integers(hex: String, value: Int64) throws {
        #expect(try Spec.record(hex).value == .integer(value))
    }

    @Test("§3.2 real: IEEE-754 single, little-endian; 05 2B 00 00 C8 42 = 100 W")
    func real() throws {
        let r = try Spec.record("05 2B 00 00 C8 42")
        #expect(r.value.floatValue == 100 && r.scaledNumber == 100)
    }

    @Test("§3.2 data field 0 carries no data; 8 (selection for readout) neither")
    func noData() throws {
        #expect(try Spec.record("00 13").value == .none)
        #expect(try Spec.record("08 13").value == .none)
    }

    // MARK: LVAR (§3.6)

    @Test("LVAR 00–BF: text of n bytes, right-most character first (libmbus, pyMeterBus, jMBus)")
    func lvarText() throws {
        #expect(try Spec.record("0D FD 0C 03 43 42 41").value == .text("ABC"))
        #expect(try Spec.record("0D FD 0C 00").value == .text(""))
        let long = try Spec.record("0D FD 0C BF" + String(repeating: " 41", count: 0xBF))
        #expect(long.value == .text(String(repeating: "A", count: 0xBF)))
    }

    @Test("LVAR C0–C9: positive BCD of (n−C0h) bytes, D0–D9 negative (exmbus's reading of EN 13757-3:2018 Table 5)")
    func lvarBCD() throws {
        let pos = try Spec.record("0D 13 C2 34 12")
        #expect(pos.value == .variableBCD(BCDNumber(bytes: [0x34, 0x12]), negative: false) && pos.scaledNumber == 1.234)
        let neg = try Spec.record("0D 13 D2 34 12")
        #expect(neg.value.number == -1234)
        #expect(try Spec.record("0D 13 C9" + String(repeating: " 99", count: 9)).value.number == Double(Int64(999_999_999_999_999_999)))
        #expect(try Spec.record("0D 13 C0").value.number == 0)
    }

    @Test("LVAR E0–EF: binary of (n−E0h) bytes; F0–F4: 4·(n−ECh); F5: 48; F6: 64 (exmbus documentation, libmbus)",
          arguments: [(UInt8(0xE0), 0), (0xE3, 3), (0xEF, 15), (0xF0, 16), (0xF4, 32), (0xF5, 48), (0xF6, 64)])
    func lvarBinary(lvar: UInt8, length: Int) throws {
        #expect(DataValue.lengthAnnounced(byLVAR: lvar) == length)
        let data = (0..<length).map { UInt8(truncatingIfNeeded: $0 + 1) }
        let r = try Spec.record("0D 13 " + String(format2: lvar) + data.map { " " + String(format2: $0) }.joined())
        #expect(r.value == .binary(data, lvar: lvar))
        if length == 3 { #expect(r.value.number == Double(0x030201)) }
        if length > 8 { #expect(r.value.number == nil) }
    }

    @Test("LVAR F7–FF: no coding defines them → .invalidLVAR at the LVAR byte", arguments: Array(UInt8(0xF7)...0xFF))
    func lvarInvalid(lvar: UInt8) {
        let e = Spec.recordError("0D 13 " + String(format2: lvar) + " 00 00 00 00")
        #expect(e?.code == .invalidLVAR && e?.offset == Spec.dataOffset + 2)
        #expect(DataValue.lengthAnnounced(byLVAR: lvar) == nil)
    }

    @Test("LVAR announcing more than is left is .truncated at the end of the data")
    func lvarTruncated() {
        let e = Spec.recordError("0D 13 05 41 42")
        #expect(e?.code == .truncated && e?.offset == Spec.dataOffset + 3)
        let missing = Spec.recordError("0D 13")
        #expect(missing?.code == .truncated && missing?.offset == Spec.dataOffset + 2)
    }

    // MARK: encoding

    /// One vector per DataValue case: (coding, VIF kind, data bytes including LVAR, expected value).
    static let cases: [(DataFieldCoding, ValueKind, String, DataValue)] = [
        (.noData, .quantity, "", .none),
        (.selectionForReadout, .quantity, "", .none),
        (.int8, .quantity, "80", .integer(-128)),
        (.int16, .quantity, "FF 7F", .integer(32_767)),
        (.int24, .quantity, "00 00 80", .integer(-8_388_608)),
        (.int32, .quantity, "78 56 34 12", .integer(0x1234_5678)),
        (.int48, .quantity, "01 00 00 00 00 80", .integer(-140_737_488_355_327)),
        (.int64, .quantity, "00 00 00 00 00 00 00 80", .integer(Int64.min)),
        (.real32, .quantity, "00 00 C8 42", .real(bitPattern: 0x42C8_0000)),
        (.bcd2, .quantity, "99", .bcd(BCDNumber(bytes: [0x99]))),
        (.bcd4, .quantity, "13 01", .bcd(BCDNumber(bytes: [0x13, 0x01]))),
        (.bcd6, .quantity, "02 00 F0", .bcd(BCDNumber(bytes: [0x02, 0x00, 0xF0]))),
        (.bcd8, .identifier, "04 03 02 01", .bcd(BCDNumber(bytes: [4, 3, 2, 1]))),
        (.bcd12, .quantity, "BD EB DD DD 00 00", .bcd(BCDNumber(bytes: [0xBD, 0xEB, 0xDD, 0xDD, 0, 0]))),
        (.int16, .date, "1F 33", .date(DateTypeG(rawValue: 0x331F))),
        (.int32, .dateTime, "28 2A 9E 27", .dateTime(DateTimeTypeF(rawValue: 0x279E_2A28))),
        (.int48, .dateTime, "1C 1F 0E F0 21 00", .dateTimeWithSeconds(DateTimeTypeI(bytes: [0x1C, 0x1F, 0x0E, 0xF0, 0x21, 0x00])!)),
        (.int24, .dateTime, "3B 30 0B", .timeOfDay(TimeTypeJ(bytes: [0x3B, 0x30, 0x0B])!)),
        (.variableLength, .identifier, "03 43 42 41", .text("ABC")),
        (.variableLength, .identifier, "02 E9 FF", .text("ÿé")),
        (.variableLength, .quantity, "C2 34 12", .variableBCD(BCDNumber(bytes: [0x34, 0x12]), negative: false)),
        (.variableLength, .quantity, "D1 07", .variableBCD(BCDNumber(bytes: [0x07]), negative: true)),
        (.variableLength, .quantity, "E2 01 02", .binary([1, 2], lvar: 0xE2)),
        (.variableLength, .quantity, "F0" + String(repeating: " AB", count: 16), .binary(Array(repeating: 0xAB, count: 16), lvar: 0xF0)),
    ]

    @Test("every DataValue case: decode gives the value, encoded(for:) gives the bytes back (mode 1 and mode 2)")
    func roundTrip() {
        for (coding, kind, hex, value) in Self.cases {
            let all = Spec.bytes(hex)
            let lvar: UInt8? = coding == .variableLength ? all.first : nil
            let data = coding == .variableLength ? all.dropFirst() : all[...]
            let decoded = DataValue.decode(coding: coding, lvar: lvar, data: data, kind: kind, msbFirst: false)
            #expect(decoded == value, "\(coding) \(hex)")
            #expect(value.encoded(for: coding) == all, "\(coding) \(hex)")
            // Mode 2 (CI 76): fixed-length fields are sent high byte first (pyMeterBus isLSBOrder).
            let reversed = coding == .variableLength ? all : all.reversed()
            let data2 = coding == .variableLength ? reversed.dropFirst() : reversed[...]
            #expect(DataValue.decode(coding: coding, lvar: lvar, data: data2, kind: kind, msbFirst: true) == value, "mode 2 \(hex)")
            #expect(value.encoded(for: coding, msbFirst: true) == reversed, "mode 2 \(hex)")
        }
    }

    @Test("encoded(for:) refuses values that do not fit the coding")
    func refusals() {
        #expect(DataValue.integer(128).encoded(for: .int8) == nil)
        #expect(DataValue.integer(-129).encoded(for: .int8) == nil)
        #expect(DataValue.integer(1 << 47).encoded(for: .int48) == nil)
        #expect(DataValue.integer(1).encoded(for: .bcd2) == nil)
        #expect(DataValue.bcd(BCDNumber(bytes: [1, 2])).encoded(for: .bcd2) == nil)
        #expect(DataValue.none.encoded(for: .int8) == nil)
        #expect(DataValue.text(String(repeating: "x", count: 0xC0)).encoded(for: .variableLength) == nil)
        #expect(DataValue.binary([1, 2, 3], lvar: 0xE2).encoded(for: .variableLength) == nil, "LVAR says 2 bytes")
        #expect(DataValue.binary([1], lvar: 0x01).encoded(for: .variableLength) == nil, "LVAR 01 is text")
        #expect(DataValue.date(DateTypeG(rawValue: 0)).encoded(for: .int32) == nil)
        #expect(DataValue.real(bitPattern: 0).encoded(for: .int32) == nil)
    }

    @Test("random integers round-trip through every integer width")
    func randomIntegers() {
        var rng = SplitMix64(seed: 7)
        for coding in [DataFieldCoding.int8, .int16, .int24, .int32, .int48, .int64] {
            let width = coding.fixedLength!
            for _ in 0..<300 {
                let bytes = (0..<width).map { _ in UInt8.random(in: 0...255, using: &rng) }
                let v = DataValue.decode(coding: coding, lvar: nil, data: bytes[...], kind: .quantity, msbFirst: false)
                #expect(v.encoded(for: coding) == bytes)
            }
        }
    }
}
