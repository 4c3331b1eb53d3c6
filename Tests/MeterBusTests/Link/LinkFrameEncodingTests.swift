import CodecSupport
import MeterBus
import Testing

@Suite("Frame encoding and master commands (fact sheet §1.1, §1.8, §1.9)")
struct LinkFrameEncodingTests {
    @Test("encode(decode(x)) == x for every worked example", arguments: LinkVectors.all)
    func roundTrip(_ hex: String) throws {
        let bytes = try HexText.parse(hex)
        let frame = try Frame.decode(bytes)
        #expect(try frame.encoded() == bytes)
        #expect(frame.encodedLength == bytes.count)
    }

    @Test("§1.2: REQ_UD2 with FCB=1 to address 5")
    func reqUD2() throws {
        #expect(try Frame.reqUD2(address: 5, fcb: true).encoded() == HexText.parse(LinkVectors.reqUD2FCBToAddress5))
        #expect(try Frame.reqUD2(address: 5, fcb: false).encoded() == [0x10, 0x5B, 0x05, 0x60, 0x16])
        #expect(try Frame.reqUD1(address: 5, fcb: true).encoded() == [0x10, 0x7A, 0x05, 0x7F, 0x16])
    }

    @Test("SND_NKE to address 5 is 10 40 05 45 16")
    func sndNKE() throws {
        #expect(try Frame.sndNKE(address: 5).encoded() == [0x10, 0x40, 0x05, 0x45, 0x16])
    }

    @Test("§1.8: select ID 12345678, manufacturer, version and medium wildcarded")
    func selection() throws {
        let frame = Frame.selection(secondary: SecondaryAddress(identification: 0x1234_5678))
        #expect(try frame.encoded() == HexText.parse(LinkVectors.selectID12345678))
        let fromText = try #require(SecondaryAddress("12345678FFFFFFFF"))
        #expect(try Frame.selection(secondary: fromText).encoded() == HexText.parse(LinkVectors.selectID12345678))
    }

    @Test("§1.8: select ID 1234xxxx (last four digits wildcarded)")
    func selectionWildcard() throws {
        let pattern = try #require(SecondaryAddress("1234FFFFFFFFFFFF"))
        #expect(try Frame.selection(secondary: pattern).encoded() == HexText.parse(LinkVectors.selectID1234Wildcard))
    }

    @Test("§1.8: a decoded selection gives back its secondary address")
    func selectionDecoded() throws {
        let frame = try Frame.decode(HexText.parse(LinkVectors.selectID1234Wildcard))
        #expect(frame.address == AddressField.networkLayer.rawValue)
        #expect(frame.controlInformation?.meaning(in: .wired) == .selectionOfSlaves(.mode1))
        #expect(try SecondaryAddress(wireBytes: frame.userData).description == "1234FFFFFFFFFFFF")
    }

    @Test("§1.9: set primary address 5 → 7")
    func setPrimaryAddress() throws {
        #expect(try Frame.setPrimaryAddress(old: 5, new: 7).encoded() == HexText.parse(LinkVectors.setPrimaryAddress5To7))
        for reserved: UInt8 in [0xFD, 0xFE, 0xFF] {
            do {
                _ = try Frame.setPrimaryAddress(old: 5, new: reserved)
                Issue.record("accepted new address \(reserved)")
            } catch {
                #expect(error.code == .invalidValue)
            }
        }
    }

    @Test("§1.9: switch address 5 to 9600 Bd")
    func baudRateSwitch() throws {
        #expect(try Frame.baudRateSwitch(address: 5, baud: .baud9600).encoded()
                == HexText.parse(LinkVectors.baudRateSwitch9600ToAddress5))
    }

    @Test("§1.9: application reset, with no data (jMBus) or one subcode byte (libmbus)")
    func applicationReset() throws {
        #expect(try Frame.applicationReset(address: 5).encoded()
                == [0x68, 0x03, 0x03, 0x68, 0x53, 0x05, 0x50, 0xA8, 0x16])
        let withSubcode = try Frame.applicationReset(address: 0xFE, subcode: 0x10).encoded()
        #expect(withSubcode == [0x68, 0x04, 0x04, 0x68, 0x53, 0xFE, 0x50, 0x10, 0xB1, 0x16])
    }

    @Test("more than 252 data bytes is refused when encoding")
    func tooMuchData() {
        let frame = Frame.long(control: .rspUD, address: 1, ci: 0x72, data: ArraySlice(repeating: 0, count: 253))
        #expect(frame.lengthField == 256)
        do {
            _ = try frame.encoded()
            Issue.record("encoded 253 data bytes")
        } catch {
            #expect(error.code == .invalidValue)
        }
        var out: [UInt8] = [0x01]
        #expect(throws: MeterBusError.self) { try frame.encode(into: &out) }
        #expect(out == [0x01])
    }

    @Test("an empty .long frame encodes as a control frame; userDataFrame picks the case")
    func emptyLong() throws {
        let empty = Frame.long(control: .sndUD, address: 5, ci: 0xBD, data: [])
        #expect(try empty.encoded() == HexText.parse(LinkVectors.baudRateSwitch9600ToAddress5))
        #expect(Frame.userDataFrame(control: .sndUD, address: 5, ci: 0xBD, data: []) == .control(control: .sndUD, address: 5, ci: 0xBD))
        #expect(Frame.userDataFrame(control: .sndUD, address: 5, ci: 0x51, data: [1]).kind == .long)
    }

    @Test("kind names are exactly ack, short, control, long")
    func kindNames() {
        #expect(Frame.Kind.allCases.map(\.name) == ["ack", "short", "control", "long"])
    }
}
