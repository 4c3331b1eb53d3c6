import MeterBus
import Simulators
import Testing

/// Each named fault breaks exactly what its description says.
@Suite("M-Bus slave: faults")
struct MBusFaultTests {
    let a = Frame.primary

    @Test func theCatalogueListsEveryFaultWithADescription() {
        let names = SimulatorCatalogue.faults.filter { $0.protocol == "mbus" }.map(\.name)
        #expect(names == ["bad-checksum", "wrong-l-field", "no-reply", "late-reply", "ignores-fcb",
                          "answers-wrong-selection", "answers-broadcast", "wrong-ci", "truncated-record",
                          "garbage-before-start"])
        #expect(SimulatorCatalogue.faults.allSatisfy { !$0.description.isEmpty })
    }

    @Test func unknownFaultNamesAreRejectedWithTheKnownOnes() throws {
        #expect(throws: UnknownSimulatorFault.self) { try MBusFault.parse(["bad-checksum", "slow"]) }
        do {
            _ = try MBusFault.parse(["slow"])
        } catch {
            #expect(error.description.contains("'slow'"))
            #expect(error.description.contains("bad-checksum, wrong-l-field"))
        }
        #expect(try MBusFault.parse(["late-reply", "late-reply"]) == [.lateReply])
    }

    @Test func badChecksum() throws {
        let h = SlaveHarness(faults: [.badChecksum])
        #expect(h.acks(.sndNKE(address: a)))
        let bytes = try #require(h.bytes(.reqUD2(address: a, fcb: true)))
        let parsed = try Frame.parse(bytes)
        #expect(!parsed.checksumOK)
        #expect(throws: MeterBusError.self) { try Telegram.decode(bytes) }
    }

    @Test func wrongLField() throws {
        let h = SlaveHarness(faults: [.wrongLField])
        let bytes = try #require(h.bytes(.reqUD2(address: a, fcb: true)))
        #expect(bytes[1] &+ 1 == bytes[2])
        var reader = FrameReader()
        reader.append(bytes)
        guard case .error(let error, _)? = reader.next() else { Issue.record("the reader accepted it"); return }
        #expect(error.description.contains("L fields differ"))
    }

    @Test func noReply() {
        let h = SlaveHarness(faults: [.noReply])
        #expect(h.acks(.sndNKE(address: a)))
        #expect(h.bytes(.reqUD2(address: a, fcb: true)) == nil)
        #expect(h.bytes(.reqUD2(address: 254, fcb: false)) == nil)
    }

    @Test func lateReply() throws {
        let h = SlaveHarness(faults: [.lateReply])
        let reply = try #require(h.send(.reqUD2(address: a, fcb: true)).first)
        #expect(reply.delay == MBusSlave.answerWindowEnd(baud: 2400) + .milliseconds(250))
        #expect(reply.delay > .milliseconds(437) && reply.delay < .milliseconds(438))
        #expect(h.send(.sndNKE(address: a)).first?.delay == .milliseconds(20))
        _ = h.send(.baudRateSwitch(address: a, baud: .baud9600))
        let fast = try #require(h.send(.reqUD2(address: a, fcb: true)).first)
        #expect(fast.delay == MBusSlave.answerWindowEnd(baud: 9600) + .milliseconds(250))
    }

    @Test func ignoresFCB() throws {
        let h = SlaveHarness(faults: [.ignoresFCB])
        let first = try #require(h.bytes(.reqUD2(address: a, fcb: true)))
        let toggled = try #require(h.bytes(.reqUD2(address: a, fcb: false)))
        #expect(toggled == first)  // repeats although the FCB toggled
        let same = try #require(h.bytes(.reqUD2(address: a, fcb: false)))
        #expect(same != toggled)  // advances although it did not
    }

    @Test func answersWrongSelection() throws {
        let h = SlaveHarness(faults: [.answersWrongSelection])
        #expect(h.acks(.selection(secondary: try #require(SecondaryAddress("87654321FFFFFFFF")))))
        #expect(h.slave.isSelected)
        #expect(try h.telegram(.reqUD2(address: 253, fcb: true)) != nil)
    }

    @Test func answersBroadcast() {
        let h = SlaveHarness(faults: [.answersBroadcast])
        #expect(h.acks(.sndNKE(address: 255)))
        #expect(h.bytes(.reqUD2(address: 255, fcb: true)) != nil)
    }

    @Test func wrongCI() throws {
        let h = SlaveHarness(faults: [.wrongCI])
        let t = try #require(try h.telegram(.reqUD2(address: a, fcb: true)))
        #expect(t.frame.ci == 0x53)
        #expect(t.parsed.checksumOK)
        #expect(![0x70, 0x71, 0x72, 0x73, 0x76, 0x77, 0x78, 0x7A].contains(t.frame.ci!))
    }

    @Test func truncatedRecord() throws {
        let h = SlaveHarness(faults: [.truncatedRecord])
        let bytes = try #require(h.bytes(.reqUD2(address: a, fcb: true)))
        let parsed = try Frame.parse(bytes)
        #expect(parsed.checksumOK)  // the link layer is sound
        #expect(bytes[1] == bytes[2] && Int(bytes[1]) + 6 == bytes.count)
        do {
            _ = try Telegram.decode(bytes)
            Issue.record("a truncated record decoded")
        } catch {
            #expect(error.code == .truncated)
        }
    }

    @Test func garbageBeforeStart() throws {
        let h = SlaveHarness(faults: [.garbageBeforeStart])
        #expect(h.bytes(.sndNKE(address: a)) == MBusSlave.garbage + [0xE5])
        let bytes = try #require(h.bytes(.reqUD2(address: a, fcb: true)))
        #expect(Array(bytes.prefix(3)) == MBusSlave.garbage)
        #expect(try Telegram.decode(Array(bytes.dropFirst(3))).parsed.checksumOK)
    }

    @Test func aRepeatRepeatsTheFaultyTelegramToo() throws {
        let h = SlaveHarness(faults: [.badChecksum])
        let first = try #require(h.bytes(.reqUD2(address: a, fcb: true)))
        #expect(h.bytes(.reqUD2(address: a, fcb: true)) == first)
    }
}
