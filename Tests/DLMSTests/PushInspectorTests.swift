import CodecSupport
import DLMS
import Foundation
import Testing

/// The push listener's checks (Sources/DLMS/Push) on pushes built with our own encoder.
@Suite("Push: inspector")
struct PushInspectorTests {
    private func inspector(_ expectation: PushExpectation = PushExpectation(), keys: PushKeys = PushSamples.keys) -> PushInspector {
        PushInspector(expectation: expectation, keys: keys)
    }

    @Test("a ciphered, authenticated push that matches its push object list has no finding and deciphers")
    func goodPush() throws {
        var inspector = inspector(PushExpectation(protection: .authenticated, objects: PushSamples.objects))
        let record = inspector.inspect(try PushSamples.push(energy: 123_456, ic: 7), arrival: PushSamples.t0)
        #expect(record.findings.isEmpty, "\(record.findings)")
        #expect(record.message?.framing == .wrapper)
        #expect(record.ciphered?.tag == .generalGloCiphering)
        #expect(record.systemTitle == PushSamples.title)
        #expect(record.counterVerdict == .first)
        #expect(record.sender == PushSamples.title.description)
        guard case .dataNotification(let n)? = record.notification else {
            Issue.record("not a DataNotification: \(String(describing: record.notification))")
            return
        }
        #expect(n.notificationBody == PushSamples.body(energy: 123_456))
        let json = record.json.serialized()
        #expect(json.contains("\"findings\":[]"))
        #expect(json.contains("\"invocation_counter\":7"))
    }

    @Test("the same invocation counter twice is a replay; a smaller one is a decrease; neither is recorded")
    func replay() throws {
        var inspector = inspector()
        let first = try PushSamples.push(energy: 1, ic: 10)
        #expect(inspector.inspect(first, arrival: PushSamples.t0).findings.isEmpty)
        let again = inspector.inspect(first, arrival: PushSamples.t0 + 1)
        #expect(again.findingIDs == ["PUSH_IC_REPLAY"])
        #expect(again.counterVerdict == .replay)
        // The counter sits after wrapper (8), tag, title length, title (8), length, SC.
        #expect(again.findings.first?.offset == 8 + 1 + 1 + 8 + 1 + 1)
        let older = inspector.inspect(try PushSamples.push(energy: 2, ic: 9), arrival: PushSamples.t0 + 2)
        #expect(older.findingIDs == ["PUSH_IC_DECREASED"])
        let next = inspector.inspect(try PushSamples.push(energy: 3, ic: 11), arrival: PushSamples.t0 + 3)
        #expect(next.findings.isEmpty)
        #expect(next.counterVerdict == .next)
        #expect(inspector.counters.lastAccepted[PushSamples.title] == 11)
    }

    @Test("a wrong authentication tag is a finding at the tag, not a crash, and does not consume the counter")
    func wrongTag() throws {
        var inspector = inspector()
        var bytes = try PushSamples.push(energy: 5, ic: 20)
        bytes[bytes.count - 1] ^= 0x01
        let record = inspector.inspect(bytes, arrival: PushSamples.t0)
        #expect(record.findingIDs == ["PUSH_AUTH_TAG"])
        #expect(record.findings.first?.severity == .fail)
        #expect(record.findings.first?.offset == bytes.count - 12)
        #expect(record.notification == nil)
        #expect(record.counterVerdict == nil)
        // The genuine push with the same counter is still accepted.
        let genuine = inspector.inspect(try PushSamples.push(energy: 5, ic: 20), arrival: PushSamples.t0 + 1)
        #expect(genuine.findings.isEmpty)
        #expect(genuine.counterVerdict == .first)
    }

