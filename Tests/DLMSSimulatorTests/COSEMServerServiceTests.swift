import DLMS
import Testing
@testable import Simulators

@Suite struct COSEMServerServiceTests {
    @Test func getLogicalDeviceNameClockAndRegisters() throws {
        var seconds = 0.0
        let server = fixedServer(elapsed: { seconds })
        let client = COSEMTestClient.publicClient(server)
        try client.open()
        #expect(try client.value(1, .logicalDeviceName, 2) == .octetString(Array("MPR0000000000001".utf8)))
        // Clock: 2026-01-01 (Thursday) 00:00:00, deviation −60, status 0.
        #expect(try client.value(8, .clock, 2) == .octetString([0x07, 0xEA, 0x01, 0x01, 0x04, 0, 0, 0, 0, 0xFF, 0xC4, 0x00]))
        #expect(try client.value(3, .activeEnergyImport, 2) == .doubleLongUnsigned(1_000_000))
        #expect(try client.value(3, .activeEnergyImport, 3) == .structure([.integer(0), .enumerated(30)]))
        seconds = 3600
        #expect(try client.value(3, .activeEnergyImport, 2) == .doubleLongUnsigned(1_001_500))
        #expect(try client.value(3, .activeEnergyExport, 2) == .doubleLongUnsigned(50_200))
        #expect(try client.value(8, .clock, 2) == .octetString([0x07, 0xEA, 0x01, 0x01, 0x04, 1, 0, 0, 0, 0xFF, 0xC4, 0x00]))
    }

    @Test func invokeIDIsEchoedAndResultCodes() throws {
        let server = fixedServer()
        let client = COSEMTestClient.publicClient(server)
        try client.open()
        let item = AttributeDescriptorWithSelection(CosemAttributeDescriptor(classID: 1, instanceID: .logicalDeviceName, attributeID: 2))
        let invoke = InvokeIDAndPriority(invokeID: 9, serviceClass: .confirmed, priority: .normal)
        let response = try client.request(.getRequest(.normal(invoke, item)))
        #expect(response.invokeIDAndPriority == invoke)
        #expect(try client.get(1, OBISCode(0, 0, 96, 1, 0), 2) == .dataAccessResult(.objectUndefined))
        #expect(try client.get(3, .logicalDeviceName, 2) == .dataAccessResult(.objectClassInconsistent))
        #expect(try client.get(1, .logicalDeviceName, 3) == .dataAccessResult(.objectUndefined))
        // Public client: security setup attribute 2 is no-access; image transfer is not visible at all.
        #expect(try client.get(64, OBISCode(0, 0, 43, 0, 0), 1) == .data(OBISCode(0, 0, 43, 0, 0).data))
        #expect(try client.get(64, OBISCode(0, 0, 43, 0, 0), 2) == .dataAccessResult(.readWriteDenied))
        #expect(try client.set(8, .clock, 2, .octetString(Array(repeating: 0, count: 12))) == .readWriteDenied)
    }

    @Test func managerSetsClockAndTypeMismatch() throws {
        let server = fixedServer()
        let manager = COSEMTestClient.manager(server)
        try manager.open()
        let target: [UInt8] = [0x07, 0xEA, 0x03, 0x0F, 0xFF, 0x0C, 0x1E, 0x00, 0x00, 0x80, 0x00, 0xFF]  // 2026-03-15 12:30
        #expect(try manager.set(8, .clock, 2, .octetString(target)) == .success)
        guard case let .octetString(now) = try manager.value(8, .clock, 2) else { Issue.record("clock"); return }
        #expect(Array(now[0...8]) == [0x07, 0xEA, 0x03, 0x0F, 0x07, 0x0C, 0x1E, 0x00, 0x00])
        #expect(try manager.set(8, .clock, 2, .doubleLongUnsigned(5)) == .typeUnmatched)
        #expect(try manager.set(8, .clock, 3, .long(-120)) == .success)
        #expect(try manager.value(8, .clock, 3) == .long(-120))
        #expect(try manager.action(8, .clock, 6, .long(60)).result == .success)
        #expect(try manager.action(8, .clock, 6, .long(5000)).result == .otherReason)
        #expect(try manager.action(8, .clock, 6, .unsigned(1)).result == .typeUnmatched)
    }

