import MeterBus
import Simulators
import Testing

/// EN 13757-2 link behaviour of the reference slave (fact sheet §1.3–§1.10).
@Suite("M-Bus slave: link layer")
struct MBusSlaveLinkTests {
    let a = Frame.primary

    @Test func sndNKEIsAcknowledgedAtThePrimaryAddressAnd254Only() {
        let h = SlaveHarness()
        #expect(h.acks(.sndNKE(address: a)))
        #expect(h.acks(.sndNKE(address: 254)))
        #expect(h.bytes(.sndNKE(address: 255)) == nil)  // broadcast without reply (§1.6)
        #expect(h.bytes(.sndNKE(address: 2)) == nil)
        #expect(h.bytes(.sndNKE(address: 253)) == nil)  // not selected
    }

    @Test func reqUD2GetsAnRSPUDFromTheSlavesAddressWithinTheWindow() throws {
        let h = SlaveHarness()
        let replies = h.send(.reqUD2(address: a, fcb: true))
        let reply = try #require(replies.first)
        #expect(reply.delay == .milliseconds(20))
        #expect(reply.delay >= MBusSlave.bitTimes(11, baud: 2400) && reply.delay <= MBusSlave.answerWindowEnd(baud: 2400))
        let t = try Telegram.decode(reply.bytes)
        #expect(t.frame.kind == .long)
        #expect(t.frame.control == .rspUD)
        #expect(t.frame.address == a)
        #expect(t.frame.ci == 0x72)
        #expect(t.parsed.checksumOK)
    }

    @Test func theNormalDelayStaysAbove11BitTimesAtLowBaudRates() {
        for rate in BaudRate.allCases {
            let d = MBusSlave.normalDelay(baud: rate.rawValue)
            #expect(d >= MBusSlave.bitTimes(11, baud: rate.rawValue))
            #expect(d <= MBusSlave.answerWindowEnd(baud: rate.rawValue))
        }
    }

    @Test func otherAddressesAndBroadcast255GetNoAnswer() throws {
        let h = SlaveHarness()
        #expect(h.bytes(.reqUD2(address: 2, fcb: true)) == nil)
        #expect(h.bytes(.reqUD2(address: 255, fcb: true)) == nil)
        #expect(h.bytes(.reqUD2(address: 253, fcb: true)) == nil)
        let t = try #require(try h.telegram(.reqUD2(address: 254, fcb: true)))
        #expect(SlaveHarness.header(t)?.id == "12345678")
        #expect(t.frame.address == a)  // answers with its own address
    }

    @Test func aToggledFCBBringsTheNextTelegramAndASameFCBRepeatsByteForByte() throws {
        let h = SlaveHarness()
        #expect(h.acks(.sndNKE(address: a)))
        let first = try #require(h.bytes(.reqUD2(address: a, fcb: true)))
        let repeated = try #require(h.bytes(.reqUD2(address: a, fcb: true)))
        #expect(repeated == first)
        let second = try #require(h.bytes(.reqUD2(address: a, fcb: false)))
        #expect(second != first)
        let t1 = try Telegram.decode(first), t2 = try Telegram.decode(second)
        #expect(t2.variableData?.accessNumber == t1.variableData!.accessNumber! &+ 1)
        #expect(t1.variableData?.moreRecordsFollow == true)
        #expect(t2.variableData?.moreRecordsFollow == false)
        // Repeating the second keeps its access number.
        #expect(h.bytes(.reqUD2(address: a, fcb: false)) == second)
    }

