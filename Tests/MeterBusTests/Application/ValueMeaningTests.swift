import Testing
@testable import MeterBus

/// Fact sheet §4 (primary VIF table), §5.1 (FD), §5.2 (FB), §5.3–§5.4 (combinable VIFEs), §3.9 (plain text).
@Suite("Value information (EN 13757-3, fact sheet §4, §5)")
struct ValueMeaningTests {
    struct Entry: Sendable, CustomTestStringConvertible {
        var vib: String, quantity: String, unit: String, exponent: Int, factor: Double
        var testDescription: String { "\(vib): \(quantity) 10^\(exponent)·\(factor) \(unit)" }
        init(_ vib: String, _ quantity: String, _ unit: String, _ exponent: Int, _ factor: Double = 1) {
            (self.vib, self.quantity, self.unit, self.exponent, self.factor) = (vib, quantity, unit, exponent, factor)
        }
    }

    /// §4, first and last code of every range (libmbus vif_table, pyMeterBus, jMBus, wmbusmeters agree; mass per the four,
    /// exmbus alone has 10^(nnn−6) kg).
    static let primaryBoundaries: [Entry] = [
        Entry("00", "Energy", "Wh", -3), Entry("07", "Energy", "Wh", 4),
        Entry("08", "Energy", "J", 0), Entry("0F", "Energy", "J", 7),
        Entry("10", "Volume", "m^3", -6), Entry("17", "Volume", "m^3", 1),
        Entry("18", "Mass", "kg", -3), Entry("1F", "Mass", "kg", 4),
        Entry("20", "On time", "s", 0, 1), Entry("23", "On time", "s", 0, 86_400),
        Entry("24", "Operating time", "s", 0, 1), Entry("27", "Operating time", "s", 0, 86_400),
        Entry("28", "Power", "W", -3), Entry("2F", "Power", "W", 4),
        Entry("30", "Power", "J/h", 0), Entry("37", "Power", "J/h", 7),
        Entry("38", "Volume flow", "m^3/h", -6), Entry("3F", "Volume flow", "m^3/h", 1),
        Entry("40", "Volume flow", "m^3/min", -7), Entry("47", "Volume flow", "m^3/min", 0),
        Entry("48", "Volume flow", "m^3/s", -9), Entry("4F", "Volume flow", "m^3/s", -2),
        Entry("50", "Mass flow", "kg/h", -3), Entry("57", "Mass flow", "kg/h", 4),
        Entry("58", "Flow temperature", "°C", -3), Entry("5B", "Flow temperature", "°C", 0),
        Entry("5C", "Return temperature", "°C", -3), Entry("5F", "Return temperature", "°C", 0),
        Entry("60", "Temperature difference", "K", -3), Entry("63", "Temperature difference", "K", 0),
        Entry("64", "External temperature", "°C", -3), Entry("67", "External temperature", "°C", 0),
        Entry("68", "Pressure", "bar", -3), Entry("6B", "Pressure", "bar", 0),
        Entry("6E", "Units for H.C.A.", "", 0),
        Entry("70", "Averaging duration", "s", 0, 1), Entry("71", "Averaging duration", "s", 0, 60),
        Entry("72", "Averaging duration", "s", 0, 3_600), Entry("73", "Averaging duration", "s", 0, 86_400),
        Entry("74", "Actuality duration", "s", 0, 1), Entry("77", "Actuality duration", "s", 0, 86_400),
    ]

    @Test("§4 primary VIF table: first and last code of each range", arguments: primaryBoundaries)
    func primary(entry: Entry) {
        for vif in [entry.vib, String(format2: Spec.bytes(entry.vib)[0] | 0x80) + " 00"] {  // E=0, and E=1 with VIFE 00
            let m = Spec.meaning(vif)
            #expect(m.quantity == entry.quantity && m.unit == entry.unit && m.exponent == entry.exponent && m.factor == entry.factor, "\(vif)")
            #expect(m.kind == .quantity && m.reservedCodes.isEmpty)
        }
    }

