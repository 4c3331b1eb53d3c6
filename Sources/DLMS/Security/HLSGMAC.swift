import CodecSupport

/// HLS authentication mechanism 5 (HLS-GMAC), passes 3 and 4 — Green Book 9.2.7.4.
///
/// Each side proves it holds EK and AK by answering the other's challenge with
/// `f(challenge) = SC ‖ IC ‖ T`, where `T = GMAC(EK, IV = own system title ‖ IC, AAD = SC ‖ AK ‖ challenge)`
/// truncated to 12 bytes and SC = `10` (authentication only, suite 0). The client answers StoC
/// with f(StoC) in `reply_to_HLS_authentication`; the server returns f(CtoS).
public enum HLSGMAC {
    /// Challenge lengths the Green Book allows (8 to 64 bytes); not enforced by this type.
    public static let challengeLengths = 8...64
    /// Length of f(challenge): SC (1) + IC (4) + T (12).
    public static let responseLength = 17

    /// f(`challenge`) from a sender with `systemTitle` and `invocationCounter`.
    public static func response(
        to challenge: some Collection<UInt8>, systemTitle: SystemTitle, invocationCounter: UInt32,
        encryptionKey: [UInt8], authenticationKey: [UInt8]
    ) throws(DLMSError) -> [UInt8] {
        let control = SecurityControl.authenticationOnly
        let tag = try SecuritySuite0.gmac(
            key: try checked(encryptionKey, "EK"),
            iv: SecuritySuite0.iv(systemTitle: systemTitle, invocationCounter: invocationCounter),
            aad: [control.rawValue] + (try checked(authenticationKey, "AK")) + Array(challenge))
        return [control.rawValue] + SecuritySuite0.bigEndian(invocationCounter) + tag
    }

    /// Checks `response` = f(`challenge`) from a sender with `systemTitle`; returns the sender's
    /// invocation counter. Offsets count from the first byte of `response`: `.badLength` at 0 for
    /// a length other than 17, `.unsupported`/`.invalidValue` at 0 for an SC other than `10`,
    /// `.authenticationFailed` at 5 when the GMAC does not match.
    @discardableResult
    public static func verify(
        _ response: some Collection<UInt8>, to challenge: some Collection<UInt8>, systemTitle: SystemTitle,
        encryptionKey: [UInt8], authenticationKey: [UInt8]
    ) throws(DLMSError) -> UInt32 {
        let bytes = Array(response)
        guard bytes.count == responseLength else {
            throw DLMSError(.badLength, at: 0, "f(challenge) has \(responseLength) bytes (SC, IC, 12-byte GMAC), not \(bytes.count)")
        }
        let control = SecurityControl(rawValue: bytes[0])
        try SecurityContext.checkSupported(control, at: 0)
        guard control == .authenticationOnly else {
            throw DLMSError(.invalidValue, at: 0, "f(challenge) SC is 0x\(HexText.format([bytes[0]])); mechanism 5 uses 0x10 (authentication only)")
        }
        let counter = bytes[1...4].reduce(0) { $0 << 8 | UInt32($1) }
        let expected = try Self.response(
            to: challenge, systemTitle: systemTitle, invocationCounter: counter,
            encryptionKey: encryptionKey, authenticationKey: authenticationKey)
        guard SecuritySuite0.constantTimeEqual(expected, bytes) else {
            throw DLMSError(.authenticationFailed, at: 5, "f(challenge) GMAC does not match (IC \(counter), system title \(systemTitle))")
        }
        return counter
    }

    private static func checked(_ key: [UInt8], _ name: String) throws(DLMSError) -> [UInt8] {
        guard key.count == SecuritySuite0.keyLength else {
            throw DLMSError(.missingKey, at: 0, "the \(name) has \(key.count) bytes; suite 0 needs \(SecuritySuite0.keyLength)")
        }
        return key
    }
}

extension SecurityContext {
    /// f(`challenge`) computed by `party` with its system title, EK and AK: the client answers
    /// StoC with f(StoC), the server answers CtoS with f(CtoS). `invocationCounter` defaults to
    /// the party's counter in the context.
    public func hlsGMACResponse(
        to challenge: some Collection<UInt8>, by party: SecurityParty, invocationCounter: UInt32? = nil
    ) throws(DLMSError) -> [UInt8] {
        try HLSGMAC.response(
            to: challenge, systemTitle: requiredSystemTitle(of: party, at: 0),
            invocationCounter: invocationCounter ?? self.invocationCounter(of: party),
            encryptionKey: encryptionKey(for: .global, control: .authenticationOnly, at: 0),
            authenticationKey: requiredAuthenticationKey(at: 0))
    }

    /// Checks f(`challenge`) received from `party`; returns its invocation counter.
    @discardableResult
    public func verifyHLSGMACResponse(
        _ response: some Collection<UInt8>, to challenge: some Collection<UInt8>, from party: SecurityParty
    ) throws(DLMSError) -> UInt32 {
        try HLSGMAC.verify(
            response, to: challenge, systemTitle: requiredSystemTitle(of: party, at: 0),
            encryptionKey: encryptionKey(for: .global, control: .authenticationOnly, at: 0),
            authenticationKey: requiredAuthenticationKey(at: 0))
    }
}
