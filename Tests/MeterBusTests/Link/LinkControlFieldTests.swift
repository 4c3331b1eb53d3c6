import MeterBus
import Testing

@Suite("C field (fact sheet §1.3–§1.4)")
struct LinkControlFieldTests {
    /// One row of the §1.4 table: C, name, PRM, bit 5 (FCB/ACD), bit 4 (FCV/DFC), function code,
    /// and whether libmbus's `mbus_frame_verify` accepts it.
    struct Row: Sendable, CustomTestStringConvertible {
        let c: UInt8
        let name: String
        let fromPrimary: Bool
        let bit5: Bool
        let bit4: Bool
        let function: UInt8
        let validWired: Bool
        var testDescription: String { "0x\(String(c, radix: 16, uppercase: true)) \(name)" }
    }

    static let table: [Row] = [
        Row(c: 0x40, name: "SND_NKE", fromPrimary: true, bit5: false, bit4: false, function: 0x0, validWired: true),
        Row(c: 0x53, name: "SND_UD", fromPrimary: true, bit5: false, bit4: true, function: 0x3, validWired: true),
        Row(c: 0x73, name: "SND_UD", fromPrimary: true, bit5: true, bit4: true, function: 0x3, validWired: true),
        Row(c: 0x5A, name: "REQ_UD1", fromPrimary: true, bit5: false, bit4: true, function: 0xA, validWired: true),
        Row(c: 0x7A, name: "REQ_UD1", fromPrimary: true, bit5: true, bit4: true, function: 0xA, validWired: true),
        Row(c: 0x5B, name: "REQ_UD2", fromPrimary: true, bit5: false, bit4: true, function: 0xB, validWired: true),
        Row(c: 0x7B, name: "REQ_UD2", fromPrimary: true, bit5: true, bit4: true, function: 0xB, validWired: true),
        Row(c: 0x08, name: "RSP_UD", fromPrimary: false, bit5: false, bit4: false, function: 0x8, validWired: true),
        Row(c: 0x18, name: "RSP_UD", fromPrimary: false, bit5: false, bit4: true, function: 0x8, validWired: true),
        Row(c: 0x28, name: "RSP_UD", fromPrimary: false, bit5: true, bit4: false, function: 0x8, validWired: true),
        Row(c: 0x38, name: "RSP_UD", fromPrimary: false, bit5: true, bit4: true, function: 0x8, validWired: true),
        // exmbus only; wired slaves answer E5 instead.
        Row(c: 0x00, name: "ACK", fromPrimary: false, bit5: false, bit4: false, function: 0x0, validWired: false),
        Row(c: 0x01, name: "NACK", fromPrimary: false, bit5: false, bit4: false, function: 0x1, validWired: false),
        // mbus4j can emit REQ_UD2 with FCV=0; libmbus's verify rejects it.
        Row(c: 0x4B, name: "REQ_UD2", fromPrimary: true, bit5: false, bit4: false, function: 0xB, validWired: false),
        Row(c: 0x6B, name: "REQ_UD2", fromPrimary: true, bit5: true, bit4: false, function: 0xB, validWired: false),
    ]

    @Test("each row of the §1.4 table", arguments: table)
    func row(_ row: Row) {
        let c = ControlField(rawValue: row.c)
        #expect(c.name == row.name)
        #expect(c.function.name == row.name)
        #expect(c.isFromPrimary == row.fromPrimary)
        #expect(c.functionCode == row.function)
        #expect(c.isValidWired == row.validWired)
        if row.fromPrimary {
            #expect(c.fcb == row.bit5)
            #expect(c.fcv == row.bit4)
            #expect(c.acd == nil)
            #expect(c.dfc == nil)
        } else {
            #expect(c.acd == row.bit5)
            #expect(c.dfc == row.bit4)
            #expect(c.fcb == nil)
            #expect(c.fcv == nil)
        }
    }

    @Test("named constants carry the §1.4 values")
    func constants() {
        #expect(ControlField.sndNKE.rawValue == 0x40)
        #expect(ControlField.sndUD.rawValue == 0x53)
        #expect(ControlField.sndUDFCB.rawValue == 0x73)
        #expect(ControlField.reqUD1(fcb: false).rawValue == 0x5A)
        #expect(ControlField.reqUD1(fcb: true).rawValue == 0x7A)
        #expect(ControlField.reqUD2(fcb: false).rawValue == 0x5B)
        #expect(ControlField.reqUD2(fcb: true).rawValue == 0x7B)
        #expect(ControlField.rspUD.rawValue == 0x08)
        #expect(ControlField.rspUD(acd: true, dfc: true).rawValue == 0x38)
    }

    @Test("libmbus verify: short frames take 40/5A/7A/5B/7B, long frames 53/73/08/18/28/38")
    func validityPerFormat() {
        #expect(ControlField.sndNKE.isValidWired(in: .short))
        #expect(!ControlField.sndNKE.isValidWired(in: .long))
        #expect(ControlField.sndUD.isValidWired(in: .control))
        #expect(!ControlField.sndUD.isValidWired(in: .short))
        #expect(ControlField.rspUD.isValidWired(in: .long))
        #expect(!ControlField.rspUD.isValidWired(in: .ack))
        // Bit 7 set ("relayed" in wmbusmeters) is never valid on a wired bus.
        #expect(!ControlField(0xC0).isValidWired)
        #expect(ControlField(0xC0).reservedBit)
    }

    @Test("multi-telegram readout toggles FCB (§1.5): 7B ↔ 5B; a slave's C is unchanged")
    func toggleFCB() {
        #expect(ControlField.reqUD2(fcb: true).togglingFCB() == .reqUD2(fcb: false))
        #expect(ControlField.reqUD2(fcb: false).togglingFCB() == .reqUD2(fcb: true))
        #expect(ControlField.rspUD.togglingFCB() == .rspUD)
    }

    @Test("description names the function and its bits")
    func description() {
        #expect(ControlField.reqUD2(fcb: true).description == "REQ_UD2 FCB=1 FCV=1 (0x7B)")
        #expect(ControlField(0x28).description == "RSP_UD ACD=1 DFC=0 (0x28)")
        #expect(ControlField(0x4F).name == "unknown")
    }
}