    @Test func theReadOutHasTwoTelegramsAndStartsOver() throws {
        let h = SlaveHarness()
        var fcb = true
        var telegrams: [Telegram] = []
        for _ in 0..<4 {
            telegrams.append(try #require(try h.telegram(.reqUD2(address: a, fcb: fcb))))
            fcb.toggle()
        }
        let more = telegrams.map { $0.variableData!.moreRecordsFollow }
        #expect(more == [true, false, true, false])
        // The first ends with 1F and nothing after it; the last with 0F and the manufacturer block.
        #expect(h.slave.telegram(0, accessNumber: 1).suffix(3).first == 0x1F)
        #expect(telegrams[0].variableData?.manufacturerData?.isEmpty ?? true)
        #expect(telegrams[1].variableData?.manufacturerData.map(Array.init) == MBusHeatMeterReadings.reference.manufacturerData)
        let layout = { (t: Telegram) in t.records.map { $0.dib.bytes + $0.vib.bytes } }
        #expect(layout(telegrams[2]) == layout(telegrams[0]))
        #expect(layout(telegrams[1]) != layout(telegrams[0]))
        let access = telegrams.compactMap { $0.variableData?.accessNumber }
        #expect(access == [1, 2, 3, 4])
    }

    @Test func sndNKEResetsTheReadOutAndTheFCBState() throws {
        let h = SlaveHarness()
        _ = h.bytes(.reqUD2(address: a, fcb: true))
        #expect(h.acks(.sndNKE(address: a)))
        // Same FCB as before the reset: fresh (not a repeat), and the first telegram again.
        let t = try #require(try h.telegram(.reqUD2(address: a, fcb: true)))
        #expect(t.variableData?.moreRecordsFollow == true)
        #expect(t.variableData?.accessNumber == 2)
    }

    @Test func fcvZeroMeansFreshDataEveryTime() throws {
        let h = SlaveHarness()
        let request = Frame.short(control: ControlField(0x6B), address: a)  // REQ_UD2, FCB=1, FCV=0
        let first = try #require(try h.telegram(request))
        let second = try #require(try h.telegram(request))
        #expect(second.variableData?.accessNumber == first.variableData!.accessNumber! + 1)
    }

    @Test func reqUD1IsAnsweredWithE5() {
        let h = SlaveHarness()
        #expect(h.acks(.reqUD1(address: a, fcb: true)))
    }

    @Test func sndUDAndApplicationResetAreAcknowledgedAndTheResetRestartsTheReadOut() throws {
        let h = SlaveHarness()
        #expect(h.acks(.userDataFrame(control: .sndUD, address: a, ci: 0x51, data: [0x2F])))
        let first = try #require(try h.telegram(.reqUD2(address: a, fcb: true)))
        #expect(h.acks(.applicationReset(address: a)))
        let again = try #require(try h.telegram(.reqUD2(address: a, fcb: false)))
        #expect(again.variableData?.moreRecordsFollow == true)
        #expect(again.records.map(\.dib) == first.records.map(\.dib))
        #expect(h.acks(.applicationReset(address: a, subcode: 0x00)))
    }

    @Test func unknownCIsAreNotAcknowledged() {
        let h = SlaveHarness()
        #expect(h.bytes(.userDataFrame(control: .sndUD, address: a, ci: 0x54, data: [])) == nil)
    }

    @Test func baudSwitchIsAcknowledgedAtTheOldRateThenTakesEffect() {
        let h = SlaveHarness()
        let replies = h.send(.baudRateSwitch(address: a, baud: .baud9600))
        #expect(replies.map(\.bytes) == [[0xE5]])
        #expect(replies.first?.baud == 2400)
        #expect(h.slave.baud == .baud9600)
        let next = h.send(.reqUD2(address: a, fcb: true))
        #expect(next.first?.baud == 9600)
        #expect(next.first?.delay == .milliseconds(20))
    }

    @Test func framesWithDefectsAreIgnored() {
        let h = SlaveHarness()
        var bad = try! Frame.reqUD2(address: a, fcb: true).encoded()
        bad[3] ^= 0xFF
        #expect(h.slave.receive(bad).isEmpty)
        #expect(h.slave.receive([0x00, 0x12, 0x68, 0x04, 0x05, 0x68]).isEmpty)
    }

    @Test func framesSplitAcrossChunksAreAnsweredOnceComplete() {
        let h = SlaveHarness()
        let request = try! Frame.sndNKE(address: a).encoded() + Frame.reqUD2(address: a, fcb: true).encoded()
        var replies: [MBusReply] = []
        for byte in request { replies += h.slave.receive([byte]) }
        #expect(replies.count == 2)
        #expect(replies.first?.bytes == [0xE5])
    }
}
