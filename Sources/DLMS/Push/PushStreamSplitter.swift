/// Cuts the bytes of one push connection or serial line into pushes: wrapper PDUs (IEC 62056-47),
/// or HDLC UI/I frames (IEC 62056-46) with segmented information fields joined. The framing is
/// chosen by the first byte (`7E` HDLC, anything else wrapper), as ``DLMSMessage/detectFraming(_:)``
/// tells them apart; each push is then handed to ``PushInspector/inspect(_:arrival:)``.
///
/// Bytes a reader rejects are handed over too, gathered into one unit, so that the inspector reports
/// them as undecodable. Frames that carry no push (SNRM, RR, …) and garbage between HDLC frames
/// become notes.
public struct PushStreamSplitter: Sendable {
    /// What ``append(_:)`` found.
    public enum Unit: Sendable, Equatable {
        /// One push: a wrapper PDU, an HDLC frame, a bare APDU joined from HDLC segments, or
        /// rejected bytes.
        case push([UInt8])
        /// Something worth telling the user that is not a push.
        case note(String)
    }

    private enum Mode: Sendable {
        case undecided
        case wrapper(WrapperReader)
        case hdlc(HDLCFrameReader, HDLCReassembler)
    }

    private var mode = Mode.undecided
    private var rejected: [UInt8] = []

    /// A splitter that has seen no byte yet.
    public init() {}

    /// The framing chosen, once the first byte arrived.
    public var framing: DLMSMessage.Framing? {
        switch mode {
        case .undecided: nil
        case .wrapper: .wrapper
        case .hdlc: .hdlc
        }
    }

    /// Adds received bytes; returns the pushes and notes they complete.
    public mutating func append(_ bytes: [UInt8]) -> [Unit] {
        guard let first = bytes.first else { return [] }
        if case .undecided = mode {
            mode = first == HDLCFrame.flag ? .hdlc(HDLCFrameReader(), HDLCReassembler()) : .wrapper(WrapperReader())
        }
        var units: [Unit] = []
        switch mode {
        case .undecided:
            break
        case .wrapper(var reader):
            reader.append(bytes)
            while let event = reader.next() { units += wrapperUnits(event) }
            mode = .wrapper(reader)
        case .hdlc(var reader, var reassembler):
            reader.append(bytes)
            while let event = reader.next() { units += hdlcUnits(event, &reassembler) }
            mode = .hdlc(reader, reassembler)
        }
        return units
    }

    /// Ends the stream: what is left over becomes one undecodable push (or a note).
    public mutating func finish() -> [Unit] {
        var units: [Unit] = []
        switch mode {
        case .undecided:
            break
        case .wrapper(var reader):
            if let event = reader.finish() { units += wrapperUnits(event) }
            mode = .wrapper(reader)
        case .hdlc(var reader, var reassembler):
            for event in reader.finish() { units += hdlcUnits(event, &reassembler) }
            if reassembler.isInProgress { units.append(.note("the stream ended inside a segmented HDLC information field")) }
            reassembler.reset()
            mode = .hdlc(reader, reassembler)
        }
        return units + flushRejected()
    }

    private mutating func flushRejected() -> [Unit] {
        guard !rejected.isEmpty else { return [] }
        defer { rejected = [] }
        return [.push(rejected)]
    }

    private mutating func wrapperUnits(_ event: WrapperReader.Event) -> [Unit] {
        switch event {
        case .frame(_, let bytes, _):
            return flushRejected() + [.push(bytes)]
        case .error(_, let discarded, _):
            rejected += discarded
            return []
        }
    }

    private mutating func hdlcUnits(_ event: HDLCFrameReader.Event, _ reassembler: inout HDLCReassembler) -> [Unit] {
        switch event {
        case .frame(let frame, let bytes, _):
            guard let type = frame.frameType, type == .information || type == .unnumberedInformation else {
                return [.note("ignored an HDLC \(frame.frameType?.name ?? "undefined") frame (no push)")]
            }
            if !frame.segmented, !reassembler.isInProgress { return [.push(bytes)] }
            do {
                guard let whole = try reassembler.append(frame) else { return [] }
                return [.note("joined a push from \(whole.frameCount) HDLC segments"), .push(whole.apdu)]
            } catch {
                return [.note("HDLC segments dropped: \(error.reason)")]
            }
        case .error(_, let discarded, _):
            return [.push(discarded)]
        case .skipped(let garbage, _):
            return [.note("skipped \(garbage.count) byte(s) between HDLC frames")]
        }
    }
}
