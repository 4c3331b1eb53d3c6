import DLMS
import Testing
@testable import Simulators

@Suite struct COSEMServerAssociationTests {
    /// The public client's AARE has exactly the layout of the fact sheet §4.10 accepted AARE
    /// (U9 test_aare.py); only the negotiated conformance and server-max-receive-pdu-size differ.
    @Test func publicAAREMatchesFactSheetLayout() throws {
        let server = fixedServer()
        let client = COSEMTestClient.publicClient(server)
        let bytes = server.handle(apdu: client.aarq().encoded(), from: 16)
        #expect(bytes.count == 1)
        let expected: [UInt8] = [0x61, 0x29, 0xA1, 0x09, 0x06, 0x07, 0x60, 0x85, 0x74, 0x05, 0x08, 0x01, 0x01,
                                 0xA2, 0x03, 0x02, 0x01, 0x00, 0xA3, 0x05, 0xA1, 0x03, 0x02, 0x01, 0x00,
                                 0xBE, 0x10, 0x04, 0x0E, 0x08, 0x00, 0x06, 0x5F, 0x1F, 0x04, 0x00,
                                 0x00, 0x1E, 0x1D,  // proposed 00 7E 1F ∩ supported (fact sheet §5.3 third example)
                                 0x02, 0x00,  // server-max-receive-pdu-size 512
                                 0x00, 0x07]
        #expect(bytes.first == expected)
        #expect(server.association(of: 16)?.state == .associated)
    }

    @Test func readerLLS() throws {
        let server = fixedServer()
        let reader = COSEMTestClient.reader(server)
        let wrong = try reader.associate(reader.aarq(password: Array("wrong!!!".utf8)))
        #expect(wrong.result == .rejectedPermanent)
        #expect(wrong.resultSourceDiagnostic == .authenticationFailure)
        #expect(server.association(of: 32) == nil)
        let right = try reader.associate(reader.aarq())
        #expect(right.result == .accepted)
        #expect(right.resultSourceDiagnostic == .null)
        #expect(right.userInformation?.initiateResponse?.serverMaxReceivePDUSize == 512)
    }

    @Test func managerHLSGMACWithCiphering() throws {
        let server = fixedServer()
        let manager = COSEMTestClient.manager(server)
        let aare = try manager.associate(manager.aarq())
        #expect(aare.result == .accepted)
        #expect(aare.resultSourceDiagnostic == .authenticationRequired)
        #expect(aare.applicationContextName == .logicalNameWithCiphering)
        #expect(aare.mechanismName == .hlsGMAC)
        #expect(aare.respondingAPTitle == server.identity.systemTitle)
        #expect(aare.respondingAuthenticationValue?.bytes.count == 16)
        // The InitiateResponse comes back glo-ciphered (28) under the global key.
        let ui = try #require(aare.userInformation?.content)
        #expect(ui.first == 0x28)
        let initiate = try XDLMSAPDU(decoding: try manager.decipher(ui))
        guard case let .initiateResponse(r) = initiate else { Issue.record("no InitiateResponse"); return }
        #expect(r.negotiatedConformance == Conformance(rawValue: 0x001E1D))
        #expect(server.association(of: 1)?.state == .pendingHLS)
        // Before pass 3 nothing but reply_to_HLS_authentication is served.
        #expect(try manager.get(8, .clock, 2) == .dataAccessResult(.readWriteDenied))
        // Pass 3/4.
        let stoc = aare.respondingAuthenticationValue?.bytes ?? []
        let reply = try manager.security.hlsGMACResponse(to: stoc, by: .client, invocationCounter: manager.nextCounter())
        let result = try manager.action(15, .currentAssociation, 1, .octetString(reply))
        #expect(result.result == .success)
        guard case let .data(.octetString(fCtoS))? = result.returnParameters else { Issue.record("no f(CtoS)"); return }
        try manager.security.verifyHLSGMACResponse(fCtoS, to: manager.clientChallenge, from: .server)
        #expect(server.association(of: 1)?.state == .associated)
        guard case .octetString(let time) = try manager.value(8, .clock, 2) else { Issue.record("clock"); return }
        #expect(time.count == 12)
    }

    @Test func wrongHLSReplyEndsTheAssociation() throws {
        let server = fixedServer()
        let manager = COSEMTestClient.manager(server)
        _ = try manager.associate(manager.aarq())
        let result = try manager.action(15, .currentAssociation, 1, .octetString([0x10] + Array(repeating: 0, count: 16)))
        #expect(result.result == .readWriteDenied)
        #expect(server.association(of: 1) == nil)
    }

