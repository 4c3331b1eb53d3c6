import Capture
import DLMS
import Foundation
import Testing
@testable import Analysis

/// DLMS over the wrapper on TCP 4059: each capture is built here and the exact PDU count and
/// findings (rule ids and frame numbers) are checked. Packets 1–3 are the synthetic handshake.
@Suite("Analysis: DLMS wrapper over TCP")
struct DLMSAnalysisTests {
    /// Sends `apdu` in a wrapper frame from the client (to the device) or the server.
    static func send(_ capture: inout TestCapture, _ session: CaptureSessionID, _ apdu: [UInt8], client: Bool,
                     afterMs: Int64 = 2) -> Int {
        capture.send(APDUs.wrapped(apdu, fromClient: client), client ? .toDevice : .fromDevice, in: session, afterMs: afterMs)
    }

    @Test("a normal exchange: 4 PDUs, no finding, 2 latencies, fields as decode dlms names them")
    func normalExchange() throws {
        var c = TestCapture()
        let s = c.tcp()
        #expect(Self.send(&c, s, APDUs.aarq, client: true) == 4)
        _ = Self.send(&c, s, APDUs.aare, client: false)
        _ = Self.send(&c, s, APDUs.getRequest(1), client: true)
        _ = Self.send(&c, s, APDUs.getResponse(1), client: false, afterMs: 30)
        c.end(s)
        let a = Analysed(try c.write())
        #expect(a.result.pduCount == 4)
        #expect(a.findings.isEmpty)
        #expect(a.result.problem == nil)
        #expect(a.result.latency.count == 2)
        #expect(a.result.latency.maximum == 30_000_000)
        #expect(a.result.conversations.count == 1)
        let conversation = try #require(a.result.conversations.first)
        #expect(conversation.protocolName == "dlms")
        #expect(conversation.pdusByDirection == [2, 2])
        #expect(conversation.closeReason == "fin")
        #expect(a.pdus.count == 4)
        let first = try #require(a.pdus.first)
        #expect(first["protocol"] as? String == "dlms")
        #expect(first["direction"] as? String == "client_to_server")
        #expect(first["frames"] as? [Int] == [4])
        #expect(first["src"] as? String == "10.0.0.1:49152")
        let dlms = try #require(first["dlms"] as? [String: Any])
        #expect(dlms["framing"] as? String == "wrapper")
        #expect((dlms["apdu"] as? [String: Any])?["apdu"] as? String == "aarq")
        let get = try #require(a.pdus[2]["dlms"] as? [String: Any])
        #expect((get["apdu"] as? [String: Any])?["invoke_id"] as? Int == 1)
        #expect(a.report.exitStatus == 0)
    }

    @Test("an unanswered request is reported when a later request is answered")
    func unansweredRequest() throws {
        var c = TestCapture()
        let s = c.tcp()
        _ = Self.send(&c, s, APDUs.aarq, client: true)
        _ = Self.send(&c, s, APDUs.aare, client: false)
        let lost = Self.send(&c, s, APDUs.getRequest(2), client: true)
        _ = Self.send(&c, s, APDUs.getRequest(3), client: true)
        _ = Self.send(&c, s, APDUs.getResponse(3), client: false)
        c.end(s)
        let a = Analysed(try c.write())
        #expect(a.result.pduCount == 5)
        #expect(a.findings == ["dlms.request-without-response@\(lost)"])
        #expect(a.report.exitStatus == 0)  // a warning
    }

    @Test("a request still open at the end of the capture is unanswered")
    func unansweredAtEnd() throws {
        var c = TestCapture()
        let s = c.tcp()
        let request = Self.send(&c, s, APDUs.getRequest(1), client: true)
        c.end(s)
        let a = Analysed(try c.write())
        #expect(a.findings == ["dlms.request-without-response@\(request)"])
    }

