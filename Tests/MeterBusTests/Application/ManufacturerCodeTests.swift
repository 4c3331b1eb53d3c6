import Testing
@testable import MeterBus

/// Fact sheet §2.3: three letters in 15 bits, `(c1−64)·1024 + (c2−64)·32 + (c3−64)`, sent little-endian
/// (libmbus `mbus_manufacturer_id`, pyMeterBus `decodeManufacturer`, jMBus `SecondaryAddress`, wmbusmeters `MANFCODE`).
@Suite("Manufacturer code (EN 13757-3, fact sheet §2.3)")
struct ManufacturerCodeTests {
    @Test("worked examples: KAM 0x2C2D (wmbusmeters), DWZ 0x12FA (wmbusmeters), PAD 0x4024 (libmbus manual_frame3)",
          arguments: [("KAM", UInt16(0x2C2D), "2D 2C"), ("DWZ", 0x12FA, "FA 12"), ("PAD", 0x4024, "24 40")])
    func workedExamples(letters: String, code: UInt16, wire: String) {
        #expect(ManufacturerCode(letters: letters)?.rawValue == code)
        #expect(ManufacturerCode(rawValue: code).letters == letters)
        #expect(ManufacturerCode(rawValue: code).isValid)
        let bytes = Spec.bytes(wire)
        #expect(UInt16(bytes[0]) | UInt16(bytes[1]) << 8 == code, "transmitted LSB first")
    }

    @Test("the header of manual_frame3 carries 24 40 = PAD")
    func inHeader() throws {
        let t = try Telegram.decode(Spec.bytes(Spec.manualFrame3))
        guard case let .long(h)? = t.variableData?.header else { Issue.record("no long header"); return }
        #expect(h.manufacturer == ManufacturerCode(letters: "PAD"))
    }

    @Test("valid range AAA 0x0421 … ZZZ 0x6B5A; libmbus prints 5-bit values outside A–Z as '@' and '[\\]^_'")
    func validRange() {
        #expect(ManufacturerCode(letters: "AAA")?.rawValue == 0x0421)
        #expect(ManufacturerCode(letters: "ZZZ")?.rawValue == 0x6B5A)
        #expect(!ManufacturerCode(rawValue: 0x0420).isValid)  // "AA@"
        #expect(ManufacturerCode(rawValue: 0x0420).letters == "AA@")
        #expect(!ManufacturerCode(rawValue: 0x6B5B).isValid)  // "ZZ["
        #expect(ManufacturerCode(rawValue: 0x0000).letters == "@@@")
        #expect(ManufacturerCode(letters: "A1Z") == nil)
        #expect(ManufacturerCode(letters: "ABCD") == nil)
        #expect(ManufacturerCode(letters: "kam")?.rawValue == 0x2C2D, "letters are upper-cased")
    }

    @Test("bit 15 is ignored for the letters (wmbusmeters retries with code & 0x7FFF)")
    func bit15() {
        #expect(ManufacturerCode(rawValue: 0x8000 | 0x2C2D).letters == "KAM")
    }

    @Test("every three-letter code round-trips")
    func allCodes() {
        let alphabet = (65...90).map { Character(Unicode.Scalar(UInt8($0))) }
        for a in alphabet { for b in alphabet { for c in [alphabet.first!, alphabet.last!] {
            let s = String([a, b, c])
            guard let code = ManufacturerCode(letters: s) else { Issue.record("\(s) rejected"); continue }
            #expect(code.letters == s && code.isValid)
        } } }
    }
}
