import MeterBus
import Simulators
import Testing

/// EN 13757-3 content of the reference heat meter's read-out (fact sheet §2–§6).
@Suite("M-Bus slave: application layer")
struct MBusSlaveApplicationTests {
    /// Both telegrams of one read-out, decoded.
    static func readOut(faults: Set<MBusFault> = []) throws -> [Telegram] {
        let h = SlaveHarness(faults: faults)
        let a = Frame.primary
        return try [true, false].map { fcb in try #require(try h.telegram(.reqUD2(address: a, fcb: fcb))) }
    }

    @Test func theHeaderCarriesTheDefaultIdentity() throws {
        let header = try #require(SlaveHarness.header(try Self.readOut()[0]))
        #expect(header.id == "12345678")
        #expect(header.manufacturer.letters == "MPF")
        #expect(header.manufacturer.rawValue == 0x3606)
        #expect(header.version == 0x01)
        #expect(header.deviceType.rawValue == 0x04)
        #expect(header.status.rawValue == 0)
        #expect(header.signature == 0)
        #expect(MBusSimulatorIdentity.default.secondaryAddress.description == "1234567806360104")
    }

    /// The value of the record with `vif` and `storage`, scaled to its unit.
    static func value(_ telegrams: [Telegram], vif: UInt8, storage: UInt64 = 0) -> Double? {
        telegrams.flatMap(\.records).first { $0.vib.vif == vif && $0.storage == storage }?.scaledNumber
    }

    @Test func theRecordsHoldTheReferenceReadings() throws {
        let t = try Self.readOut()
        let close = { (a: Double?, b: Double) in a.map { abs($0 - b) < 1e-9 } ?? false }
        #expect(close(Self.value(t, vif: 0x06), 12_345_000))            // Wh
        #expect(close(Self.value(t, vif: 0x06, storage: 1), 11_800_000))
        #expect(close(Self.value(t, vif: 0x14), 456.78))                // m³
        #expect(close(Self.value(t, vif: 0x2B), 1234))                  // W
        #expect(close(Self.value(t, vif: 0x3B), 0.123))                 // m³/h
        #expect(close(Self.value(t, vif: 0x5A), 65.2))                  // °C
        #expect(close(Self.value(t, vif: 0x5E), 42.3))
        #expect(close(Self.value(t, vif: 0x62), 22.9))                  // K
        #expect(close(Self.value(t, vif: 0x22), 17_520 * 3600))          // hours, in s
        #expect(Self.value(t, vif: 0x78) == 25_000_123)                 // fabrication number
        let quantities = Set(t.flatMap(\.records).map(\.meaning.quantity))
        for q in ["Energy", "Volume", "Power", "Volume flow", "Flow temperature", "Return temperature",
                  "Temperature difference", "On time", "Fabrication number"] {
            #expect(quantities.contains { $0.hasPrefix(q) }, "no \(q) in \(quantities.sorted())")
        }
    }

    @Test func datesAreTypeFNowAndTypeGForTheEarlierBillingDate() throws {
        let records = try Self.readOut().flatMap(\.records)
        let now = try #require(records.first { $0.vib.vif == 0x6D })
        guard case .dateTime(let f) = now.value else { Issue.record("not type F: \(now.value)"); return }
        #expect(now.dib.coding == .int32 && f.isValid && f.iso8601 == "2026-01-15T10:30:00")
        let billing = try #require(records.first { $0.vib.vif == 0x6C })
        guard case .date(let g) = billing.value else { Issue.record("not type G: \(billing.value)"); return }
        #expect(billing.dib.coding == .int16 && billing.storage == 1 && g.isValid && g.iso8601 == "2025-12-31")
        #expect(g.iso8601 < f.iso8601)
    }

    @Test func everyTelegramFitsAndReencodesExactly() throws {
        let h = SlaveHarness()
        for fcb in [true, false] {
            let bytes = try #require(h.bytes(.reqUD2(address: Frame.primary, fcb: fcb)))
            #expect(bytes.count <= Frame.maximumLength)
            #expect(try Telegram.decode(bytes).encoded() == bytes)
        }
    }

    @Test func repliesAreByteIdenticalAcrossRuns() {
        func session() -> [[UInt8]] {
            let h = SlaveHarness()
            let a = Frame.primary
            let frames: [Frame] = [.sndNKE(address: a), .reqUD2(address: a, fcb: true), .reqUD2(address: a, fcb: true),
                                   .reqUD2(address: a, fcb: false), .reqUD2(address: a, fcb: true),
                                   .selection(secondary: .wildcard), .reqUD2(address: 253, fcb: true)]
            return frames.flatMap { h.send($0).map(\.bytes) }
        }
        #expect(session() == session())
        // The first telegram, pinned: a change to the read-out must be deliberate.
        let h = SlaveHarness()
        let first = h.bytes(.reqUD2(address: Frame.primary, fcb: true)) ?? []
        #expect(HexText.formatted(first.prefix(19)) == "68 30 30 68 08 01 72 78 56 34 12 06 36 01 04 01 00 00 00")
    }
}

private enum HexText {
    static func formatted(_ bytes: some Sequence<UInt8>) -> String {
        bytes.map { let s = String($0, radix: 16, uppercase: true); return s.count == 1 ? "0" + s : s }.joined(separator: " ")
    }
}
