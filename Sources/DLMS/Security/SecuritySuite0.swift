import Crypto
import Foundation

/// Security suite 0 primitives: AES-GCM-128 with a 12-byte tag — Green Book 9.2.3.3.
///
/// DLMS truncates the GCM tag to 12 bytes, which swift-crypto cannot open directly; decryption
/// therefore recovers the plaintext from the GCM keystream and recomputes the tag, comparing
/// the first 12 bytes in constant time before the plaintext is released.
enum SecuritySuite0 {
    /// Key length of suite 0 (AES-128).
    static let keyLength = 16

    /// The transmitted `information ‖ T` for `control` (a tag only when authenticated).
    ///
    /// - AAD: `SC ‖ AK` when encrypting and authenticating; `SC ‖ AK ‖ plaintext` (GMAC) when only
    ///   authenticating; none when only encrypting.
    static func protect(
        _ plaintext: [UInt8], control: SecurityControl, key: [UInt8], authenticationKey: [UInt8],
        iv: [UInt8]
    ) throws(DLMSError) -> (information: [UInt8], tag: [UInt8]) {
        switch (control.isEncrypted, control.isAuthenticated) {
        case (true, true):
            let (ciphertext, tag) = try seal(plaintext, key: key, iv: iv, aad: [control.rawValue] + authenticationKey)
            return (ciphertext, Array(tag.prefix(CipheredAPDU.authenticationTagLength)))
        case (true, false):
            return (try seal(plaintext, key: key, iv: iv, aad: []).ciphertext, [])
        case (false, true):
            let (_, tag) = try seal([], key: key, iv: iv, aad: [control.rawValue] + authenticationKey + plaintext)
            return (plaintext, Array(tag.prefix(CipheredAPDU.authenticationTagLength)))
        case (false, false):
            return (plaintext, [])
        }
    }

    /// The plaintext of `information`, or nil when `tag` does not authenticate it.
    static func unprotect(
        _ information: [UInt8], tag: [UInt8], control: SecurityControl, key: [UInt8],
        authenticationKey: [UInt8], iv: [UInt8]
    ) throws(DLMSError) -> [UInt8]? {
        var plaintext = information
        if control.isEncrypted {
            let keystream = try seal([UInt8](repeating: 0, count: information.count), key: key, iv: iv, aad: []).ciphertext
            for index in plaintext.indices { plaintext[index] ^= keystream[index] }
        }
        if control.isAuthenticated {
            let (_, expected) = try protect(plaintext, control: control, key: key, authenticationKey: authenticationKey, iv: iv)
            guard constantTimeEqual(expected, tag) else { return nil }
        }
        return plaintext
    }

    /// GMAC: the 12-byte tag of AES-GCM over an empty message with `aad`.
    static func gmac(key: [UInt8], iv: [UInt8], aad: [UInt8]) throws(DLMSError) -> [UInt8] {
        Array(try seal([], key: key, iv: iv, aad: aad).tag.prefix(CipheredAPDU.authenticationTagLength))
    }

    /// IV = system title (8) ‖ invocation counter (4, big-endian).
    static func iv(systemTitle: SystemTitle, invocationCounter: UInt32) -> [UInt8] {
        systemTitle.bytes + bigEndian(invocationCounter)
    }

    static func bigEndian(_ value: UInt32) -> [UInt8] {
        [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: value >> $0) }
    }

    /// Equal length and equal bytes, without an early exit on the first difference.
    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }

    private static func seal(
        _ message: [UInt8], key: [UInt8], iv: [UInt8], aad: [UInt8]
    ) throws(DLMSError) -> (ciphertext: [UInt8], tag: [UInt8]) {
        guard key.count == keyLength else {
            throw DLMSError(.missingKey, at: 0, "a suite 0 key has \(keyLength) bytes, not \(key.count)")
        }
        do {
            let box = try AES.GCM.seal(
                message, using: SymmetricKey(data: key), nonce: AES.GCM.Nonce(data: iv), authenticating: aad)
            return (Array(box.ciphertext), Array(box.tag))
        } catch {
            throw DLMSError(.invalidValue, at: 0, "AES-GCM refused its input: \(error)")
        }
    }
}