    @Test("an invoke-id mismatch names the request and the response; a stray response is flagged")
    func invokeIDMismatch() throws {
        var c = TestCapture()
        let s = c.tcp()
        let request = Self.send(&c, s, APDUs.getRequest(4), client: true)
        let response = Self.send(&c, s, APDUs.getResponse(5), client: false)
        let stray = Self.send(&c, s, APDUs.getResponse(6), client: false)
        c.end(s)
        let a = Analysed(try c.write())
        #expect(a.result.pduCount == 3)
        #expect(a.findings == ["dlms.invoke-id-mismatch@\(request),\(response)", "dlms.response-without-request@\(stray)"])
        #expect(a.report.exitStatus == 1)
    }

    @Test("an AARE rejection is reported with its diagnostic")
    func aareRejected() throws {
        var c = TestCapture()
        let s = c.tcp()
        _ = Self.send(&c, s, APDUs.aarq, client: true)
        let aare = Self.send(&c, s, APDUs.aareRejected, client: false)
        c.end(s)
        let a = Analysed(try c.write())
        #expect(a.result.pduCount == 2)
        #expect(a.findings == ["dlms.aare-rejected@\(aare)"])
        let message = try #require(a.result.findings.first?.message)
        #expect(message.contains("rejected-permanent"))
        #expect(message.contains("no-reason-given"))
    }

    @Test("a cleartext get-response after a ciphered association is a privacy finding; the glo-get-request deciphers")
    func cleartextAfterCipheredAssociation() throws {
        var c = TestCapture()
        let s = c.tcp()
        _ = Self.send(&c, s, APDUs.cipheredAARQ, client: true)
        _ = Self.send(&c, s, APDUs.cipheredAARE, client: false)
        _ = Self.send(&c, s, APDUs.protect(APDUs.getRequest(1), by: .client, ic: 1), client: true)
        let clear = Self.send(&c, s, APDUs.getResponse(1), client: false)
        c.end(s)
        var options = AnalysisOptions()
        options.dlmsKeys = APDUs.keys
        let a = Analysed(try c.write(), options: options)
        #expect(a.result.pduCount == 4)
        #expect(a.findings == ["dlms.cleartext-meter-data@\(clear)"])
        let request = try #require(a.pdus[2]["dlms"] as? [String: Any])
        #expect((request["deciphered"] as? [String: Any])?["apdu"] as? String == "get-request")
        #expect(request["decipher_error"] == nil)
        #expect(a.report.exitStatus == 1)
    }

    @Test("--expect-ciphering flags cleartext data without a ciphered association")
    func expectCiphering() throws {
        var c = TestCapture()
        let s = c.tcp()
        _ = Self.send(&c, s, APDUs.getRequest(1), client: true)
        let response = Self.send(&c, s, APDUs.getResponse(1), client: false)
        c.end(s)
        let path = try c.write()
        #expect(Analysed(path).findings.isEmpty)
        var options = AnalysisOptions()
        options.expectCiphering = true
        #expect(Analysed(path, options: options).findings == ["dlms.cleartext-meter-data@\(response)"])
    }

    @Test("an invocation counter repeated by the same system title is a replay")
    func invocationCounterReplay() throws {
        var c = TestCapture()
        let s = c.tcp()
        _ = Self.send(&c, s, APDUs.cipheredAARQ, client: true)
        _ = Self.send(&c, s, APDUs.cipheredAARE, client: false)
        let request = APDUs.protect(APDUs.getRequest(1), by: .client, ic: 5)
        _ = Self.send(&c, s, request, client: true)
        _ = Self.send(&c, s, APDUs.protect(APDUs.getResponse(1), by: .server, ic: 7), client: false)
        let replay = Self.send(&c, s, request, client: true)
        _ = Self.send(&c, s, APDUs.protect(APDUs.getResponse(1), by: .server, ic: 8), client: false)
        c.end(s)
        // Without keys the counters are still tracked (the titles come from the AARQ and AARE).
        let path = try c.write()
        #expect(Analysed(path).findings == ["dlms.invocation-counter-replay@\(replay)"])
        var options = AnalysisOptions()
        options.dlmsKeys = APDUs.keys
        let a = Analysed(path, options: options)
        #expect(a.result.pduCount == 6)
        #expect(a.findings == ["dlms.invocation-counter-replay@\(replay)"])
        #expect(a.pdus.filter { ($0["dlms"] as? [String: Any])?["deciphered"] != nil }.count == 4)
    }

