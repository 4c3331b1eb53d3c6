import CodecSupport

/// Runs many conversations at once and writes their packets in time order: a min-heap keyed by
/// each conversation's next packet time picks the next packet; a finished conversation is replaced
/// by a new one with a free meter until the file reaches its target size. Memory is bounded by the
/// number of open conversations (each holds at most one step's packets).
struct Generator {
    var options: GeneratorOptions

    func run() throws -> (tally: Tally, packets: Int, bytes: Int) {
        var meters = (0..<options.meters).map { Meter(index: $0, seed: options.seed) }
        let writer = try PcapFileWriter(path: options.output)
        var tally = Tally()
        var rng = SeededRandom.derived(seed: options.seed, stream: 0x5343_4845_4455_4C45)
        var slots: [Conversation?] = Array(repeating: nil, count: options.concurrency)
        var heap = MinHeap()
        var conversationNumber = 0
        var meterCursor = 0
        var portCounter = 0
        let target = Int(options.megabytes * 1_000_000)
        // 2026-03-02 08:00:00 UTC.
        let epoch: UInt64 = 1_772_438_400 * 1_000_000
        tally.firstMicros = epoch
        tally.lastMicros = epoch

        func startConversation(at time: UInt64, slot: Int) {
            // The next meter with no open conversation.
            while meters[meterCursor].busy { meterCursor = (meterCursor + 1) % meters.count }
            let index = meterCursor
            meterCursor = (meterCursor + 1) % meters.count
            meters[index].busy = true
            conversationNumber += 1
            let port = UInt16(49_152 + portCounter % 16_000)
            portCounter += 1
            let conversation = Conversation(number: conversationNumber, meter: meters[index], start: time,
                                            localPort: port, seed: options.seed, rates: options.rates)
            _ = conversation.advance(meter: &meters[index], tally: &tally)
            slots[slot] = conversation
            heap.push(time: conversation.nextTime!, slot: slot)
        }

        for slot in 0..<options.concurrency {
            startConversation(at: epoch + UInt64(rng.int(0...2_000)) * 1000, slot: slot)
        }
        while let (_, slot) = heap.pop() {
            let conversation = slots[slot]!
            var packet = conversation.popPacket()!
            let frame = writer.write(microseconds: packet.time, frame: packet.frame)
            if packet.time > tally.lastMicros { tally.lastMicros = packet.time }
            for kind in packet.plants {
                tally.findings.append(PlantedFinding(kind: kind, frame: frame, conversation: conversation.label))
            }
            packet.frame = []
            var more = true
            while conversation.nextTime == nil, more {
                more = conversation.advance(meter: &meters[conversation.meterIndex], tally: &tally)
            }
            if more {
                heap.push(time: conversation.nextTime!, slot: slot)
                continue
            }
            meters[conversation.meterIndex].busy = false
            slots[slot] = nil
            if writer.size < target {
                startConversation(at: packet.time + UInt64(rng.int(0...300)) * 1000, slot: slot)
            }
        }
        writer.close()
        return (tally, writer.packets, writer.fileBytes)
    }
}

/// A binary min-heap of (time, slot); ties go to the lower slot, so the order is deterministic.
struct MinHeap {
    private var items: [(time: UInt64, slot: Int)] = []

    private static func less(_ a: (time: UInt64, slot: Int), _ b: (time: UInt64, slot: Int)) -> Bool {
        a.time != b.time ? a.time < b.time : a.slot < b.slot
    }

    mutating func push(time: UInt64, slot: Int) {
        items.append((time, slot))
        var i = items.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard Self.less(items[i], items[parent]) else { break }
            items.swapAt(i, parent)
            i = parent
        }
    }

    mutating func pop() -> (time: UInt64, slot: Int)? {
        guard let top = items.first else { return nil }
        let last = items.removeLast()
        if !items.isEmpty {
            items[0] = last
            var i = 0
            while true {
                let l = 2 * i + 1, r = l + 1
                var m = i
                if l < items.count, Self.less(items[l], items[m]) { m = l }
                if r < items.count, Self.less(items[r], items[m]) { m = r }
                if m == i { break }
                items.swapAt(i, m)
                i = m
            }
        }
        return top
    }
}
