import CodecSupport

/// Frames laid end to end in a buffer (a `.hex` file, a log, a serial dump), decoded one by one.
public enum TelegramSequence {
    /// One frame of the buffer: where it starts and what it decoded to.
    public struct Item: Sendable {
        /// Offset of the frame's first byte in the buffer.
        public let start: Int
        /// The frame's bytes.
        public let bytes: ArraySlice<UInt8>
        /// The decoded telegram, or the error with its offset counted from the frame's first byte.
        public let result: Result<Telegram, MeterBusError>
    }

    /// Splits `bytes` into frames by their start bytes and L fields and decodes each.
    ///
    /// Stops after the first frame whose extent cannot be known (bad start byte, L fields that differ,
    /// missing bytes): nothing after it can be framed with certainty. A frame whose extent is known
    /// but whose content is invalid (checksum, records) is reported and the next frame is read.
    public static func decode(_ bytes: [UInt8], table: CITable = .wired) -> [Item] {
        var items: [Item] = []
        var position = 0
        while position < bytes.count {
            let rest = bytes[position...]
            switch Frame.boundary(of: rest) {
            case let .complete(length):
                let frame = rest.prefix(length)
                let result: Result<Telegram, MeterBusError>
                do { result = .success(try Telegram.decode(frame, table: table)) } catch { result = .failure(error) }
                items.append(Item(start: position, bytes: frame, result: result))
                position += length
            case let .needMore(total):
                items.append(Item(start: position, bytes: rest, result: .failure(Frame.truncation(of: rest, total: total))))
                return items
            case let .invalid(error):
                items.append(Item(start: position, bytes: rest, result: .failure(error)))
                return items
            }
        }
        return items
    }
}
