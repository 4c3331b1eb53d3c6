import MeterBus
import Simulators
import Testing
import Transport

/// `sim:mbus` in process: timing, line settings, close and cancellation, registration.
@Suite("M-Bus simulator stream")
struct MBusSimulatorStreamTests {
    let a = Frame.primary

    /// Sends `frame` and waits for one frame back; returns it and when its first byte came.
    /// For the in-process stream the instants are the simulated line's own (`ArrivalTiming`), so
    /// a busy machine cannot make a reply look late; for a pty or TCP they are when this task ran.
    static func exchange(_ stream: any ByteStream, _ frame: Frame, timeout: Duration = .seconds(10)) async throws
        -> (bytes: [UInt8], after: Duration)? {
        var start = ContinuousClock.now
        try await stream.send(try frame.encoded())
        let timed = stream as? any ArrivalTiming
        if let taken = timed?.lastSendInstant { start = taken }
        var reader = FrameReader()
        var firstByte: ContinuousClock.Instant?
        let deadline = start + timeout
        while true {
            if case .frame(_, let bytes)? = reader.next() { return (bytes, firstByte! - start) }
            let chunk = try await stream.receive(maxCount: 512, deadline: deadline)
            if chunk.isEmpty { return nil }
            if firstByte == nil { firstByte = timed?.lastArrivalInstant ?? .now }
            reader.append(chunk)
        }
    }

    @Test func repliesArriveAfterTheTurnaroundAndNotBefore() async throws {
        let stream = MBusSimulatorStream()
        let ack = try #require(try await Self.exchange(stream, .sndNKE(address: a)))
        #expect(ack.bytes == [0xE5])
        #expect(ack.after >= .milliseconds(20) && ack.after < MBusSlave.answerWindowEnd(baud: 2400))
        let rsp = try #require(try await Self.exchange(stream, .reqUD2(address: a, fcb: true)))
        #expect(try Telegram.decode(rsp.bytes).frame.ci == 0x72)
        await stream.close()
    }

    @Test func aLateReplyArrivesAfterTheAnswerWindow() async throws {
        let stream = MBusSimulatorStream(faults: [.lateReply])
        let window = MBusSlave.answerWindowEnd(baud: 2400)
        // Timed by the simulated line's own clock (ArrivalTiming): when the request was taken and
        // when the reply's first byte was due, however late this task gets to run.
        let reply = try #require(try await Self.exchange(stream, .reqUD2(address: a, fcb: true)))
        #expect(reply.after > window + .milliseconds(200))
        #expect(try Telegram.decode(reply.bytes).frame.kind == .long)
        await stream.close()
    }

    @Test func silenceReturnsEmptyNoEarlierThanTheDeadline() async throws {
        let stream = MBusSimulatorStream()
        try await stream.send(try Frame.reqUD2(address: 7, fcb: true).encoded())
        let deadline = ContinuousClock.now + .milliseconds(120)
        #expect(try await stream.receive(maxCount: 16, deadline: deadline).isEmpty)
        #expect(ContinuousClock.now >= deadline)
    }

    @Test func receiveHandsOutAtMostMaxCount() async throws {
        let stream = MBusSimulatorStream()
        try await stream.send(try Frame.reqUD2(address: a, fcb: true).encoded())
        let chunk = try await stream.receive(maxCount: 4, deadline: .now + .seconds(1))
        #expect(chunk == [0x68, chunk[1], chunk[1], 0x68])
        let rest = try await stream.receive(maxCount: 512, deadline: .now)
        #expect(rest.count == Int(chunk[1]) + 2)
    }

    @Test func closeEndsEveryLaterCall() async throws {
        let stream = MBusSimulatorStream()
        let pending = Task { () async throws(TransportError) -> [UInt8] in
            try await stream.receive(maxCount: 1, deadline: .now + .seconds(30))
        }
        try await Task.sleep(for: .milliseconds(30))
        await stream.close()
        await #expect(throws: TransportError.closed) { try await pending.value }
        await #expect(throws: TransportError.closed) { try await stream.send([0xE5]) }
        await #expect(throws: TransportError.closed) { try await stream.receive(maxCount: 1, deadline: .now) }
        await #expect(throws: TransportError.closed) { try await stream.apply(.mbusDefault) }
    }

    @Test func cancellationEndsAPendingReceive() async throws {
        let stream = MBusSimulatorStream()
        let pending = Task { () async throws(TransportError) -> [UInt8] in
            try await stream.receive(maxCount: 1, deadline: .now + .seconds(30))
        }
        try await Task.sleep(for: .milliseconds(30))
        pending.cancel()
        await #expect(throws: TransportError.cancelled) { try await pending.value }
    }

    @Test func afterABaudSwitchOnlyTheNewRateIsUnderstoodAndChangesAreNoted() async throws {
        let stream = MBusSimulatorStream()
        #expect(stream.lineSettings == .mbusDefault)
        let initial = await stream.takeNotes()
        #expect(initial.map(\.kind) == [.lineSettings(.mbusDefault, physical: false)])
        let ack = try #require(try await Self.exchange(stream, .baudRateSwitch(address: a, baud: .baud9600)))
        #expect(ack.bytes == [0xE5])
        // The master still at 2400: the slave hears noise.
        #expect(try await Self.exchange(stream, .sndNKE(address: a), timeout: .milliseconds(300)) == nil)
        let fast = try LineSettings.eightEvenOne(baud: 9600)
        try await stream.apply(fast)
        #expect(try await Self.exchange(stream, .sndNKE(address: a))?.bytes == [0xE5])
        #expect(await stream.takeNotes().map(\.kind) == [.lineSettings(fast, physical: false)])
        // Back to 2400 the same way.
        #expect(try await Self.exchange(stream, .baudRateSwitch(address: a, baud: .baud2400))?.bytes == [0xE5])
        try await stream.apply(.mbusDefault)
        #expect(try await Self.exchange(stream, .sndNKE(address: a))?.bytes == [0xE5])
    }

    @Test func aReplySentAtAnotherRateThanTheMastersIsLost() async throws {
        let stream = MBusSimulatorStream()
        try await stream.send(try Frame.sndNKE(address: a).encoded())
        try await stream.apply(try LineSettings.eightEvenOne(baud: 9600))  // before the E5 arrives
        #expect(try await stream.receive(maxCount: 16, deadline: .now + .milliseconds(100)).isEmpty)
    }

    @Test func theSimSchemeOpensTheSlaveWithItsFaults() async throws {
        let registry = TransportRegistry()
        SimulatorCatalogue.register(in: registry)
        let stream = try await registry.open("sim:mbus?faults=wrong-ci,no-reply")
        let line = try #require(stream as? MBusSimulatorStream)
        #expect(line.slave.faults == [.wrongCI, .noReply])
        await stream.close()
    }

    @Test func unknownSimulatorsAndFaultsAreRejectedWithWhatIsKnown() async {
        let registry = TransportRegistry()
        SimulatorCatalogue.register(in: registry)
        do {
            _ = try await registry.open("sim:mbus?faults=bad-checksum,slow")
            Issue.record("an unknown fault was accepted")
        } catch {
            guard case .invalidURL(let why) = error else { Issue.record("\(error)"); return }
            #expect(why.contains("'slow'") && why.contains("garbage-before-start"))
        }
        do {
            _ = try await registry.open("sim:c1218")
            Issue.record("an unknown simulator was accepted")
        } catch {
            guard case .invalidURL(let why) = error else { Issue.record("\(error)"); return }
            #expect(why.contains("'c1218'") && why.contains("mbus") && why.contains("dlms-hdlc"))
        }
    }
}
