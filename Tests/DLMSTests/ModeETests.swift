import CodecSupport
import DLMS
import Testing

@Suite("IEC 62056-21 mode E opening messages (fact sheet §2)")
struct ModeETests {
    @Test("sign-on request /?! CR LF = 2F 3F 21 0D 0A (JD, GX), with an optional address")
    func signOn() throws {
        #expect(try ModeESignOnRequest().encoded() == [0x2F, 0x3F, 0x21, 0x0D, 0x0A])
        let addressed = try ModeESignOnRequest(deviceAddress: "12345678")
        #expect(addressed.encoded() == Array("/?12345678!\r\n".utf8))
        #expect(try ModeESignOnRequest.decode(Array("/?12345678!\r\n".utf8)) == addressed)
        #expect(try ModeESignOnRequest.decode([0x2F, 0x3F, 0x21, 0x0D, 0x0A]).deviceAddress == "")
        #expect(summary(hdlcError { try ModeESignOnRequest(deviceAddress: String(repeating: "1", count: 33)) }) == "invalidValue@2")
        #expect(summary(hdlcError { try ModeESignOnRequest.decode(Array("/?ab-c!\r\n".utf8)) }) == "invalidValue@4")
        #expect(summary(hdlcError { try ModeESignOnRequest.decode(Array("/?!\r".utf8)) }) == "truncated@4")
        #expect(summary(hdlcError { try ModeESignOnRequest.decode(Array("/?1\r\n".utf8)) }) == "badFraming@2")
        #expect(summary(hdlcError { try ModeESignOnRequest.decode(Array("/!!\r\n".utf8)) }) == "badFraming@0")
    }

    @Test("identification /XXXZ[\\W]ident CR LF: manufacturer, Z → baud (modes C/E), escape 2 = HDLC")
    func identification() throws {
        let plain = try ModeEIdentification.decode(Array("/ISk5MT174-0001\r\n".utf8))
        #expect(plain.manufacturer == "ISk" && plain.baudRate == .bd9600 && plain.baudRate?.baud == 9600)
        #expect(plain.identification == "MT174-0001" && plain.enhancedIdentification == nil && !plain.announcesHDLC)
        #expect(plain.minimumReactionTime == .milliseconds(20))  // lower-case third letter
        #expect(plain.encoded() == Array("/ISk5MT174-0001\r\n".utf8))

        let modeE = try ModeEIdentification.decode(Array("/LGZ4\\2ZMD3104407.B32\r\n".utf8))
        #expect(modeE.manufacturer == "LGZ" && modeE.baudRate?.baud == 4800 && modeE.announcesHDLC)
        #expect(modeE.identification == "ZMD3104407.B32" && modeE.minimumReactionTime == .milliseconds(200))
        #expect(modeE.encoded() == Array("/LGZ4\\2ZMD3104407.B32\r\n".utf8))

        let modeB = try ModeEIdentification.decode(Array("/ABCEident\r\n".utf8))
        #expect(modeB.baudRate == nil)  // mode B letter E is not a mode C/E character

        #expect(summary(hdlcError { try ModeEIdentification.decode(Array("/AB15x\r\n".utf8)) }) == "invalidValue@3")
        #expect(summary(hdlcError { try ModeEIdentification.decode(Array("XABC5x\r\n".utf8)) }) == "badFraming@0")
        #expect(summary(hdlcError { try ModeEIdentification.decode([0x2F, 0x41, 0x42, 0x43, 0x35, 0x80, 0x0D, 0x0A]) }) == "invalidValue@5")
        #expect(summary(hdlcError { try ModeEIdentification.decode(Array("/ABC5x\n\r".utf8)) }) == "badFraming@6")
    }

    @Test("acknowledgement/option select 06 32 Z 32 0D 0A switches to HDLC at rate Z (JD, GX)")
    func optionSelect() throws {
        let ack = ModeEOptionSelect.hdlc(.bd9600)
        #expect(ack.encoded() == [0x06, 0x32, 0x35, 0x32, 0x0D, 0x0A])
        #expect(ack.selectsHDLC && ack.protocolControl == .hdlc && ack.modeControl == .binary && ack.baudRate == .bd9600)
        #expect(try ModeEOptionSelect.decode(ack.encoded()) == ack)
        let readout = try ModeEOptionSelect.decode([0x06, 0x30, 0x30, 0x30, 0x0D, 0x0A])
        #expect(!readout.selectsHDLC && readout.modeControl == .dataReadout)
        #expect(summary(hdlcError { try ModeEOptionSelect.decode([0x15, 0x32, 0x35, 0x32, 0x0D, 0x0A]) }) == "badFraming@0")
        #expect(summary(hdlcError { try ModeEOptionSelect.decode([0x06, 0x32, 0x41, 0x32, 0x0D, 0x0A]) }) == "invalidValue@2")
        #expect(summary(hdlcError { try ModeEOptionSelect.decode([0x06, 0x32, 0x35, 0x32, 0x32, 0x0D, 0x0A]) }) == "badLength@4")
    }

    @Test("rate table 0…6 = 300…19200 (JD, GX, PW, L21); 7–9 reserved")
    func rates() {
        #expect(ModeEBaudRate.allCases.map(\.baud) == [300, 600, 1200, 2400, 4800, 9600, 19200])
        #expect(ModeEBaudRate.allCases.map(\.character) == ["0", "1", "2", "3", "4", "5", "6"])
        #expect(ModeEBaudRate(baud: 2400) == .bd2400 && ModeEBaudRate(baud: 38400) == nil)
        #expect(ModeEBaudRate(rawValue: 0x37) == nil)
    }

    @Test("line settings and delays: 300 Bd 7E1 to start, 8N1 after, 150 ms switch below the 200 ms reaction time")
    func timing() {
        #expect(ModeETiming.initialBaudRate == 300)
        #expect(ModeETiming.openingFormat == .init(dataBits: 7, parity: .even, stopBits: 1))
        #expect(ModeETiming.hdlcFormat.dataBits == 8 && ModeETiming.hdlcFormat.parity == .none)
        #expect(ModeETiming.baudRateSwitchDelay < ModeETiming.minimumReactionTime)
        #expect(ModeETiming.minimumReactionTime(manufacturer: "LGZ") == .milliseconds(200))
        #expect(ModeETiming.minimumReactionTime(manufacturer: "ISk") == .milliseconds(20))
    }

    @Test("every decoder is total over 5 000 random short messages")
    func fuzz() {
        var rng = HDLCSeededGenerator(seed: 21)
        let alphabet: [UInt8] = Array("/?!\\\r\n0123456789ABCabc".utf8) + [0x06, 0x80, 0x00]
        for _ in 0..<5000 {
            let bytes = (0..<Int.random(in: 0...12, using: &rng)).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &rng)] }
            if let m = try? ModeESignOnRequest.decode(bytes) { #expect(m.encoded() == bytes) }
            if let m = try? ModeEIdentification.decode(bytes) { #expect(m.encoded() == bytes) }
            if let m = try? ModeEOptionSelect.decode(bytes) { #expect(m.encoded() == bytes) }
        }
    }
}
