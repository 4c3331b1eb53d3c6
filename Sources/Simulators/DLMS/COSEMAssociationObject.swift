import DLMS

/// IC 15 Association LN (v1) at 0.0.40.0.0.255, the current association: its object_list and
/// access rights depend on the client asking (fact sheet §8.4), attributes 3–8 describe the
/// association itself, method 1 reply_to_HLS_authentication completes HLS-GMAC pass 3/4 (§7.7).
///
/// Attribute 4 and 6 use the octet-string form (SP v1: BER OID body `60 85 74 05 08 …`).
/// Attribute 7 (secret) is write-only for the manager (it sets the reader's LLS password) and
/// hidden from the other clients. Methods 2–4 are listed without access.
final class COSEMAssociationObject: COSEMObject {
    init() {
        super.init(classID: 15, version: 1, logicalName: .currentAssociation,
                   policy: COSEMAccessPolicy(managerReadableOnly: [7], writable: [7]))
    }

    override func accessMode(_ attribute: Int, for role: COSEMClientRole) -> AttributeAccessMode {
        attribute == 7 ? (role == .manager ? .writeOnly : .noAccess) : super.accessMode(attribute, for: role)
    }

    override func methodAccess(_ method: Int, for role: COSEMClientRole) -> Bool { method == 1 && role == .manager }

    override func get(_ attribute: Int, selection: SelectiveAccessDescriptor?, in ctx: COSEMCallContext) -> COSEMGetOutcome {
        let a = ctx.association
        let identity = ctx.server.identity
        switch attribute {
        case 2: return .value(.array(ctx.server.store.objectListElements(for: a.role)))
        case 3: return .value(.structure([.integer(Int8(truncatingIfNeeded: a.client)), .longUnsigned(identity.logicalDevice)]))
        case 4: return .value(.octetString(a.applicationContext.oid.encodedContent()))
        case 5:
            return .value(.structure([
                .bitString(a.conformance.bitString), .longUnsigned(identity.maxPDUSize),
                .longUnsigned(UInt16(clamping: a.clientMaxReceivePDUSize)), .unsigned(6), .integer(0), .octetString([]),
            ]))
        case 6: return .value(.octetString(a.mechanism.oid.encodedContent()))
        case 8: return .value(.enumerated(a.state == .associated ? 2 : 1))
        case 9: return .value(OBISCode(0, 0, 43, 0, 0).data)
        case 7: return .failure(.readWriteDenied)
        default: return super.get(attribute, selection: selection, in: ctx)
        }
    }

    override func set(_ attribute: Int, value: COSEMData, in ctx: COSEMCallContext) -> DataAccessResult {
        guard attribute == 7, case let .octetString(secret) = value, !secret.isEmpty else { return .typeUnmatched }
        ctx.server.readerPassword = secret
        return .success
    }

    override func invoke(_ method: Int, parameter: COSEMData, in ctx: COSEMCallContext) -> COSEMActionOutcome {
        guard method == 1, case let .octetString(reply) = parameter else { return .failure(.typeUnmatched) }
        let a = ctx.association
        let server = ctx.server
        guard a.state == .pendingHLS, let clientTitle = a.security.clientSystemTitle,
              let serverTitle = a.security.serverSystemTitle else { return .failure(.readWriteDenied) }
        let identity = server.identity
        let valid = (try? HLSGMAC.verify(reply, to: a.serverChallenge, systemTitle: clientTitle,
                                         encryptionKey: identity.globalUnicastKey, authenticationKey: identity.authenticationKey)) != nil
        guard valid || server.configuration.has(.acceptsWrongPassword) else {
            // A wrong f(StoC) ends the association: the client must start again with an AARQ.
            server.associations[a.client] = nil
            return .failure(.readWriteDenied)
        }
        a.state = .associated
        guard let answer = try? HLSGMAC.response(
            to: a.clientChallenge, systemTitle: serverTitle, invocationCounter: server.takeInvocationCounter(),
            encryptionKey: identity.globalUnicastKey, authenticationKey: identity.authenticationKey)
        else { return .failure(.otherReason) }
        return COSEMActionOutcome(result: .success, returnData: .octetString(answer))
    }
}
