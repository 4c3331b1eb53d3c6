extension Frame {
    /// The frame as sent on the wire, with L and CS computed (EN 13757-2; §1.1–§1.2).
    ///
    /// Reproduces a decoded input byte for byte when its checksum was right. Throws
    /// `.invalidValue` when a `.long` frame carries more than 252 data bytes (L would exceed 255).
    public func encoded() throws(MeterBusError) -> [UInt8] {
        var out: [UInt8] = []
        try encode(into: &out)
        return out
    }

    /// Appends the frame as sent on the wire to `out` (§1.1–§1.2); see ``encoded()``.
    /// Nothing is appended when it throws.
    public func encode(into out: inout [UInt8]) throws(MeterBusError) {
        switch self {
        case .ack:
            out.append(Frame.ackByte)
        case let .short(c, a):
            out.append(contentsOf: [Frame.shortStartByte, c.rawValue, a,
                                    Checksum.compute(control: c.rawValue, address: a), Frame.stopByte])
        case let .control(c, a, ci):
            appendLong(control: c, address: a, ci: ci, data: [], to: &out)
        case let .long(c, a, ci, data):
            guard data.count <= Frame.maximumUserDataLength else {
                throw MeterBusError(.invalidValue, at: Frame.dataOffset + Frame.maximumUserDataLength,
                                    "\(data.count) user-data bytes exceed the maximum of \(Frame.maximumUserDataLength) (L would be \(data.count + 3))")
            }
            appendLong(control: c, address: a, ci: ci, data: data, to: &out)
        }
    }

    private func appendLong(control: ControlField, address: UInt8, ci: UInt8,
                            data: ArraySlice<UInt8>, to out: inout [UInt8]) {
        // The caller has checked data.count <= 252, so L fits in a byte.
        let length = UInt8(truncatingIfNeeded: 3 + data.count)
        out.reserveCapacity(out.count + 9 + data.count)
        out.append(contentsOf: [Frame.longStartByte, length, length, Frame.longStartByte,
                                control.rawValue, address, ci])
        out.append(contentsOf: data)
        out.append(Checksum.compute(control: control.rawValue, address: address, ci: ci, data: data))
        out.append(Frame.stopByte)
    }
}