    @Test("wrong keys fail the tag; no keys leave the push undeciphered but still judge its counter")
    func keysMissingOrWrong() throws {
        var wrong = inspector(keys: PushKeys(common: PushKeys.Entry(encryptionKey: Array(repeating: 0x11, count: 16),
                                                                  authenticationKey: PushSamples.ak)))
        #expect(wrong.inspect(try PushSamples.push(energy: 1, ic: 1), arrival: PushSamples.t0).findingIDs == ["PUSH_AUTH_TAG"])
        var keyless = inspector(keys: PushKeys())
        let first = keyless.inspect(try PushSamples.push(energy: 1, ic: 1), arrival: PushSamples.t0)
        #expect(first.findingIDs == ["PUSH_CANNOT_DECIPHER"])
        #expect(first.findings.first?.severity == .inconclusive)
        #expect(first.counterVerdict == .first)
        let replayed = keyless.inspect(try PushSamples.push(energy: 1, ic: 1), arrival: PushSamples.t0 + 1)
        #expect(replayed.findingIDs == ["PUSH_CANNOT_DECIPHER", "PUSH_IC_REPLAY"])
    }

    @Test("keys by system title: the carried title picks the entry")
    func keysByTitle() throws {
        let other = try SystemTitle([0x41, 0x42, 0x43, 0, 0, 0, 0, 9])
        let keys = PushKeys(bySystemTitle: [
            other: PushKeys.Entry(encryptionKey: Array(repeating: 0x22, count: 16), authenticationKey: PushSamples.ak),
            PushSamples.title: PushKeys.Entry(encryptionKey: PushSamples.ek, authenticationKey: PushSamples.ak),
        ])
        var inspector = inspector(keys: keys)
        #expect(inspector.inspect(try PushSamples.push(energy: 1, ic: 1), arrival: PushSamples.t0).findings.isEmpty)
    }

    @Test("cleartext where ciphering is required; authentication-only where ciphering is required; encryption-only where authentication is required")
    func protectionRequirements() throws {
        let plain = PushSamples.wrapped(PushSamples.notification(PushSamples.body(energy: 1)))
        var none = inspector()
        #expect(none.inspect(plain, arrival: PushSamples.t0).findings.isEmpty)
        var ciphered = inspector(PushExpectation(protection: .ciphered))
        let clear = ciphered.inspect(plain, arrival: PushSamples.t0)
        #expect(clear.findingIDs == ["PUSH_CLEARTEXT"])
        #expect(clear.findings.first?.offset == 8)
        let authOnly = PushSamples.wrapped(try PushSamples.ciphered(PushSamples.notification(PushSamples.body(energy: 1)),
                                                                     ic: 1, control: .authenticationOnly))
        let authOnlyRecord = ciphered.inspect(authOnly, arrival: PushSamples.t0 + 1)
        #expect(authOnlyRecord.findingIDs == ["PUSH_CLEARTEXT"])
        #expect(authOnlyRecord.notification != nil)
        var authenticated = inspector(PushExpectation(protection: .authenticated))
        #expect(authenticated.inspect(plain, arrival: PushSamples.t0).findingIDs == ["PUSH_CLEARTEXT"])
        let encOnly = PushSamples.wrapped(try PushSamples.ciphered(PushSamples.notification(PushSamples.body(energy: 1)),
                                                                    ic: 2, control: .encryptionOnly))
        let encRecord = authenticated.inspect(encOnly, arrival: PushSamples.t0 + 1)
        #expect(encRecord.findingIDs == ["PUSH_NOT_AUTHENTICATED"])
        #expect(encRecord.notification != nil)
        let authOnlyNext = PushSamples.wrapped(try PushSamples.ciphered(PushSamples.notification(PushSamples.body(energy: 1)),
                                                                         ic: 3, control: .authenticationOnly))
        #expect(authenticated.inspect(authOnlyNext, arrival: PushSamples.t0 + 2).findings.isEmpty)
    }

