import DLMS
import Testing
@testable import Simulators

/// Every application fault (DLMSFault where isLinkFault is false) changes the server's behaviour
/// exactly as its description says; each test shows the clean server and the faulty one side by side.
@Suite struct COSEMServerFaultTests {
    @Test func everyApplicationFaultHasATest() {
        let covered: Set<DLMSFault> = [.wrongAAREDiagnostic, .acceptsWrongPassword, .ignoresConformance, .invokeIDNotEchoed,
                                       .ignoresAccessRights, .wrongDataType, .wrongLogicalName, .malformedRLRELength,
                                       .blockNumberSkip, .invocationCounterReplay, .plaintextResponse, .corruptImageActivated]
        #expect(Set(DLMSFault.allCases.filter { !$0.isLinkFault }) == covered)
    }

    @Test func wrongAAREDiagnostic() throws {
        for faulty in [false, true] {
            let diagnostic: ResultSourceDiagnostic = faulty ? .noReasonGiven : .authenticationFailure
            let reader = COSEMTestClient.reader(fixedServer(faults: faulty ? [.wrongAAREDiagnostic] : []))
            let aare = try reader.associate(reader.aarq(password: Array("00000000".utf8)))
            #expect(aare.result == .rejectedPermanent)
            #expect(aare.resultSourceDiagnostic == diagnostic)
        }
    }

    @Test func acceptsWrongPassword() throws {
        let clean = COSEMTestClient.reader(fixedServer())
        #expect(try clean.associate(clean.aarq(password: Array("00000000".utf8))).result == .rejectedPermanent)
        let faulty = COSEMTestClient.reader(fixedServer(faults: [.acceptsWrongPassword]))
        #expect(try faulty.associate(faulty.aarq(password: Array("00000000".utf8))).result == .accepted)
        // And a wrong HLS f(StoC).
        for faulty in [false, true] {
            let state: COSEMServerAssociation.State? = faulty ? .associated : nil
            let server = fixedServer(faults: faulty ? [.acceptsWrongPassword] : [])
            let manager = COSEMTestClient.manager(server)
            _ = try manager.associate(manager.aarq())
            _ = try manager.action(15, .currentAssociation, 1, .octetString([0x10] + Array(repeating: 0, count: 16)))
            #expect(server.association(of: 1)?.state == state)
        }
    }

    @Test func ignoresConformance() throws {
        for faulty in [false, true] {
            let server = fixedServer(faults: faulty ? [.ignoresConformance] : [])
            let client = COSEMTestClient.publicClient(server)
            client.conformance = .get
            let aare = try client.open()
            let negotiated = aare.userInformation?.initiateResponse?.negotiatedConformance
            #expect(negotiated == (faulty ? COSEMServerConfiguration.defaultConformance : .get))
            // SET was not agreed: the clean server refuses the service, the faulty one serves it.
            let reply = try client.requestBytes(XDLMSAPDU.setRequest(.normal(InvokeIDAndPriority(invokeID: 1), AttributeDescriptorWithSelection(
                CosemAttributeDescriptor(classID: 8, instanceID: .clock, attributeID: 2)), value: .octetString([]))).encoded())
            #expect((reply == [0xD8, 0x01, 0x02]) == !faulty)
            #expect((reply.first == 0xC5) == faulty)
        }
    }

    @Test func invokeIDNotEchoed() throws {
        for faulty in [false, true] {
            let client = COSEMTestClient.publicClient(fixedServer(faults: faulty ? [.invokeIDNotEchoed] : []))
            try client.open()
            let invoke = InvokeIDAndPriority(invokeID: 9)
            let response = try client.request(.getRequest(.normal(invoke, AttributeDescriptorWithSelection(
                CosemAttributeDescriptor(classID: 1, instanceID: .logicalDeviceName, attributeID: 2)))))
            #expect(response.invokeIDAndPriority?.invokeID == (faulty ? 0 : 9))
        }
    }

    @Test func ignoresAccessRights() throws {
        for faulty in [false, true] {
            let client = COSEMTestClient.publicClient(fixedServer(faults: faulty ? [.ignoresAccessRights] : []))
            try client.open()
            let result = try client.get(64, OBISCode(0, 0, 43, 0, 0), 2)
            #expect(result == (faulty ? .data(.enumerated(3)) : .dataAccessResult(.readWriteDenied)))
            // Only reads leak: writes and methods without rights stay refused.
            #expect(try client.set(8, .clock, 2, .octetString(Array(repeating: 0xFF, count: 12))) == .readWriteDenied)
            #expect(try client.action(70, OBISCode(0, 0, 96, 3, 10), 1).result == .readWriteDenied)
        }
    }

    @Test func wrongDataType() throws {
        for faulty in [false, true] {
            let client = COSEMTestClient.publicClient(fixedServer(faults: faulty ? [.wrongDataType] : []))
            try client.open()
            let time = try client.value(8, .clock, 2)
            #expect(InterfaceClass.clock.check(attribute: 2, value: time).isEmpty == !faulty)
            #expect((time.type == .doubleLongUnsigned) == faulty)
        }
    }

    @Test func wrongLogicalName() throws {
        for faulty in [false, true] {
            let client = COSEMTestClient.publicClient(fixedServer(faults: faulty ? [.wrongLogicalName] : []))
            try client.open()
            #expect(try client.value(3, .activeEnergyImport, 1) == (faulty ? OBISCode.activeEnergyExport : .activeEnergyImport).data)
        }
    }

