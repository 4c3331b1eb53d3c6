import MeterBus

/// Recognises the start of wired M-Bus traffic (fact sheet mbus.md §1.1–1.2): a lone E5, a short
/// frame `10 C A CS 16` with a right checksum, or a long/control frame `68 L L 68 … CS 16` whose
/// L fields agree and whose checksum is right.
enum MBusHeuristic {
    static func matches(_ bytes: ArraySlice<UInt8>, complete: Bool) -> Bool {
        let s = bytes.startIndex
        guard let first = bytes.first else { return false }
        switch first {
        case Frame.ackByte:
            return bytes.count == 1 && complete
        case Frame.shortStartByte:
            guard bytes.count >= 5 else { return false }
            return bytes[s + 4] == Frame.stopByte && Checksum.compute(bytes[(s + 1)...(s + 2)]) == bytes[s + 3]
        case Frame.longStartByte:
            guard bytes.count >= 4, bytes[s + 1] == bytes[s + 2], bytes[s + 3] == Frame.longStartByte,
                  bytes[s + 1] >= Frame.minimumLengthField else { return false }
            let length = Int(bytes[s + 1])
            guard bytes.count >= length + 6 else { return false }
            return bytes[s + length + 5] == Frame.stopByte
                && Checksum.compute(bytes[(s + 4)..<(s + 4 + length)]) == bytes[s + 4 + length]
        default:
            return false
        }
    }
}
