import CodecSupport
import DLMS
import Transport

/// `associate` and `release`: AARQ/AARE (with the HLS-GMAC passes 3 and 4) and RLRQ/RLRE.
extension DLMSSession {
    /// The conformance block the driver proposes unless a step says otherwise: what a general
    /// LN client asks for (GX's default set).
    static let defaultConformance: Conformance = [
        .blockTransferWithGetOrRead, .blockTransferWithSetOrWrite, .blockTransferWithAction, .multipleReferences,
        .get, .set, .selectiveAccess, .action, .attribute0SupportedWithGet, .priorityMgmtSupported,
    ]

    /// The security context built from the PIXIT keys; nil (with an `error` verdict) when one is missing.
    func securityContext(_ step: Step, _ context: inout StepContext) throws -> SecurityContext? {
        guard var guek = pixitBytes("guek", context), let gak = pixitBytes("gak", context),
              let titleBytes = pixitBytes("client_system_title", context) else {
            context.setVerdict(.error, "a ciphered association needs the PIXIT values guek, gak and client_system_title")
            return nil
        }
        if try context.parameter("wrong_key", of: step) == .bool(true) {
            guek = guek.map { $0 ^ 0x5A }
            context.log.append("using a deliberately wrong encryption key")
        }
        let title: SystemTitle
        do { title = try SystemTitle(titleBytes) } catch {
            context.setVerdict(.error, "client_system_title: \(error)")
            return nil
        }
        var security = SecurityContext(globalUnicastKey: guek, authenticationKey: gak, clientSystemTitle: title)
        security.clientInvocationCounter = clientInvocationCounter
        return security
    }