    @Test("§4 special primary codes: dates, identifiers, reserved 6F and 7B/7D without extension, manufacturer 7F")
    func primarySpecial() {
        #expect(Spec.meaning("6C").kind == .date)
        #expect(Spec.meaning("6D").kind == .dateTime)
        #expect(Spec.meaning("78").quantity == "Fabrication number" && Spec.meaning("78").kind == .identifier)
        #expect(Spec.meaning("79").quantity == "Enhanced identification")
        #expect(Spec.meaning("7A").quantity == "Bus address")
        #expect(Spec.meaning("7E").quantity == "Any VIF")
        #expect(Spec.meaning("6F").reservedCodes == ["VIF 6F"])
        #expect(Spec.meaning("7B").reservedCodes == ["VIF 7B"], "FB must carry E=1 (jMBus throws on 7B)")
        #expect(Spec.meaning("7D").reservedCodes == ["VIF 7D"])
        let m = Spec.meaning("7F")
        #expect(m.isManufacturerSpecific && m.quantity == "Manufacturer specific")
    }

    /// §5.1: a sample of each FD range (libmbus, pyMeterBus, wmbusmeters where they agree).
    static let fdSamples: [Entry] = [
        Entry("FD 00", "Credit", "currency", -3), Entry("FD 03", "Credit", "currency", 0),
        Entry("FD 04", "Debit", "currency", -3), Entry("FD 07", "Debit", "currency", 0),
        Entry("FD 1C", "Baud rate", "Bd", 0),
        Entry("FD 24", "Storage interval", "s", 0, 1), Entry("FD 27", "Storage interval", "s", 0, 86_400),
        Entry("FD 28", "Storage interval", "month", 0), Entry("FD 29", "Storage interval", "year", 0),
        Entry("FD 2C", "Duration since last readout", "s", 0, 1), Entry("FD 2F", "Duration since last readout", "s", 0, 86_400),
        Entry("FD 31", "Duration of tariff", "s", 0, 60), Entry("FD 33", "Duration of tariff", "s", 0, 86_400),
        Entry("FD 34", "Period of tariff", "s", 0, 1), Entry("FD 39", "Period of tariff", "year", 0),
        Entry("FD 40", "Voltage", "V", -9), Entry("FD 4F", "Voltage", "V", 6),
        Entry("FD 50", "Current", "A", -12), Entry("FD 5F", "Current", "A", 3),
        Entry("FD 68", "Duration since last cumulation", "s", 0, 3_600), Entry("FD 6B", "Duration since last cumulation", "year", 0),
        Entry("FD 6C", "Operating time battery", "s", 0, 3_600), Entry("FD 6D", "Operating time battery", "s", 0, 86_400),
        Entry("FD 6E", "Operating time battery", "month", 0),
        // 74: wmbusmeters dvparser, jMBus, exmbus; libmbus and pyMeterBus reserve it. Vector "02 FD 74 2F 0D" = 3375 days.
        Entry("FD 74", "Remaining battery life", "s", 0, 86_400),
    ]

    @Test("§5.1 table FD samples", arguments: fdSamples)
    func extensionFD(entry: Entry) {
        let m = Spec.meaning(entry.vib)
        #expect(m.quantity == entry.quantity && m.unit == entry.unit && m.exponent == entry.exponent && m.factor == entry.factor)
        #expect(m.reservedCodes.isEmpty)
    }

    @Test("§5.1 FD identifiers and dates", arguments: [
        ("FD 08", "Access number"), ("FD 09", "Medium"), ("FD 0A", "Manufacturer"), ("FD 0B", "Parameter set identification"),
        ("FD 0C", "Model / version"), ("FD 0E", "Firmware version"), ("FD 16", "Password"), ("FD 17", "Error flags"),
        ("FD 1A", "Digital output"), ("FD 1B", "Digital input"), ("FD 20", "First storage number for cyclic storage"),
        ("FD 62", "Control signal"), ("FD 67", "Special supplier information"),
    ])
    func extensionFDIdentifiers(vib: String, quantity: String) {
        let m = Spec.meaning(vib)
        #expect(m.quantity == quantity && m.kind == .identifier)
    }

