import CodecSupport

/// An OBIS code, the logical name of a COSEM object: six value groups A–F (IEC 62056-6-1; fact sheet §8.1).
///
/// On the wire it is an octet-string of 6 bytes; as text `A-B:C.D.E*F` (also read: `A-B:C.D.E`,
/// `A-B:C.D.E.F` and the dotted `A.B.C.D.E.F`).
public struct OBISCode: Sendable, Hashable, Comparable, CustomStringConvertible, LosslessStringConvertible {
    /// A: medium (0 abstract, 1 electricity, 7 gas, …).
    public var a: UInt8
    /// B: channel.
    public var b: UInt8
    /// C: abstract or physical data item.
    public var c: UInt8
    /// D: type or result of processing.
    public var d: UInt8
    /// E: further processing (for energy: tariff, 0 = total).
    public var e: UInt8
    /// F: historical value / billing period; 255 = current or not used.
    public var f: UInt8

    /// A code from its six groups.
    public init(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8, _ e: UInt8, _ f: UInt8 = 255) {
        self.a = a; self.b = b; self.c = c; self.d = d; self.e = e; self.f = f
    }

    /// The six bytes A…F; anything but exactly 6 bytes is ``DLMSError/Code/badLength``.
    public init(bytes: some Collection<UInt8>) throws(DLMSError) {
        guard bytes.count == 6 else {
            throw DLMSError(.badLength, at: 0, "an OBIS code is 6 bytes, got \(bytes.count)")
        }
        let v = Array(bytes)
        self.init(v[0], v[1], v[2], v[3], v[4], v[5])
    }

    /// The logical name carried as `Data`: an octet-string of 6 bytes.
    public init(data: COSEMData) throws(DLMSError) {
        guard case let .octetString(b) = data else {
            throw DLMSError(.invalidValue, at: 0, "a logical name is an octet-string, got \(data.type.name)")
        }
        try self.init(bytes: b)
    }

    /// Parses text; the error offset is the character where parsing failed.
    public init(parsing text: String) throws(DLMSError) {
        let chars = Array(text.utf8)
        var i = 0
        var groups: [UInt8] = []
        var separators: [UInt8] = []
        while true {
            let start = i
            var value = 0
            while i < chars.count, chars[i] >= 0x30, chars[i] <= 0x39 {
                value = value * 10 + Int(chars[i] - 0x30)
                guard value <= 255 else {
                    throw DLMSError(.invalidValue, at: start, "OBIS value group \(groups.count + 1) exceeds 255")
                }
                i += 1
            }
            guard i > start else {
                throw DLMSError(.invalidValue, at: i, "expected a decimal value group (0…255)")
            }
            groups.append(UInt8(value))
            guard i < chars.count else { break }
            guard groups.count < 6 else {
                throw DLMSError(.trailingBytes, at: i, "text after the sixth value group")
            }
            separators.append(chars[i])
            i += 1
        }
        let s = String(decoding: separators, as: UTF8.self)
        switch (groups.count, s) {
        case (6, "-:..*"), (6, "-:..."), (6, "....."):
            self.init(groups[0], groups[1], groups[2], groups[3], groups[4], groups[5])
        case (5, "-:.."):
            self.init(groups[0], groups[1], groups[2], groups[3], groups[4], 255)
        default:
            throw DLMSError(.invalidValue, at: 0,
                            "'\(text)' is not A-B:C.D.E*F, A-B:C.D.E or A.B.C.D.E.F")
        }
    }

    /// Parses text, nil when it is not an OBIS code.
    public init?(_ description: String) {
        guard let code = try? OBISCode(parsing: description) else { return nil }
        self = code
    }

    /// The six bytes.
    public var bytes: [UInt8] { [a, b, c, d, e, f] }

    /// The logical name as `Data` (octet-string of 6 bytes).
    public var data: COSEMData { .octetString(bytes) }

    /// `A-B:C.D.E*F`.
    public var description: String { "\(a)-\(b):\(c).\(d).\(e)*\(f)" }

