import CodecSupport

/// A structurally valid HDLC frame with the HCS and FCS as received (§1.6).
///
/// `HDLCFrame.parse(_:)` returns it without judging the checks, so the capture analyser and the
/// conformance checks can show a frame with `fcs_ok: false`; `HDLCFrame.decode(_:)` is `parse`
/// plus both checks.
public struct HDLCParsedFrame: Hashable, Sendable {
    /// The decoded fields.
    public let frame: HDLCFrame
    /// The HCS as received, nil when the frame has no information field.
    public let receivedHeaderCheck: UInt16?
    /// The FCS as received.
    public let receivedFrameCheck: UInt16

    /// Wraps a frame and the checks received with it.
    public init(frame: HDLCFrame, receivedHeaderCheck: UInt16?, receivedFrameCheck: UInt16) {
        self.frame = frame
        self.receivedHeaderCheck = receivedHeaderCheck
        self.receivedFrameCheck = receivedFrameCheck
    }

    /// True when the received HCS is right, or there is none.
    public var headerCheckOK: Bool { receivedHeaderCheck == frame.headerCheck }
    /// True when the received FCS is right.
    public var frameCheckOK: Bool { receivedFrameCheck == frame.frameCheck }

    /// Offset of the HCS from the opening flag, nil without an information field.
    public var headerCheckOffset: Int? { frame.information.isEmpty ? nil : 1 + frame.headerLength }
    /// Offset of the FCS from the opening flag.
    public var frameCheckOffset: Int { frame.encodedLength - 3 }

    /// The `.badChecksum` error for the first wrong check (HCS before FCS), or nil.
    public var checkError: DLMSError? {
        if !headerCheckOK, let offset = headerCheckOffset, let found = receivedHeaderCheck, let expected = frame.headerCheck {
            return DLMSError(.badChecksum, at: offset, "HCS \(Self.wire(expected)) expected, \(Self.wire(found)) found")
        }
        if !frameCheckOK {
            return DLMSError(.badChecksum, at: frameCheckOffset,
                             "FCS \(Self.wire(frame.frameCheck)) expected, \(Self.wire(receivedFrameCheck)) found")
        }
        return nil
    }

    /// The received bytes: the frame re-encoded with the received HCS and FCS.
    public func encoded() throws(DLMSError) -> [UInt8] {
        var bytes = try frame.encoded()
        if let offset = headerCheckOffset, let hcs = receivedHeaderCheck {
            bytes.replaceSubrange(offset..<(offset + 2), with: HDLCFrameCheck.wireBytes(hcs))
        }
        bytes.replaceSubrange(frameCheckOffset..<(frameCheckOffset + 2), with: HDLCFrameCheck.wireBytes(receivedFrameCheck))
        return bytes
    }

    static func wire(_ check: UInt16) -> String { HexText.format(HDLCFrameCheck.wireBytes(check)) }
}

extension HDLCAddress: JSONRepresentable {
    /// `size`, `upper`, `lower` (null in the 1-byte form) and `hex`.
    public var json: JSONValue {
        .object([
            ("size", .int(Int64(size.rawValue))),
            ("upper", .int(Int64(upper))),
            ("lower", lower.map { .int(Int64($0)) } ?? .null),
            ("hex", .string(HexText.format(encoded()))),
        ])
    }
}

extension HDLCFrameReject: JSONRepresentable {
    /// `rejected_control`, `sequence_state` (hex) and the reason flags.
    public var json: JSONValue {
        .object([
            ("rejected_control", .string(hdlcHex(rejectedControl.rawValue))),
            ("sequence_state", .string(hdlcHex(sequenceState))),
            ("control_field_undefined", .bool(reasons.contains(.controlFieldUndefined))),
            ("invalid_information", .bool(reasons.contains(.invalidInformation))),
            ("information_size_exceeded", .bool(reasons.contains(.informationSizeExceeded))),
            ("invalid_receive_sequence", .bool(reasons.contains(.invalidReceiveSequence))),
        ])
    }
}

extension HDLCParsedFrame: JSONRepresentable {
    /// The frame with stable snake_case names; every key is always present (null when it does
    /// not apply): `type`, `control`, `destination`, `source`, `segmented`, `frame_length`,
    /// `n_s`, `n_r`, `poll_final`, `hcs`, `hcs_ok`, `fcs`, `fcs_ok`, `llc`, `info`, `parameters`
    /// (SNRM/UA: the negotiated values, `{"error": …}` when malformed), `frmr`.
    public var json: JSONValue {
        let f = frame
        let parameters: JSONValue
        switch f.frameType {
        case .setNormalResponseMode, .unnumberedAcknowledge:
            do {
                parameters = try f.negotiatedParameters()?.json ?? HDLCParameters(parameters: []).json
            } catch {
                parameters = .object([("error", .string(error.description))])
            }
        default:
            parameters = .null
        }
        let frmr: JSONValue
        if f.frameType == .frameReject {
            do { frmr = try f.frameReject()?.json ?? .null } catch { frmr = .object([("error", .string(error.description))]) }
        } else {
            frmr = .null
        }
        return .object([
            ("type", f.frameType.map { .string($0.name) } ?? .null),
            ("control", .string(hdlcHex(f.control.rawValue))),
            ("destination", f.destination.json),
            ("source", f.source.json),
            ("segmented", .bool(f.segmented)),
            ("frame_length", .int(Int64(f.lengthField))),
            ("n_s", f.control.sendSequence.map { .int(Int64($0)) } ?? .null),
            ("n_r", f.control.receiveSequence.map { .int(Int64($0)) } ?? .null),
            ("poll_final", .bool(f.control.pollFinal)),
            ("hcs", receivedHeaderCheck.map { .string(Self.wire($0)) } ?? .null),
            ("hcs_ok", receivedHeaderCheck == nil ? .null : .bool(headerCheckOK)),
            ("fcs", .string(Self.wire(receivedFrameCheck))),
            ("fcs_ok", .bool(frameCheckOK)),
            ("llc", f.llc.map { .string($0.rawValue) } ?? .null),
            ("info", .string(HexText.format(f.information))),
            ("parameters", parameters),
            ("frmr", frmr),
        ])
    }
}
