import CodecSupport

/// InitiateRequest (`01`), carried in the AARQ user-information — fact sheet §5.2.
public struct InitiateRequest: Sendable, Hashable {
    /// The dedicated key (only with ciphering), when present.
    public var dedicatedKey: [UInt8]?
    /// response-allowed (DEFAULT TRUE): nil when the default was conveyed (`00`), else the value sent.
    public var responseAllowed: Bool?
    /// proposed-quality-of-service [0] Integer8, when present.
    public var proposedQualityOfService: Int8?
    /// proposed-dlms-version-number (6 for DLMS UA version 6).
    public var proposedDLMSVersionNumber: UInt8
    /// The conformance block the client proposes.
    public var proposedConformance: Conformance
    /// client-max-receive-pdu-size (0 = no limit).
    public var clientMaxReceivePDUSize: UInt16

    /// Creates a request (defaults as sent by GX and U9).
    public init(dedicatedKey: [UInt8]? = nil, responseAllowed: Bool? = nil, proposedQualityOfService: Int8? = nil,
                proposedDLMSVersionNumber: UInt8 = 6, proposedConformance: Conformance, clientMaxReceivePDUSize: UInt16) {
        self.dedicatedKey = dedicatedKey
        self.responseAllowed = responseAllowed
        self.proposedQualityOfService = proposedQualityOfService
        self.proposedDLMSVersionNumber = proposedDLMSVersionNumber
        self.proposedConformance = proposedConformance
        self.clientMaxReceivePDUSize = clientMaxReceivePDUSize
    }

    /// The effective response-allowed value (true when the default was conveyed).
    public var isResponseAllowed: Bool { responseAllowed ?? true }

    static func decode(from r: inout AXDRReader) throws(DLMSError) -> InitiateRequest {
        let key = try r.readOptional("dedicated-key flag") { (r: inout AXDRReader) throws(DLMSError) in
            Array(try r.readOctetString("dedicated-key"))
        }
        let allowed = try r.readDefault("response-allowed flag") { (r: inout AXDRReader) throws(DLMSError) in
            try readBoolean(&r, "response-allowed")
        }
        // Two bytes (`01 vv`) when present, as GX and U9 write; the WS dissector's third byte is not followed.
        let qos = try r.readOptional("proposed-quality-of-service flag") { (r: inout AXDRReader) throws(DLMSError) in try r.readInt8() }
        let version = try r.readUInt8()
        let conformance = try readConformance(&r)
        return InitiateRequest(dedicatedKey: key, responseAllowed: allowed, proposedQualityOfService: qos,
                               proposedDLMSVersionNumber: version, proposedConformance: conformance,
                               clientMaxReceivePDUSize: try r.readUInt16())
    }

    func encode(into w: inout AXDRWriter) {
        w.appendOptional(dedicatedKey) { w, k in w.appendOctetString(k) }
        w.appendDefault(responseAllowed) { w, b in w.append(b ? 1 : 0) }
        w.appendOptional(proposedQualityOfService) { w, q in w.appendInt8(q) }
        w.append(proposedDLMSVersionNumber)
        w.append(contentsOf: proposedConformance.berEncoded)
        w.appendUInt16(clientMaxReceivePDUSize)
    }

    var jsonMembers: [(String, JSONValue)] {
        var m: [(String, JSONValue)] = []
        if let k = dedicatedKey { m.append(("dedicated_key", .string(HexText.format(k, separator: "")))) }
        m.append(("response_allowed", .bool(isResponseAllowed)))
        if let q = proposedQualityOfService { m.append(("proposed_quality_of_service", .int(Int64(q)))) }
        m += [
            ("dlms_version", .uint(UInt64(proposedDLMSVersionNumber))),
            ("conformance", proposedConformance.json),
            ("max_receive_pdu_size", .uint(UInt64(clientMaxReceivePDUSize))),
        ]
        return m
    }
}

/// InitiateResponse (`08`), carried in the AARE user-information — fact sheet §5.2.
public struct InitiateResponse: Sendable, Hashable {
    /// negotiated-quality-of-service, when present.
    public var negotiatedQualityOfService: Int8?
    /// negotiated-dlms-version-number.
    public var negotiatedDLMSVersionNumber: UInt8
    /// The conformance block the server grants.
    public var negotiatedConformance: Conformance
    /// server-max-receive-pdu-size.
    public var serverMaxReceivePDUSize: UInt16
    /// vaa-name (ObjectName): `0x0007` with LN referencing, `0xFA00` with SN.
    public var vaaName: UInt16

    /// Creates a response.
    public init(negotiatedQualityOfService: Int8? = nil, negotiatedDLMSVersionNumber: UInt8 = 6,
                negotiatedConformance: Conformance, serverMaxReceivePDUSize: UInt16, vaaName: UInt16 = 0x0007) {
        self.negotiatedQualityOfService = negotiatedQualityOfService
        self.negotiatedDLMSVersionNumber = negotiatedDLMSVersionNumber
        self.negotiatedConformance = negotiatedConformance
        self.serverMaxReceivePDUSize = serverMaxReceivePDUSize
        self.vaaName = vaaName
    }

    static func decode(from r: inout AXDRReader) throws(DLMSError) -> InitiateResponse {
        let qos = try r.readOptional("negotiated-quality-of-service flag") { (r: inout AXDRReader) throws(DLMSError) in try r.readInt8() }
        let version = try r.readUInt8()
        let conformance = try readConformance(&r)
        let size = try r.readUInt16()
        return InitiateResponse(negotiatedQualityOfService: qos, negotiatedDLMSVersionNumber: version,
                                negotiatedConformance: conformance, serverMaxReceivePDUSize: size,
                                vaaName: try r.readUInt16())
    }

    func encode(into w: inout AXDRWriter) {
        w.appendOptional(negotiatedQualityOfService) { w, q in w.appendInt8(q) }
        w.append(negotiatedDLMSVersionNumber)
        w.append(contentsOf: negotiatedConformance.berEncoded)
        w.appendUInt16(serverMaxReceivePDUSize)
        w.appendUInt16(vaaName)
    }

    var jsonMembers: [(String, JSONValue)] {
        var m: [(String, JSONValue)] = []
        if let q = negotiatedQualityOfService { m.append(("negotiated_quality_of_service", .int(Int64(q)))) }
        m += [
            ("dlms_version", .uint(UInt64(negotiatedDLMSVersionNumber))),
            ("conformance", negotiatedConformance.json),
            ("max_receive_pdu_size", .uint(UInt64(serverMaxReceivePDUSize))),
            ("vaa_name", .uint(UInt64(vaaName))),
        ]
        return m
    }
}

/// Reads the 7-byte `5F 1F 04 00 xx xx xx` conformance block, offsets relative to the reader.
func readConformance(_ r: inout AXDRReader) throws(DLMSError) -> Conformance {
    let start = r.offset
    let field = try r.readBytes(7, "conformance block")
    do { return try Conformance.decode(ber: field).value } catch { throw error.shifted(by: start) }
}