    @Test("intervals outside interval ± tolerance are findings, per sender")
    func intervals() throws {
        var inspector = inspector(PushExpectation(interval: .seconds(15), tolerance: .seconds(2)))
        let arrivals: [TimeInterval] = [0, 15.5, 29, 49, 51]
        var ids: [[String]] = []
        for (i, t) in arrivals.enumerated() {
            ids.append(inspector.inspect(try PushSamples.push(energy: UInt32(i), ic: UInt32(100 + i)), arrival: PushSamples.t0 + t).findingIDs)
        }
        #expect(ids == [[], [], [], ["PUSH_INTERVAL"], ["PUSH_INTERVAL"]])
        // A replayed push does not reset the interval clock.
        var replayed = self.inspector(PushExpectation(interval: .seconds(15), tolerance: .seconds(2)))
        let p = try PushSamples.push(energy: 1, ic: 1)
        _ = replayed.inspect(p, arrival: PushSamples.t0)
        #expect(replayed.inspect(p, arrival: PushSamples.t0 + 3).findingIDs == ["PUSH_IC_REPLAY"])
        let on = replayed.inspect(try PushSamples.push(energy: 1, ic: 2), arrival: PushSamples.t0 + 15)
        #expect(on.findings.isEmpty)
        #expect(on.interval == .seconds(15))
    }

    @Test("the body is checked against the push object list: element count and declared attribute types")
    func content() throws {
        var inspector = inspector(PushExpectation(objects: PushSamples.objects))
        let short = COSEMData.structure([.octetString([0, 0, 25, 9, 0, 255]), .octetString(PushSamples.clockTime)])
        let r1 = inspector.inspect(PushSamples.wrapped(try PushSamples.ciphered(PushSamples.notification(short), ic: 1)), arrival: PushSamples.t0)
        #expect(r1.findingIDs == ["PUSH_CONTENT_COUNT"])
        // Clock time as a double-long-unsigned, a register value as a structure.
        let wrongTypes = COSEMData.structure([.octetString([0, 0, 25, 9, 0, 255]), .doubleLongUnsigned(1), .structure([])])
        let r2 = inspector.inspect(PushSamples.wrapped(try PushSamples.ciphered(PushSamples.notification(wrongTypes), ic: 2)), arrival: PushSamples.t0 + 1)
        #expect(r2.findingIDs == ["PUSH_CONTENT_TYPE", "PUSH_CONTENT_TYPE"])
        #expect(r2.findings.first?.reason.contains("Clock attribute 2 time") == true)
        let array = COSEMData.array([.doubleLongUnsigned(1)])
        let r3 = inspector.inspect(PushSamples.wrapped(try PushSamples.ciphered(PushSamples.notification(array), ic: 3)), arrival: PushSamples.t0 + 2)
        #expect(r3.findingIDs == ["PUSH_CONTENT_COUNT"])
    }

    @Test("undecodable bytes name the decoder's error and offset; other APDUs are not notifications")
    func undecodable() throws {
        var inspector = inspector()
        let truncated = inspector.inspect(PushSamples.wrapped([0x0F, 0x00, 0x00, 0x00, 0x01, 0x00, 0x02, 0x02, 0x06]), arrival: PushSamples.t0)
        #expect(truncated.findingIDs == ["PUSH_UNDECODABLE"])
        #expect((truncated.findings.first?.offset ?? 0) >= 8)
        let badFCS: [UInt8] = [0x7E, 0xA0, 0x07, 0x03, 0x21, 0x93, 0x0F, 0x02, 0x7E]
        let frame = inspector.inspect(badFCS, arrival: PushSamples.t0)
        #expect(frame.findingIDs == ["PUSH_UNDECODABLE"])
        #expect(frame.message == nil)
        let get = inspector.inspect(PushSamples.wrapped([0xC0, 0x01, 0xC1, 0x00, 0x08, 0x00, 0x00, 0x01, 0x00, 0x00, 0xFF, 0x02, 0x00]),
                                    arrival: PushSamples.t0)
        #expect(get.findingIDs == ["PUSH_NOT_NOTIFICATION"])
        let cipheredGet = inspector.inspect(PushSamples.wrapped(try PushSamples.ciphered([0xC0, 0x01, 0xC1, 0x00, 0x08, 0x00, 0x00, 0x01, 0x00, 0x00, 0xFF, 0x02, 0x00], ic: 1)),
                                            arrival: PushSamples.t0)
        #expect(cipheredGet.findingIDs == ["PUSH_NOT_NOTIFICATION"])
    }

