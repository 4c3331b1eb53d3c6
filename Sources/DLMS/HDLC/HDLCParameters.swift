import CodecSupport

/// The HDLC parameter negotiation block carried by SNRM and UA (IEC 62056-46; fact sheet §1.8).
///
/// `81` format identifier, `80` group identifier, group length, then parameter TLVs
/// (identifier, length, big-endian value). In SNRM the values are the client's, in UA the
/// server's. A parameter that is absent takes its default (128 bytes, window 1).
/// Decoding keeps every parameter with its value width, and any further group, so re-encoding
/// gives the same bytes (U9 writes 128 as `00 80`, GX as `80`).
public struct HDLCParameters: Hashable, Sendable {
    /// The format identifier, `81`.
    public static let formatIdentifier: UInt8 = 0x81
    /// The HDLC parameter group identifier, `80`.
    public static let groupIdentifier: UInt8 = 0x80
    /// Default maximum information field length, 128 bytes (GX, U9, SP; JD's 2030 is its own
    /// connection default, not the protocol's — decided by GX `DEFAULT_MAX_INFO_TX`).
    public static let defaultMaximumInformationFieldLength = 128
    /// Default window size, 1.
    public static let defaultWindowSize = 1

    /// Parameter identifiers of the HDLC group (§1.8).
    public enum Identifier: UInt8, Hashable, Sendable, CaseIterable {
        /// `05`, maximum information field length – transmit.
        case maximumInformationFieldLengthTransmit = 0x05
        /// `06`, maximum information field length – receive.
        case maximumInformationFieldLengthReceive = 0x06
        /// `07`, window size – transmit.
        case windowSizeTransmit = 0x07
        /// `08`, window size – receive.
        case windowSizeReceive = 0x08
    }

    /// One TLV of the HDLC parameter group.
    public struct Parameter: Hashable, Sendable {
        /// The identifier byte (`05`…`08`, or another the decoder kept as found).
        public let identifier: UInt8
        /// The value bytes, big-endian (1, 2 or 4 bytes).
        public let value: ArraySlice<UInt8>

        /// A parameter with explicit value bytes.
        public init(identifier: UInt8, value: ArraySlice<UInt8>) {
            self.identifier = identifier
            self.value = value
        }

        /// A parameter holding `value` in `width` bytes, big-endian.
        public init(identifier: UInt8, value: UInt32, width: Int) {
            self.identifier = identifier
            let w = min(max(width, 1), 4)
            self.value = ArraySlice((0..<w).reversed().map { UInt8(truncatingIfNeeded: value >> (8 * UInt32($0))) })
        }

        /// The value as an integer.
        public var integer: UInt32 {
            value.reduce(0) { $0 << 8 | UInt32($1) }
        }
    }

    /// A group after the HDLC parameter group (e.g. the user group `F0` that JD skips), kept as found.
    public struct Group: Hashable, Sendable {
        /// The group identifier.
        public let identifier: UInt8
        /// The group's bytes after its length.
        public let value: ArraySlice<UInt8>

        /// A group with its content.
        public init(identifier: UInt8, value: ArraySlice<UInt8>) {
            self.identifier = identifier
            self.value = value
        }
    }

    /// The HDLC group's parameters, in wire order.
    public var parameters: [Parameter]
    /// Groups after the HDLC group, in wire order.
    public var otherGroups: [Group]

    /// A block with these parameters as found or built.
    public init(parameters: [Parameter], otherGroups: [Group] = []) {
        self.parameters = parameters
        self.otherGroups = otherGroups
    }

    /// A block with all four parameters, written as GX writes them: information field lengths
    /// in 1 byte below 256, else 2 (4 above 65535); window sizes in 4 bytes (§1.8).
    public init(maximumInformationFieldLengthTransmit: Int = defaultMaximumInformationFieldLength,
                maximumInformationFieldLengthReceive: Int = defaultMaximumInformationFieldLength,
                windowSizeTransmit: Int = defaultWindowSize,
                windowSizeReceive: Int = defaultWindowSize) {
        func lengthParameter(_ id: Identifier, _ value: Int) -> Parameter {
            let v = UInt32(clamping: max(0, value))
            let width = v < 0x100 ? 1 : (v < 0x10000 ? 2 : 4)
            return Parameter(identifier: id.rawValue, value: v, width: width)
        }
        self.parameters = [
            lengthParameter(.maximumInformationFieldLengthTransmit, maximumInformationFieldLengthTransmit),
            lengthParameter(.maximumInformationFieldLengthReceive, maximumInformationFieldLengthReceive),
            Parameter(identifier: Identifier.windowSizeTransmit.rawValue, value: UInt32(clamping: max(0, windowSizeTransmit)), width: 4),
            Parameter(identifier: Identifier.windowSizeReceive.rawValue, value: UInt32(clamping: max(0, windowSizeReceive)), width: 4),
        ]
        self.otherGroups = []
    }

    /// The value of the first parameter with `identifier`, or nil when absent.
    public func value(of identifier: Identifier) -> Int? {
        parameters.first(where: { $0.identifier == identifier.rawValue }).map { Int($0.integer) }
    }

    /// Maximum information field length – transmit (`05`), default 128.
    public var maximumInformationFieldLengthTransmit: Int {
        value(of: .maximumInformationFieldLengthTransmit) ?? Self.defaultMaximumInformationFieldLength
    }
    /// Maximum information field length – receive (`06`), default 128.
    public var maximumInformationFieldLengthReceive: Int {
        value(of: .maximumInformationFieldLengthReceive) ?? Self.defaultMaximumInformationFieldLength
    }
    /// Window size – transmit (`07`), default 1.
    public var windowSizeTransmit: Int { value(of: .windowSizeTransmit) ?? Self.defaultWindowSize }
    /// Window size – receive (`08`), default 1.
    public var windowSizeReceive: Int { value(of: .windowSizeReceive) ?? Self.defaultWindowSize }