    @Test func aareDiagnostics() throws {
        let server = fixedServer()
        let reader = COSEMTestClient.reader(server)
        // Wrong application context (LN with ciphering for the reader).
        var aarq = reader.aarq()
        aarq.applicationContextName = .shortNameNoCiphering
        var aare = try reader.associate(aarq)
        #expect(aare.result == .rejectedPermanent && aare.resultSourceDiagnostic == .applicationContextNameNotSupported)
        // Missing authentication.
        aarq = reader.aarq()
        aarq.mechanismName = nil
        aarq.callingAuthenticationValue = nil
        aarq.senderACSERequirements = nil
        aare = try reader.associate(aarq)
        #expect(aare.result == .rejectedPermanent && aare.resultSourceDiagnostic == .authenticationRequired)
        // Unknown mechanism.
        aarq = reader.aarq()
        aarq.mechanismName = MechanismName(dlms: 9)
        aare = try reader.associate(aarq)
        #expect(aare.resultSourceDiagnostic == .authenticationMechanismNameNotRecognised)
        // Unknown client SAP.
        let stranger = COSEMTestClient(server, sap: 0x55)
        aare = try stranger.associate(COSEMTestClient.publicClient(server).aarq())
        #expect(aare.result == .rejectedPermanent && aare.resultSourceDiagnostic == .noReasonGiven)
        // DLMS version 5: rejected with ConfirmedServiceError initiate / dlms-version-too-low (fact sheet §4.10).
        let old = XDLMSAPDU.initiateRequest(InitiateRequest(proposedDLMSVersionNumber: 5, proposedConformance: reader.conformance,
                                                            clientMaxReceivePDUSize: 1200)).encoded()
        aarq = COSEMTestClient.publicClient(server).aarq()
        aarq.userInformation = UserInformation(old)
        aare = try COSEMTestClient.publicClient(server).associate(aarq)
        #expect(aare.result == .rejectedPermanent && aare.resultSourceDiagnostic == .noReasonGiven)
        #expect(aare.userInformation?.content == [0x0E, 0x01, 0x06, 0x01])
        // PDU size too short.
        let small = XDLMSAPDU.initiateRequest(InitiateRequest(proposedConformance: reader.conformance, clientMaxReceivePDUSize: 32)).encoded()
        aarq.userInformation = UserInformation(small)
        aare = try COSEMTestClient.publicClient(server).associate(aarq)
        #expect(aare.userInformation?.content == [0x0E, 0x01, 0x06, 0x03])
    }

    @Test func idleRequestsGetInitiateError() throws {
        let server = fixedServer()
        let get = XDLMSAPDU.getRequest(.normal(InvokeIDAndPriority(invokeID: 1), AttributeDescriptorWithSelection(
            CosemAttributeDescriptor(classID: 1, instanceID: .logicalDeviceName, attributeID: 2)))).encoded()
        #expect(server.handle(apdu: get, from: 16) == [[0x0E, 0x01, 0x03, 0x02]])
        #expect(server.handle(apdu: [0x0F, 0, 0, 0, 1, 0, 0], from: 16).isEmpty)
    }

    @Test func releaseAndLinkClose() throws {
        let server = fixedServer()
        let client = COSEMTestClient.publicClient(server)
        try client.open()
        #expect(client.raw(RLRQ(reason: .normal).encoded()) == [[0x63, 0x03, 0x80, 0x01, 0x00]])
        #expect(server.association(of: 16) == nil)
        try client.open()
        server.linkClosed(client: 16)
        #expect(server.association(of: 16) == nil)
    }

    @Test func cipheredReleaseAnswersWithCipheredInitiateResponse() throws {
        let server = fixedServer()
        let manager = COSEMTestClient.manager(server)
        try manager.open()
        let ciphered = try manager.security.protect(apdu: manager.initiateRequest, by: .client, invocationCounter: manager.nextCounter())
        let replies = server.handle(apdu: RLRQ(reason: .normal, userInformation: UserInformation(ciphered)).encoded(), from: 1)
        let rlre = try RLRE(decoding: try #require(replies.first))
        #expect(rlre.reason == .normal)
        let content = try #require(rlre.userInformation?.content)
        #expect(content.first == 0x28)
        guard case .initiateResponse = try XDLMSAPDU(decoding: try manager.decipher(content)) else {
            Issue.record("no InitiateResponse in the RLRE"); return
        }
        #expect(server.association(of: 1) == nil)
    }
}

@Suite struct COSEMServerSecretTests {
    /// The manager sets the LLS secret (Association LN attribute 7, write-only); the reader must
    /// then use it; nobody reads it.
    @Test func managerChangesTheReaderPassword() throws {
        let server = fixedServer()
        let manager = COSEMTestClient.manager(server)
        try manager.open()
        #expect(try manager.get(15, .currentAssociation, 7) == .dataAccessResult(.readWriteDenied))
        #expect(try manager.set(15, .currentAssociation, 7, .octetString(Array("87654321".utf8))) == .success)
        let reader = COSEMTestClient.reader(server)
        #expect(try reader.associate(reader.aarq()).resultSourceDiagnostic == .authenticationFailure)
        #expect(try reader.associate(reader.aarq(password: Array("87654321".utf8))).result == .accepted)
        #expect(try reader.get(15, .currentAssociation, 7) == .dataAccessResult(.readWriteDenied))
        #expect(try reader.set(15, .currentAssociation, 7, .octetString([1])) == .readWriteDenied)
    }

    /// A second AARQ replaces the association; the public client's association data are its own.
    @Test func associationAttributesDescribeTheAssociation() throws {
        let server = fixedServer()
        let reader = COSEMTestClient.reader(server)
        try reader.open()
        #expect(try reader.value(15, .currentAssociation, 3) == .structure([.integer(32), .longUnsigned(1)]))
        #expect(try reader.value(15, .currentAssociation, 6) == .octetString([0x60, 0x85, 0x74, 0x05, 0x08, 0x02, 0x01]))
        #expect(try reader.value(15, .currentAssociation, 8) == .enumerated(2))
        try reader.open()
        #expect(server.association(of: 32)?.state == .associated)
    }
}