    @Test func malformedRLRELength() throws {
        for faulty in [false, true] {
            let client = COSEMTestClient.publicClient(fixedServer(faults: faulty ? [.malformedRLRELength] : []))
            try client.open()
            let rlre = try #require(client.raw(RLRQ(reason: .normal).encoded()).first)
            #expect(rlre == (faulty ? [0x63, 0x04, 0x80, 0x01, 0x00] : [0x63, 0x03, 0x80, 0x01, 0x00]))
            #expect((try? RLRE(decoding: rlre)) == nil ? faulty : !faulty)
        }
    }

    @Test func blockNumberSkip() throws {
        for faulty in [false, true] {
            let manager = COSEMTestClient.manager(fixedServer(faults: faulty ? [.blockNumberSkip] : []))
            manager.maxReceivePDU = 128
            try manager.open()
            var numbers: [UInt32] = []
            var response = try manager.request(.getRequest(.normal(InvokeIDAndPriority(invokeID: 1), AttributeDescriptorWithSelection(
                CosemAttributeDescriptor(classID: 15, instanceID: .currentAssociation, attributeID: 2)))))
            while case let .getResponse(.withDatablock(_, block)) = response, numbers.count < 4 {
                numbers.append(block.blockNumber)
                response = try manager.request(.getRequest(.next(InvokeIDAndPriority(invokeID: 1), blockNumber: block.blockNumber)))
            }
            #expect(numbers == (faulty ? [1, 3, 4, 5] : [1, 2, 3, 4]))
        }
    }

    @Test func invocationCounterReplay() throws {
        for faulty in [false, true] {
            let server = fixedServer(faults: faulty ? [.invocationCounterReplay] : [])
            let manager = COSEMTestClient.manager(server)
            try manager.open()
            var counters: [UInt32] = []
            for _ in 0..<3 {
                _ = try manager.value(1, .logicalDeviceName, 2)
                counters.append(try #require(manager.lastServerInvocationCounter))
            }
            var tracker = InvocationCounterTracker()
            let title = try SystemTitle(server.identity.systemTitle)
            let verdicts = counters.map { tracker.observe($0, from: title) }
            #expect(verdicts.allSatisfy(\.isAccepted) == !faulty)
            // Pushes too.
            let first = server.makePushNotification(at: SimulatedClock.defaultStart + 900)
            let second = server.makePushNotification(at: SimulatedClock.defaultStart + 1800)
            let ic1 = try CipheredAPDU(decoding: first.apdu).invocationCounter
            let ic2 = try CipheredAPDU(decoding: second.apdu).invocationCounter
            #expect((ic1 == ic2) == faulty)
        }
    }

    @Test func plaintextResponse() throws {
        for faulty in [false, true] {
            let manager = COSEMTestClient.manager(fixedServer(faults: faulty ? [.plaintextResponse] : []))
            try manager.open()
            let get = XDLMSAPDU.getRequest(.normal(InvokeIDAndPriority(invokeID: 1), AttributeDescriptorWithSelection(
                CosemAttributeDescriptor(classID: 1, instanceID: .logicalDeviceName, attributeID: 2)))).encoded()
            let reply = try #require(manager.raw(try manager.security.protect(apdu: get, by: .client, invocationCounter: manager.nextCounter())).first)
            #expect(reply.first == (faulty ? 0xC4 : 0xCC))
        }
    }

    @Test func corruptImageActivated() throws {
        for faulty in [false, true] {
            let server = fixedServer(faults: faulty ? [.corruptImageActivated] : [])
            let manager = COSEMTestClient.manager(server)
            try manager.open()
            let image = COSEMSimulatorImage.make(identifier: "MPR-FW-2.0.0", size: 300)
            try transfer(image, identifier: "MPR-FW-2.0.0", manager)
            #expect(try manager.action(18, OBISCode(0, 0, 44, 0, 0), 3).result == .success)
            #expect(try manager.action(18, OBISCode(0, 0, 44, 0, 0), 4).result == .success)
            #expect(try manager.value(1, OBISCode(1, 0, 0, 2, 0), 2) == .octetString(Array("MPR-FW-2.0.0".utf8)))
            let signature = try manager.value(1, OBISCode(1, 0, 0, 2, 8), 2)
            #expect((signature == .octetString(SimulatorSHA256.hash(image))) == !faulty)
            #expect((server.activeImage == image) == !faulty)
        }
    }
}

/// Initiates an image transfer and sends every block (64 bytes) as the manager.
func transfer(_ image: [UInt8], identifier: String, _ manager: COSEMTestClient, skip: Set<Int> = []) throws {
    let obis = OBISCode(0, 0, 44, 0, 0)
    guard case let .doubleLongUnsigned(blockSize) = try manager.value(18, obis, 2) else { throw TestFailure("block size") }
    let initiate = try manager.action(18, obis, 1, .structure([.octetString(Array(identifier.utf8)), .doubleLongUnsigned(UInt32(image.count))]))
    guard initiate.result == .success else { throw TestFailure("initiate: \(initiate.result)") }
    let size = Int(blockSize)
    for n in 0..<((image.count + size - 1) / size) where !skip.contains(n) {
        let block = Array(image[(n * size)..<min(image.count, (n + 1) * size)])
        let r = try manager.action(18, obis, 2, .structure([.doubleLongUnsigned(UInt32(n)), .octetString(block)]))
        guard r.result == .success else { throw TestFailure("block \(n): \(r.result)") }
    }
}
