extension COSEMData {
    /// Decodes one value from the start of `bytes`: tag ‖ content.
    ///
    /// Returns the value and how many bytes it took; bytes after it are left alone. Throws
    /// ``DLMSError`` (offset from the first byte of `bytes`) for unknown tags, lengths or counts the
    /// input cannot hold, non-minimal lengths, nesting deeper than ``maximumDepth``, and truncation.
    public static func decode(_ bytes: ArraySlice<UInt8>) throws(DLMSError) -> (value: COSEMData, consumed: Int) {
        var r = AXDRReader(bytes)
        let value = try decode(from: &r, depth: 0)
        return (value, r.offset)
    }

    /// Decodes one value from the start of `bytes`.
    public static func decode(_ bytes: [UInt8]) throws(DLMSError) -> (value: COSEMData, consumed: Int) {
        try decode(bytes[...])
    }

    /// Decodes exactly one value; bytes after it are ``DLMSError/Code/trailingBytes``.
    public init(decodingExactly bytes: ArraySlice<UInt8>) throws(DLMSError) {
        var r = AXDRReader(bytes)
        self = try Self.decode(from: &r, depth: 0)
        try r.expectEnd("data value")
    }

    /// Decodes one tagged value from a reader (for APDU decoders that carry Data inside).
    public static func decode(from r: inout AXDRReader) throws(DLMSError) -> COSEMData {
        try decode(from: &r, depth: 0)
    }

    static func decode(from r: inout AXDRReader, depth: Int) throws(DLMSError) -> COSEMData {
        let start = r.offset
        let tag = try r.readByte("data tag")
        guard let type = COSEMDataType(rawValue: tag) else {
            throw DLMSError(.unknownTag, at: start, "data tag \(tag) is not a COSEM data type")
        }
        switch type {
        case .array, .structure:
            guard depth < maximumDepth else {
                throw DLMSError(.tooDeep, at: start, "data nested deeper than \(maximumDepth)")
            }
            let count = try r.readCount("\(type.name) element count")
            var items: [COSEMData] = []
            items.reserveCapacity(count)  // ≤ bytes left: readCount checked it
            for _ in 0..<count { items.append(try decode(from: &r, depth: depth + 1)) }
            return type == .array ? .array(items) : .structure(items)
        case .compactArray:
            guard depth < maximumDepth else {
                throw DLMSError(.tooDeep, at: start, "data nested deeper than \(maximumDepth)")
            }
            return .compactArray(try decodeCompactArray(&r, depth: depth + 1))
        default:
            return try decodeContent(of: type, from: &r)
        }
    }

    /// The content of a non-container type (no tag).
    static func decodeContent(of type: COSEMDataType, from r: inout AXDRReader) throws(DLMSError) -> COSEMData {
        switch type {
        case .nullData: return .nullData
        case .dontCare: return .dontCare
        case .boolean: return .boolean(try r.readByte("boolean"))
        case .bitString: return .bitString(try r.readBitString())
        case .doubleLong: return .doubleLong(try r.readInt32())
        case .doubleLongUnsigned: return .doubleLongUnsigned(try r.readUInt32())
        case .octetString: return .octetString(Array(try r.readOctetString()))
        case .visibleString: return .visibleString(Array(try r.readOctetString("visible-string")))
        case .utf8String: return .utf8String(Array(try r.readOctetString("utf8-string")))
        case .bcd: return .bcd(try r.readByte("bcd"))
        case .integer: return .integer(try r.readInt8())
        case .long: return .long(try r.readInt16())
        case .unsigned: return .unsigned(try r.readUInt8())
        case .longUnsigned: return .longUnsigned(try r.readUInt16())
        case .long64: return .long64(try r.readInt64())
        case .long64Unsigned: return .long64Unsigned(try r.readUInt64())
        case .enum: return .enumerated(try r.readByte("enum"))
        case .float32: return .float32(bitPattern: try r.readUInt32())
        case .float64: return .float64(bitPattern: try r.readUInt64())
        case .dateTime:
            let start = r.offset
            let b = try r.readBytes(12, "date-time")
            do { return .dateTime(try COSEMDateTime(bytes: b)) } catch { throw error.shifted(by: start) }
        case .date:
            let start = r.offset
            let b = try r.readBytes(5, "date")
            do { return .date(try COSEMDate(bytes: b)) } catch { throw error.shifted(by: start) }
        case .time:
            let start = r.offset
            let b = try r.readBytes(4, "time")
            do { return .time(try COSEMTime(bytes: b)) } catch { throw error.shifted(by: start) }
        case .array, .structure, .compactArray:
            throw DLMSError(.unsupported, at: r.offset, "\(type.name) has no simple content")
        }
    }

