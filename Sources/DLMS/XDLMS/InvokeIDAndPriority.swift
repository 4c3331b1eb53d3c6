import CodecSupport

/// Service-class bit of an invoke-id-and-priority — Green Book 9.3 (fact sheet §5.6).
public enum XDLMSServiceClass: String, Sendable, Hashable {
    /// Bit clear: the sender expects no response.
    case unconfirmed
    /// Bit set: the sender expects a response.
    case confirmed
}

/// Priority bit of an invoke-id-and-priority — Green Book 9.3 (fact sheet §5.6).
public enum XDLMSPriority: String, Sendable, Hashable {
    /// Bit clear: served in the order received.
    case normal
    /// Bit set: served before normal-priority requests.
    case high
}

/// Invoke-Id-And-Priority (one byte): bits 0–3 invoke-id, 4–5 reserved, 6 service-class, 7 priority.
public struct InvokeIDAndPriority: RawRepresentable, Sendable, Hashable {
    /// The byte on the wire (reserved bits kept, so it re-encodes exactly).
    public let rawValue: UInt8

    /// Wraps a byte as received.
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// Builds the byte from its fields; `invokeID` is masked to 4 bits.
    public init(invokeID: UInt8, serviceClass: XDLMSServiceClass = .confirmed, priority: XDLMSPriority = .high) {
        rawValue = (invokeID & 0x0F) | (serviceClass == .confirmed ? 0x40 : 0) | (priority == .high ? 0x80 : 0)
    }

    /// Bits 0–3.
    public var invokeID: UInt8 { rawValue & 0x0F }
    /// Bits 4–5 (reserved, normally 0).
    public var reservedBits: UInt8 { (rawValue >> 4) & 0x03 }
    /// Bit 6.
    public var serviceClass: XDLMSServiceClass { rawValue & 0x40 != 0 ? .confirmed : .unconfirmed }
    /// Bit 7.
    public var priority: XDLMSPriority { rawValue & 0x80 != 0 ? .high : .normal }

    /// `invoke_id_and_priority`, `invoke_id`, `service_class`, `priority` (and `reserved` when non-zero).
    var jsonMembers: [(String, JSONValue)] {
        var m: [(String, JSONValue)] = [
            ("invoke_id_and_priority", .uint(UInt64(rawValue))),
            ("invoke_id", .uint(UInt64(invokeID))),
            ("service_class", .string(serviceClass.rawValue)),
            ("priority", .string(priority.rawValue)),
        ]
        if reservedBits != 0 { m.append(("reserved", .uint(UInt64(reservedBits)))) }
        return m
    }
}

/// Long-Invoke-Id-And-Priority (four bytes, DataNotification): bits 0–23 long-invoke-id,
/// 24–27 reserved, 28 self-descriptive, 29 processing-option, 30 service-class, 31 priority.
public struct LongInvokeIDAndPriority: RawRepresentable, Sendable, Hashable {
    /// Processing option, bit 29.
    public enum ProcessingOption: String, Sendable, Hashable {
        /// Bit clear.
        case continueOnError = "continue-on-error"
        /// Bit set.
        case breakOnError = "break-on-error"
    }

    /// The four bytes as a big-endian integer.
    public let rawValue: UInt32

    /// Wraps the value as received.
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// Bits 0–23.
    public var longInvokeID: UInt32 { rawValue & 0x00FF_FFFF }
    /// Bits 24–27 (reserved).
    public var reservedBits: UInt8 { UInt8((rawValue >> 24) & 0x0F) }
    /// Bit 28: the notification body is self-descriptive.
    public var selfDescriptive: Bool { rawValue & 0x1000_0000 != 0 }
    /// Bit 29.
    public var processingOption: ProcessingOption { rawValue & 0x2000_0000 != 0 ? .breakOnError : .continueOnError }
    /// Bit 30.
    public var serviceClass: XDLMSServiceClass { rawValue & 0x4000_0000 != 0 ? .confirmed : .unconfirmed }
    /// Bit 31.
    public var priority: XDLMSPriority { rawValue & 0x8000_0000 != 0 ? .high : .normal }

    var jsonMembers: [(String, JSONValue)] {
        var m: [(String, JSONValue)] = [
            ("long_invoke_id_and_priority", .uint(UInt64(rawValue))),
            ("invoke_id", .uint(UInt64(longInvokeID))),
            ("self_descriptive", .bool(selfDescriptive)),
            ("processing_option", .string(processingOption.rawValue)),
            ("service_class", .string(serviceClass.rawValue)),
            ("priority", .string(priority.rawValue)),
        ]
        if reservedBits != 0 { m.append(("reserved", .uint(UInt64(reservedBits)))) }
        return m
    }
}