    @Test("§5.1 FD 30 (start of tariff) and FD 70 (battery change) are type F dates (libmbus)")
    func extensionFDDates() throws {
        #expect(Spec.meaning("FD 30").kind == .dateTime && Spec.meaning("FD 70").kind == .dateTime)
        #expect(try Spec.record("04 FD 70 3B 17 FE 29").value == .dateTime(DateTimeTypeF(rawValue: 0x29FE_173B)))
    }

    @Test("§5.1 codes libmbus/pyMeterBus/wmbusmeters reserve are reported in reservedCodes",
          arguments: ["19", "1F", "23", "2A", "2B", "3B", "3C", "3F", "71", "72", "73", "75", "76", "77", "7F"])
    func extensionFDReserved(code: String) {
        #expect(Spec.meaning("FD " + code).reservedCodes == ["FD " + code])
    }

    @Test("§5.1 FD 74: 02 FD 74 2F 0D = 3375 days (wmbusmeters 'Negative power values')")
    func batteryLife() throws {
        let r = try Spec.record("02 FD 74 2F 0D")
        #expect(r.value == .integer(3375) && r.scaledNumber == 3375 * 86_400)
    }

    /// §5.2, older table (libmbus, pyMeterBus, wmbusmeters) plus codes jMBus and exmbus agree on.
    static let fbSamples: [Entry] = [
        Entry("FB 00", "Energy", "Wh", 5), Entry("FB 01", "Energy", "Wh", 6),
        Entry("FB 02", "Reactive energy", "varh", 3), Entry("FB 05", "Apparent energy", "VAh", 4),
        Entry("FB 08", "Energy", "J", 8), Entry("FB 09", "Energy", "J", 9),
        Entry("FB 10", "Volume", "m^3", 2), Entry("FB 11", "Volume", "m^3", 3),
        Entry("FB 14", "Reactive power", "var", 0), Entry("FB 17", "Reactive power", "var", 3),
        Entry("FB 18", "Mass", "kg", 5), Entry("FB 19", "Mass", "kg", 6),
        Entry("FB 1A", "Relative humidity", "%", -1), Entry("FB 1B", "Relative humidity", "%", 0),
        Entry("FB 21", "Volume", "ft^3", -1), Entry("FB 23", "Volume", "US gal", 0),
        Entry("FB 24", "Volume flow", "US gal/min", -3), Entry("FB 26", "Volume flow", "US gal/h", 0),
        Entry("FB 28", "Power", "W", 5), Entry("FB 29", "Power", "W", 6),
        Entry("FB 2C", "Frequency", "Hz", -3), Entry("FB 2F", "Frequency", "Hz", 0),
        Entry("FB 30", "Power", "J/h", 8), Entry("FB 31", "Power", "J/h", 9),
        Entry("FB 34", "Apparent power", "VA", 0), Entry("FB 37", "Apparent power", "VA", 3),
        Entry("FB 58", "Flow temperature", "°F", -3), Entry("FB 5F", "Return temperature", "°F", 0),
        Entry("FB 60", "Temperature difference", "°F", -3), Entry("FB 67", "External temperature", "°F", 0),
        Entry("FB 70", "Cold / warm temperature limit", "°F", -3), Entry("FB 77", "Cold / warm temperature limit", "°C", 0),
        Entry("FB 78", "Cumulative count max power", "W", -3), Entry("FB 7F", "Cumulative count max power", "W", 4),
    ]

    @Test("§5.2 table FB samples", arguments: fbSamples)
    func extensionFB(entry: Entry) {
        let m = Spec.meaning(entry.vib)
        #expect(m.quantity == entry.quantity && m.unit == entry.unit && m.exponent == entry.exponent && m.reservedCodes.isEmpty)
    }

