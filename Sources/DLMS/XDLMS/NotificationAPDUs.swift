import CodecSupport

/// EVENT-NOTIFICATION-Request (`C2`): time OPTIONAL ‖ attribute-descriptor ‖ attribute-value — fact sheet §5.10.
public struct EventNotificationRequest: Sendable, Hashable {
    /// How the optional time was written.
    public enum TimeEncoding: String, Sendable, Hashable {
        /// `00`: no time.
        case absent
        /// `01` ‖ 12 bytes: A-XDR OPTIONAL of OCTET STRING (SIZE(12)) (JD/WS ASN.1).
        case optionalFlag = "optional-flag"
        /// `09 0C` ‖ 12 bytes: a tagged octet-string, as GX writes it.
        case taggedOctetString = "tagged-octet-string"
    }

    /// The 12-byte date-time, when present.
    public var time: [UInt8]?
    /// The form the time was (or will be) written in; ignored when ``time`` is nil.
    public var timeEncoding: TimeEncoding
    /// The attribute whose value is reported.
    public var attributeDescriptor: CosemAttributeDescriptor
    /// Its value.
    public var attributeValue: COSEMData

    /// Creates a notification.
    public init(time: [UInt8]? = nil, timeEncoding: TimeEncoding = .optionalFlag,
                attributeDescriptor: CosemAttributeDescriptor, attributeValue: COSEMData) {
        self.time = time
        self.timeEncoding = time == nil ? .absent : timeEncoding
        self.attributeDescriptor = attributeDescriptor
        self.attributeValue = attributeValue
    }

    static func decode(from r: inout AXDRReader) throws(DLMSError) -> EventNotificationRequest {
        let start = r.offset
        var time: [UInt8]?
        var form = TimeEncoding.absent
        switch try r.readByte("time flag") {
        case 0x00: break
        case 0x01:
            time = Array(try r.readBytes(12, "time"))
            form = .optionalFlag
        case 0x09:
            let lengthStart = r.offset
            let length = try r.readByte("time length")
            guard length == 12 else { throw DLMSError(.badLength, at: lengthStart, "time octet-string of \(length) bytes, expected 12") }
            time = Array(try r.readBytes(12, "time"))
            form = .taggedOctetString
        case let b:
            throw DLMSError(.invalidValue, at: start, "time: 0x\(axdrHex(b)) is not 00 (absent), 01 or 09 0C (present)")
        }
        let d = try CosemAttributeDescriptor.decode(from: &r)
        var n = EventNotificationRequest(time: time, attributeDescriptor: d, attributeValue: try COSEMData.decode(from: &r))
        n.timeEncoding = form
        return n
    }

    func encode(into w: inout AXDRWriter) {
        if let time {
            if timeEncoding == .taggedOctetString { w.append(contentsOf: [0x09, 0x0C]) } else { w.append(0x01) }
            w.append(contentsOf: time.prefix(12))
            if time.count < 12 { w.append(contentsOf: [UInt8](repeating: 0xFF, count: 12 - time.count)) }
        } else {
            w.append(0x00)
        }
        attributeDescriptor.encode(into: &w)
        attributeValue.encode(into: &w)
    }

    var jsonMembers: [(String, JSONValue)] {
        var m: [(String, JSONValue)] = []
        if let time {
            m.append(("time", dateTimeJSON(time)))
            m.append(("time_encoding", .string(timeEncoding.rawValue)))
        }
        m += attributeDescriptor.jsonMembers
        m.append(("data", attributeValue.json))
        return m
    }
}

/// DataNotification (`0F`): long-invoke-id-and-priority ‖ date-time ‖ notification-body — fact sheet §5.10.
public struct DataNotification: Sendable, Hashable {
    /// The four-byte long-invoke-id-and-priority.
    public var longInvokeIDAndPriority: LongInvokeIDAndPriority
    /// The date-time octet-string: empty when absent, normally 12 bytes.
    // Read as an A-XDR OCTET STRING (length ‖ bytes: `00` or `0C` + 12) per GX and the ASN.1 type; U9's
    // `01` presence flag would read as a 1-byte string and is not followed.
    public var dateTime: [UInt8]
    /// The notification body (one Data value).
    public var notificationBody: COSEMData

    /// Creates a notification.
    public init(longInvokeIDAndPriority: LongInvokeIDAndPriority, dateTime: [UInt8] = [], notificationBody: COSEMData) {
        self.longInvokeIDAndPriority = longInvokeIDAndPriority
        self.dateTime = dateTime
        self.notificationBody = notificationBody
    }

    /// The date-time decoded, when it is 12 bytes.
    public var cosemDateTime: COSEMDateTime? {
        dateTime.count == 12 ? try? COSEMDateTime(bytes: dateTime[...]) : nil
    }

    static func decode(from r: inout AXDRReader) throws(DLMSError) -> DataNotification {
        let invoke = LongInvokeIDAndPriority(rawValue: try r.readUInt32())
        let dt = Array(try r.readOctetString("date-time"))
        return DataNotification(longInvokeIDAndPriority: invoke, dateTime: dt, notificationBody: try COSEMData.decode(from: &r))
    }

    func encode(into w: inout AXDRWriter) {
        w.appendUInt32(longInvokeIDAndPriority.rawValue)
        w.appendOctetString(dateTime)
        notificationBody.encode(into: &w)
    }

    var jsonMembers: [(String, JSONValue)] {
        var m = longInvokeIDAndPriority.jsonMembers
        if !dateTime.isEmpty { m.append(("date_time", dateTimeJSON(dateTime))) }
        m.append(("data", notificationBody.json))
        return m
    }
}

/// `{"hex": …, "iso8601": …}` for a date-time octet string (`iso8601` when it is a valid, specified date-time).
func dateTimeJSON(_ bytes: [UInt8]) -> JSONValue {
    var m: [(String, JSONValue)] = [("hex", .string(HexText.format(bytes, separator: "")))]
    if bytes.count == 12, let dt = try? COSEMDateTime(bytes: bytes[...]), let iso = dt.iso8601 {
        m.append(("iso8601", .string(iso)))
    }
    return .object(m)
}