    /// `A.B.C.D.E.F` (the form of GX `OBISCodes.txt` and the fact sheet tables).
    public var dotted: String { "\(a).\(b).\(c).\(d).\(e).\(f)" }

    /// Orders by the six bytes.
    public static func < (l: OBISCode, r: OBISCode) -> Bool { l.bytes.lexicographicallyPrecedes(r.bytes) }

    /// Manufacturer-specific by GX `OBISCodes.txt`: A=0 with B 128–199, or C 128–199 or 240,
    /// or D, E or F 128–254.
    public var isManufacturerSpecific: Bool {
        (a == 0 && (128...199).contains(b)) || (128...199).contains(c) || c == 240
            || (128...254).contains(d) || (128...254).contains(e) || (128...254).contains(f)
    }

    /// The medium of group A (fact sheet §8.1). 5 and 6 follow AP (cooling, heat); RI calls both thermal energy.
    public var medium: String? {
        switch a {
        case 0: "abstract"
        case 1: "electricity"
        case 4: "heat cost allocator"
        case 5: "cooling"
        case 6: "heat"
        case 7: "gas"
        case 8: "cold water"
        case 9: "hot water"
        case 15: "other media"
        default: nil
        }
    }

    /// The entry of the well-known table matching this code, if any.
    public var wellKnown: WellKnownOBIS? { WellKnownOBIS.table.first { $0.matches(self) } }

    /// The name of a well-known object (`Clock`, `COSEM logical device name`, …), or nil.
    public var wellKnownName: String? { wellKnown?.name }

    /// Clock, 0-0:1.0.0*255 (IC 8).
    public static let clock = OBISCode(0, 0, 1, 0, 0)
    /// Current association, 0-0:40.0.0*255 (IC 15 LN / 12 SN).
    public static let currentAssociation = OBISCode(0, 0, 40, 0, 0)
    /// SAP assignment, 0-0:41.0.0*255 (IC 17).
    public static let sapAssignment = OBISCode(0, 0, 41, 0, 0)
    /// COSEM logical device name, 0-0:42.0.0*255 (IC 1).
    public static let logicalDeviceName = OBISCode(0, 0, 42, 0, 0)
    /// IEC HDLC setup, 0-0:22.0.0*255 (IC 23).
    public static let hdlcSetup = OBISCode(0, 0, 22, 0, 0)
    /// Active energy import (+A) total, 1-0:1.8.0*255 (IC 3).
    public static let activeEnergyImport = OBISCode(1, 0, 1, 8, 0)
    /// Active energy export (−A) total, 1-0:2.8.0*255 (IC 3).
    public static let activeEnergyExport = OBISCode(1, 0, 2, 8, 0)
}

/// A row of the well-known OBIS table (fact sheet §8.2): value-group ranges, a name and interface classes.
public struct WellKnownOBIS: Sendable, Hashable {
    /// Accepted values per group A…F.
    public let groups: [ClosedRange<UInt8>]
    /// The object's name.
    public let name: String
    /// Interface classes the sources list for it.
    public let classIDs: [UInt16]

    init(_ a: ClosedRange<UInt8>, _ b: ClosedRange<UInt8>, _ c: UInt8, _ d: UInt8, _ e: ClosedRange<UInt8>,
         _ name: String, _ classIDs: [UInt16]) {
        groups = [a, b, c...c, d...d, e, 255...255]
        self.name = name
        self.classIDs = classIDs
    }

    /// True when every group of `code` is in range.
    public func matches(_ code: OBISCode) -> Bool {
        zip(groups, code.bytes).allSatisfy { $0.contains($1) }
    }

