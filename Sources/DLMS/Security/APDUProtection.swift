import CodecSupport

/// How ``SecurityContext/protect(apdu:by:control:form:invocationCounter:)`` wraps an APDU.
public enum CipheredAPDUForm: Sendable, Hashable {
    /// The service-specific glo- or ded- tag of the plain APDU (`C0` → `C8` or `D0`).
    case serviceSpecific(CipheringKind)
    /// general-glo-ciphering or general-ded-ciphering, with the sender's system title in the
    /// header or (`includesSystemTitle` false) an empty one.
    case general(CipheringKind, includesSystemTitle: Bool = true)
}

/// A ciphered APDU after ``SecurityContext/unprotect(bytes:from:)``: the plain APDU and the
/// header it came in.
public struct UnprotectedAPDU: Sendable, Equatable {
    /// The plain xDLMS APDU (`C0 01 …`).
    public var plaintext: [UInt8]
    /// The decoded ciphered APDU (tag, system title, SC, IC, information, tag).
    public var header: CipheredAPDU
    /// The system title that formed the IV: the one carried in a general form, else the sender's
    /// from the context.
    public var senderSystemTitle: SystemTitle

    /// Creates a result.
    public init(plaintext: [UInt8], header: CipheredAPDU, senderSystemTitle: SystemTitle) {
        self.plaintext = plaintext
        self.header = header
        self.senderSystemTitle = senderSystemTitle
    }
}

extension SecurityContext {
    /// Ciphers a plain xDLMS APDU sent by `sender` under security suite 0 — Green Book 9.2.7.2.4.
    ///
    /// `invocationCounter` defaults to the sender's counter in the context (which is not advanced).
    /// Errors: `.truncated` for an empty APDU; `.unsupported` for a suite other than 0, compression,
    /// or a plain tag without a service-specific ciphered form; `.missingKey` when a key or the
    /// sender's system title is absent.
    public func protect(
        apdu: some Collection<UInt8>, by sender: SecurityParty,
        control: SecurityControl = .authenticatedEncryption,
        form: CipheredAPDUForm = .serviceSpecific(.global), invocationCounter: UInt32? = nil
    ) throws(DLMSError) -> [UInt8] {
        let plaintext = Array(apdu)
        guard let plainTag = plaintext.first else {
            throw DLMSError(.truncated, at: 0, "an empty APDU cannot be protected")
        }
        try Self.checkSupported(control, at: 0)
        let tag: CipheredServiceTag
        let kind: CipheringKind
        var carriedTitle: [UInt8]? = nil
        switch form {
        case .serviceSpecific(let k):
            guard let t = CipheredServiceTag.protecting(plainTag: plainTag, with: k) else {
                throw DLMSError(.unsupported, at: 0,
                                "APDU tag 0x\(HexText.format([plainTag])) has no \(k.rawValue) service-specific ciphered form; use general ciphering")
            }
            (tag, kind) = (t, k)
        case .general(let k, let includesSystemTitle):
            (tag, kind) = (.general(k), k)
            carriedTitle = []
            if includesSystemTitle {
                carriedTitle = try requiredSystemTitle(of: sender, at: 0).bytes
            }
        }
        let counter = invocationCounter ?? self.invocationCounter(of: sender)
        var information = plaintext
        var authenticationTag: [UInt8] = []
        if control.isEncrypted || control.isAuthenticated {
            let key = try encryptionKey(for: kind, control: control, at: 0)
            let ak = try control.isAuthenticated ? requiredAuthenticationKey(at: 0) : []
            let title = try requiredSystemTitle(of: sender, at: 0)
            (information, authenticationTag) = try SecuritySuite0.protect(
                plaintext, control: control, key: key, authenticationKey: ak,
                iv: SecuritySuite0.iv(systemTitle: title, invocationCounter: counter))
        }
        return CipheredAPDU(
            tag: tag, systemTitle: carriedTitle, securityControl: control, invocationCounter: counter,
            information: information, authenticationTag: authenticationTag
        ).encoded()
    }

    /// Deciphers and authenticates a ciphered APDU sent by `sender` — Green Book 9.2.7.2.4.
    ///
    /// A general form's non-empty system title forms the IV; otherwise the sender's title from
    /// the context does. Errors carry offsets from the first byte of `bytes`: structural errors
    /// from ``CipheredAPDU/init(decoding:)``; `.unsupported` (at SC) for a suite other than 0 or
    /// compression; `.missingKey` (at SC) for an absent key or system title; `.invalidValue` for a
    /// carried system title that is not 8 bytes; `.authenticationFailed` at the authentication tag
    /// when it does not match (the plaintext is then withheld). An SC with neither the
    /// authentication nor the encryption bit passes the information through unchanged.
    public func unprotect(bytes: [UInt8], from sender: SecurityParty) throws(DLMSError) -> UnprotectedAPDU {
        try unprotect(bytes: bytes[...], from: sender)
    }

    /// ``unprotect(bytes:from:)`` over a slice; offsets count from `bytes.startIndex`.
    public func unprotect(bytes: ArraySlice<UInt8>, from sender: SecurityParty) throws(DLMSError) -> UnprotectedAPDU {
        let apdu = try CipheredAPDU(decoding: bytes)
        let control = apdu.securityControl
        let scOffset = apdu.securityControlOffset
        try Self.checkSupported(control, at: scOffset)
        let title: SystemTitle
        if let carried = apdu.systemTitle, !carried.isEmpty {
            do throws(DLMSError) {
                title = try SystemTitle(carried)
            } catch {
                throw error.shifted(by: apdu.systemTitleOffset ?? 0)
            }
        } else {
            title = try requiredSystemTitle(of: sender, at: scOffset)
        }
        guard control.isEncrypted || control.isAuthenticated else {
            return UnprotectedAPDU(plaintext: apdu.information, header: apdu, senderSystemTitle: title)
        }
        let key = try encryptionKey(for: apdu.tag.kind, control: control, at: scOffset)
        let ak = try control.isAuthenticated ? requiredAuthenticationKey(at: scOffset) : []
        guard let plaintext = try SecuritySuite0.unprotect(
            apdu.information, tag: apdu.authenticationTag, control: control, key: key, authenticationKey: ak,
            iv: SecuritySuite0.iv(systemTitle: title, invocationCounter: apdu.invocationCounter))
        else {
            throw DLMSError(.authenticationFailed, at: apdu.authenticationTagOffset,
                            "the authentication tag does not match (IC \(apdu.invocationCounter), system title \(title))")
        }
        return UnprotectedAPDU(plaintext: plaintext, header: apdu, senderSystemTitle: title)
    }

    func requiredSystemTitle(of party: SecurityParty, at offset: Int) throws(DLMSError) -> SystemTitle {
        guard let title = systemTitle(of: party) else {
            throw DLMSError(.missingKey, at: offset, "the \(party.rawValue) system title is not known")
        }
        return title
    }

    static func checkSupported(_ control: SecurityControl, at offset: Int) throws(DLMSError) {
        guard control.suiteID == 0 else {
            throw DLMSError(.unsupported, at: offset, "security suite \(control.suiteID) is not supported (suite 0 only)")
        }
        guard !control.isCompressed else {
            throw DLMSError(.unsupported, at: offset, "compressed ciphered APDUs are not supported")
        }
    }
}
