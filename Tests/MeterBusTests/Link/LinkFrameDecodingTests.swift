import CodecSupport
import MeterBus
import Testing

@Suite("Frame decoding (EN 13757-2; fact sheet §1.1–§1.2)")
struct LinkFrameDecodingTests {
    @Test("E5 is the single-character ack: no C, A, CI or checksum")
    func ack() throws {
        let frame = try Frame.decode([0xE5])
        #expect(frame == .ack)
        #expect(frame.kind.name == "ack")
        #expect(frame.control == nil)
        #expect(frame.address == nil)
        #expect(frame.ci == nil)
        #expect(frame.checksum == nil)
        #expect(frame.userData.isEmpty)
    }

    @Test("§1.2: REQ_UD2 FCB=1 to address 5 is 10 7B 05 80 16")
    func shortFrame() throws {
        let frame = try Frame.decode(HexText.parse(LinkVectors.reqUD2FCBToAddress5))
        #expect(frame == .short(control: .reqUD2(fcb: true), address: 5))
        #expect(frame.kind.name == "short")
        #expect(frame.control?.name == "REQ_UD2")
        #expect(frame.control?.fcb == true)
        #expect(frame.checksum == 0x80)
        #expect(frame.ci == nil)
    }

    @Test("§1.9: a baud-rate switch is a control frame (L = 3, no data)")
    func controlFrame() throws {
        let frame = try Frame.decode(HexText.parse(LinkVectors.baudRateSwitch9600ToAddress5))
        #expect(frame == .control(control: .sndUD, address: 5, ci: 0xBD))
        #expect(frame.kind.name == "control")
        #expect(frame.lengthField == 3)
        #expect(frame.userData.isEmpty)
        #expect(frame.controlInformation?.meaning(in: .wired) == .setBaudRate(.baud9600))
    }

    @Test("§1.2 manual_frame2: RSP_UD from 5, CI 73, 16 data bytes, CS 3C")
    func manualFrame2() throws {
        let bytes = try HexText.parse(LinkVectors.manualFrame2)
        let frame = try Frame.decode(bytes)
        #expect(frame.kind.name == "long")
        #expect(frame.control == .rspUD)
        #expect(frame.address == 5)
        #expect(frame.ci == 0x73)
        #expect(frame.checksum == 0x3C)
        #expect(frame.lengthField == 0x13)
        #expect(Array(frame.userData) == Array(bytes[Frame.dataOffset..<(bytes.count - 2)]))
        #expect(frame.userData.count == 16)
    }

    @Test("§1.2 manual_frame3: CS 18; user data is a slice of the input at offset 7")
    func manualFrame3SharesStorage() throws {
        let bytes = try HexText.parse(LinkVectors.manualFrame3)
        let frame = try Frame.decode(bytes)
        #expect(frame.checksum == 0x18)
        #expect(Frame.dataOffset == 7)
        // The slice keeps the input's indices: no copy, offsets line up with the frame.
        #expect(frame.userData.startIndex == 7)
        #expect(frame.userData.endIndex == bytes.count - 2)
        #expect(frame.userData.first == 0x78)
    }

    @Test("decoding a slice keeps offsets relative to the slice")
    func sliceOffsets() throws {
        var bytes = try HexText.parse(LinkVectors.manualFrame2)
        bytes[23] = 0x3D
        let padded = [0xAA, 0xBB] + bytes
        let error = linkDecodeError(padded[2...])
        #expect(error?.code == .badChecksum)
        #expect(error?.offset == 23)
        let fine = try Frame.decode(([0xAA, 0xBB] + HexText.parse(LinkVectors.manualFrame2))[2...])
        #expect(fine.userData.startIndex == 9)
    }

    // MARK: Errors, with their codes and offsets

    struct Defect: Sendable, CustomTestStringConvertible {
        let name: String
        let hex: String
        let code: MeterBusError.Code
        let offset: Int
        let reason: String?
        var testDescription: String { name }
    }