    /// True when all four values equal the defaults; GX then sends SNRM without an information field.
    public var hasDefaultValues: Bool {
        maximumInformationFieldLengthTransmit == Self.defaultMaximumInformationFieldLength
            && maximumInformationFieldLengthReceive == Self.defaultMaximumInformationFieldLength
            && windowSizeTransmit == Self.defaultWindowSize && windowSizeReceive == Self.defaultWindowSize
    }

    /// The block's bytes; throws `.badLength` when a group or value exceeds 255 bytes.
    public func encoded() throws(DLMSError) -> [UInt8] {
        var tlvs: [UInt8] = []
        for p in parameters {
            guard p.value.count <= 0xFF else { throw DLMSError(.badLength, at: 0, "parameter value longer than 255 bytes") }
            tlvs += [p.identifier, UInt8(p.value.count)]
            tlvs += p.value
        }
        guard tlvs.count <= 0xFF else { throw DLMSError(.badLength, at: 2, "parameter group longer than 255 bytes") }
        var out: [UInt8] = [Self.formatIdentifier, Self.groupIdentifier, UInt8(tlvs.count)] + tlvs
        for g in otherGroups {
            guard g.value.count <= 0xFF else { throw DLMSError(.badLength, at: out.count + 1, "group longer than 255 bytes") }
            out += [g.identifier, UInt8(g.value.count)]
            out += g.value
        }
        return out
    }

    /// Decodes a parameter block filling `bytes` (an SNRM or UA information field).
    ///
    /// Value lengths other than 1, 2 or 4 are `.badLength` (GX `parseSnrmUaResponse` raises on
    /// them; WS accepts any — decided by GX, the stricter). Offsets count from the `81` byte.
    public static func decode(_ bytes: ArraySlice<UInt8>) throws(DLMSError) -> HDLCParameters {
        var cursor = ByteCursor(bytes)
        func offset() -> Int { cursor.relativeOffset }
        func byte(_ what: String) throws(DLMSError) -> UInt8 {
            do { return try cursor.readByte() } catch {
                throw DLMSError(.truncated, at: offset(), "parameter block ends before the \(what)")
            }
        }
        let format = try byte("format identifier")
        guard format == formatIdentifier else {
            throw DLMSError(.badFraming, at: 0, "format identifier 0x\(hdlcHex(format)), expected 81")
        }
        let group = try byte("group identifier")
        guard group == groupIdentifier else {
            throw DLMSError(.badFraming, at: 1, "group identifier 0x\(hdlcHex(group)), expected 80 (HDLC parameters)")
        }
        let groupLength = Int(try byte("group length"))
        guard groupLength <= cursor.remaining else {
            throw DLMSError(.badLength, at: 2, "group length \(groupLength) exceeds the \(cursor.remaining) bytes present")
        }
        let groupEnd = offset() + groupLength
        var parameters: [Parameter] = []
        while offset() < groupEnd {
            let at = offset()
            let id = try byte("parameter identifier")
            guard offset() < groupEnd else {
                throw DLMSError(.truncated, at: offset(), "parameter 0x\(hdlcHex(id)) has no length within the group")
            }
            let length = Int(try byte("parameter length"))
            guard length == 1 || length == 2 || length == 4 else {
                throw DLMSError(.badLength, at: at + 1, "parameter 0x\(hdlcHex(id)) value length \(length); 1, 2 or 4 expected")
            }
            guard offset() + length <= groupEnd, let value = try? cursor.readBytes(length) else {
                throw DLMSError(.badLength, at: at + 1, "parameter 0x\(hdlcHex(id)) runs past the end of its group")
            }
            parameters.append(Parameter(identifier: id, value: value))
        }
        var groups: [Group] = []
        while !cursor.isAtEnd {
            let at = offset()
            let id = try byte("group identifier")
            let length = Int(try byte("group length"))
            guard let value = try? cursor.readBytes(length) else {
                throw DLMSError(.badLength, at: at + 1, "group 0x\(hdlcHex(id)) length \(length) exceeds the bytes present")
            }
            groups.append(Group(identifier: id, value: value))
        }
        return HDLCParameters(parameters: parameters, otherGroups: groups)
    }

    /// Decodes a parameter block filling `bytes`.
    public static func decode(_ bytes: [UInt8]) throws(DLMSError) -> HDLCParameters {
        try decode(bytes[...])
    }
}

extension HDLCParameters: JSONRepresentable {
    /// `max_info_field_length_tx`, `max_info_field_length_rx`, `window_size_tx`, `window_size_rx`
    /// (defaults filled in), and `defaulted`: the names of those absent from the block.
    public var json: JSONValue {
        let names: [(String, Identifier, Int)] = [
            ("max_info_field_length_tx", .maximumInformationFieldLengthTransmit, maximumInformationFieldLengthTransmit),
            ("max_info_field_length_rx", .maximumInformationFieldLengthReceive, maximumInformationFieldLengthReceive),
            ("window_size_tx", .windowSizeTransmit, windowSizeTransmit),
            ("window_size_rx", .windowSizeReceive, windowSizeReceive),
        ]
        var members: [(String, JSONValue)] = names.map { ($0.0, .int(Int64($0.2))) }
        members.append(("defaulted", .array(names.filter { value(of: $0.1) == nil }.map { .string($0.0) })))
        return .object(members)
    }
}

@inline(__always)
func hdlcHex(_ byte: UInt8) -> String { HexText.format(CollectionOfOne(byte)) }
