import Capture
import Foundation
import Testing
@testable import Analysis

/// The conversation table stays bounded: UDP flows close when idle or when the table is full.
@Suite("Analysis: bounded conversation table")
struct ConversationTableTests {
    static func udp(_ c: inout TestCapture, port: UInt16) -> CaptureSessionID {
        c.writer.beginSession(.udp(harness: CaptureEndpoint(address: [10, 0, 0, 1], port: port),
                                   device: CaptureEndpoint(address: [10, 0, 0, 2], port: 4059)), at: c.time)
    }

    @Test("beyond the open-conversation limit the least recently active flow is evicted; idle flows close")
    func evictionAndIdle() throws {
        var c = TestCapture()
        let flows = (0..<3).map { Self.udp(&c, port: UInt16(41_000 + $0)) }
        for flow in flows {
            c.send(APDUs.wrapped(APDUs.getRequest(1), fromClient: true), .toDevice, in: flow)
            c.send(APDUs.wrapped(APDUs.getResponse(1), fromClient: false), .fromDevice, in: flow)
        }
        let late = Self.udp(&c, port: 41_010)
        c.send(APDUs.wrapped(APDUs.getRequest(2), fromClient: true), .toDevice, in: late, afterMs: 10_000)
        c.send(APDUs.wrapped(APDUs.getResponse(2), fromClient: false), .fromDevice, in: late)
        let path = try c.write()

        var bounded = AnalysisOptions()
        bounded.maximumOpenConversations = 2
        let a = Analysed(path, options: bounded)
        #expect(a.result.conversationCount == 4)
        #expect(a.result.conversations.map(\.closeReason) == ["evicted", "evicted", "end_of_capture", "end_of_capture"])
        #expect(a.result.pduCount == 8)
        #expect(a.findings.isEmpty)

        var idle = AnalysisOptions()
        idle.idleTimeout = 5_000_000_000
        let b = Analysed(path, options: idle)
        #expect(b.result.conversations.map(\.closeReason) == ["idle", "idle", "idle", "end_of_capture"])
        #expect(b.result.pduCount == 8)
    }

    @Test("an idle TCP connection closes; when it speaks again it is a new conversation")
    func idleTCP() throws {
        var c = TestCapture()
        let s = c.tcp()
        c.send(APDUs.wrapped(APDUs.getRequest(1), fromClient: true), .toDevice, in: s)
        c.send(APDUs.wrapped(APDUs.getResponse(1), fromClient: false), .fromDevice, in: s)
        c.send(APDUs.wrapped(APDUs.getRequest(2), fromClient: true), .toDevice, in: s, afterMs: 20_000)
        c.send(APDUs.wrapped(APDUs.getResponse(2), fromClient: false), .fromDevice, in: s)
        c.end(s)
        let path = try c.write()
        var options = AnalysisOptions()
        options.idleTimeout = 10_000_000_000
        let a = Analysed(path, options: options)
        #expect(a.result.conversations.map(\.closeReason) == ["idle", "fin"])
        #expect(a.result.conversations.map(\.pduCount) == [2, 2])
        #expect(a.result.pduCount == 4)
        #expect(a.findings.isEmpty)
        #expect(Analysed(path).result.conversations.map(\.closeReason) == ["fin"])
    }
}
