import CodecSupport
import DLMS
import Foundation
import Testing

/// The push inspector on pushes from independent truth:
/// - the 13 wrapped general-glo-ciphering DataNotifications of u9n/dlms-cosem
///   `tests/test_udp_message.py` (`Fixtures/security/dlms_cosem_ciphered_apdus.json`, key
///   `MYDUMMYGLOBALKEY` as EK and AK, system title 2F19229199164103), a meter's push sequence;
/// - the 579-byte HDLC UI push of a HAN meter (u9n `tests/test_hdlc/test_hdlc.py`, vector 108 of
///   `Fixtures/hdlc/u9n_hdlc_frames.txt`; fact sheet §1.7 example 6, §5.10).
@Suite("Push: independent vectors")
struct PushVectorTests {
    private struct Vector {
        let line: Int
        let bytes: [UInt8]
        let plaintext: [UInt8]
    }

    private static func udpPushes() throws -> [Vector] {
        let file = try SecurityFixtures.json("dlms_cosem_ciphered_apdus.json")
        return (file["vectors"]?.securityItems ?? []).compactMap { v in
            guard v["source"]?.securityField("file") == "tests/test_udp_message.py",
                  case .int(let offset)? = v["apdu_offset"], offset == 8,
                  case .int(let line)? = v["source"]?["line"] else { return nil }
            return Vector(line: Int(line), bytes: SecurityFixtures.bytes(v.securityField("hex") ?? ""),
                          plaintext: SecurityFixtures.bytes(v.securityField("expected_plaintext") ?? ""))
        }
    }

    private static let dummyKeys = PushKeys(common: PushKeys.Entry(encryptionKey: SecurityFixtures.dummyGlobalKey,
                                                                   authenticationKey: SecurityFixtures.dummyGlobalKey))

    @Test("u9n's UDP push sequence: every push deciphers to the expected DataNotification, counters increase, and a replay is caught")
    func u9nSequence() throws {
        let vectors = try Self.udpPushes()
        #expect(vectors.count == 13)
        var inspector = PushInspector(expectation: PushExpectation(protection: .authenticated), keys: Self.dummyKeys)
        var counters: [UInt32] = []
        for (i, vector) in vectors.enumerated() {
            let record = inspector.inspect(vector.bytes, arrival: PushSamples.t0 + Double(i) * 15)
            #expect(record.findings.isEmpty, "line \(vector.line): \(record.findings)")
            #expect(record.message?.framing == .wrapper)
            #expect(record.systemTitle?.description == "2F19229199164103")
            #expect(record.notification.map { $0.encoded() } == vector.plaintext, "line \(vector.line)")
            guard case .dataNotification? = record.notification else {
                Issue.record("line \(vector.line): not a DataNotification")
                continue
            }
            counters.append(record.ciphered?.invocationCounter ?? 0)
        }
        #expect(counters == counters.sorted() && Set(counters).count == counters.count)
        #expect(counters.first == 0x1E5)
        #expect(inspector.counters.lastAccepted.count == 1)
        // Replaying the first push of the sequence.
        let replay = inspector.inspect(vectors[0].bytes, arrival: PushSamples.t0 + 300)
        #expect(replay.findingIDs == ["PUSH_IC_DECREASED"])
        // The last one again.
        let again = inspector.inspect(vectors[vectors.count - 1].bytes, arrival: PushSamples.t0 + 301)
        #expect(again.findingIDs == ["PUSH_IC_REPLAY"])
    }

    @Test("u9n's push with one ciphertext bit flipped fails its tag")
    func u9nTampered() throws {
        var bytes = try #require(try Self.udpPushes().first).bytes
        bytes[30] ^= 0x80
        var inspector = PushInspector(keys: Self.dummyKeys)
        let record = inspector.inspect(bytes, arrival: PushSamples.t0)
        #expect(record.findingIDs == ["PUSH_AUTH_TAG"])
        #expect(record.findings.first?.offset == bytes.count - 12)
    }

    @Test("the HAN meter's HDLC UI push decodes as a cleartext DataNotification of 27 structures")
    func hdlcUIPush() throws {
        let frame = try #require(try HDLCFixtures.u9Frames().first { $0.index == 108 })
        var open = PushInspector()
        let record = open.inspect(frame.bytes, arrival: PushSamples.t0)
        #expect(record.findings.isEmpty, "\(record.findings)")
        #expect(record.message?.framing == .hdlc)
        #expect(record.sender == "hdlc:4/65")
        guard case .dataNotification(let n)? = record.notification, case .array(let items) = n.notificationBody else {
            Issue.record("not a DataNotification with an array body")
            return
        }
        #expect(items.count == 27)
        var strict = PushInspector(expectation: PushExpectation(protection: .ciphered))
        #expect(strict.inspect(frame.bytes, arrival: PushSamples.t0).findingIDs == ["PUSH_CLEARTEXT"])
        // Its body is not a push setup's structure: with a push object list that is a finding.
        var listed = PushInspector(expectation: PushExpectation(objects: PushSamples.objects))
        #expect(listed.inspect(frame.bytes, arrival: PushSamples.t0).findingIDs == ["PUSH_CONTENT_COUNT"])
    }
}