    @Test func getWithListAndSetWithList() throws {
        let server = fixedServer()
        let manager = COSEMTestClient.manager(server)
        try manager.open()
        let items = [
            AttributeDescriptorWithSelection(CosemAttributeDescriptor(classID: 1, instanceID: .logicalDeviceName, attributeID: 2)),
            AttributeDescriptorWithSelection(CosemAttributeDescriptor(classID: 1, instanceID: OBISCode(9, 9, 9, 9, 9), attributeID: 2)),
        ]
        guard case let .getResponse(.withList(_, results)) = try manager.request(.getRequest(.withList(InvokeIDAndPriority(invokeID: 4), items))) else {
            Issue.record("no GET-Response-With-List"); return
        }
        #expect(results == [.data(.octetString(server.identity.logicalDeviceName)), .dataAccessResult(.objectUndefined)])
        let setItems = [
            AttributeDescriptorWithSelection(CosemAttributeDescriptor(classID: 8, instanceID: .clock, attributeID: 7)),
            AttributeDescriptorWithSelection(CosemAttributeDescriptor(classID: 8, instanceID: .clock, attributeID: 9)),
        ]
        guard case let .setResponse(.withList(_, setResults)) = try manager.request(
            .setRequest(.withList(InvokeIDAndPriority(invokeID: 5), setItems, values: [.integer(30), .enumerated(2)]))) else {
            Issue.record("no SET-Response-With-List"); return
        }
        #expect(setResults == [.success, .readWriteDenied])
    }