    @Test("§5.2 FB reserved codes are reported (incl. 0C–0F and 68–69 where jMBus and exmbus disagree)",
          arguments: ["06", "07", "0A", "0C", "0F", "12", "1C", "27", "2A", "2B", "32", "38", "57", "68", "69", "6F"])
    func extensionFBReserved(code: String) {
        #expect(Spec.meaning("FB " + code).reservedCodes == ["FB " + code])
    }

    // MARK: combinable VIFEs (§5.3, §5.4)

    @Test("70–77: multiplicative correction 10^(nnn−6), cumulative (jMBus fork, wmbusmeters, exmbus)")
    func multiplicative() {
        #expect(Spec.meaning("93 70").exponent == -3 - 6)
        #expect(Spec.meaning("93 77").exponent == -3 + 1)
        #expect(Spec.meaning("93 F0 77").exponent == -3 - 6 + 1)
        #expect(Spec.meaning("93 70").hasMultiplicativeCorrection)
    }

    @Test("7D: multiplicative correction 10^3 (libmbus, jMBus, wmbusmeters, exmbus)")
    func times1000() {
        let m = Spec.meaning("93 7D")
        #expect(m.exponent == 0 && m.hasMultiplicativeCorrection)
    }

    @Test("78–7B: additive correction constant 10^(nn−3) in the VIF's unit, added after scaling (libmbus)")
    func additive() throws {
        #expect(Spec.meaning("93 78").additive == 0.001)
        #expect(Spec.meaning("93 7B").additive == 1)
        let r = try Spec.record("01 93 7B 05")  // 5 l + 1 m³
        #expect(abs((r.scaledNumber ?? 0) - 1.005) < 1e-12)
    }

    @Test("20–26: 'per' time units extend the unit (all five implementations name them)")
    func per() {
        #expect(Spec.meaning("93 20").unit == "m^3/s")
        #expect(Spec.meaning("93 22").unit == "m^3/h")
        #expect(Spec.meaning("93 26").unit == "m^3/year")
        #expect(Spec.meaning("93 26").modifiers == ["per year"])
        #expect(Spec.meaning("FD 9B 2C").unit == "1/l", "a dimensionless code gets 1/…")
    }

    @Test("3B forward flow, 3C backward flow (wmbusmeters, exmbus naming)")
    func flowDirection() {
        #expect(Spec.meaning("93 3B").modifiers == ["accumulation only if positive (forward flow)"])
        #expect(Spec.meaning("93 3C").modifiers == ["accumulation of absolute value only if negative (backward flow)"])
    }

    @Test("FC extension: the next VIFE is from the phase/quadrant table (wmbusmeters 0x7Cxx, jMBus)")
    func fcExtension() {
        #expect(Spec.meaning("FD C8 FC 01").modifiers == ["at phase L1"])
        #expect(Spec.meaning("FD C8 FC 07").modifiers == ["between phase L3 and L1"])
        #expect(Spec.meaning("AB FC 0B").modifiers == ["at quadrant Q4"])
        #expect(Spec.meaning("AB FC 10").modifiers == ["accumulation of absolute value"])
        let m = Spec.meaning("FD C8 FC 01")
        #expect(m.quantity == "Voltage" && m.exponent == -1)
    }

    @Test("7F: the rest of the chain is manufacturer specific and not interpreted (wmbusmeters, exmbus, mbus4j)")
    func manufacturerStops() {
        let m = Spec.meaning("93 FF 70 7D")
        #expect(m.isManufacturerSpecific && m.exponent == -3 && !m.hasMultiplicativeCorrection)
        #expect(m.modifiers == ["manufacturer specific"])
        let vif = Spec.meaning("FF 70")
        #expect(vif.isManufacturerSpecific && vif.modifiers.isEmpty, "after VIF FF every VIFE is the manufacturer's")
    }

