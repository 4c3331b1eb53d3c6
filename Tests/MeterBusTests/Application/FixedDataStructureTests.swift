import Testing
@testable import MeterBus

/// Fact sheet §2.6: CI 73 (mode 1) / 77 (mode 2), the 16-byte fixed data structure (libmbus, Valley.Net).
@Suite("Fixed data structure (EN 13757-3, fact sheet §2.6)")
struct FixedDataStructureTests {
    @Test("manual_frame2 (libmbus): ID 12345678, access 10, BCD actual; water; counter 1 = 1 l, counter 2 = 135 historic")
    func manualFrame2() throws {
        let bytes = Spec.bytes(Spec.manualFrame2)
        let t = try Telegram.decode(bytes)
        guard case let .fixedData(f)? = t.userData else { Issue.record("not fixed data"); return }
        #expect(f.id == "12345678" && f.accessNumber == 10 && f.status == 0)
        #expect(!f.countersAreBinary && !f.countersAreStored)
        #expect(f.mediumUnit1 == 0xE9 && f.mediumUnit2 == 0x7E)
        #expect(f.medium == 7 && f.mediumName == "Water", "3 | 1 << 2")
        #expect(f.counterUnit(1).code == 0x29 && f.counterUnit(1).name == "m^3" && f.counterUnit(1).scaled?.exponent == -3)
        #expect(f.counterValue(1) == 1 && f.counterValue(2) == 135)
        #expect(f.counterUnit(2).isHistoric && f.counterUnit(2).code == 0x29, "3E: same unit as counter 1, historic")
        #expect(t.encoded() == bytes)
    }

    @Test("status bits (libmbus): 0x80 binary counters, 0x40 stored values")
    func statusBits() throws {
        let data = Spec.bytes("78 56 34 12 0A C0 E9 29 01 01 00 00 35 01 00 00")
        let t = try Telegram.decode(Spec.longFrame(ci: 0x73, data: data))
        guard case let .fixedData(f)? = t.userData else { Issue.record("not fixed data"); return }
        #expect(f.countersAreBinary && f.countersAreStored)
        #expect(f.counterValue(1) == 0x0101 && f.counterValue(2) == 0x0135)
    }

    @Test("unit codes (Valley.Net FixedDataUnits, libmbus comment table)", arguments: [
        (UInt8(0x02), "Wh", 0), (0x0A, "Wh", 8), (0x0B, "J", 3), (0x13, "J", 11), (0x14, "W", 0), (0x1C, "W", 8),
        (0x1D, "J/h", 3), (0x25, "J/h", 11), (0x26, "m^3", -6), (0x2E, "m^3", 2), (0x2F, "m^3/h", -6), (0x37, "m^3/h", 2),
        (0x38, "°C", -3),
    ])
    func units(code: UInt8, unit: String, exponent: Int) {
        let u = FixedDataUnit(code: code)
        #expect(u.scaled?.unit == unit && u.scaled?.exponent == exponent)
    }

    @Test("unit codes without SI scaling", arguments: [(UInt8(0x00), "h,m,s"), (0x01, "D,M,Y"), (0x39, "units for HCA"),
                                                     (0x3A, "reserved"), (0x3E, "same but historic"), (0x3F, "without units")])
    func unitNames(code: UInt8, name: String) {
        #expect(FixedDataUnit(code: code).scaled == nil && FixedDataUnit(code: code).name == name)
    }

    @Test("CI 77 (mode 2): ID and counters high byte first")
    func mode2() throws {
        let bytes = Spec.longFrame(ci: 0x77, data: Spec.bytes("12 34 56 78 0A 00 E9 7E 00 00 00 01 00 00 01 35"))
        let t = try Telegram.decode(bytes)
        guard case let .fixedData(f)? = t.userData else { Issue.record("not fixed data"); return }
        #expect(f.msbFirst && f.id == "12345678" && f.counterValue(1) == 1 && f.counterValue(2) == 135)
        #expect(t.encoded() == bytes)
    }

    @Test("wrong length: 12 bytes → .truncated at the frame end; 17 bytes → .trailingBytes at the 17th")
    func lengths() {
        let short = Spec.decodeError(Spec.longFrame(ci: 0x73, data: Array(repeating: 0, count: 12)))
        #expect(short?.code == .truncated && short?.offset == Spec.dataOffset + 12)
        let long = Spec.decodeError(Spec.longFrame(ci: 0x73, data: Array(repeating: 0, count: 17)))
        #expect(long?.code == .trailingBytes && long?.offset == Spec.dataOffset + 16)
    }
}
