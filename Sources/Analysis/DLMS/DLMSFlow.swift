import DLMS

/// One direction of a DLMS conversation cut into units: wrapper PDUs or HDLC frames (segmented
/// information fields joined), with their stream offsets and packets. Framing is detected from
/// the first bytes (and again after a gap or a framing error: the flow seeks the next plausible
/// HDLC frame or wrapper header, so one defect costs one finding, not one per byte).
struct DLMSFlow {
    /// What the flow found.
    enum Unit {
        /// A wrapper PDU.
        case wrapper(WrapperFrame, start: UInt64, end: UInt64, packets: [PacketRef])
        /// An HDLC I/UI frame completing an APDU (`frames` frames joined), or any other HDLC frame
        /// (`apdu` nil): the last frame's bytes.
        case hdlc(frameBytes: [UInt8], apdu: [UInt8]?, frames: Int, start: UInt64, end: UInt64, packets: [PacketRef])
        /// Bytes that do not frame; `offset` is the stream offset of the defect.
        case malformed(DLMSError, offset: UInt64, packets: [PacketRef])
    }

    private enum Mode {
        case seeking
        case hdlc(HDLCFrameReader)
        case wrapper(WrapperReader)
    }

    private var mode = Mode.seeking
    /// Stream offset of the reader's first byte (or of `pending[0]` while seeking).
    private var base: UInt64 = 0
    private var pending: [UInt8] = []
    private var spans = PacketSpans()
    private var segments = HDLCReassembler()
    private var segmentPackets: [PacketRef] = []
    private var segmentStart: UInt64?
    private var segmentFrames = 0

    /// Adds in-order stream bytes.
    mutating func receive(_ segment: StreamSegment, _ emit: (Unit) -> Void) {
        let end = segment.streamOffset + UInt64(segment.bytes.count)
        spans.add(start: segment.streamOffset, end: end, packets: segment.packets)
        switch mode {
        case .seeking:
            if pending.isEmpty { base = segment.streamOffset }
            pending.append(contentsOf: segment.bytes)
            seek(emit)
        case .hdlc(var reader):
            mode = .seeking  // release the enum's copy so appending does not copy the buffer
            reader.append(segment.bytes)
            drainHDLC(&reader, emit)
        case .wrapper(var reader):
            mode = .seeking
            reader.append(segment.bytes)
            drainWrapper(&reader, emit)
        }
    }

    /// Looks for the first plausible frame start in `pending`; switches to that framing.
    private mutating func seek(_ emit: (Unit) -> Void) {
        let bytes = pending[...]
        var i = bytes.startIndex
        while i < bytes.endIndex {
            if DLMSHeuristic.hdlcFrame(at: i, in: bytes) {
                var reader = HDLCFrameReader()
                reader.append(bytes[i...])
                base += UInt64(i)
                pending = []
                drainHDLC(&reader, emit)
                return
            }
            if DLMSHeuristic.wrapperHeader(at: i, in: bytes) {
                var reader = WrapperReader()
                reader.append(bytes[i...])
                base += UInt64(i)
                pending = []
                drainWrapper(&reader, emit)
                return
            }
            // Not enough bytes yet to judge a start here: wait.
            if bytes.endIndex - i < 9, bytes[i] == 0x00 || bytes[i] == 0x7E { break }
            i += 1
        }
        let drop = i - bytes.startIndex
        if drop > 0 {
            pending.removeFirst(drop)
            base += UInt64(drop)
        }
        spans.discard(before: base)
    }

