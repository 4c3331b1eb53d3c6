import DLMS

/// Security of xDLMS APDUs inside an association (fact sheet §7).
///
/// Decisions, each answered in cleartext (the client's keys may be what is wrong):
/// - authentication tag wrong / undecipherable → ExceptionResponse service-not-allowed /
///   deciphering-error (5);
/// - invocation counter not greater than the last accepted one (replay) → ExceptionResponse
///   service-not-allowed / invocation-counter-error (6) + the expected counter. Both as Gurux's
///   GXCiphering.Decrypt and server (GXDLMSExceptionResponse(ServiceNotAllowed,
///   InvocationCounterError, expected)); codes per fact sheet §5.5;
/// - cleartext xDLMS where ciphering is required, a security control other than 30, or a
///   ciphered APDU in an association without ciphering → ExceptionResponse service-not-allowed /
///   operation-not-possible (1);
/// - a general-ciphering APDU carrying a system title other than the AARQ's calling-AP-title →
///   deciphering-error.
///
/// The client's invocation counter is checked within the association: the first is the one of the
/// AARQ's ciphered InitiateRequest, each later one must be greater. A new AARQ starts again (a
/// harness that restarts at 1 on a shared server must not be refused across associations).
extension COSEMServer {
    /// How a ciphered request came, so that the response goes back the same way.
    struct ResponseProtection {
        var form: CipheredAPDUForm
    }

    func handleXDLMS(_ apdu: [UInt8], _ association: COSEMServerAssociation) -> [UInt8]? {
        guard apdu.count <= Int(identity.maxPDUSize) else {
            return ExceptionResponse(stateError: .serviceNotAllowed, serviceError: .pduTooLong).apdu
        }
        let tag = apdu.first ?? 0
        let cipheredTag = CipheredServiceTag(rawValue: tag)
        guard association.ciphered else {
            if cipheredTag != nil { return Self.notPossible }
            return respond(to: apdu, association)
        }
        guard let cipheredTag else { return Self.notPossible }
        let kind = cipheredTag.kind
        guard kind == .global || association.security.dedicatedKey != nil else { return Self.decipheringError }
        if let carried = Self.carriedSystemTitle(apdu), !carried.isEmpty, carried != association.clientSystemTitle {
            return Self.decipheringError
        }
        let unprotected: UnprotectedAPDU
        do {
            unprotected = try association.security.unprotect(bytes: apdu, from: .client)
        } catch {
            return error.code == .unsupported ? Self.notPossible : Self.decipheringError
        }
        guard unprotected.header.securityControl == .authenticatedEncryption else { return Self.notPossible }
        let counter = unprotected.header.invocationCounter
        if let last = association.lastClientInvocationCounter, counter <= last {
            return ExceptionResponse(stateError: .serviceNotAllowed, serviceError: .invocationCounterError,
                                     invocationCounter: last &+ 1).apdu
        }
        association.lastClientInvocationCounter = counter
        guard let plain = respond(to: unprotected.plaintext, association) else { return nil }
        if configuration.has(.plaintextResponse) { return plain }
        let form: CipheredAPDUForm = cipheredTag.isGeneral ? .general(kind) : .serviceSpecific(kind)
        return protect(plain, association, form: form)
    }

    /// `plain` ciphered by the server with SC 30 in `form` (service-specific forms fall back to
    /// general ciphering for APDUs without one, e.g. an ExceptionResponse).
    func protect(_ plain: [UInt8], _ association: COSEMServerAssociation, form: CipheredAPDUForm) -> [UInt8] {
        let ic = takeInvocationCounter()
        if let out = try? association.security.protect(apdu: plain, by: .server, form: form, invocationCounter: ic) { return out }
        let kind: CipheringKind = if case let .serviceSpecific(k) = form { k } else { .global }
        return (try? association.security.protect(apdu: plain, by: .server, form: .general(kind), invocationCounter: ic)) ?? plain
    }

    static let notPossible = ExceptionResponse(stateError: .serviceNotAllowed, serviceError: .operationNotPossible).apdu
    static let decipheringError = ExceptionResponse(stateError: .serviceNotAllowed, serviceError: .decipheringError).apdu
}

extension COSEMServer {
    /// The system title a general-ciphering APDU carries (nil for other forms or undecodable bytes).
    static func carriedSystemTitle(_ bytes: [UInt8]) -> [UInt8]? {
        guard let tag = bytes.first.flatMap(CipheredServiceTag.init(rawValue:)), tag.isGeneral else { return nil }
        return (try? CipheredAPDU(decoding: bytes))?.systemTitle
    }
}