    static func decodeCompactArray(_ r: inout AXDRReader, depth: Int) throws(DLMSError) -> CompactArray {
        let descriptionStart = r.offset
        let description = try TypeDescription.decode(&r, depth: depth)
        guard !description.hasEmptyPart else {
            throw DLMSError(.invalidValue, at: descriptionStart,
                            "compact-array contents-description has a part that occupies no bytes")
        }
        let lengthStart = r.offset
        let length = try r.readLength("compact-array contents length")
        guard length <= r.remaining else {
            throw DLMSError(.truncated, at: lengthStart, "compact-array contents claim \(length) byte(s), \(r.remaining) left")
        }
        let contentStart = r.offset
        var content = AXDRReader(try r.readBytes(length, "compact-array contents"))
        var elements: [COSEMData] = []
        do {
            while !content.isAtEnd {
                elements.append(try decodeUntagged(description, from: &content, depth: depth))
            }
        } catch {
            throw error.shifted(by: contentStart)
        }
        return CompactArray(unchecked: description, elements: elements)
    }

    /// A value without its tag, as laid out in compact-array contents.
    static func decodeUntagged(_ d: TypeDescription, from r: inout AXDRReader, depth: Int) throws(DLMSError) -> COSEMData {
        switch d {
        case let .simple(t):
            return try decodeContent(of: t, from: &r)
        case let .array(count, element):
            guard depth < maximumDepth else { throw DLMSError(.tooDeep, at: r.offset, "compact-array value nested too deep") }
            var items: [COSEMData] = []
            // Every part occupies at least one byte (hasEmptyPart was refused), so the loop ends with the bytes.
            for _ in 0..<Int(count) { items.append(try decodeUntagged(element, from: &r, depth: depth + 1)) }
            return .array(items)
        case let .structure(members):
            guard depth < maximumDepth else { throw DLMSError(.tooDeep, at: r.offset, "compact-array value nested too deep") }
            var items: [COSEMData] = []
            for m in members { items.append(try decodeUntagged(m, from: &r, depth: depth + 1)) }
            return .structure(items)
        }
    }

    // MARK: Encoding

    /// The A-XDR encoding: tag ‖ content.
    public func encoded() -> [UInt8] {
        var w = AXDRWriter()
        encode(into: &w)
        return w.bytes
    }

    /// Appends the encoding to a writer (for APDU encoders that carry Data inside).
    public func encode(into w: inout AXDRWriter) {
        w.append(type.rawValue)
        switch self {
        case let .array(items), let .structure(items):
            w.appendLength(items.count)
            for item in items { item.encode(into: &w) }
        case let .compactArray(c):
            c.contentsDescription.encode(into: &w)
            var content = AXDRWriter()
            for e in c.elements { e.encodeContent(into: &content) }
            w.appendLength(content.bytes.count)
            w.append(contentsOf: content.bytes)
        default:
            encodeContent(into: &w)
        }
    }

    /// The content without a tag; containers lay out their elements untagged (compact-array contents).
    func encodeContent(into w: inout AXDRWriter) {
        switch self {
        case .nullData, .dontCare: break
        case let .array(items), let .structure(items):
            for item in items { item.encodeContent(into: &w) }
        case let .compactArray(c):  // not reachable from a valid description; kept total
            w.append(contentsOf: COSEMData.compactArray(c).encoded())
        case let .boolean(b), let .bcd(b), let .unsigned(b), let .enumerated(b): w.append(b)
        case let .bitString(s): w.appendBitString(s)
        case let .doubleLong(v): w.appendInt32(v)
        case let .doubleLongUnsigned(v): w.appendUInt32(v)
        case let .octetString(b), let .visibleString(b), let .utf8String(b): w.appendOctetString(b)
        case let .integer(v): w.appendInt8(v)
        case let .long(v): w.appendInt16(v)
        case let .longUnsigned(v): w.appendUInt16(v)
        case let .long64(v): w.appendInt64(v)
        case let .long64Unsigned(v): w.appendUInt64(v)
        case let .float32(bits): w.appendUInt32(bits)
        case let .float64(bits): w.appendUInt64(bits)
        case let .dateTime(dt): w.append(contentsOf: dt.encoded)
        case let .date(d): w.append(contentsOf: d.encoded)
        case let .time(t): w.append(contentsOf: t.encoded)
        }
    }
}
