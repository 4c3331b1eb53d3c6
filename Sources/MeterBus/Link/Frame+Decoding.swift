import CodecSupport

extension Frame {
    /// Decodes exactly one frame that fills `bytes`, checksum included (EN 13757-2; §1.1–§1.2).
    ///
    /// Total: never traps and never reads outside `bytes`. Offsets in errors count from
    /// `bytes.startIndex`. Checks run in wire order: start byte (`.badStartByte`), L
    /// (`.lengthTooSmall` below 3), second L (`.lengthFieldsDiffer`), second 68
    /// (`.badSecondStartByte`), length (`.truncated`), stop byte (`.badStopByte`), bytes after the
    /// stop byte (`.trailingBytes`), and last the checksum (`.badChecksum`). Use `Frame.parse(_:)`
    /// to get a frame whose only defect is its checksum.
    public static func decode(_ bytes: ArraySlice<UInt8>) throws(MeterBusError) -> Frame {
        let parsed = try parse(bytes)
        if let error = parsed.checksumError { throw error }
        return parsed.frame
    }

    /// Decodes exactly one frame that fills `bytes`, checksum included (§1.1–§1.2).
    public static func decode(_ bytes: [UInt8]) throws(MeterBusError) -> Frame {
        try decode(bytes[...])
    }

    /// Decodes exactly one frame that fills `bytes` but leaves the checksum to the caller
    /// (§1.1–§1.2): every structural check of `Frame.decode(_:)` applies, and
    /// ``ParsedFrame/checksumOK`` tells whether CS is right.
    public static func parse(_ bytes: ArraySlice<UInt8>) throws(MeterBusError) -> ParsedFrame {
        switch boundary(of: bytes) {
        case let .invalid(error):
            throw error
        case let .needMore(total):
            throw truncation(of: bytes, total: total)
        case let .complete(length):
            let frameBytes = bytes.prefix(length)
            let parsed = try parseComplete(frameBytes)
            if bytes.count > length {
                let extra = bytes.count - length
                throw MeterBusError(.trailingBytes, at: length,
                                    "\(extra) byte\(extra == 1 ? "" : "s") after the stop byte")
            }
            return parsed
        }
    }

    /// Decodes exactly one frame that fills `bytes`, without judging its checksum (§1.1–§1.2).
    public static func parse(_ bytes: [UInt8]) throws(MeterBusError) -> ParsedFrame {
        try parse(bytes[...])
    }

    // MARK: Framing shared with FrameReader

    /// How much of a buffer that begins at a start byte a frame takes.
    enum Boundary: Equatable {
        /// The frame is incomplete; `total` is its full length when known (nil while L is unread).
        case needMore(total: Int?)
        /// The first `length` bytes hold a frame whose header (start bytes and L) is valid;
        /// the stop byte and checksum are not checked yet.
        case complete(length: Int)
        /// The bytes read so far cannot start a frame.
        case invalid(MeterBusError)
    }

    /// Looks at the header of the frame that starts `bytes` and decides from the bytes present
    /// alone, each check as soon as its byte is available, so a stream reader reaches the same
    /// decision whatever the chunking.
    static func boundary(of bytes: ArraySlice<UInt8>) -> Boundary {
        let s = bytes.startIndex
        guard let first = bytes.first else { return .needMore(total: nil) }
        switch first {
        case ackByte:
            return .complete(length: 1)
        case shortStartByte:
            return bytes.count >= 5 ? .complete(length: 5) : .needMore(total: 5)
        case longStartByte:
            guard bytes.count >= 2 else { return .needMore(total: nil) }
            let l1 = bytes[s + 1]
            guard l1 >= minimumLengthField else {
                return .invalid(MeterBusError(.lengthTooSmall, at: 1,
                                              "L field 0x\(hex(l1)) is below 3 (C, A and CI are mandatory)"))
            }
            guard bytes.count >= 3 else { return .needMore(total: nil) }
            let l2 = bytes[s + 2]
            guard l2 == l1 else {
                return .invalid(MeterBusError(.lengthFieldsDiffer, at: 2,
                                              "L fields differ: 0x\(hex(l1)) and 0x\(hex(l2))"))
            }
            guard bytes.count >= 4 else { return .needMore(total: nil) }
            let second = bytes[s + 3]
            guard second == longStartByte else {
                return .invalid(MeterBusError(.badSecondStartByte, at: 3,
                                              "bad second start byte 0x\(hex(second)), expected 68"))
            }
            let total = Int(l1) + 6
            return bytes.count >= total ? .complete(length: total) : .needMore(total: total)
        default:
            return .invalid(MeterBusError(.badStartByte, at: 0,
                                          "bad start byte 0x\(hex(first)), expected E5, 10 or 68"))
        }
    }

    /// Parses a buffer that ``boundary(of:)`` found complete and exactly as long as the frame:
    /// checks the stop byte and reads the fields and the received checksum.
    static func parseComplete(_ bytes: ArraySlice<UInt8>) throws(MeterBusError) -> ParsedFrame {
        let s = bytes.startIndex
        let count = bytes.count
        guard let first = bytes.first else { throw truncation(of: bytes, total: nil) }
        if first == ackByte, count == 1 {
            return ParsedFrame(frame: .ack, receivedChecksum: nil)
        }
        guard count >= 5, let stop = bytes.last else { throw truncation(of: bytes, total: nil) }
        guard stop == stopByte else {
            throw MeterBusError(.badStopByte, at: count - 1,
                                "bad stop byte 0x\(hex(stop)), expected 16")
        }
        let received = bytes[s + count - 2]
        if first == shortStartByte {
            let frame = Frame.short(control: ControlField(bytes[s + 1]), address: bytes[s + 2])
            return ParsedFrame(frame: frame, receivedChecksum: received)
        }
        guard count >= 9 else { throw truncation(of: bytes, total: nil) }
        let control = ControlField(bytes[s + 4])
        let address = bytes[s + 5]
        let ci = bytes[s + 6]
        let data = bytes[(s + dataOffset)..<(s + count - 2)]
        let frame: Frame = data.isEmpty
            ? .control(control: control, address: address, ci: ci)
            : .long(control: control, address: address, ci: ci, data: data)
        return ParsedFrame(frame: frame, receivedChecksum: received)
    }

    /// The `.truncated` error for a frame cut short at the end of `bytes`.
    static func truncation(of bytes: ArraySlice<UInt8>, total: Int?) -> MeterBusError {
        guard let first = bytes.first else {
            return MeterBusError(.truncated, at: 0, "empty input: no start byte")
        }
        let what: String
        switch first {
        case shortStartByte: what = "short frame"
        case longStartByte: what = "long frame"
        default: what = "frame"
        }
        if let total {
            return MeterBusError(.truncated, at: bytes.count,
                                 "truncated \(what): needed \(total) bytes, \(bytes.count) present")
        }
        return MeterBusError(.truncated, at: bytes.count,
                             "truncated \(what) header: \(bytes.count) byte\(bytes.count == 1 ? "" : "s") present")
    }

    private static func hex(_ byte: UInt8) -> String { HexText.format(CollectionOfOne(byte)) }
}