    /// The table; the first match wins, so exact rows precede ranges.
    public static let table: [WellKnownOBIS] = [
        .init(0...0, 0...0, 1, 0, 0...0, "Clock", [8]),
        .init(0...0, 0...0, 40, 0, 0...0, "Current association", [15, 12]),
        .init(0...0, 0...0, 40, 0, 1...255, "Association", [15, 12]),
        .init(0...0, 0...0, 41, 0, 0...0, "SAP assignment", [17]),
        .init(0...0, 0...0, 42, 0, 0...0, "COSEM logical device name", [1, 3]),
        .init(0...0, 0...0, 43, 0, 0...255, "Security setup", [64]),
        .init(0...0, 0...0, 43, 1, 0...255, "Invocation counter", [1, 3, 4]),
        .init(0...0, 0...0, 25, 0, 0...0, "TCP-UDP setup", [41]),
        .init(0...0, 0...0, 25, 1, 0...0, "IPv4 setup", [42]),
        .init(0...0, 0...0, 25, 9, 0...0, "Push setup", [40]),
        .init(0...0, 0...0, 22, 0, 0...0, "IEC HDLC setup", [23]),
        .init(0...0, 0...0, 20, 0, 0...0, "IEC optical port setup", [19]),  // GX only (UNCONFIRMED)
        .init(0...0, 0...0, 20, 0, 1...1, "IEC electrical port setup", [19]),  // GX only (UNCONFIRMED)
        .init(0...0, 0...0, 13, 0, 0...255, "Activity calendar", [20]),
        .init(0...0, 0...0, 11, 0, 0...255, "Special days table", [11]),
        .init(0...0, 0...0, 10, 0, 106...106, "Disconnect script table", [9]),
        .init(0...0, 0...0, 10, 0, 108...108, "Push script table", [9]),
        .init(0...0, 0...0, 10, 0, 109...109, "Load profile control script table", [9]),  // GX only
        .init(0...0, 0...0, 15, 0, 1...1, "Single action schedule for disconnect control", [22]),
        .init(0...0, 0...0, 15, 0, 4...4, "Single action schedule for push", [22]),
        .init(0...0, 0...0, 17, 0, 0...255, "Limiter", [71]),
        .init(0...0, 0...0, 96, 3, 10...10, "Disconnect control", [70]),
        .init(0...0, 0...0, 96, 1, 0...0, "Device ID 1, manufacturing number", [1, 3, 4]),
        .init(0...0, 0...0, 99, 98, 0...255, "Event log", [7]),
        .init(1...1, 0...0, 1, 8, 0...0, "Active energy import (+A), total", [3]),
        .init(1...1, 0...0, 1, 8, 1...63, "Active energy import (+A), tariff", [3]),  // GX only (UNCONFIRMED)
        .init(1...1, 0...0, 2, 8, 0...0, "Active energy export (-A), total", [3]),
        .init(1...1, 0...0, 1, 7, 0...0, "Active power import (+P), instantaneous", [3]),
        .init(1...1, 0...0, 31, 7, 0...0, "Current L1", [3]),
        .init(1...1, 0...0, 51, 7, 0...0, "Current L2", [3]),
        .init(1...1, 0...0, 71, 7, 0...0, "Current L3", [3]),
        .init(1...1, 0...0, 32, 7, 0...0, "Voltage L1", [3]),
        .init(1...1, 0...0, 52, 7, 0...0, "Voltage L2", [3]),
        .init(1...1, 0...0, 72, 7, 0...0, "Voltage L3", [3]),
        .init(1...1, 0...0, 13, 7, 0...0, "Power factor", [3]),
        .init(1...1, 0...0, 14, 7, 0...0, "Supply frequency", [3]),
        .init(1...1, 0...0, 99, 1, 0...0, "Load profile with recording period 1", [7]),
        .init(1...1, 0...0, 99, 2, 0...0, "Load profile with recording period 2", [7]),  // GX only
    ]
}

extension OBISCode: JSONRepresentable {
    /// `{"obis": "0-0:1.0.0*255", "name": "Clock"}` (`name` only when well known).
    public var json: JSONValue {
        var m: [(String, JSONValue)] = [("obis", .string(description))]
        if let name = wellKnownName { m.append(("name", .string(name))) }
        return .object(m)
    }
}
