import CodecSupport
import Testing
@testable import MeterBus

/// Fact sheet §2.1 (long header), §2.2 (other headers, mode 2), §3.5 (special DIFs), §8.10 (a decrypted payload), §9.1.
@Suite("Variable data structure (EN 13757-3, fact sheet §2, §3.5, §9.1)")
struct VariableDataStructureTests {
    @Test("§2.1/§9.1 manual_frame3 (libmbus): PAD 12345678 water; 12565 l; max storage 5 0.113 m³/h; tariff 2 subunit 1 21837×10 Wh")
    func manualFrame3() throws {
        let bytes = Spec.bytes(Spec.manualFrame3)
        let t = try Telegram.decode(bytes)
        guard case let .long(h)? = t.variableData?.header else { Issue.record("no long header"); return }
        #expect(h.id == "12345678" && h.manufacturer.letters == "PAD" && h.manufacturer.rawValue == 0x4024)
        #expect(h.version == 1 && h.deviceType == .water && h.accessNumber == 0x55 && h.status.rawValue == 0 && h.signature == 0)
        let r = t.records
        #expect(r.count == 3)
        #expect(r[0].value == .integer(12_565) && r[0].scaledNumber == 12.565 && r[0].meaning.unit == "m^3")
        #expect(r[1].function == .maximum && r[1].storage == 5 && r[1].scaledNumber == 0.113)
        #expect(r[2].tariff == 2 && r[2].subunit == 1 && r[2].value == .bcd(BCDNumber(bytes: [0x37, 0x18, 0x02])))
        #expect(r[2].scaledNumber == 218_370 && r[2].meaning.unit == "Wh")
        #expect(r.map(\.offset) == [19, 24, 29], "record offsets count from the frame's first byte")
        #expect(t.encoded() == bytes)
    }

    @Test("§9.1 manual_frame7 (libmbus): fabrication number 01020304, 8-digit BCD (libmbus prints 1020304)")
    func manualFrame7() throws {
        let t = try Telegram.decode(Spec.bytes(Spec.manualFrame7))
        let r = try #require(t.records.first)
        #expect(r.meaning.quantity == "Fabrication number" && r.meaning.kind == .identifier)
        #expect(r.value == .bcd(BCDNumber(bytes: [4, 3, 2, 1])))
        #expect(r.json["value"] == .int(1_020_304))
    }

    /// §8.10: the plaintext wmbusmeters' waterstarm telegram decrypts to (mode 5, re-run by the fact sheet's author),
    /// followed by the two plaintext records that trail the encrypted blocks.
    static let waterstarmPlaintext = "2F 2F 04 6D 28 2A 9E 27 04 13 6A 00 00 00 02 FD 17 00 00 04 93 3C 00 00 00 00 2F 2F 2F 2F 2F 2F"

    @Test("§8.10 decrypted records as CI 78: 2020-07-30 10:40, 0.106 m³, error flags 0, backward-flow volume 0")
    func waterstarm() throws {
        let bytes = Spec.longFrame(ci: 0x78, data: Spec.bytes(Self.waterstarmPlaintext + " 03 FD 0C 08 00 00 02 FD 0B 00 11"))
        let t = try Telegram.decode(bytes)
        let v = try #require(t.variableData)
        #expect(v.markersBefore == [[0x2F, 0x2F], [], [], [], Array(repeating: 0x2F, count: 6), [], []])
        let r = v.records
        #expect(r.count == 6)
        #expect(r[0].value == .dateTime(DateTimeTypeF(rawValue: 0x279E_2A28)))
        #expect(r[0].json["value"] == .string("2020-07-30T10:40:00"))
        #expect(r[1].scaledNumber == 0.106 && r[1].meaning.quantity == "Volume")
        #expect(r[2].meaning.quantity == "Error flags" && r[2].value == .integer(0))
        #expect(r[3].meaning.quantity == "Volume" && r[3].scaledNumber == 0)
        #expect(r[3].meaning.modifiers == ["accumulation of absolute value only if negative (backward flow)"])
        #expect(r[4].meaning.quantity == "Model / version" && r[4].value == .integer(8))
        #expect(r[5].meaning.quantity == "Parameter set identification" && r[5].value == .integer(0x1100))
        #expect(t.encoded() == bytes)
    }

    @Test("§2.2 mode 2 (CI 76): ID, manufacturer, signature and every data field sent high byte first (pyMeterBus isLSBOrder)")
    func mode2() throws {
        // Built by hand: the manual_frame3 header reversed field by field, signature 0x1234, and four records.
        let data = Spec.bytes("""
            12 34 56 78  40 24  01 07 55 00  12 34
            04 13 00 00 30 39
            0C 78 12 34 56 78
            04 6D 27 9E 2A 28
            02 FD 74 0D 2F
            """)
        let bytes = Spec.longFrame(ci: 0x76, data: data)
        let t = try Telegram.decode(bytes)
        let v = try #require(t.variableData)
        #expect(v.msbFirst)
        guard case let .long(h) = v.header else { Issue.record("no long header"); return }
        #expect(h.id == "12345678" && h.manufacturer.letters == "PAD" && h.signature == 0x1234 && h.deviceType == .water)
        #expect(v.records[0].scaledNumber == 12.345)
        #expect(v.records[1].value == .bcd(BCDNumber(bytes: [0x78, 0x56, 0x34, 0x12])))
        #expect(v.records[2].value == .dateTime(DateTimeTypeF(rawValue: 0x279E_2A28)))
        #expect(v.records[3].value == .integer(3375))
        #expect(t.userData?.ci == 0x76)
        #expect(t.encoded() == bytes)
    }

