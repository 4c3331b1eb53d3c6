import CodecSupport

/// A ciphered xDLMS APDU as it travels, decoded without keys — Green Book 9.2.7.2.4.
///
/// Service-specific form: `tag ‖ length ‖ SC ‖ IC ‖ information ‖ T`.
/// General form (`DB`/`DC`): `tag ‖ length ‖ system title ‖ length ‖ SC ‖ IC ‖ information ‖ T`.
/// Lengths are A-XDR in the shortest form (`00`–`7F`, or `8n` followed by n big-endian bytes). `information` is the
/// ciphertext, or the plaintext when SC says authentication only; `T` is the 12-byte tag,
/// present only when SC has the authentication bit.
public struct CipheredAPDU: Sendable, Hashable {
    /// Length of the authentication tag in suite 0.
    public static let authenticationTagLength = 12

    /// The APDU tag.
    public var tag: CipheredServiceTag
    /// The system title carried by the general forms (empty when the sender omitted it);
    /// nil for service-specific tags.
    public var systemTitle: [UInt8]?
    /// The security control byte.
    public var securityControl: SecurityControl
    /// The invocation counter of the sender (the last four bytes of the IV).
    public var invocationCounter: UInt32
    /// Ciphertext, or plaintext when only authenticated.
    public var information: [UInt8]
    /// The authentication tag (12 bytes) when SC has the authentication bit, else empty.
    public var authenticationTag: [UInt8]

    /// Creates an APDU to encode.
    public init(
        tag: CipheredServiceTag, systemTitle: [UInt8]? = nil, securityControl: SecurityControl,
        invocationCounter: UInt32, information: [UInt8], authenticationTag: [UInt8] = []
    ) {
        self.tag = tag
        self.systemTitle = systemTitle
        self.securityControl = securityControl
        self.invocationCounter = invocationCounter
        self.information = information
        self.authenticationTag = authenticationTag
    }

    /// Decodes exactly `bytes`; anything after the content is `.trailingBytes`.
    public init(decoding bytes: [UInt8]) throws(DLMSError) {
        try self.init(decoding: bytes[...])
    }

    /// Decodes exactly `bytes`; offsets in errors count from `bytes.startIndex`.
    public init(decoding bytes: ArraySlice<UInt8>) throws(DLMSError) {
        var reader = AXDRReader(bytes)
        try self.init(parsing: &reader)
        try reader.expectEnd("ciphered APDU")
    }

    /// Decodes one ciphered APDU at the reader's position (offsets count from the reader's
    /// start); the reader ends after the authentication tag. Lengths must be in the shortest
    /// A-XDR form, as everywhere in this module (``AXDRReader/readLength(_:)``).
    public init(parsing reader: inout AXDRReader) throws(DLMSError) {
        let tagOffset = reader.offset
        let tagByte = try reader.readByte("ciphered APDU tag")
        guard let tag = CipheredServiceTag(rawValue: tagByte) else {
            throw DLMSError(.unknownTag, at: tagOffset, "0x\(HexText.format([tagByte])) is not a ciphered APDU tag")
        }
        self.tag = tag
        systemTitle = tag.isGeneral ? Array(try reader.readOctetString("system-title")) : nil
        let lengthOffset = reader.offset
        let contentLength = try reader.readLength("ciphered content length")
        guard contentLength <= reader.remaining else {
            throw DLMSError(.truncated, at: lengthOffset,
                            "ciphered content claims \(contentLength) byte(s), \(reader.remaining) left")
        }
        let control = SecurityControl(rawValue: reader.peek() ?? 0)
        let tagLength = control.isAuthenticated ? Self.authenticationTagLength : 0
        guard contentLength >= 5 + tagLength else {
            throw DLMSError(.badLength, at: lengthOffset,
                            "ciphered content of \(contentLength) byte(s) cannot hold SC, invocation counter"
                                + (tagLength > 0 ? " and a \(tagLength)-byte tag" : ""))
        }
        securityControl = SecurityControl(rawValue: try reader.readByte("security control"))
        invocationCounter = UInt32(truncatingIfNeeded: try reader.readUIntBE(4, "invocation counter"))
        information = Array(try reader.readBytes(contentLength - 5 - tagLength, "information"))
        authenticationTag = Array(try reader.readBytes(tagLength, "authentication tag"))
    }

    /// The bytes on the wire.
    public func encoded() -> [UInt8] {
        var out: [UInt8] = [tag.rawValue]
        if tag.isGeneral {
            let title = systemTitle ?? []
            out += AXDR.encodeLength(title.count) + title
        }
        out += AXDR.encodeLength(5 + information.count + authenticationTag.count)
        out.append(securityControl.rawValue)
        out += SecuritySuite0.bigEndian(invocationCounter)
        out += information
        out += authenticationTag
        return out
    }

    /// Offset of the system title bytes in ``encoded()`` (general forms), else nil.
    public var systemTitleOffset: Int? {
        guard tag.isGeneral else { return nil }
        return 1 + AXDR.lengthWidth(systemTitle?.count ?? 0)
    }

    /// Offset of the security control byte in ``encoded()``.
    public var securityControlOffset: Int {
        let headerEnd = systemTitleOffset.map { $0 + (systemTitle?.count ?? 0) } ?? 1
        return headerEnd + AXDR.lengthWidth(5 + information.count + authenticationTag.count)
    }

    /// Offset of ``information`` in ``encoded()``.
    public var informationOffset: Int { securityControlOffset + 5 }

    /// Offset of ``authenticationTag`` in ``encoded()``.
    public var authenticationTagOffset: Int { informationOffset + information.count }
}

extension CipheredAPDU: JSONRepresentable {
    /// The header and bytes under stable snake_case field names; no key material is involved.
    public var json: JSONValue {
        var members: [(String, JSONValue)] = [
            ("tag", .string(tag.name)),
            ("tag_value", .uint(UInt64(tag.rawValue))),
        ]
        if let systemTitle {
            members.append(("system_title", .string(HexText.format(systemTitle, separator: ""))))
        }
        members += [
            ("security_control", .object([
                ("value", .uint(UInt64(securityControl.rawValue))),
                ("suite", .uint(UInt64(securityControl.suiteID))),
                ("authentication", .bool(securityControl.isAuthenticated)),
                ("encryption", .bool(securityControl.isEncrypted)),
                ("broadcast_key", .bool(securityControl.usesBroadcastKey)),
                ("compression", .bool(securityControl.isCompressed)),
            ])),
            ("invocation_counter", .uint(UInt64(invocationCounter))),
            ("information", .string(HexText.format(information, separator: ""))),
        ]
        if !authenticationTag.isEmpty {
            members.append(("authentication_tag", .string(HexText.format(authenticationTag, separator: ""))))
        }
        return .object(members)
    }
}