    static let defects: [Defect] = [
        Defect(name: "empty input", hex: "", code: .truncated, offset: 0, reason: nil),
        Defect(name: "bad start byte", hex: "12 34", code: .badStartByte, offset: 0,
               reason: "bad start byte 0x12, expected E5, 10 or 68"),
        Defect(name: "L fields differ", hex: "68 1F 1E 68 08 02 72", code: .lengthFieldsDiffer, offset: 2,
               reason: "L fields differ: 0x1F and 0x1E"),
        Defect(name: "second 68 missing", hex: "68 03 03 69 53 05 BD 15 16", code: .badSecondStartByte, offset: 3, reason: nil),
        Defect(name: "L below 3", hex: "68 02 02 68 53 05 58 16", code: .lengthTooSmall, offset: 1, reason: nil),
        Defect(name: "libmbus unsupported-frames/invalid_length (L = 0)", hex: "68 00 00 68 08 16",
               code: .lengthTooSmall, offset: 1, reason: nil),
        Defect(name: "manual_frame2 with CS 3D", hex: "68 13 13 68 08 05 73 78 56 34 12 0A 00 E9 7E 01 00 00 00 35 01 00 00 3D 16",
               code: .badChecksum, offset: 23, reason: "checksum 0x3C expected, 0x3D found"),
        Defect(name: "short frame with CS 81", hex: "10 7B 05 81 16", code: .badChecksum, offset: 3,
               reason: "checksum 0x80 expected, 0x81 found"),
        Defect(name: "stop byte 17", hex: "10 7B 05 80 17", code: .badStopByte, offset: 4, reason: nil),
        Defect(name: "long frame stop byte 00", hex: "68 03 03 68 53 05 BD 15 00", code: .badStopByte, offset: 8, reason: nil),
        Defect(name: "byte after the stop byte", hex: "10 7B 05 80 16 00", code: .trailingBytes, offset: 5, reason: nil),
        Defect(name: "two acks", hex: "E5 E5", code: .trailingBytes, offset: 1, reason: nil),
        Defect(name: "short frame cut short", hex: "10 7B 05", code: .truncated, offset: 3, reason: nil),
        Defect(name: "long header cut short", hex: "68 1F", code: .truncated, offset: 2, reason: nil),
        Defect(name: "manual_frame3 without its last 2 bytes", hex: "68 1F 1F 68 08 02 72 78 56 34 12 24 40 01 07 55 00 00 00 03 13 15 31 00 DA 02 3B 13 01 8B 60 04 37 18 02",
               code: .truncated, offset: 35, reason: "truncated long frame: needed 37 bytes, 35 present"),
    ]

    @Test("defects are reported with their code and offset", arguments: defects)
    func defect(_ defect: Defect) throws {
        let bytes = try HexText.parse(defect.hex)
        let error = try #require(linkDecodeError(bytes))
        #expect(error.code == defect.code)
        #expect(error.offset == defect.offset)
        if let reason = defect.reason {
            #expect(error.reason == reason)
        }
    }

    @Test("parse gives access to a frame whose only defect is its checksum")
    func parseBadChecksum() throws {
        var bytes = try HexText.parse(LinkVectors.manualFrame2)
        bytes[23] = 0x3D
        let parsed = try Frame.parse(bytes)
        #expect(!parsed.checksumOK)
        #expect(parsed.receivedChecksum == 0x3D)
        #expect(parsed.frame.checksum == 0x3C)
        #expect(parsed.checksumOffset == 23)
        #expect(parsed.checksumError?.code == .badChecksum)
        #expect(parsed.frame.ci == 0x73)
        #expect(parsed.frame.userData.count == 16)

        let good = try Frame.parse(HexText.parse(LinkVectors.manualFrame2))
        #expect(good.checksumOK)
        #expect(good.checksumError == nil)
        #expect(try Frame.parse([0xE5]).checksumOK)
    }

    @Test("parse still rejects structural defects")
    func parseStructural() throws {
        #expect(throws: MeterBusError.self) { try Frame.parse(HexText.parse("10 7B 05 80 17")) }
        #expect(throws: MeterBusError.self) { try Frame.parse(HexText.parse("68 1F 1E 68")) }
    }

    @Test("L up to 255 decodes (252 data bytes)")
    func maximalFrame() throws {
        let data = [UInt8](repeating: 0x2F, count: 252)
        let bytes = try Frame.long(control: .rspUD, address: 1, ci: 0x72, data: data[...]).encoded()
        #expect(bytes.count == Frame.maximumLength)
        #expect(bytes[1] == 0xFF)
        let frame = try Frame.decode(bytes)
        #expect(frame.userData.count == 252)
    }

    @Test("the libmbus test-frames and error-frames are valid link-layer frames")
    func libmbusCorpus() throws {
        let frames = try LibmbusCorpus.frames(in: .testFrames) + LibmbusCorpus.frames(in: .errorFrames)
        #expect(frames.count == 96)
        for item in frames {
            let bytes = try item.bytes()
            let frame = try Frame.decode(bytes)
            // error-frames/error is `68 03 03 68 08 01 70 79 16`: CI 70 with no data, a control frame.
            #expect(frame.kind == (item.name == "error" ? .control : .long), "\(item)")
            #expect(frame.control?.isValidWired(in: frame.kind) == true, "\(item)")
            #expect(try frame.encoded() == bytes, "\(item)")
        }
    }
}
