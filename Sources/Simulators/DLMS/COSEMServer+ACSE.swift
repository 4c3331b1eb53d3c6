import DLMS

/// Association establishment and release (fact sheet §4, §5.2, §7.6–7.7).
extension COSEMServer {
    /// Why an AARQ is rejected: the AARE diagnostic and, for xDLMS initiate problems, the
    /// ConfirmedServiceError in the user-information.
    struct Rejection: Error {
        var diagnostic: ResultSourceDiagnostic
        var initiateError: ConfirmedServiceError?

        init(_ diagnostic: ResultSourceDiagnostic, initiate value: UInt8? = nil, choice: UInt8 = 6) {
            self.diagnostic = diagnostic
            initiateError = value.map { ConfirmedServiceError(service: 1, errorChoice: choice, errorValue: $0) }
        }
    }

    /// AARQ → AARE. A new AARQ ends any association of the client first.
    func handleAARQ(_ bytes: [UInt8], from client: UInt16) -> [UInt8] {
        associations[client] = nil
        let role = role(of: client)
        let expectedContext: ApplicationContextName = role == .manager ? .logicalNameWithCiphering : .logicalNameNoCiphering
        do throws(Rejection) {
            guard let aarq = try? AARQ(decoding: bytes) else { throw Rejection(.noReasonGiven) }
            // Unknown client SAP: rejected-permanent, acse-service-user no-reason-given. §4.7 has no value
            // naming the client SAP (calling-AP-title is the system title); Gurux's server drops such
            // frames at the link (GXDLMSServerBase.IsTarget), so the application layer says no more than this.
            guard let role else { throw Rejection(.noReasonGiven) }
            return try accept(aarq, client: client, role: role)
        } catch {
            var diagnostic = error.diagnostic
            if configuration.has(.wrongAAREDiagnostic), role == .reader, diagnostic == .authenticationFailure { diagnostic = .noReasonGiven }
            return AARE(applicationContextName: expectedContext, result: .rejectedPermanent, resultSourceDiagnostic: diagnostic,
                        userInformation: error.initiateError.map { UserInformation($0.apdu) }).encoded()
        }
    }

