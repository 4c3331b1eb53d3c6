import CodecSupport
import Testing
@testable import MeterBus

/// Fact sheet §3.1 (DIF bits), §3.3 (DIFE accumulation), §3.4 (at most 10 DIFEs).
@Suite("Data information block (EN 13757-3, fact sheet §3.1–§3.4)")
struct DataInformationBlockTests {
    struct Row: Sendable, CustomTestStringConvertible {
        var hex: String, storage: UInt64, tariff: UInt32, subunit: UInt16, function: RecordFunction, source: String
        var testDescription: String { "\(hex) (\(source))" }
    }

    /// The five worked DIFE rows of fact sheet §3.3, from libmbus manual_frame3 and wmbusmeters tests.
    static let rows: [Row] = [
        Row(hex: "DA 02 3B 13 01", storage: 5, tariff: 0, subunit: 0, function: .maximum, source: "libmbus manual_frame3"),
        Row(hex: "8B 60 04 37 18 02", storage: 0, tariff: 2, subunit: 1, function: .instantaneous, source: "libmbus manual_frame3"),
        Row(hex: "84 80 40 14 01 00 00 00", storage: 0, tariff: 0, subunit: 2, function: .instantaneous, source: "wmbusmeters Kamstrup"),
        Row(hex: "CC 20 13 23 46 24 00", storage: 1, tariff: 2, subunit: 0, function: .instantaneous, source: "wmbusmeters 'Negative power values'"),
        Row(hex: "C4 01 6D 3B 17 FE 29", storage: 3, tariff: 0, subunit: 0, function: .instantaneous, source: "wmbusmeters 'Negative power values'"),
    ]

    @Test("§3.3 worked examples: storage, tariff, subunit and function", arguments: rows)
    func workedRows(row: Row) throws {
        let r = try Spec.record(row.hex)
        #expect(r.storage == row.storage && r.tariff == row.tariff && r.subunit == row.subunit && r.function == row.function)
    }

    @Test("§3.3 values: 0.113 m³/h, 218.37 kWh, 244.623 m³, 2023-09-30 23:59")
    func workedValues() throws {
        #expect(try Spec.record("DA 02 3B 13 01").scaledNumber == 0.113)
        #expect(try Spec.record("8B 60 04 37 18 02").scaledNumber == 218_370)  // Wh
        #expect(try Spec.record("CC 20 13 23 46 24 00").scaledNumber == 244.623)
        #expect(try Spec.record("C4 01 6D 3B 17 FE 29").value == .dateTime(DateTimeTypeF(rawValue: 0x29FE_173B)))
        #expect(try Spec.record("84 80 40 14 01 00 00 00").scaledNumber == 0.01)  // VIF 14: 10^-2 m³
    }

    @Test("the builder gives the shortest DIB: the §3.3 rows come back byte for byte")
    func builderMatchesRows() {
        #expect(DataInformationBlock(coding: .bcd4, function: .maximum, storage: 5)?.bytes == [0xDA, 0x02])
        #expect(DataInformationBlock(coding: .bcd6, tariff: 2, subunit: 1)?.bytes == [0x8B, 0x60])
        #expect(DataInformationBlock(coding: .int32, subunit: 2)?.bytes == [0x84, 0x80, 0x40])
        #expect(DataInformationBlock(coding: .bcd8, storage: 1, tariff: 2)?.bytes == [0xCC, 0x20])
        #expect(DataInformationBlock(coding: .int32, storage: 3)?.bytes == [0xC4, 0x01])
        #expect(DataInformationBlock(coding: .int32, storage: 1)?.bytes == [0x44], "storage 1 needs no DIFE")
        #expect(DataInformationBlock(coding: .noData)?.bytes == [0x00])
    }

