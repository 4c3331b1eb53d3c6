import CodecSupport
import DLMS
import Testing
@testable import Simulators

@Suite struct COSEMServerObjectTests {
    static let imageTransfer = OBISCode(0, 0, 44, 0, 0)
    static let disconnector = OBISCode(0, 0, 96, 3, 10)

    @Test func sha256MatchesFIPSVectors() {
        func hex(_ b: [UInt8]) -> String { HexText.format(b, separator: "").lowercased() }
        #expect(hex(SimulatorSHA256.hash([])) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(hex(SimulatorSHA256.hash(Array("abc".utf8))) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(hex(SimulatorSHA256.hash(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)))
            == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    @Test func testImagesAreValidAndDeterministic() {
        let a = COSEMSimulatorImage.make(identifier: "X", size: 100)
        #expect(a.count == 100 && COSEMSimulatorImage.isValid(a))
        #expect(a == COSEMSimulatorImage.make(identifier: "X", size: 100))
        var b = a
        b[3] ^= 1
        #expect(!COSEMSimulatorImage.isValid(b))
        #expect(COSEMSimulatorImage.make(identifier: "X", size: 5).count == COSEMSimulatorImage.minimumSize)
    }

    @Test func imageTransferStatusVerifyAndActivate() throws {
        let server = fixedServer()
        let manager = COSEMTestClient.manager(server)
        try manager.open()
        let image = COSEMSimulatorImage.make(identifier: "MPR-FW-3", size: 200)  // 4 blocks of 64
        #expect(try manager.value(18, Self.imageTransfer, 6) == .enumerated(0))
        try transfer(image, identifier: "MPR-FW-3", manager, skip: [2])
        #expect(try manager.value(18, Self.imageTransfer, 3) == .bitString(BitString(bits: [true, true, false, true])))
        #expect(try manager.value(18, Self.imageTransfer, 4) == .doubleLongUnsigned(2))
        #expect(try manager.action(18, Self.imageTransfer, 4).result == .otherReason)  // not verified
        #expect(try manager.action(18, Self.imageTransfer, 3).result == .otherReason)  // block 2 missing
        #expect(try manager.value(18, Self.imageTransfer, 6) == .enumerated(4))
        // A block of the wrong size is refused.
        #expect(try manager.action(18, Self.imageTransfer, 2, .structure([.doubleLongUnsigned(2), .octetString([1, 2, 3])])).result == .otherReason)
        #expect(try manager.action(18, Self.imageTransfer, 2, .structure([.doubleLongUnsigned(2), .octetString(Array(image[128..<192]))])).result == .success)
        #expect(try manager.value(18, Self.imageTransfer, 4) == .doubleLongUnsigned(4))
        #expect(try manager.action(18, Self.imageTransfer, 3).result == .success)
        #expect(try manager.value(18, Self.imageTransfer, 7) == .array([.structure([
            .doubleLongUnsigned(200), .octetString(Array("MPR-FW-3".utf8)), .octetString(Array(image.suffix(32))),
        ])]))
        #expect(try manager.action(18, Self.imageTransfer, 4).result == .success)
        #expect(try manager.value(18, Self.imageTransfer, 6) == .enumerated(6))
        #expect(try manager.value(1, OBISCode(1, 0, 0, 2, 8), 2) == .octetString(SimulatorSHA256.hash(image)))
        // A badly signed image fails verification.
        var bad = COSEMSimulatorImage.make(identifier: "MPR-FW-4", size: 100)
        bad[0] ^= 0x55
        try transfer(bad, identifier: "MPR-FW-4", manager)
        #expect(try manager.action(18, Self.imageTransfer, 3).result == .otherReason)
        #expect(try manager.value(1, OBISCode(1, 0, 0, 2, 0), 2) == .octetString(Array("MPR-FW-3".utf8)))
    }

    @Test func imageTransferAccessPerClient() throws {
        let server = fixedServer()
        let publicClient = COSEMTestClient.publicClient(server)
        try publicClient.open()
        #expect(try publicClient.get(18, Self.imageTransfer, 2) == .dataAccessResult(.objectUndefined))
        let reader = COSEMTestClient.reader(server)
        try reader.open()
        #expect(try reader.get(18, Self.imageTransfer, 2) == .data(.doubleLongUnsigned(64)))
        #expect(try reader.action(18, Self.imageTransfer, 3).result == .readWriteDenied)
    }

    @Test func pushesOnScheduleAndByMethod() throws {
        let server = fixedServer()
        let start = SimulatedClock.defaultStart
        #expect(server.pushNotification(at: start + 899) == nil)
        let push = try #require(server.pushNotification(at: start + 900))
        #expect(server.pushNotification(at: start + 1000) == nil)
        #expect(server.pushNotification(at: start + 1800) != nil)
        #expect(push.destination == "127.0.0.1:4060")
        let ciphered = try CipheredAPDU(decoding: push.apdu)
        #expect(ciphered.tag == .generalGloCiphering)
        #expect(ciphered.systemTitle == server.identity.systemTitle)
        #expect(ciphered.securityControl == .authenticatedEncryption)
        let context = SecurityContext(globalUnicastKey: server.identity.globalUnicastKey, authenticationKey: server.identity.authenticationKey)
        let plain = try context.unprotect(bytes: push.apdu, from: .server).plaintext
        guard case let .dataNotification(n) = try XDLMSAPDU(decoding: plain) else { Issue.record("no DataNotification"); return }
        #expect(n.longInvokeIDAndPriority.longInvokeID == 1)
        #expect(n.cosemDateTime?.time == COSEMTime(hour: 0, minute: 15, second: 0, hundredths: 0))
        #expect(n.notificationBody == .structure([
            OBISCode(0, 0, 25, 9, 0).data,
            .octetString(SimulatedClock.dateTime(seconds: start + 900, deviation: -60, status: 0).encoded),
            .doubleLongUnsigned(1_000_375), .doubleLongUnsigned(50_050),
        ]))
        // ACTION push (method 1) queues one.
        let manager = COSEMTestClient.manager(server)
        try manager.open()
        #expect(try manager.action(40, OBISCode(0, 0, 25, 9, 0), 1).result == .success)
        #expect(server.pendingPushes.count == 1)
        // Unciphered pushes when configured so.
        let plainServer = COSEMServer(configuration: COSEMServerConfiguration(pushCiphered: false, clock: SimulatedClock(elapsed: { 0 })))
        #expect(plainServer.makePushNotification(at: start).apdu.first == 0x0F)
    }

    @Test func loadProfileSelectiveAccess() throws {
        let server = fixedServer(elapsed: { 7200 })
        let reader = COSEMTestClient.reader(server)
        try reader.open()
        let lp = OBISCode(1, 0, 99, 1, 0)
        #expect(try reader.value(7, lp, 7) == .doubleLongUnsigned(9))
        #expect(try reader.value(7, lp, 4) == .doubleLongUnsigned(900))
        // By entry: entries 2…3, column 2 only.
        let byEntry = SelectiveAccessDescriptor(accessSelector: 2, accessParameters: .structure([
            .doubleLongUnsigned(2), .doubleLongUnsigned(3), .longUnsigned(2), .longUnsigned(2)]))
        #expect(try reader.value(7, lp, 2, selection: byEntry) == .array([
            .structure([.doubleLongUnsigned(1_000_375)]), .structure([.doubleLongUnsigned(1_000_750)])]))
        // By range: 00:15 … 00:45 on the clock column, all columns.
        func at(_ s: Int64) -> COSEMData { .octetString(SimulatedClock.dateTime(seconds: SimulatedClock.defaultStart + s, deviation: -60, status: 0).encoded) }
        let clockColumn = CaptureObjectDefinition(classID: 8, logicalName: .clock, attributeIndex: 2).data
        let byRange = SelectiveAccessDescriptor(accessSelector: 1, accessParameters: .structure([clockColumn, at(900), at(2700), .array([])]))
        guard case let .array(rows) = try reader.value(7, lp, 2, selection: byRange) else { Issue.record("buffer"); return }
        #expect(rows.count == 3)
        #expect(rows.first == .structure([at(900), .doubleLongUnsigned(1_000_375), .doubleLongUnsigned(50_050)]))
        // A restricting object that is not the clock column is refused; so is a selector the buffer lacks.
        let wrong = SelectiveAccessDescriptor(accessSelector: 1, accessParameters: .structure([
            CaptureObjectDefinition(classID: 3, logicalName: .activeEnergyImport, attributeIndex: 2).data, at(0), at(900), .array([])]))
        #expect(try reader.get(7, lp, 2, selection: wrong) == .dataAccessResult(.otherReason))
        #expect(try reader.get(7, lp, 3, selection: byEntry) == .dataAccessResult(.otherReason))
    }

    @Test func eventLogRecordsClockAdjustment() throws {
        let server = fixedServer()
        let manager = COSEMTestClient.manager(server)
        try manager.open()
        _ = try manager.set(8, .clock, 2, .octetString([0x07, 0xEA, 0x01, 0x02, 0xFF, 0, 0, 0, 0, 0x80, 0, 0xFF]))
        guard case let .array(rows) = try manager.value(7, OBISCode(0, 0, 99, 98, 0), 2) else { Issue.record("log"); return }
        let codes = rows.compactMap { row -> Int64? in
            guard case let .structure(cells) = row, cells.count == 2 else { return nil }
            return cells[1].integerValue
        }
        #expect(codes == [2, 4, 5])
        #expect(try manager.value(1, OBISCode(0, 0, 96, 11, 0), 2) == .longUnsigned(5))
    }

    @Test func disconnectControl() throws {
        let server = fixedServer()
        let manager = COSEMTestClient.manager(server)
        try manager.open()
        let publicClient = COSEMTestClient.publicClient(server)
        try publicClient.open()
        #expect(try publicClient.action(70, Self.disconnector, 1).result == .readWriteDenied)
        #expect(try manager.action(70, Self.disconnector, 1).result == .success)
        #expect(try publicClient.value(70, Self.disconnector, 2) == .bool(false))
        #expect(try publicClient.value(70, Self.disconnector, 3) == .enumerated(0))
        #expect(try manager.action(70, Self.disconnector, 2).result == .success)
        #expect(try manager.value(70, Self.disconnector, 2) == .bool(true))
        #expect(try manager.value(70, Self.disconnector, 3) == .enumerated(1))
        // Mode 1: remote reconnection goes to ready_for_reconnection.
        #expect(try manager.set(70, Self.disconnector, 4, .enumerated(1)) == .success)
        _ = try manager.action(70, Self.disconnector, 1)
        _ = try manager.action(70, Self.disconnector, 2)
        #expect(try manager.value(70, Self.disconnector, 3) == .enumerated(2))
        #expect(try manager.value(70, Self.disconnector, 2) == .bool(false))
    }

    @Test func setAndActionWithDataBlocks() throws {
        let server = fixedServer()
        let manager = COSEMTestClient.manager(server)
        try manager.open()
        let invoke = InvokeIDAndPriority(invokeID: 6)
        let value = COSEMData.octetString([0x07, 0xEA, 0x02, 0x01, 0xFF, 0x08, 0x00, 0x00, 0x00, 0x80, 0x00, 0xFF]).encoded()
        let item = AttributeDescriptorWithSelection(CosemAttributeDescriptor(classID: 8, instanceID: .clock, attributeID: 2))
        let first = try manager.request(.setRequest(.withFirstDatablock(invoke, item, DataBlockSA(lastBlock: false, blockNumber: 1, rawData: Array(value[0..<5])))))
        #expect(first == .setResponse(.datablock(invoke, blockNumber: 1)))
        let last = try manager.request(.setRequest(.withDatablock(invoke, DataBlockSA(lastBlock: true, blockNumber: 2, rawData: Array(value[5...])))))
        #expect(last == .setResponse(.lastDatablock(invoke, .success, blockNumber: 2)))
        guard case let .octetString(now) = try manager.value(8, .clock, 2) else { Issue.record("clock"); return }
        #expect(Array(now[0...3]) == [0x07, 0xEA, 0x02, 0x01])
        // A block out of sequence.
        _ = try manager.request(.setRequest(.withFirstDatablock(invoke, item, DataBlockSA(lastBlock: false, blockNumber: 1, rawData: Array(value[0..<5])))))
        #expect(try manager.request(.setRequest(.withDatablock(invoke, DataBlockSA(lastBlock: true, blockNumber: 3, rawData: []))))
            == .setResponse(.lastDatablock(invoke, .dataBlockNumberInvalid, blockNumber: 3)))
        #expect(try manager.request(.setRequest(.withDatablock(invoke, DataBlockSA(lastBlock: true, blockNumber: 2, rawData: []))))
            == .setResponse(.normal(invoke, .noLongSetInProgress)))
        // ACTION shift_time (+60 s) with its parameter in two blocks.
        let parameter = COSEMData.long(60).encoded()
        let method = CosemMethodDescriptor(classID: 8, instanceID: .clock, methodID: 6)
        #expect(try manager.request(.actionRequest(.withFirstPblock(invoke, method, DataBlockSA(lastBlock: false, blockNumber: 1, rawData: [parameter[0]]))))
            == .actionResponse(.nextPblock(invoke, blockNumber: 1)))
        #expect(try manager.request(.actionRequest(.withPblock(invoke, DataBlockSA(lastBlock: true, blockNumber: 2, rawData: Array(parameter[1...])))))
            == .actionResponse(.normal(invoke, ActionResponseWithOptionalData(result: .success))))
    }

    @Test func conformanceAndSizeLimits() throws {
        let server = fixedServer()
        let client = COSEMTestClient.publicClient(server)
        client.conformance = [.get]
        try client.open()
        let item = AttributeDescriptorWithSelection(CosemAttributeDescriptor(classID: 1, instanceID: .logicalDeviceName, attributeID: 2))
        #expect(try client.requestBytes(XDLMSAPDU.getRequest(.withList(InvokeIDAndPriority(invokeID: 1), [item, item])).encoded()) == [0xD8, 0x01, 0x02])
        #expect(client.raw([0xC0, 0x01, 0xC1] + Array(repeating: 0, count: 600)) == [[0xD8, 0x01, 0x04]])
        #expect(client.raw([0xC0, 0x01]) == [[0xD8, 0x01, 0x03]])
        #expect(client.raw([0x77, 0x01]) == [[0xD8, 0x02, 0x02]])
    }

    @Test func calendarAndLimiterWrites() throws {
        let server = fixedServer()
        let manager = COSEMTestClient.manager(server)
        try manager.open()
        let calendar = OBISCode(0, 0, 13, 0, 0)
        #expect(try manager.set(20, calendar, 6, .octetString(Array("NEW".utf8))) == .success)
        #expect(try manager.set(20, calendar, 2, .octetString(Array("NEW".utf8))) == .readWriteDenied)
        #expect(try manager.action(20, calendar, 1).result == .success)
        #expect(try manager.value(20, calendar, 2) == .octetString(Array("NEW".utf8)))
        let limiter = OBISCode(0, 0, 17, 0, 0)
        #expect(try manager.set(71, limiter, 4, .structure([])) == .typeUnmatched)
        #expect(try manager.set(71, limiter, 4, .doubleLongUnsigned(8000)) == .success)
        #expect(try manager.value(71, limiter, 4) == .doubleLongUnsigned(8000))
    }
}
