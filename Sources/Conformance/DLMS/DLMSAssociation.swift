import CodecSupport
import DLMS

/// An open application association, as the client sees it.
struct DLMSAssociation {
    /// The client SAP it belongs to.
    var client: UInt16
    /// `none`, `lls` or `hls_gmac`.
    var authentication: String
    /// Keys, system titles and invocation counters, when the context uses ciphering.
    var security: SecurityContext?
    /// How requests are ciphered (nil: in the clear).
    var cipherForm: CipheredAPDUForm?
    /// The conformance block the server answered with.
    var conformance: Conformance
    /// The client's max receive PDU size as proposed.
    var clientMaxPDU: Int
    /// The server's max receive PDU size from the InitiateResponse.
    var serverMaxPDU: Int
    /// The highest invocation counter seen on a ciphered response, per association.
    var lastServerInvocationCounter: UInt32?
}

/// The client's side of the association rules checked on every response of an association:
/// ciphering as requested (fact sheet §7.2) and a strictly increasing invocation counter (§7.3).
enum DLMSResponseProtection {
    /// The plain response inside `apdu`, or the rule it broke.
    static func unwrap(_ apdu: [UInt8], requestWasCiphered: Bool, association: inout DLMSAssociation) -> Result<[UInt8], DLMSRuleViolation> {
        guard let tag = apdu.first else { return .failure(DLMSRuleViolation("an empty APDU came")) }
        let ciphered = CipheredServiceTag(rawValue: tag) != nil
        guard ciphered else {
            if requestWasCiphered, tag != 0xD8 {
                return .failure(DLMSRuleViolation("a plaintext response (tag 0x\(HexText.format([tag]))) came to a ciphered request; the association's security policy requires a ciphered one (fact sheet §7.2)"))
            }
            return .success(apdu)
        }
        guard let security = association.security else {
            return .failure(DLMSRuleViolation("a ciphered response (tag 0x\(HexText.format([tag]))) came in an association without ciphering"))
        }
        let unprotected: UnprotectedAPDU
        do { unprotected = try security.unprotect(bytes: apdu, from: .server) } catch {
            return .failure(DLMSRuleViolation("the ciphered response does not decipher with the association's keys: \(error) (fact sheet §7.2–7.4)"))
        }
        let counter = unprotected.header.invocationCounter
        if let last = association.lastServerInvocationCounter, counter <= last {
            return .failure(DLMSRuleViolation("the response's invocation counter \(counter) does not exceed the previous \(last): a replayed or reused IV (fact sheet §7.3)"))
        }
        association.lastServerInvocationCounter = counter
        association.security?.serverInvocationCounter = counter
        return .success(unprotected.plaintext)
    }
}

/// A rule the device broke, in a sentence that names it and its source.
struct DLMSRuleViolation: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