    @Test("record error codes 00–0F and 15–1C (mbus4j, exmbus); reserved ones reported", arguments: [
        (UInt8(0x15), RecordErrorCode.noDataAvailable), (0x18, .dataError), (0x1C, .prematureEndOfRecord),
        (0x01, .tooManyDIFEs), (0x0E, .vifDIFMismatch),
    ])
    func recordErrors(code: UInt8, error: RecordErrorCode) {
        #expect(ValueInformationBlock(vif: 0x93, vifes: [code]).meaning.recordError == error)
    }

    @Test("reserved combinable codes are reported, not refused", arguments: [UInt8(0x08), 0x10, 0x11, 0x14, 0x19, 0x3D, 0x44, 0x4C])
    func reservedVIFE(code: UInt8) {
        let m = ValueInformationBlock(vif: 0x93, vifes: [code]).meaning
        #expect(m.reservedCodes == ["VIFE \(String(format2: code))"])
    }

    // MARK: plain-text VIF (§3.8, §3.9)

    @Test("7C: the unit text is sent right-most character first; 48 52 25 reads '%RH' (libmbus, pyMeterBus, jMBus)")
    func plainText() throws {
        let r = try Spec.record("01 7C 03 48 52 25 36")
        #expect(r.vib.plainText == "%RH" && r.meaning.quantity == "%RH" && r.value == .integer(54))
        #expect(ValueInformationBlock(plainTextUnit: "%RH").bytes == Spec.bytes("7C 03 48 52 25"))
    }

    @Test("FC + VIFE 74: 10^(4−6) scaling; libmbus ELV-Elvaco-CMa10 record 02 FC 03 48 52 25 74 22 15 = 54.1 %RH")
    func plainTextScaled() throws {
        let r = try Spec.record("02 FC 03 48 52 25 74 22 15")
        #expect(r.vib.plainText == "%RH" && r.vib.vifes == [0x74])
        #expect(r.value == .integer(0x1522) && r.scaledNumber == 54.1)
        #expect(ValueInformationBlock(plainTextUnit: "%RH", vifes: [0x74]).bytes == Spec.bytes("FC 03 48 52 25 74"))
        // The same record in the corpus frame.
        let frame = try LibmbusCorpus.frames(in: .testFrames).first { $0.name == "ELV-Elvaco-CMa10" }
        let t = try Telegram.decode(try #require(frame).bytes())
        let rh = try #require(t.records.first { $0.meaning.quantity == "%RH" })  // record 1, after FD 1B
        #expect(rh.offset == 23 && rh.scaledNumber == 54.1)
    }

    @Test("VIFE limit: 10 accepted, the 11th is .tooManyVIFEs at its offset (§3.4)")
    func vifeLimit() throws {
        let ten = "01 93" + String(repeating: " BB", count: 9) + " 3B 05"
        #expect(try Spec.record(ten).vib.vifes.count == 10)
        let eleven = "01 93" + String(repeating: " BB", count: 10) + " 3B 05"
        let e = try #require(Spec.recordError(eleven))
        // DIF at 7, VIF at 8, VIFEs at 9…18, the 11th at 19.
        #expect(e.code == .tooManyVIFEs && e.offset == Spec.dataOffset + 12)
    }

    @Test("a plain-text unit longer than the data is .truncated; a missing VIF is .truncated at the end")
    func truncatedVIB() {
        let e = Spec.recordError("01 7C 05 41 42")
        #expect(e?.code == .truncated)
        let missing = Spec.recordError("01")
        #expect(missing?.code == .truncated && missing?.offset == Spec.dataOffset + 1)
        let vife = Spec.recordError("01 93")
        #expect(vife?.code == .truncated && vife?.offset == Spec.dataOffset + 2)
    }
}

extension String {
    /// Two upper-case hex digits.
    init(format2 byte: UInt8) {
        let d = Array("0123456789ABCDEF")
        self = String([d[Int(byte >> 4)], d[Int(byte & 0x0F)]])
    }
}
