import CodecSupport

extension HDLCFrame {
    /// Decodes exactly one frame that fills `bytes`, from opening to closing flag, checks
    /// included (§1.1–§1.6).
    ///
    /// Total: never traps, never reads outside `bytes`. Offsets count from the opening flag.
    /// Checks run in wire order: opening flag and format type (`.badFraming`), length field
    /// (`.badLength` below 7, `.truncated`, `.trailingBytes`), closing flag (`.badFraming`),
    /// addresses (`.badAddress`), control (`.unknownTag`), HCS/information split (`.badLength`),
    /// and last HCS then FCS (`.badChecksum`). ``parse(_:)`` returns a frame whose only defect
    /// is a check sequence.
    public static func decode(_ bytes: ArraySlice<UInt8>) throws(DLMSError) -> HDLCFrame {
        let parsed = try parse(bytes)
        if let error = parsed.checkError { throw error }
        return parsed.frame
    }

    /// Decodes exactly one frame that fills `bytes`, checks included.
    public static func decode(_ bytes: [UInt8]) throws(DLMSError) -> HDLCFrame {
        try decode(bytes[...])
    }

    /// Decodes exactly one frame that fills `bytes`, leaving HCS and FCS to the caller.
    public static func parse(_ bytes: ArraySlice<UInt8>) throws(DLMSError) -> HDLCParsedFrame {
        guard let first = bytes.first else {
            throw DLMSError(.truncated, at: 0, "empty input: no opening flag")
        }
        guard first == flag else {
            throw DLMSError(.badFraming, at: 0, "opening flag 0x\(hdlcHex(first)), expected 7E")
        }
        switch boundary(of: bytes) {
        case let .invalid(error):
            throw error
        case let .needMore(total):
            if let total {
                throw DLMSError(.truncated, at: bytes.count, "frame needs \(total) bytes, \(bytes.count) present")
            }
            throw DLMSError(.truncated, at: bytes.count, "frame header incomplete: \(bytes.count) byte(s) present")
        case let .complete(length):
            let parsed = try parseComplete(bytes.prefix(length))
            if bytes.count > length {
                throw DLMSError(.trailingBytes, at: length, "\(bytes.count - length) byte(s) after the closing flag")
            }
            return parsed
        }
    }

    /// Decodes exactly one frame that fills `bytes`, leaving HCS and FCS to the caller.
    public static func parse(_ bytes: [UInt8]) throws(DLMSError) -> HDLCParsedFrame {
        try parse(bytes[...])
    }

    // MARK: Framing shared with HDLCFrameReader

    /// How much of a buffer that begins at an opening flag a frame takes.
    enum Boundary: Equatable {
        /// Incomplete; `total` is the full length once the format field is read.
        case needMore(total: Int?)
        /// The first `length` bytes are a frame by its length field; nothing else is checked yet.
        case complete(length: Int)
        /// The bytes read so far cannot start a frame.
        case invalid(DLMSError)
    }

    /// Decides from the bytes present alone, each check as soon as its byte is there, so a
    /// stream reader decides the same whatever the chunking. `bytes` starts at a `7E`.
    static func boundary(of bytes: ArraySlice<UInt8>) -> Boundary {
        let s = bytes.startIndex
        guard bytes.count >= 2 else { return .needMore(total: nil) }
        let format0 = bytes[s + 1]
        guard format0 >> 4 == formatType else {
            return .invalid(DLMSError(.badFraming, at: 1, "frame format type 0x\(hdlcHex(format0 >> 4)), expected A (type 3)"))
        }
        guard bytes.count >= 3 else { return .needMore(total: nil) }
        let length = Int(format0 & 0x07) << 8 | Int(bytes[s + 2])
        guard length >= minimumLengthField else {
            return .invalid(DLMSError(.badLength, at: 1, "frame length \(length) is below 7"))
        }
        let total = length + 2
        return bytes.count >= total ? .complete(length: total) : .needMore(total: total)
    }

    /// Parses a buffer that ``boundary(of:)`` found complete and exactly as long as the frame.
    static func parseComplete(_ bytes: ArraySlice<UInt8>) throws(DLMSError) -> HDLCParsedFrame {
        let s = bytes.startIndex
        let count = bytes.count
        guard count >= minimumLengthField + 2, bytes[s] == flag else {
            throw DLMSError(.truncated, at: count, "frame shorter than 9 bytes")
        }
        guard let closing = bytes.last, closing == flag else {
            throw DLMSError(.badFraming, at: count - 1, "closing flag 0x\(hdlcHex(bytes.last ?? 0)), expected 7E")
        }
        let segmented = bytes[s + 1] & segmentationBit != 0
        // Addresses lie between the format field and the control byte, FCS and closing flag.
        let addressEnd = s + count - 4
        var position = s + 3
        let destination: HDLCAddress
        let source: HDLCAddress
        do throws(DLMSError) {
            let (d, dn) = try HDLCAddress.read(bytes[position..<addressEnd])
            destination = d
            position += dn
        } catch {
            throw error.shifted(by: 3)
        }
        do throws(DLMSError) {
            let (a, an) = try HDLCAddress.read(bytes[position..<addressEnd])
            source = a
            position += an
        } catch {
            throw error.shifted(by: position - s)
        }
        let control = HDLCControl(rawValue: bytes[position])
        guard control.frameType != nil else {
            throw DLMSError(.unknownTag, at: position - s, "control field 0x\(hdlcHex(control.rawValue)) defines no frame type")
        }
        position += 1
        let extra = s + count - 3 - position  // bytes between control and FCS
        var receivedHCS: UInt16?
        var information: ArraySlice<UInt8> = []
        if extra > 0 {
            guard extra >= 3 else {
                throw DLMSError(.badLength, at: 1,
                                "\(extra) byte(s) between control and FCS: an HCS needs an information field of at least 1 byte")
            }
            receivedHCS = HDLCFrameCheck.value(low: bytes[position], high: bytes[position + 1])
            information = bytes[(position + 2)..<(s + count - 3)]
        }
        let receivedFCS = HDLCFrameCheck.value(low: bytes[s + count - 3], high: bytes[s + count - 2])
        let frame = HDLCFrame(destination: destination, source: source, control: control,
                              information: information, segmented: segmented)
        return HDLCParsedFrame(frame: frame, receivedHeaderCheck: receivedHCS, receivedFrameCheck: receivedFCS)
    }
}
