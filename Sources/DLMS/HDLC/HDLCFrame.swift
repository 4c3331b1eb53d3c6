import CodecSupport

/// One HDLC frame of frame format type 3 (IEC 62056-46; fact sheet §1.1–§1.4).
///
/// `7E | A S len(11) | destination | source | control | [HCS | information] | FCS | 7E`.
/// The HCS is present exactly when there is an information field; both checks are computed
/// from the fields, and ``HDLCParsedFrame`` keeps the ones received. A decoded frame's
/// ``information`` is a slice of the input (no copy). No byte stuffing (U9, GX and JD apply none).
public struct HDLCFrame: Hashable, Sendable {
    /// The opening and closing flag, `7E`.
    public static let flag: UInt8 = 0x7E
    /// Frame format type 3, the high nibble `A` of the first format byte (§1.2).
    public static let formatType: UInt8 = 0xA
    /// The segmentation bit S in the first format byte, `08` (§1.2).
    public static let segmentationBit: UInt8 = 0x08
    /// The largest frame length field, 2047 (11 bits; §1.2).
    public static let maximumLengthField = 0x07FF
    /// The smallest frame length field: format, two 1-byte addresses, control and FCS = 7.
    public static let minimumLengthField = 7

    /// S: more segments of the same information field follow (§1.2).
    public var segmented: Bool
    /// The first address: the receiver (§1.3).
    public var destination: HDLCAddress
    /// The second address: the sender (§1.3).
    public var source: HDLCAddress
    /// The control field (§1.4).
    public var control: HDLCControl
    /// The information field, LLC header included when present (§1.1, §1.7).
    public var information: ArraySlice<UInt8>

    /// A frame with these fields.
    public init(destination: HDLCAddress, source: HDLCAddress, control: HDLCControl,
                information: ArraySlice<UInt8> = [], segmented: Bool = false) {
        self.segmented = segmented
        self.destination = destination
        self.source = source
        self.control = control
        self.information = information
    }

    // MARK: Builders

    /// An I frame (§1.4, §1.9).
    public static func information(destination: HDLCAddress, source: HDLCAddress, sendSequence: UInt8,
                                   receiveSequence: UInt8, pollFinal: Bool = true, segmented: Bool = false,
                                   information: ArraySlice<UInt8>) -> HDLCFrame {
        HDLCFrame(destination: destination, source: source,
                  control: .information(sendSequence: sendSequence, receiveSequence: receiveSequence, pollFinal: pollFinal),
                  information: information, segmented: segmented)
    }

    /// An RR frame (§1.4).
    public static func receiveReady(destination: HDLCAddress, source: HDLCAddress, receiveSequence: UInt8,
                                    pollFinal: Bool = true) -> HDLCFrame {
        HDLCFrame(destination: destination, source: source,
                  control: .receiveReady(receiveSequence: receiveSequence, pollFinal: pollFinal))
    }

    /// An RNR frame (§1.4).
    public static func receiveNotReady(destination: HDLCAddress, source: HDLCAddress, receiveSequence: UInt8,
                                       pollFinal: Bool = true) -> HDLCFrame {
        HDLCFrame(destination: destination, source: source,
                  control: .receiveNotReady(receiveSequence: receiveSequence, pollFinal: pollFinal))
    }

    /// An unnumbered frame (SNRM, DISC, UA, DM, FRMR, UI) with an optional information field;
    /// nil for I, RR and RNR.
    public static func unnumbered(_ type: HDLCControl.FrameType, destination: HDLCAddress, source: HDLCAddress,
                                  pollFinal: Bool = true, information: ArraySlice<UInt8> = []) -> HDLCFrame? {
        guard let control = HDLCControl.unnumbered(type, pollFinal: pollFinal) else { return nil }
        return HDLCFrame(destination: destination, source: source, control: control, information: information)
    }