    @Test("a wrong GCM tag with known keys is reported; the exchange still pairs")
    func gcmTagFailure() throws {
        var c = TestCapture()
        let s = c.tcp()
        _ = Self.send(&c, s, APDUs.cipheredAARQ, client: true)
        _ = Self.send(&c, s, APDUs.cipheredAARE, client: false)
        var tampered = APDUs.protect(APDUs.getRequest(1), by: .client, ic: 9)
        tampered[tampered.count - 1] ^= 0x01
        let bad = Self.send(&c, s, tampered, client: true)
        _ = Self.send(&c, s, APDUs.protect(APDUs.getResponse(1), by: .server, ic: 10), client: false)
        c.end(s)
        var options = AnalysisOptions()
        options.dlmsKeys = APDUs.keys
        let a = Analysed(try c.write(), options: options)
        #expect(a.result.pduCount == 4)
        #expect(a.findings == ["dlms.gcm-tag-failure@\(bad)"])
        let record = try #require(a.pdus[2]["dlms"] as? [String: Any])
        #expect((record["decipher_error"] as? [String: Any])?["code"] as? String == "authenticationFailed")
        // No key is printed anywhere in the records.
        let keyHex = APDUs.ek.map { String(format: "%02X", $0) }.joined()
        #expect(!a.pdus.contains { "\($0)".uppercased().contains(keyHex) })
    }

    @Test("a malformed APDU is reported with its offset; the ExceptionResponse answers it")
    func malformedAPDU() throws {
        var c = TestCapture()
        let s = c.tcp()
        _ = Self.send(&c, s, APDUs.aarq, client: true)
        _ = Self.send(&c, s, APDUs.aare, client: false)
        let bad = Self.send(&c, s, APDUs.malformedGet, client: true)
        let exception = Self.send(&c, s, APDUs.exception, client: false)
        let denied = Self.send(&c, s, APDUs.getRequest(2), client: true)
        let deniedResponse = Self.send(&c, s, APDUs.getDenied(2), client: false)
        c.end(s)
        let a = Analysed(try c.write())
        #expect(denied > 0)
        #expect(a.result.pduCount == 6)
        #expect(a.findings == ["dlms.malformed-pdu@\(bad)", "dlms.exception-response@\(exception)",
                               "dlms.data-access-error@\(deniedResponse)"])
        let message = try #require(a.result.findings.first?.message)
        // The AARQ (8 + 31 bytes) and the wrapper header come first: the bad choice byte is at stream offset 48.
        #expect(message.contains("stream offset 48"))
        let record = try #require(a.pdus[2]["dlms"] as? [String: Any])
        #expect((record["apdu_error"] as? [String: Any])?["offset"] as? Int == 1)
    }

    @Test("a TCP gap is reported and the dissector resynchronises after it")
    func tcpGap() throws {
        var c = TestCapture()
        let s = c.tcp()
        var numbers: [Int] = []
        for id in UInt8(1)...3 {
            numbers.append(Self.send(&c, s, APDUs.getRequest(id), client: true))
            numbers.append(Self.send(&c, s, APDUs.getResponse(id), client: false))
        }
        c.end(s)
        let dropped = numbers[3]  // the response to request 2
        let a = Analysed(try c.write(dropping: [dropped]))
        #expect(a.result.pduCount == 5)
        // Packets after the dropped one move up by one.
        #expect(a.findings.sorted() == ["dlms.request-without-response@\(numbers[2])", "tcp.gap@\(a.result.packets)"].sorted())
        #expect(a.result.conversations.first?.gapBytes == UInt64(APDUs.wrapped(APDUs.getResponse(2), fromClient: false).count))
    }

    @Test("a wrapper framing error costs one finding and the stream resynchronises at the next header")
    func wrapperResync() throws {
        var c = TestCapture()
        let s = c.tcp()
        _ = Self.send(&c, s, APDUs.getRequest(1), client: true)
        _ = Self.send(&c, s, APDUs.getResponse(1), client: false)
        let garbage = c.send([0xDE, 0xAD, 0xBE, 0xEF, 0x00, 0x02] + APDUs.wrapped(APDUs.getRequest(2), fromClient: true), .toDevice, in: s)
        _ = Self.send(&c, s, APDUs.getResponse(2), client: false)
        c.end(s)
        let a = Analysed(try c.write())
        #expect(a.result.pduCount == 4)
        #expect(a.findings == ["dlms.malformed-pdu@\(garbage)"])
    }
}