    @Test("§2.2 short header (CI 7A): access number, status, configuration field")
    func shortHeader() throws {
        let bytes = Spec.longFrame(ci: 0x7A, data: Spec.bytes("2A 04 00 05 01 13 07"))
        let t = try Telegram.decode(bytes)
        guard case let .short(h)? = t.variableData?.header else { Issue.record("no short header"); return }
        #expect(h.accessNumber == 0x2A && h.status.powerLow && h.signature == 0x0500)
        #expect(t.records.first?.scaledNumber == 0.007)
        #expect(t.encoded() == bytes)
    }

    // MARK: special DIFs (§3.5)

    @Test("0F: the rest is manufacturer data; 1F: the same and more records follow (libmbus, pyMeterBus, wmbusmeters, jMBus)")
    func manufacturerData() throws {
        let v0 = try #require(try Telegram.decode(Spec.longFrame(ci: 0x78, data: Spec.bytes("01 13 05 0F 01 02 0F"))).variableData)
        #expect(v0.records.count == 1 && v0.manufacturerData.map(Array.init) == [1, 2, 0x0F] && !v0.moreRecordsFollow)
        let v1 = try #require(try Telegram.decode(Spec.longFrame(ci: 0x78, data: Spec.bytes("1F"))).variableData)
        #expect(v1.records.isEmpty && v1.manufacturerData?.isEmpty == true && v1.moreRecordsFollow)
    }

    @Test("2F: idle filler, one byte skipped and kept for re-encoding")
    func fillers() throws {
        let bytes = Spec.longFrame(ci: 0x78, data: Spec.bytes("2F 01 13 05 2F 2F"))
        let t = try Telegram.decode(bytes)
        #expect(t.variableData?.markersBefore == [[0x2F], [0x2F, 0x2F]] && t.records.count == 1)
        #expect(t.variableData?.idleFillerCount == 3)
        #expect(t.encoded() == bytes)
    }

    @Test("7F: global readout request (exmbus), kept where it stands, also between records and fillers")
    func globalReadout() throws {
        let request = Spec.longFrame(c: 0x53, a: 0xFE, ci: 0x51, data: [0x7F])
        let t = try Telegram.decode(request)
        guard case let .dataSend(v)? = t.userData else { Issue.record("not a data send"); return }
        #expect(v.globalReadoutRequest && v.records.isEmpty)
        #expect(t.encoded() == request)
        // The fuzz test found a 7F between records moved to the front on re-encoding; it now stays in place.
        let late = Spec.longFrame(ci: 0x78, data: Spec.bytes("01 13 05 2F 7F 2F 01 13 06"))
        let lt = try Telegram.decode(late)
        #expect(lt.variableData?.markersBefore == [[], [0x2F, 0x7F, 0x2F], []] && lt.records.count == 2)
        #expect(lt.encoded() == late)
    }

    @Test("3F, 4F, 5F, 6F are reserved special functions → .invalidDIF at the DIF (exmbus: reserved)",
          arguments: [UInt8(0x3F), 0x4F, 0x5F, 0x6F])
    func reservedSpecial(dif: UInt8) {
        let e = Spec.recordError("01 13 05 " + String(format2: dif) + " 00")
        #expect(e?.code == .invalidDIF && e?.offset == Spec.dataOffset + 3)
    }

    @Test("a special-function data field with DIFEs (8F 00) is .invalidDIF at the DIF")
    func specialWithDIFE() {
        let e = Spec.recordError("8F 00 13 05")
        #expect(e?.code == .invalidDIF && e?.offset == Spec.dataOffset)
    }

    // MARK: errors and offsets

    @Test("a long header cut short is .truncated at the first missing byte (libmbus too_short_header)")
    func truncatedHeader() {
        let e = Spec.decodeError(Spec.longFrame(ci: 0x72, data: Spec.bytes("78 56 34 12 24")))
        #expect(e?.code == .truncated && e?.offset == 11)
        let empty = Spec.decodeError(Spec.bytes("68 03 03 68 08 01 72 7B 16"))
        #expect(empty?.code == .truncated && empty?.offset == 7, "control frame: the header would start at 7")
    }

    @Test("a record cut short is .truncated at its data; offsets are frame offsets even in a slice")
    func truncatedRecord() throws {
        let frame = Spec.longFrame(ci: 0x78, data: Spec.bytes("04 13 01 00"))
        let e = Spec.decodeError(frame)
        #expect(e?.code == .truncated && e?.offset == Spec.dataOffset + 2)
        let padded = [0x00, 0x00, 0x00] + frame
        do {
            _ = try Telegram.decode(padded[3...])
            Issue.record("decoded")
        } catch {
            #expect(error.code == .truncated && error.offset == Spec.dataOffset + 2)
        }
    }

    @Test("a structure built in code encodes and decodes back")
    func builtInCode() throws {
        let dib = try #require(DataInformationBlock(coding: .int32, storage: 3, tariff: 1))
        let record = DataRecord(dib: dib, vib: ValueInformationBlock(vif: 0x13), value: .integer(-5))
        let header = LongHeader(identification: try #require(BCDNumber(12_345_678, byteCount: 4)),
                                manufacturer: try #require(ManufacturerCode(letters: "KAM")), version: 2,
                                deviceType: .water, accessNumber: 9)
        let structure = VariableDataStructure(header: .long(header), records: [record])
        let t = try Telegram(control: ControlField(0x08), address: 1, userData: .variableData(structure))
        let bytes = try #require(t.encoded())
        let back = try Telegram.decode(bytes)
        #expect(back.records.first?.value == .integer(-5) && back.records.first?.storage == 3 && back.records.first?.tariff == 1)
        #expect(back.records.first?.scaledNumber == -0.005)
    }
}