    /// SNRM or UA with a parameter block (§1.8); without one (nil) the frame has no information
    /// field, meaning all defaults. Throws when the block cannot be encoded.
    public static func negotiation(_ type: HDLCControl.FrameType, destination: HDLCAddress, source: HDLCAddress,
                                   parameters: HDLCParameters?, pollFinal: Bool = true) throws(DLMSError) -> HDLCFrame {
        guard type == .setNormalResponseMode || type == .unnumberedAcknowledge,
              let control = HDLCControl.unnumbered(type, pollFinal: pollFinal) else {
            throw DLMSError(.invalidValue, at: 0, "parameters are negotiated by SNRM and UA only, not \(type.name)")
        }
        let info = try parameters?.encoded() ?? []
        return HDLCFrame(destination: destination, source: source, control: control, information: info[...])
    }

    // MARK: Derived fields

    /// The frame type, nil when the control byte is undefined.
    public var frameType: HDLCControl.FrameType? { control.frameType }

    /// Bytes of the header: format (2), addresses and control.
    var headerLength: Int { 2 + destination.size.rawValue + source.size.rawValue + 1 }

    /// The frame length field: bytes between the flags (§1.1). May exceed 2047 for a frame
    /// with too much information, which ``encoded()`` rejects.
    public var lengthField: Int {
        information.isEmpty ? headerLength + 2 : headerLength + 2 + information.count + 2
    }

    /// Bytes on the wire, flags included.
    public var encodedLength: Int { lengthField + 2 }

    /// The two format bytes (§1.2), length truncated to 11 bits.
    var formatBytes: [UInt8] {
        let length = lengthField & Self.maximumLengthField
        return [Self.formatType << 4 | (segmented ? Self.segmentationBit : 0) | UInt8(length >> 8), UInt8(length & 0xFF)]
    }

    /// Format, addresses and control: the bytes the HCS covers.
    var headerBytes: [UInt8] {
        formatBytes + destination.encoded() + source.encoded() + [control.rawValue]
    }

    /// The HCS computed from the fields, nil without an information field (§1.6).
    public var headerCheck: UInt16? {
        information.isEmpty ? nil : HDLCFrameCheck.compute(headerBytes)
    }

    /// The FCS computed from the fields (§1.6).
    public var frameCheck: UInt16 {
        var covered = headerBytes
        if let hcs = headerCheck {
            covered += HDLCFrameCheck.wireBytes(hcs)
            covered += information
        }
        return HDLCFrameCheck.compute(covered)
    }

    /// The LLC header at the start of an I or UI information field, else nil (§1.7). Only a
    /// first segment carries one.
    public var llc: HDLCLLC? {
        switch frameType {
        case .information, .unnumberedInformation: return HDLCLLC.detect(in: information)
        default: return nil
        }
    }

    /// The SNRM/UA parameter block, nil for other frames and for an empty information field
    /// (all defaults); throws when the block is malformed (§1.8).
    public func negotiatedParameters() throws(DLMSError) -> HDLCParameters? {
        guard frameType == .setNormalResponseMode || frameType == .unnumberedAcknowledge,
              !information.isEmpty else { return nil }
        return try HDLCParameters.decode(information)
    }

    /// The FRMR information, nil for other frames; throws when it is not 3 bytes (§1.5).
    public func frameReject() throws(DLMSError) -> HDLCFrameReject? {
        guard frameType == .frameReject else { return nil }
        return try HDLCFrameReject.decode(information)
    }

    // MARK: Encoding

    /// The frame's bytes, flags and checks included (§1.1). Throws `.badLength` when the
    /// length field would exceed 2047.
    public func encoded() throws(DLMSError) -> [UInt8] {
        guard lengthField <= Self.maximumLengthField else {
            throw DLMSError(.badLength, at: 1, "frame length \(lengthField) exceeds 2047 (\(information.count) information bytes)")
        }
        var out: [UInt8] = [Self.flag]
        out.reserveCapacity(encodedLength)
        let header = headerBytes
        out += header
        if !information.isEmpty {
            out += HDLCFrameCheck.wireBytes(HDLCFrameCheck.compute(header))
            out += information
        }
        out += HDLCFrameCheck.wireBytes(HDLCFrameCheck.compute(out[1...]))
        out.append(Self.flag)
        return out
    }
}