    func associateStep(_ step: Step, _ context: inout StepContext) async throws {
        let authentication = try context.parameter("authentication", of: step)?.textValue ?? "none"
        if let sap = try clientSAP(step, &context) {
            link.clientSAP = sap
        } else if context.verdict.verdict == .error {
            return
        } else {
            let name = authentication == "lls" ? "reader_client" : authentication == "hls_gmac" ? "manager_client" : "public_client"
            link.clientSAP = UInt16(clamping: pixitInt(name, context) ?? (authentication == "lls" ? 32 : authentication == "hls_gmac" ? 1 : 16))
        }
        if link.framing == .hdlc, !link.connected {
            context.setVerdict(.inconc, "the HDLC link is not connected (a `connect` step must come first)")
            return
        }
        let contextName = try context.parameter("context", of: step)?.textValue ?? (authentication == "hls_gmac" ? "ln_ciphered" : "ln")
        let contextID: UInt64 = switch contextName {
        case "ln": 1
        case "sn": 2
        case "ln_ciphered": 3
        case "sn_ciphered": 4
        default: 99
        }
        let expectAccepted = (try context.parameter("expect_result", of: step)?.textValue ?? "accepted") == "accepted"
        let version = try context.parameter("dlms_version", of: step)?.intValue ?? 6
        let maxPDU = try context.parameter("max_pdu_size", of: step)?.intValue ?? (pixitInt("client_max_pdu_size", context) ?? 1024)
        var conformance = Self.defaultConformance
        if let names = try context.parameter("conformance", of: step) {
            switch names {
            case .list(let items):
                guard let c = Conformance(names: items.compactMap(\.textValue)) else {
                    context.setVerdict(.error, "conformance names must be from: \(Conformance.names.joined(separator: ", "))")
                    return
                }
                conformance = c
            case .bytes(let b):
                do { conformance = try Conformance(bytes: b) } catch {
                    context.setVerdict(.error, "conformance: \(error)")
                    return
                }
            default:
                context.setVerdict(.error, "conformance must be a list of names or 3 hex bytes")
                return
            }
        }
        let ciphered = contextID == 3 || contextID == 4
        var security: SecurityContext?
        var dedicatedKey: [UInt8]?
        if ciphered {
            guard let s = try securityContext(step, &context) else { return }
            security = s
            if try context.parameter("dedicated_key", of: step) == .bool(true) {
                dedicatedKey = (0..<16).map { UInt8(truncatingIfNeeded: 0xA0 + $0) }
                security?.dedicatedKey = dedicatedKey
            }
        }
        let qos = try context.parameter("quality_of_service", of: step)?.intValue.map { Int8(clamping: $0) }
        let initiate = InitiateRequest(dedicatedKey: dedicatedKey, proposedQualityOfService: qos, proposedDLMSVersionNumber: UInt8(clamping: version),
                                       proposedConformance: conformance, clientMaxReceivePDUSize: UInt16(clamping: maxPDU))
        var userInformation = XDLMSAPDU.initiateRequest(initiate).encoded()
        if let s = security {
            do { userInformation = try s.protect(apdu: userInformation, by: .client) } catch {
                context.setVerdict(.error, "cannot cipher the InitiateRequest: \(error)")
                return
            }
            advanceClientInvocationCounter(&security)
        }
        var mechanism: MechanismName?
        var authValue: AuthenticationValue?
        var challenge: [UInt8] = []
        switch authentication {
        case "none": break
        case "lls":
            var password = pixitPassword("lls_password", context) ?? []
            if case .bytes(let b)? = try context.parameter("password", of: step) { password = b }
            else if let text = try context.parameter("password", of: step)?.textValue { password = Array(text.utf8) }
            if try context.parameter("wrong_password", of: step) == .bool(true) {
                password = password.isEmpty ? Array("wrong".utf8) : password.map { $0 == 0x30 ? 0x31 : 0x30 }
                context.log.append("using a deliberately wrong password")
            }
            mechanism = MechanismName(dlms: 1)
            authValue = .charstring(password)
        case "hls_gmac":
            mechanism = MechanismName(dlms: 5)
            challenge = makeChallenge()
            authValue = .charstring(challenge)
        default:
            context.setVerdict(.error, "authentication must be none, lls or hls_gmac")
            return
        }
        if let m = try context.parameter("mechanism", of: step)?.intValue { mechanism = MechanismName(dlms: UInt64(clamping: m)) }
        let aarq = AARQ(
            applicationContextName: ApplicationContextName(dlms: contextID),
            callingAPTitle: security?.clientSystemTitle?.bytes,
            senderACSERequirements: mechanism == nil ? nil : .authentication,
            mechanismName: mechanism, callingAuthenticationValue: authValue,
            userInformation: UserInformation(userInformation))
        association = nil
        guard try await transmitAPDU(aarq.encoded(), &context, what: "AARQ (\(contextName), \(authentication), client \(link.clientSAP))") else { return }
        let received = try await receiveAPDU(&context, deadline: .now + context.timeout)
        let aareBytes: [UInt8]
        switch received {
        case .apdu(let bytes, _): aareBytes = bytes
        case .violation(let why): context.setVerdict(.fail, why); return
        case .timeout(let why): context.setVerdict(.fail, "no AARE within \(context.timeout): \(why)"); return
        }
        let aare: AARE
        do { aare = try AARE(decoding: aareBytes) } catch {
            context.setVerdict(.fail, "the answer to the AARQ is not a valid AARE: \(error) (fact sheet §4.3)")
            return
        }
        var json = aare.json
        // Decipher a ciphered InitiateResponse with the server's system title.
        var initiateResponse: InitiateResponse? = aare.userInformation?.initiateResponse
        var initiateError: ConfirmedServiceError?
        if let info = aare.userInformation, info.ciphered != nil, var s = security {
            if let title = aare.respondingAPTitle { s.serverSystemTitle = try? SystemTitle(title) }
            do {
                let plain = try s.unprotect(bytes: info.content, from: .server)
                switch try XDLMSAPDU(decoding: plain.plaintext) {
                case .initiateResponse(let r): initiateResponse = r
                case .confirmedServiceError(let e): initiateError = e
                default: break
                }
                json = Self.merging(json, key: "initiate_response_deciphered", value: (try? XDLMSAPDU(decoding: plain.plaintext).json) ?? .null)
                s.serverInvocationCounter = plain.header.invocationCounter
            } catch {
                if aare.result.rawValue == 0 {
                    context.setVerdict(.fail, "the AARE's ciphered InitiateResponse does not decipher: \(error) (fact sheet §7.2)")
                }
            }
            security = s
        } else if let xdlms = aare.userInformation?.xdlms, case .confirmedServiceError(let e) = xdlms {
            initiateError = e
        }
        lastAPDU = json
        try save(json, step, &context)
        let accepted = aare.result.rawValue == 0
        let diagnostic = aare.resultSourceDiagnostic
        if !expectAccepted {
            if accepted, authentication != "hls_gmac" {
                context.setVerdict(.fail, "the association was accepted where it must be rejected (AARE result accepted, diagnostic \(diagnostic); fact sheet §4.7, §7.6)")
                association = DLMSAssociation(client: link.clientSAP, authentication: authentication, security: security, cipherForm: nil,
                                              conformance: initiateResponse?.negotiatedConformance ?? [], clientMaxPDU: maxPDU,
                                              serverMaxPDU: Int(initiateResponse?.serverMaxReceivePDUSize ?? 0))
                return
            }
            if !accepted {
                try applyExpect(step, to: json, &context)
                if context.verdict.verdict == .none {
                    context.setVerdict(.pass, "rejected: AARE result \(aare.result), diagnostic \(diagnostic)\(initiateError.map { ", \($0)" } ?? "")")
                }
                return
            }
        } else if !accepted {
            context.setVerdict(.fail, "the association was rejected: AARE result \(aare.result), diagnostic \(diagnostic)\(initiateError.map { ", xDLMS \($0)" } ?? "") (fact sheet §4.7)")
            return
        }
        guard let response = initiateResponse else {
            context.setVerdict(.fail, "the accepting AARE carries no InitiateResponse in its user-information (fact sheet §4.3, §5.2)")
            return
        }
        // The server may only take away from what the client proposed (fact sheet §5.3).
        let extra = Conformance(rawValue: response.negotiatedConformance.rawValue & ~conformance.rawValue)
        if !extra.isEmpty {
            context.setVerdict(.fail, "the negotiated conformance block grants \(extra.bitNames.joined(separator: ", ")), which the client did not propose (negotiated = proposed ∩ supported, fact sheet §5.3)")
        }
        let form: CipheredAPDUForm? = ciphered ? try cipherForm(step, &context, dedicated: dedicatedKey != nil) : nil
        association = DLMSAssociation(client: link.clientSAP, authentication: authentication, security: security, cipherForm: form,
                                      conformance: response.negotiatedConformance, clientMaxPDU: maxPDU,
                                      serverMaxPDU: Int(response.serverMaxReceivePDUSize),
                                      lastServerInvocationCounter: security?.serverInvocationCounter)
        identityValues["server_max_receive_pdu_size"] = String(response.serverMaxReceivePDUSize)
        if let title = aare.respondingAPTitle { identityValues["server_system_title"] = HexText.format(title, separator: "") }
        if authentication == "hls_gmac" {
            let completed = try await completeHLS(aare: aare, challenge: challenge, expectAccepted: expectAccepted, &context)
            if !expectAccepted {
                if completed {
                    context.setVerdict(.fail, "HLS authentication succeeded where it must fail: the server accepted f(StoC) computed with a wrong key (fact sheet §7.7)")
                } else if context.verdict.verdict <= .pass {
                    context.setVerdict(.pass, "the server did not complete HLS authentication with a wrong key")
                    association = nil
                }
                return
            }
            guard completed else { association = nil; return }
        }
        try applyExpect(step, to: json, &context)
        if context.verdict.verdict == .none {
            context.setVerdict(.pass, "associated as client \(link.clientSAP) (\(authentication)): conformance \(response.negotiatedConformance), server max PDU \(response.serverMaxReceivePDUSize)")
        }
    }