    private mutating func drainHDLC(_ reader: inout HDLCFrameReader, _ emit: (Unit) -> Void) {
        while let event = reader.next() {
            switch event {
            case let .frame(frame, bytes, offset):
                hdlcFrame(frame, bytes: bytes, start: base + UInt64(offset), emit)
            case let .error(error, discarded, offset):
                let start = base + UInt64(offset)
                let packets = spans.packets(from: start, to: start + UInt64(max(1, discarded.count)))
                if error.code == .badChecksum, packets.contains(where: \.redacted),
                   let parsed = try? HDLCFrame.parse(discarded[...]) {
                    // Secret bytes were overwritten in the capture: the checks cannot hold, the fields can.
                    hdlcFrame(parsed.frame, bytes: discarded, start: start, emit)
                    continue
                }
                emit(.malformed(error, offset: start + UInt64(max(0, error.offset)), packets: packets))
            case .skipped:
                break
            }
        }
        mode = .hdlc(reader)
    }

    /// One whole HDLC frame at stream offset `start`: I/UI information joined across segments, other frames as they are.
    private mutating func hdlcFrame(_ frame: HDLCFrame, bytes: [UInt8], start: UInt64, _ emit: (Unit) -> Void) {
        let end = start + UInt64(bytes.count)
        let packets = spans.packets(from: start, to: end)
        let type = frame.frameType
        if type == .information || type == .unnumberedInformation, !frame.information.isEmpty {
            if segmentStart == nil { segmentStart = start }
            for packet in packets where !segmentPackets.contains(packet) { segmentPackets.append(packet) }
            segmentFrames += 1
            do {
                if let whole = try segments.append(frame) {
                    emit(.hdlc(frameBytes: bytes, apdu: whole.apdu, frames: whole.frameCount, start: segmentStart ?? start,
                               end: end, packets: segmentPackets))
                    resetSegments()
                }
            } catch {
                emit(.malformed(error, offset: start, packets: segmentPackets))
                resetSegments()
            }
        } else {
            emit(.hdlc(frameBytes: bytes, apdu: nil, frames: 1, start: start, end: end, packets: packets))
        }
        spans.discard(before: segmentStart ?? end)
    }

    private mutating func drainWrapper(_ reader: inout WrapperReader, _ emit: (Unit) -> Void) {
        while let event = reader.next() {
            switch event {
            case let .frame(frame, bytes, offset):
                let start = base + UInt64(offset)
                let end = start + UInt64(bytes.count)
                emit(.wrapper(frame, start: start, end: end, packets: spans.packets(from: start, to: end)))
                spans.discard(before: end)
            case let .error(error, discarded, offset):
                // The framing broke: report once, then seek the next plausible header.
                let start = base + UInt64(offset)
                emit(.malformed(error, offset: start + UInt64(max(0, error.offset)), packets: spans.packets(from: start, to: start + 1)))
                var rest = discarded
                if case let .error(_, remaining, _)? = reader.finish() { rest += remaining }
                pending = Array(rest.dropFirst())
                base = start + 1
                mode = .seeking
                seek { emit($0) }
                return
            }
        }
        mode = .wrapper(reader)
    }

    private mutating func resetSegments() {
        segments.reset()
        segmentPackets = []
        segmentStart = nil
        segmentFrames = 0
    }

    /// Bytes were lost: drop partial frames and seek again after the gap.
    mutating func gap(resumingAt offset: UInt64) {
        mode = .seeking
        pending = []
        base = offset
        spans.removeAll()
        resetSegments()
    }

    /// The stream ended: a partial frame left over is reported when `reportTruncation`.
    mutating func finish(reportTruncation: Bool, _ emit: (Unit) -> Void) {
        switch mode {
        case .seeking:
            break
        case .hdlc(var reader):
            for event in reader.finish() {
                if reportTruncation, case let .error(error, discarded, offset) = event {
                    let start = base + UInt64(offset)
                    emit(.malformed(error, offset: start, packets: spans.packets(from: start, to: start + UInt64(max(1, discarded.count)))))
                }
            }
        case .wrapper(var reader):
            if reportTruncation, case let .error(error, discarded, offset)? = reader.finish() {
                let start = base + UInt64(offset)
                emit(.malformed(error, offset: start, packets: spans.packets(from: start, to: start + UInt64(max(1, discarded.count)))))
            }
        }
        mode = .seeking
        pending = []
        spans.removeAll()
        resetSegments()
    }
}