    @Test("a glo-event-notification-request (service-specific tag) deciphers with the configured system title and its value is type-checked")
    func eventNotification() throws {
        let descriptor = CosemAttributeDescriptor(classID: 8, instanceID: OBISCode(0, 0, 1, 0, 0), attributeID: 2)
        let good = XDLMSAPDU.eventNotificationRequest(EventNotificationRequest(attributeDescriptor: descriptor,
                                                                                 attributeValue: .octetString(PushSamples.clockTime))).encoded()
        let bad = XDLMSAPDU.eventNotificationRequest(EventNotificationRequest(attributeDescriptor: descriptor,
                                                                                attributeValue: .unsigned(1))).encoded()
        var keys = PushSamples.keys
        keys.systemTitle = PushSamples.title
        var inspector = inspector(PushExpectation(protection: .authenticated), keys: keys)
        let r1 = inspector.inspect(try PushSamples.ciphered(good, ic: 1, form: .serviceSpecific(.global)), arrival: PushSamples.t0)
        #expect(r1.ciphered?.tag == .gloEventNotificationRequest)
        #expect(r1.message?.framing == .apdu)
        #expect(r1.findings.isEmpty, "\(r1.findings)")
        guard case .eventNotificationRequest? = r1.notification else {
            Issue.record("not an EventNotification")
            return
        }
        let r2 = inspector.inspect(try PushSamples.ciphered(bad, ic: 2, form: .serviceSpecific(.global)), arrival: PushSamples.t0 + 1)
        #expect(r2.findingIDs == ["PUSH_CONTENT_TYPE"])
        // Without the configured title a service-specific push cannot be deciphered.
        var untitled = self.inspector(keys: PushSamples.keys)
        #expect(untitled.inspect(try PushSamples.ciphered(good, ic: 1, form: .serviceSpecific(.global)), arrival: PushSamples.t0).findingIDs
            == ["PUSH_CANNOT_DECIPHER"])
    }

    @Test("general-ded-ciphering deciphers with the dedicated key")
    func dedicated() throws {
        let dedicatedKey = Array(repeating: UInt8(0x5A), count: 16)
        var context = PushSamples.context
        context.dedicatedKey = dedicatedKey
        let apdu = try context.protect(apdu: PushSamples.notification(PushSamples.body(energy: 9)), by: .server,
                                       form: .general(.dedicated), invocationCounter: 3)
        var inspector = inspector(keys: PushKeys(common: PushKeys.Entry(encryptionKey: PushSamples.ek, authenticationKey: PushSamples.ak,
                                                                        dedicatedKey: dedicatedKey)))
        let record = inspector.inspect(PushSamples.wrapped(apdu), arrival: PushSamples.t0)
        #expect(record.ciphered?.tag == .generalDedCiphering)
        #expect(record.findings.isEmpty, "\(record.findings)")
        var noDedicated = self.inspector()
        #expect(noDedicated.inspect(PushSamples.wrapped(apdu), arrival: PushSamples.t0).findingIDs == ["PUSH_CANNOT_DECIPHER"])
    }

    @Test("push object lists parse from CLASS/OBIS/ATTRIBUTE[/DATA_INDEX]")
    func objectListSyntax() throws {
        let parsed = try PushExpectation.parseObjectList("40/0.0.25.9.0.255/1, 8/0.0.1.0.0.255/2,3/1-0:1.8.0*255/2/0")
        #expect(parsed == PushSamples.objects)
        for bad in ["", "40/0.0.25.9.0.255", "x/0.0.25.9.0.255/1", "40/0.0.25/1", "40/0.0.25.9.0.255/300", "3/1.0.1.8.0.255/2/-1"] {
            #expect(throws: DLMSError.self, "\(bad)") { try PushExpectation.parseObjectList(bad) }
        }
    }

    @Test("every rule has a stable id, a severity and a source")
    func rules() {
        let ids = PushFinding.Rule.allCases.map(\.id)
        #expect(Set(ids).count == ids.count)
        #expect(ids.allSatisfy { $0.hasPrefix("PUSH_") })
        for rule in PushFinding.Rule.allCases {
            let finding = PushFinding(rule, "x")
            #expect(finding.reason.hasSuffix(rule.source))
            #expect(finding.json.serialized().contains("\"id\":\"\(rule.id)\""))
        }
    }
}