    private func cipherForm(_ step: Step, _ context: inout StepContext, dedicated: Bool) throws -> CipheredAPDUForm {
        switch try context.parameter("ciphering", of: step)?.textValue ?? (dedicated ? "ded" : "glo") {
        case "ded": return .serviceSpecific(.dedicated)
        case "general_glo": return .general(.global, includesSystemTitle: true)
        case "general_ded": return .general(.dedicated, includesSystemTitle: true)
        default: return .serviceSpecific(.global)
        }
    }

    /// HLS passes 3 and 4 (fact sheet §7.7): the client sends f(StoC) with Association LN method 1
    /// (reply_to_HLS_authentication) and checks the server's f(CtoS). Returns whether both held.
    private func completeHLS(aare: AARE, challenge: [UInt8], expectAccepted: Bool, _ context: inout StepContext) async throws -> Bool {
        guard var association, let security = association.security else { return false }
        guard let stoc = aare.respondingAuthenticationValue?.bytes, HLSGMAC.challengeLengths.contains(stoc.count) else {
            context.setVerdict(.fail, "the AARE for HLS-GMAC carries no server challenge StoC of 8–64 bytes (fact sheet §7.7)")
            return false
        }
        let reply: [UInt8]
        do { reply = try security.hlsGMACResponse(to: stoc, by: .client) } catch {
            context.setVerdict(.error, "cannot compute f(StoC): \(error)")
            return false
        }
        self.association = association
        let method = CosemMethodDescriptor(classID: 15, instanceID: OBISCode(0, 0, 40, 0, 0, 255), methodID: 1)
        let outcome = try await invoke(method: method, parameters: .octetString(reply), &context, what: "reply_to_HLS_authentication f(StoC)")
        guard let outcome else { return false }
        association = self.association ?? association
        guard outcome.result == "success" else {
            if expectAccepted {
                context.setVerdict(.fail, "the server rejected f(StoC): action result \(outcome.result) (fact sheet §7.7)")
            } else {
                context.log.append("the server rejected f(StoC): \(outcome.result)")
            }
            return false
        }
        guard case .octetString(let ctos)? = outcome.data else {
            context.setVerdict(.fail, "reply_to_HLS_authentication returned no octet-string f(CtoS) (fact sheet §7.7)")
            return false
        }
        do { try security.verifyHLSGMACResponse(ctos, to: challenge, from: .server) } catch {
            context.setVerdict(.fail, "the server's f(CtoS) does not verify: \(error) (fact sheet §7.7)")
            return false
        }
        context.log.append("HLS-GMAC: f(StoC) accepted, f(CtoS) verified")
        return true
    }

