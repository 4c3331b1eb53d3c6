import DLMS
import Testing

/// Invocation counters per system title: strictly increasing, replays reported.
@Suite("Security: invocation counter tracking")
struct SecurityCounterTests {
    @Test("first, next, gap, replay and decrease, per system title")
    func verdicts() throws {
        let meterA = try SystemTitle([0x4D, 0x4D, 0x4D, 0, 0, 0xBC, 0x61, 0x4E])
        let meterB = try SystemTitle([0x4D, 0x4D, 0x4D, 0, 0, 0, 0, 0x01])
        var tracker = InvocationCounterTracker()
        #expect(tracker.observe(10, from: meterA) == .first)
        #expect(tracker.observe(11, from: meterA) == .next)
        #expect(tracker.observe(15, from: meterA) == .gap(skipped: 3))
        #expect(tracker.observe(15, from: meterA) == .replay)
        #expect(tracker.observe(12, from: meterA) == .decreased(last: 15))
        #expect(tracker.lastAccepted[meterA] == 15)
        #expect(tracker.observe(0, from: meterB) == .first)  // titles are independent
        #expect(tracker.judge(1, from: meterB) == .next)
        #expect(tracker.lastAccepted[meterB] == 0)  // judge does not record
        #expect(tracker.observe(.max, from: meterB) == .gap(skipped: UInt32.max - 1))
        #expect(tracker.observe(.max, from: meterB) == .replay)
        #expect(!InvocationCounterTracker.Verdict.replay.isAccepted)
        #expect(InvocationCounterTracker.Verdict.gap(skipped: 1).isAccepted)
    }

    @Test("a system title has eight bytes; the manufacturer id is its first three when printable")
    func systemTitle() throws {
        let title = try SystemTitle([0x4D, 0x4D, 0x4D, 0, 0, 0xBC, 0x61, 0x4E])
        #expect(title.manufacturerID == "MMM")
        #expect(title.description == "4D4D4D0000BC614E")
        #expect(try SystemTitle([0x2F, 0x19, 0x22, 0x91, 0x99, 0x16, 0x41, 0x03]).manufacturerID == nil)
        #expect(SecurityFailure.of { _ = try SystemTitle([0x4D, 0x4D]) } == SecurityFailure(.invalidValue, 0))
    }
}