    private func accept(_ aarq: AARQ, client: UInt16, role: COSEMClientRole) throws(Rejection) -> [UInt8] {
        let ciphered = role == .manager
        let context: ApplicationContextName = ciphered ? .logicalNameWithCiphering : .logicalNameNoCiphering
        guard aarq.applicationContextName == context else { throw Rejection(.applicationContextNameNotSupported) }

        // Mechanism: public none, reader LLS (1), manager HLS-GMAC (5).
        let expected: MechanismName = switch role {
        case .publicClient: .lowest
        case .reader: .lls
        case .manager: .hlsGMAC
        }
        if let mechanism = aarq.mechanismName {
            guard let id = mechanism.dlmsID, id <= 7 else { throw Rejection(.authenticationMechanismNameNotRecognised) }
            if id == 0, expected != .lowest { throw Rejection(.authenticationRequired) }
            guard mechanism == expected else { throw Rejection(.authenticationMechanismNameNotRecognised) }
        } else if expected != .lowest {
            throw Rejection(.authenticationRequired)
        }
        var clientChallenge: [UInt8] = []
        if expected != .lowest {
            guard let value = aarq.callingAuthenticationValue?.bytes else { throw Rejection(.authenticationRequired) }
            if role == .reader {
                let correct = value == readerPassword
                if !correct && !configuration.has(.acceptsWrongPassword) { throw Rejection(.authenticationFailure) }
            } else {
                guard HLSGMAC.challengeLengths.contains(value.count) else { throw Rejection(.authenticationFailure) }
                clientChallenge = value
            }
        }

        // Security: the manager's AARQ names the client system title and ciphers the InitiateRequest.
        var clientTitle: SystemTitle?
        if ciphered {
            guard let title = aarq.callingAPTitle, let t = try? SystemTitle(title) else {
                throw Rejection(.serviceUser(3))  // calling-AP-title-not-recognized
            }
            clientTitle = t
        }
        var security = baseSecurityContext(clientSystemTitle: clientTitle)
        guard let userInformation = aarq.userInformation else { throw Rejection(.noReasonGiven) }
        var initiateBytes = userInformation.content
        var firstCounter: UInt32?
        if ciphered {
            // A ciphered context takes only a glo-/general-glo-ciphered InitiateRequest with SC 30; anything
            // else: ConfirmedServiceError initiateError / application-reference / deciphering-error (§5.4).
            guard let tag = initiateBytes.first, tag == CipheredServiceTag.gloInitiateRequest.rawValue
                    || tag == CipheredServiceTag.generalGloCiphering.rawValue,
                  let unprotected = try? security.unprotect(bytes: initiateBytes, from: .client),
                  unprotected.header.securityControl == .authenticatedEncryption
            else { throw Rejection(.noReasonGiven, initiate: 6, choice: 0) }
            initiateBytes = unprotected.plaintext
            firstCounter = unprotected.header.invocationCounter
        }
        guard case let .initiateRequest(request)? = try? XDLMSAPDU(decoding: initiateBytes) else {
            throw Rejection(.noReasonGiven, initiate: 0)
        }
        guard request.proposedDLMSVersionNumber >= 6 else { throw Rejection(.noReasonGiven, initiate: 1) }
        // client-max-receive-pdu-size below 64 is pdu-size-too-short, as Gurux's GXAPDU.parseInitiate
        // ("If PDU is too low": pdu < 64 → initiateError / service / pdu-size); 0 means no limit here.
        let clientMax = request.clientMaxReceivePDUSize == 0 ? 65_535 : Int(request.clientMaxReceivePDUSize)
        guard clientMax >= 64 else { throw Rejection(.noReasonGiven, initiate: 3) }
        var negotiated = request.proposedConformance.intersection(configuration.supportedConformance)
        if configuration.has(.ignoresConformance) { negotiated = configuration.supportedConformance }
        guard !negotiated.isEmpty else { throw Rejection(.noReasonGiven, initiate: 2) }
        if let key = request.dedicatedKey {
            guard ciphered, key.count == 16 else { throw Rejection(.noReasonGiven, initiate: 0) }
            security.dedicatedKey = key
        }

        associationCount &+= 1
        let serverChallenge = role == .manager ? Self.challenge(seed: associationCount) : []
        let association = COSEMServerAssociation(
            client: client, role: role, state: role == .manager ? .pendingHLS : .associated,
            applicationContext: context, mechanism: expected, conformance: negotiated,
            clientMaxReceivePDUSize: clientMax, ciphered: ciphered, security: security,
            clientChallenge: clientChallenge, serverChallenge: serverChallenge)
        association.lastClientInvocationCounter = firstCounter
        associations[client] = association

        let response = InitiateResponse(negotiatedDLMSVersionNumber: 6, negotiatedConformance: negotiated,
                                        serverMaxReceivePDUSize: identity.maxPDUSize, vaaName: 0x0007)
        var userInfo = XDLMSAPDU.initiateResponse(response).encoded()
        if ciphered {
            // The InitiateResponse goes back glo-ciphered under the global key (never the dedicated one).
            userInfo = (try? security.protect(apdu: userInfo, by: .server, invocationCounter: takeInvocationCounter())) ?? userInfo
        }
        switch role {
        case .publicClient:
            return AARE(applicationContextName: context, result: .accepted, resultSourceDiagnostic: .null,
                        userInformation: UserInformation(userInfo)).encoded()
        case .reader:
            return AARE(applicationContextName: context, result: .accepted, resultSourceDiagnostic: .null,
                        responderACSERequirements: .authentication, mechanismName: .lls,
                        userInformation: UserInformation(userInfo)).encoded()
        case .manager:
            return AARE(applicationContextName: context, result: .accepted, resultSourceDiagnostic: .authenticationRequired,
                        respondingAPTitle: identity.systemTitle, responderACSERequirements: .authentication,
                        mechanismName: .hlsGMAC, respondingAuthenticationValue: .charstring(serverChallenge),
                        userInformation: UserInformation(userInfo)).encoded()
        }
    }

    /// A deterministic 16-byte StoC (printable, like GX's challenges) for the `seed`-th association.
    static func challenge(seed: UInt32) -> [UInt8] {
        var state = seed &* 2_654_435_761 &+ 0x5A17
        return (0..<16).map { _ in
            state = state &* 1_103_515_245 &+ 12_345
            return UInt8(0x41 + (state >> 16) % 26)
        }
    }

    /// RLRQ → RLRE (reason normal) and the association ends. In a ciphered association a protected
    /// release (RLRQ user-information = ciphered InitiateRequest, fact sheet §4.4) is answered with a
    /// glo-ciphered InitiateResponse in the RLRE; an RLRQ without user-information gets a plain RLRE.
    func handleRLRQ(_ bytes: [UInt8], from client: UInt16) -> [UInt8] {
        let association = associations[client]
        associations[client] = nil
        var rlre = RLRE(reason: .normal)
        if let association, association.ciphered, let request = try? RLRQ(decoding: bytes),
           let content = request.userInformation?.content,
           let unprotected = try? association.security.unprotect(bytes: content, from: .client),
           case .initiateRequest? = try? XDLMSAPDU(decoding: unprotected.plaintext) {
            let response = InitiateResponse(negotiatedDLMSVersionNumber: 6, negotiatedConformance: association.conformance,
                                            serverMaxReceivePDUSize: identity.maxPDUSize, vaaName: 0x0007)
            if let ciphered = try? association.security.protect(apdu: XDLMSAPDU.initiateResponse(response).encoded(), by: .server,
                                                                 invocationCounter: takeInvocationCounter()) {
                rlre.userInformation = UserInformation(ciphered)
            }
        }
        var out = rlre.encoded()
        if configuration.has(.malformedRLRELength), out.count >= 2, out[1] < 0x7F { out[1] += 1 }
        return out
    }
}