    @Test func objectListInBlocksForASmallClientPDU() throws {
        let server = fixedServer()
        let manager = COSEMTestClient.manager(server)
        manager.maxReceivePDU = 128
        try manager.open()
        // The first GET answer is a data block.
        let item = AttributeDescriptorWithSelection(CosemAttributeDescriptor(classID: 15, instanceID: .currentAssociation, attributeID: 2))
        guard case let .getResponse(.withDatablock(_, first)) = try manager.request(.getRequest(.normal(InvokeIDAndPriority(invokeID: 1), item))) else {
            Issue.record("expected GET-Response-With-Datablock"); return
        }
        #expect(first.blockNumber == 1 && !first.lastBlock)
        // A wrong acknowledgement is refused.
        guard case let .getResponse(.withDatablock(_, refused)) = try manager.request(.getRequest(.next(InvokeIDAndPriority(invokeID: 1), blockNumber: 7))) else {
            Issue.record("expected a data block"); return
        }
        #expect(refused.result == .dataAccessResult(.dataBlockNumberInvalid))
        // The whole list reassembles and decodes as the catalog's object_list.
        let list = try manager.value(15, .currentAssociation, 2)
        #expect(InterfaceClass.associationLN(1).check(attribute: 2, value: list).isEmpty)
        guard case let .array(elements) = list else { Issue.record("object_list"); return }
        #expect(elements.count == server.objectList.count)
        // Every response fitted in 128 bytes.
        #expect(try manager.requestBytes(XDLMSAPDU.getRequest(.next(InvokeIDAndPriority(invokeID: 1), blockNumber: 1)).encoded())
            == XDLMSAPDU.getResponse(.normal(InvokeIDAndPriority(invokeID: 1), .dataAccessResult(.noLongGetInProgress))).encoded())
    }

    @Test func publicSeesLessThanManager() throws {
        let server = fixedServer()
        let publicClient = COSEMTestClient.publicClient(server)
        try publicClient.open()
        let manager = COSEMTestClient.manager(server)
        try manager.open()
        guard case let .array(publicList) = try publicClient.value(15, .currentAssociation, 2),
              case let .array(managerList) = try manager.value(15, .currentAssociation, 2) else {
            Issue.record("object_list"); return
        }
        #expect(publicList.count < managerList.count)
        let publicElements = try publicList.map { try ObjectListElement(data: $0) }
        #expect(publicElements.allSatisfy { e in e.attributeAccess.allSatisfy { $0.accessMode != .readAndWrite } })
        #expect(publicElements.allSatisfy { e in e.methodAccess.allSatisfy { $0.accessMode == .noAccess } })
        #expect(!publicElements.contains { $0.classID == 18 })
    }

    /// Walks the manager's object_list: every attribute with read access is read and checked
    /// against the interface class catalog; logical_name equals the OBIS code.
    @Test func everyReadableAttributeMatchesTheCatalog() throws {
        let server = fixedServer(elapsed: { 86_400 * 3 + 1234 })
        let manager = COSEMTestClient.manager(server)
        try manager.open()
        guard case let .array(list) = try manager.value(15, .currentAssociation, 2) else { Issue.record("object_list"); return }
        var checked = 0
        for element in list {
            let e = try ObjectListElement(data: element)
            let ic = try #require(InterfaceClass.lookup(classID: e.classID, version: e.version), "IC \(e.classID) v\(e.version) not in the catalog")
            for item in e.attributeAccess where item.accessMode == .readOnly || item.accessMode == .readAndWrite {
                let value = try manager.value(e.classID, e.logicalName, item.attributeID)
                let mismatches = ic.check(attribute: Int(item.attributeID), value: value)
                #expect(mismatches.isEmpty, "\(e.logicalName) attr \(item.attributeID): \(mismatches)")
                if item.attributeID == 1 { #expect(value == e.logicalName.data) }
                checked += 1
            }
        }
        #expect(checked > 60)
    }

    @Test func cipheringRules() throws {
        let server = fixedServer()
        let manager = COSEMTestClient.manager(server)
        try manager.open()
        let get = XDLMSAPDU.getRequest(.normal(InvokeIDAndPriority(invokeID: 1), AttributeDescriptorWithSelection(
            CosemAttributeDescriptor(classID: 1, instanceID: .logicalDeviceName, attributeID: 2)))).encoded()
        // Cleartext where ciphering is required.
        #expect(manager.raw(get) == [[0xD8, 0x01, 0x01]])
        // A replayed invocation counter.
        let ciphered = try manager.security.protect(apdu: get, by: .client, invocationCounter: manager.nextCounter())
        #expect(manager.raw(ciphered).count == 1)
        let replay = manager.raw(ciphered)
        #expect(replay == [[0xD8, 0x01, 0x06] + [0, 0, 0, manager.invocationCounter - 1 + 1].map { UInt8($0) }])
        // A wrong authentication tag.
        var tampered = try manager.security.protect(apdu: get, by: .client, invocationCounter: manager.nextCounter())
        tampered[tampered.count - 1] ^= 0xFF
        #expect(manager.raw(tampered) == [[0xD8, 0x01, 0x05]])
        // Authentication only (SC 10) is not enough.
        let authOnly = try manager.security.protect(apdu: get, by: .client, control: .authenticationOnly, invocationCounter: manager.nextCounter())
        #expect(manager.raw(authOnly) == [[0xD8, 0x01, 0x01]])
        // General-glo-ciphering is answered in kind; the server's counter increases.
        let before = server.serverInvocationCounter
        let reply = manager.raw(try manager.security.protect(apdu: get, by: .client, form: .general(.global), invocationCounter: manager.nextCounter()))
        #expect(reply.first?.first == 0xDB)
        #expect(server.serverInvocationCounter == before + 1)
        // General ciphering with a system title that is not the AARQ's calling-AP-title.
        var stranger = manager.security
        stranger.clientSystemTitle = try SystemTitle([0x58, 0x58, 0x58, 0, 0, 0, 0, 9])
        let foreign = try stranger.protect(apdu: get, by: .client, form: .general(.global), invocationCounter: manager.nextCounter())
        #expect(manager.raw(foreign) == [[0xD8, 0x01, 0x05]])
    }

    @Test func dedicatedKeyFromTheCipheredInitiateRequest() throws {
        let server = fixedServer()
        let manager = COSEMTestClient.manager(server)
        manager.dedicatedKey = Array(0x20...0x2F)
        try manager.open()
        #expect(server.association(of: 1)?.hasDedicatedKey == true)
        let get = XDLMSAPDU.getRequest(.normal(InvokeIDAndPriority(invokeID: 1), AttributeDescriptorWithSelection(
            CosemAttributeDescriptor(classID: 1, instanceID: .logicalDeviceName, attributeID: 2))))
        let bytes = try manager.security.protect(apdu: get.encoded(), by: .client, form: .serviceSpecific(.dedicated),
                                                 invocationCounter: manager.nextCounter())
        let reply = try #require(manager.raw(bytes).first)
        #expect(reply.first == 0xD4)  // ded-get-response
        guard case let .getResponse(.normal(_, result)) = try XDLMSAPDU(decoding: try manager.decipher(reply)) else {
            Issue.record("no GET response"); return
        }
        #expect(result == .data(.octetString(server.identity.logicalDeviceName)))
    }

    /// Random and mutated APDUs never crash the server, in any association state.
    @Test func fuzzNeverTraps() throws {
        var rng = SplitMix64(seed: 0x5EED)
        let server = fixedServer()
        let manager = COSEMTestClient.manager(server)
        try manager.open()
        let reader = COSEMTestClient.reader(server)
        try reader.open()
        let seeds: [[UInt8]] = [
            COSEMTestClient.publicClient(server).aarq().encoded(), reader.aarq().encoded(), manager.aarq().encoded(),
            XDLMSAPDU.getRequest(.normal(InvokeIDAndPriority(invokeID: 1), AttributeDescriptorWithSelection(
                CosemAttributeDescriptor(classID: 15, instanceID: .currentAssociation, attributeID: 2)))).encoded(),
            [0xC1, 0x02, 0xC1, 0x00, 0x08, 0, 0, 1, 0, 0, 0xFF, 0x02, 0x00, 0x00, 0, 0, 0, 1, 0x03, 0x09, 0x0C, 0x07],
            [0xC3, 0x01, 0xC1, 0x00, 0x12, 0, 0, 44, 0, 0, 0xFF, 0x01, 0x01, 0x02, 0x02, 0x09, 0x01, 0x41, 0x06, 0, 0, 0, 64],
            RLRQ(reason: .normal).encoded(), [0xC0, 0x02, 0xC1, 0, 0, 0, 1],
        ]
        for i in 0..<20_000 {
            var apdu: [UInt8]
            if i % 3 == 0 {
                apdu = (0..<Int(rng.next() % 64)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            } else {
                apdu = seeds[Int(rng.next() % UInt64(seeds.count))]
                for _ in 0..<(1 + Int(rng.next() % 4)) where !apdu.isEmpty {
                    let at = Int(rng.next() % UInt64(apdu.count))
                    switch rng.next() % 3 {
                    case 0: apdu[at] = UInt8(truncatingIfNeeded: rng.next())
                    case 1: apdu.remove(at: at)
                    default: apdu.insert(UInt8(truncatingIfNeeded: rng.next()), at: at)
                    }
                }
            }
            if i % 5 == 0, let c = try? manager.security.protect(apdu: apdu, by: .client, invocationCounter: UInt32(i + 100)) { apdu = c }
            let client: UInt16 = [1, 16, 32, 99][Int(rng.next() % 4)]
            _ = server.handle(apdu: apdu, from: client)
            if i % 997 == 0 { server.linkClosed(client: client) }
        }
    }
}

/// A small deterministic generator for the fuzz test.
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite struct COSEMServerBlockSizeTests {
    /// With the smallest accepted client-max-receive-pdu-size (64), every ciphered reply of a long
    /// GET fits in 64 bytes and the blocks reassemble to the whole object_list.
    @Test func cipheredBlocksFitTheSmallestClientPDU() throws {
        let server = fixedServer()
        let manager = COSEMTestClient.manager(server)
        manager.maxReceivePDU = 64
        try manager.open()
        let invoke = InvokeIDAndPriority(invokeID: 2)
        var request = XDLMSAPDU.getRequest(.normal(invoke, AttributeDescriptorWithSelection(
            CosemAttributeDescriptor(classID: 15, instanceID: .currentAssociation, attributeID: 2)))).encoded()
        var payload: [UInt8] = []
        var blocks = 0
        while true {
            let ciphered = try manager.security.protect(apdu: request, by: .client, invocationCounter: manager.nextCounter())
            let reply = try #require(manager.raw(ciphered).first)
            #expect(reply.count <= 64)
            guard case let .getResponse(.withDatablock(_, block)) = try XDLMSAPDU(decoding: try manager.decipher(reply)),
                  case let .rawData(chunk) = block.result else { Issue.record("expected a data block"); return }
            payload += chunk
            blocks += 1
            if block.lastBlock { break }
            request = XDLMSAPDU.getRequest(.next(invoke, blockNumber: block.blockNumber)).encoded()
        }
        #expect(blocks > 10)
        let list = try COSEMData(decodingExactly: payload[...])
        #expect(InterfaceClass.associationLN(1).check(attribute: 2, value: list).isEmpty)
    }
}