@Suite("Analysis: DLMS wrapper over UDP")
struct DLMSUDPTests {
    @Test("each datagram is one wrapper PDU; the first sender is the client")
    func udp() throws {
        var c = TestCapture()
        let s = c.writer.beginSession(.udp(harness: CaptureEndpoint(address: [10, 0, 0, 1], port: 40_000),
                                           device: CaptureEndpoint(address: [10, 0, 0, 2], port: 4059)), at: c.time)
        c.send(APDUs.wrapped(APDUs.getRequest(1), fromClient: true), .toDevice, in: s)
        c.send(APDUs.wrapped(APDUs.getResponse(1), fromClient: false), .fromDevice, in: s)
        let lost = c.send(APDUs.wrapped(APDUs.getRequest(2), fromClient: true), .toDevice, in: s)
        let a = Analysed(try c.write())
        #expect(a.result.pduCount == 3)
        #expect(a.findings == ["dlms.request-without-response@\(lost)"])
        let conversation = try #require(a.result.conversations.first)
        #expect(conversation.transport == .udp)
        #expect(conversation.client == "10.0.0.1:40000")
        #expect(conversation.closeReason == "end_of_capture")
    }
}

@Suite("Analysis: DLMS exchanges across associations and redaction")
struct DLMSAssociationTests {
    @Test("a new AARQ gives up the previous association's open requests; a retried AARQ's AARE answers the latest")
    func newAssociation() throws {
        var c = TestCapture()
        let s = c.tcp()
        let open = DLMSAnalysisTests.send(&c, s, APDUs.getRequest(1), client: true)
        let first = DLMSAnalysisTests.send(&c, s, APDUs.aarq, client: true)
        let retry = DLMSAnalysisTests.send(&c, s, APDUs.aarq, client: true, afterMs: 3_000)
        let aare = DLMSAnalysisTests.send(&c, s, APDUs.aare, client: false, afterMs: 10)
        c.end(s)
        let a = Analysed(try c.write())
        #expect(a.findings == ["dlms.request-without-response@\(open)", "dlms.request-without-response@\(first)"])
        #expect(a.result.latency.count == 1)
        #expect(a.result.latency.maximum == 10_000_000)
        #expect(retry < aare)
    }

    @Test("an HDLC frame in a packet marked redacted decodes despite its FCS; unmarked it is malformed")
    func redacted() throws {
        let client = try HDLCAddress.client(0x10)
        let server = try HDLCAddress.server(logical: 1, physical: 17)
        let frames = try HDLCSegmentation.informationFrames(apdu: APDUs.getRequest(1), llc: .command, destination: server,
                                                            source: client, maximumInformationFieldLength: 128,
                                                            firstSendSequence: 0, receiveSequence: 0)
        var bytes = try frames[0].encoded()
        bytes[bytes.count - 6] ^= 0x55  // a byte of the APDU overwritten: the FCS no longer holds
        for marked in [true, false] {
            var c = TestCapture()
            let s = c.serial()
            c.now += 1_000_000
            let number = c.writer.append(CapturePacket(timestamp: c.time, direction: .toDevice, bytes: bytes, redacted: marked), to: s)
            let a = Analysed(try c.write())
            if marked {
                #expect(a.result.pduCount == 1)
                #expect(a.findings == ["dlms.request-without-response@\(number)"])
            } else {
                #expect(a.result.pduCount == 0)
                #expect(a.findings == ["dlms.malformed-pdu@\(number)"])
            }
        }
    }
}
