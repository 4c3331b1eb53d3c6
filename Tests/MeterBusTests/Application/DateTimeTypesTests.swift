import Testing
@testable import MeterBus

/// Fact sheet §6: types G, F, I and J.
@Suite("Date and time types (EN 13757-3 annex, fact sheet §6)")
struct DateTimeTypesTests {
    @Test("type G: 1F 33 = 2024-03-31 (wmbusmeters kamheat, record 42 6C 1F 33, storage 1; §6.1)")
    func typeG() throws {
        let g = DateTypeG(rawValue: 0x331F)
        #expect(g.day == 31 && g.month == 3 && g.year7 == 24 && g.year == 2024 && g.isValid)
        #expect(g.iso8601 == "2024-03-31")
        #expect(DateTypeG(year: 2024, month: 3, day: 31) == g)
        let r = try Spec.record("42 6C 1F 33")
        #expect(r.storage == 1 && r.value == .date(g))
    }

    @Test("type F: 28 2A 9E 27 = 2020-07-30 10:40, hy = 1 (wmbusmeters waterstarm, §6.2)")
    func typeF1() throws {
        let f = DateTimeTypeF(rawValue: 0x279E_2A28)
        #expect(f.minute == 40 && f.hour == 10 && f.day == 30 && f.month == 7)
        #expect(f.hundredYear == 1 && f.year7 == 20 && f.year == 2020 && !f.isSummerTime && !f.isInvalidFlagSet)
        #expect(f.iso8601 == "2020-07-30T10:40:00" && f.isValid)
        #expect(try Spec.record("04 6D 28 2A 9E 27").value == .dateTime(f))
    }

    @Test("type F: 3B 17 FE 29 = 2023-09-30 23:59, hy = 0 (wmbusmeters 'Negative power values', §6.2)")
    func typeF2() {
        let f = DateTimeTypeF(rawValue: 0x29FE_173B)
        #expect(f.hundredYear == 0 && f.year7 == 23 && f.iso8601 == "2023-09-30T23:59:00")
        #expect(DateTimeTypeF(year: 2023, month: 9, day: 30, hour: 23, minute: 59) == f)
    }

    @Test("type F century: hy = 0 and y ≤ 80 → 2000 + y, otherwise 1900 + 100·hy + y (libmbus, exmbus)")
    func typeFCentury() {
        func f(hy: UInt32, y: UInt32) -> DateTimeTypeF {
            DateTimeTypeF(rawValue: 1 << 24 | 1 << 16 | hy << 13 | (y & 7) << 21 | (y >> 3) << 28)
        }
        #expect(f(hy: 0, y: 80).year == 2080)
        #expect(f(hy: 0, y: 81).year == 1981)
        #expect(f(hy: 1, y: 20).year == 2020)
        #expect(f(hy: 2, y: 5).year == 2105)
    }

    @Test("type F flags: IV (byte 0 bit 7) makes the value invalid, SU is byte 1 bit 7 (libmbus)")
    func typeFFlags() {
        let iv = DateTimeTypeF(rawValue: 0x279E_2A28 | 0x80)
        #expect(iv.isInvalidFlagSet && !iv.isValid && iv.minute == 40)
        #expect(DateTimeTypeF(rawValue: 0x279E_2A28 | 0x8000).isSummerTime)
        #expect(!DateTimeTypeF(rawValue: 0x0000_0000).isValid, "month 0")
    }

    @Test("type I: 1C 1F 0E F0 21 00 = 2023-01-16 14:31:28 (wmbusmeters watertech, §6.3)")
    func typeI() throws {
        let i = try #require(DateTimeTypeI(bytes: Spec.bytes("1C 1F 0E F0 21 00")))
        #expect(i.second == 28 && i.minute == 31 && i.hour == 14 && i.dayOfWeek == 0)
        #expect(i.day == 16 && i.month == 1 && i.year7 == 23 && i.week == 0)
        #expect(i.iso8601 == "2023-01-16T14:31:28" && i.isValid)
        #expect(try Spec.record("06 6D 1C 1F 0E F0 21 00").value == .dateTimeWithSeconds(i))
        #expect(DateTimeTypeI(bytes: [1, 2, 3]) == nil)
    }

    @Test("type J: 3B 30 0B = 11:48:59 (exmbus doctest, §6.4), with VIF 6D and a 24-bit data field")
    func typeJ() throws {
        let j = try #require(TimeTypeJ(bytes: Spec.bytes("3B 30 0B")))
        #expect(j.hour == 11 && j.minute == 48 && j.second == 59 && j.iso8601 == "11:48:59" && j.isValid)
        #expect(try Spec.record("03 6D 3B 30 0B").value == .timeOfDay(j))
    }

    @Test("calendar validity: leap years and month lengths")
    func calendar() {
        #expect(DateTypeG(year: 2024, month: 2, day: 29)!.isValid)
        #expect(!DateTypeG(year: 2023, month: 2, day: 29)!.isValid)
        #expect(!DateTypeG(year: 2023, month: 4, day: 31)!.isValid)
        #expect(!DateTypeG(year: 2023, month: 13, day: 1)!.isValid)
        #expect(!DateTypeG(rawValue: 0xFFFF).isValid, "FF FF is invalid (exmbus)")
        #expect(DateTypeG(year: 1999, month: 1, day: 1) == nil)
    }
}