    @Test("builder round trip for random storage (41 bits), tariff (20 bits) and subunit (10 bits)")
    func builderRoundTrip() throws {
        var rng = SplitMix64(seed: 33)
        for _ in 0..<2_000 {
            let storage = UInt64.random(in: 0...(1 << 41 - 1), using: &rng) >> UInt64.random(in: 0...41, using: &rng)
            let tariff = UInt32.random(in: 0...(1 << 20 - 1), using: &rng) >> UInt32.random(in: 0...20, using: &rng)
            let subunit = UInt16.random(in: 0...(1 << 10 - 1), using: &rng) >> UInt16.random(in: 0...10, using: &rng)
            let coding = DataFieldCoding.allCases.filter { $0 != .specialFunction }.randomElement(using: &rng)!
            let function = RecordFunction.allCases.randomElement(using: &rng)!
            guard let dib = DataInformationBlock(coding: coding, function: function, storage: storage, tariff: tariff, subunit: subunit) else {
                Issue.record("nil for \(storage) \(tariff) \(subunit)"); continue
            }
            #expect(dib.storage == storage && dib.tariff == tariff && dib.subunit == subunit)
            #expect(dib.coding == coding && dib.function == function)
            // Minimal: as many DIFEs as the widest field needs, and the last one carries no extension bit.
            let needed = max(bits(storage >> 1).divCeil(4), bits(UInt64(tariff)).divCeil(2), bits(UInt64(subunit)))
            #expect(dib.difes.count == needed)
            #expect((dib.dif & 0x80 != 0) == !dib.difes.isEmpty)
            #expect(dib.difes.dropLast().allSatisfy { $0 & 0x80 != 0 } && (dib.difes.last ?? 0) & 0x80 == 0)
            // And it decodes back from the wire.
            var c = ByteCursor(dib.bytes)
            #expect(try DataInformationBlock.decode(&c, origin: 0) == dib)
        }
    }

    @Test("builder refuses fields wider than 10 DIFEs")
    func builderLimits() {
        #expect(DataInformationBlock(coding: .int8, storage: 1 << 41 - 1) != nil)
        #expect(DataInformationBlock(coding: .int8, storage: 1 << 41) == nil)
        #expect(DataInformationBlock(coding: .int8, tariff: 1 << 20) == nil)
        #expect(DataInformationBlock(coding: .int8, subunit: 1 << 10) == nil)
    }

    @Test("10 DIFEs are accepted; the 11th is .tooManyDIFEs at its offset (§3.4: libmbus, wmbusmeters, jMBus)")
    func difeLimit() throws {
        let ten = "84" + String(repeating: " 80", count: 9) + " 00 13 01 00 00 00"
        let r = try Spec.record(ten)
        #expect(r.dib.difes.count == 10 && r.scaledNumber == 0.001)
        let eleven = "84" + String(repeating: " 80", count: 10) + " 00 13 01 00 00 00"
        let e = try #require(Spec.recordError(eleven))
        // DIF at frame offset 7, DIFEs at 8…17, the 11th at 18.
        #expect(e.code == .tooManyDIFEs && e.offset == Spec.dataOffset + 11)
    }

    @Test("a DIF that announces a DIFE at the end of the data is .truncated at the frame's end")
    func truncatedDIFE() {
        let e = Spec.recordError("04 13 01 00 00 00 84")
        #expect(e?.code == .truncated && e?.offset == Spec.dataOffset + 7)
    }

    @Test("§3.1 function field: 00 instantaneous, 01 maximum, 10 minimum, 11 value during error state")
    func functions() throws {
        #expect(try Spec.record("01 13 05").function == .instantaneous)
        #expect(try Spec.record("11 13 05").function == .maximum)
        #expect(try Spec.record("21 13 05").function == .minimum)
        #expect(try Spec.record("31 13 05").function == .error)
    }

    private func bits(_ v: UInt64) -> Int { 64 - v.leadingZeroBitCount }
}

private extension Int {
    func divCeil(_ d: Int) -> Int { (self + d - 1) / d }
}