    func releaseStep(_ step: Step, _ context: inout StepContext) async throws {
        let forceFlag = try context.parameter("force", of: step) == .bool(true)
        guard association != nil || forceFlag else {
            context.setVerdict(.inconc, "no association is open to release")
            return
        }
        var rlrq = RLRQ(reason: ReleaseRequestReason(rawValue: 0))
        if let association, let security = association.security, (try context.parameter("ciphered_user_information", of: step)) != .bool(false) {
            // A ciphered association is released with a ciphered InitiateRequest in RLRQ (fact sheet §4.4).
            var s = security
            let initiate = InitiateRequest(proposedConformance: association.conformance, clientMaxReceivePDUSize: UInt16(clamping: association.clientMaxPDU))
            if let info = try? s.protect(apdu: XDLMSAPDU.initiateRequest(initiate).encoded(), by: .client) {
                rlrq.userInformation = UserInformation(info)
                advanceClientInvocationCounter(&s)
                self.association?.security = s
            }
        }
        guard try await transmitAPDU(rlrq.encoded(), &context, what: "RLRQ") else { return }
        let received = try await receiveAPDU(&context, deadline: .now + context.timeout)
        association = nil
        let bytes: [UInt8]
        switch received {
        case .apdu(let b, _): bytes = b
        case .violation(let why): context.setVerdict(.fail, why); return
        case .timeout(let why): context.setVerdict(.fail, "no RLRE within \(context.timeout): \(why)"); return
        }
        let rlre: RLRE
        do { rlre = try RLRE(decoding: bytes) } catch {
            context.setVerdict(.fail, "the answer to the RLRQ is not a valid RLRE: \(error) (fact sheet §4.4)")
            return
        }
        let json = rlre.json
        lastAPDU = json
        try applyExpect(step, to: json, &context)
        try save(json, step, &context)
        if let reason = rlre.reason, reason.rawValue != 0, context.verdict.verdict == .none {
            context.setVerdict(.fail, "RLRE reason \(reason.name ?? String(reason.rawValue)); normal (0) answers a normal release (fact sheet §4.4)")
        }
        if context.verdict.verdict == .none { context.setVerdict(.pass, "released: RLRE reason \(rlre.reason?.name ?? "absent")") }
    }

    func advanceClientInvocationCounter(_ security: inout SecurityContext?) {
        clientInvocationCounter &+= 1
        security?.clientInvocationCounter = clientInvocationCounter
    }

    func advanceClientInvocationCounter(_ security: inout SecurityContext) {
        clientInvocationCounter &+= 1
        security.clientInvocationCounter = clientInvocationCounter
    }

    /// A fresh 16-byte client challenge CtoS (deterministic per session, distinct per association).
    func makeChallenge() -> [UInt8] {
        challengeCounter &+= 1
        var rng = SplitMix64(seed: 0x4D50_4348_414C_0000 &+ challengeCounter)
        return (0..<16).map { _ in rng.byte() }
    }

    static func merging(_ json: JSONValue, key: String, value: JSONValue) -> JSONValue {
        guard case .object(var members) = json else { return json }
        members.append((key, value))
        return .object(members)
    }
}
