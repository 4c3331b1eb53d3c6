import CodecSupport
import MeterBus

/// Application-layer rules over decoded RSP_UD telegrams (EN 13757-3), named in suites by
/// `check_telegram: {rule: …}`. Each returns the problems found; none means the rule holds.
public enum TelegramCheck: String, Sendable, CaseIterable {
    /// Every record decodes to a value: no invalid BCD digit, invalid date, non-finite real,
    /// reserved VIF/VIFE code (fact sheet §3.2, §3.7, §4, §5).
    case recordsDecodable = "records_decodable"
    /// Every record names a quantity, and quantities with a unit carry one (fact sheet §4, §5).
    case unitsValid = "units_valid"
    /// Every date and date/time record holds a valid calendar value (fact sheet §6).
    case datesValid = "dates_valid"
    /// Storage numbers go back in time: a date at storage n+1 is not later than at storage n, and a
    /// cumulative counter (energy, volume, mass) at a higher storage number is not larger (EN 13757-3
    /// storage number semantics, fact sheet §3.3).
    case storageMonotone = "storage_monotone"
    /// The long header's id, manufacturer, version and medium match `secondary_address`
    /// (F nibbles are wildcards) (fact sheet §1.8, §2.1).
    case headerMatchesAddress = "header_matches_address"
    /// The access number is the `previous` telegram's plus one, modulo 256 (fact sheet §2.1).
    case accessNumberIncremented = "access_number_incremented"
    /// The telegram is byte for byte the `previous` one (a repeated RSP_UD, fact sheet §1.5).
    case sameTelegram = "same_telegram"
    /// The telegram differs from the `previous` one (fresh data, fact sheet §1.5).
    case differentTelegram = "different_telegram"
    /// The records have the same DIF/VIF layout as the `previous` telegram's (the same part of a read-out).
    case sameRecordLayout = "same_record_layout"

    /// One sentence for `meterproof list steps`.
    public var summary: String {
        switch self {
        case .recordsDecodable: "every record decodes to a value (no invalid BCD, date or reserved code)"
        case .unitsValid: "every record names a quantity and, where one applies, a unit"
        case .datesValid: "every date and date/time record is a valid calendar value"
        case .storageMonotone: "higher storage numbers are older: dates not later, counters not larger"
        case .headerMatchesAddress: "the header matches `secondary_address` (F = any)"
        case .accessNumberIncremented: "the access number is `previous`'s plus one"
        case .sameTelegram: "the telegram repeats `previous` byte for byte"
        case .differentTelegram: "the telegram differs from `previous`"
        case .sameRecordLayout: "the records have `previous`'s DIF/VIF layout"
        }
    }

    /// Whether the rule compares with a saved `previous` telegram.
    public var needsPrevious: Bool {
        switch self {
        case .accessNumberIncremented, .sameTelegram, .differentTelegram, .sameRecordLayout: true
        default: false
        }
    }

    /// The problems `telegram` has under this rule (empty when it holds).
    public func problems(_ telegram: Telegram, previous: Telegram? = nil, secondaryAddress: SecondaryAddress? = nil) -> [String] {
        switch self {
        case .recordsDecodable: return Self.decodabilityProblems(telegram)
        case .unitsValid: return Self.unitProblems(telegram.records)
        case .datesValid: return Self.dateProblems(telegram.records)
        case .storageMonotone: return Self.storageProblems(telegram.records)
        case .headerMatchesAddress: return Self.headerProblems(telegram, secondaryAddress)
        case .accessNumberIncremented: return Self.accessNumberProblems(telegram, previous)
        case .sameTelegram: return Self.repeatProblems(telegram, previous)
        case .differentTelegram: return Self.freshnessProblems(telegram, previous)
        case .sameRecordLayout: return Self.layoutProblems(telegram, previous)
        }
    }

    static func decodabilityProblems(_ telegram: Telegram) -> [String] {
        var isFixed = false
        if case .fixedData? = telegram.userData { isFixed = true }
        guard telegram.variableData != nil || isFixed else { return ["the telegram carries no variable data structure"] }
        var problems: [String] = []
        for (index, record) in telegram.records.enumerated() {
            if let problem = record.valueProblem {
                problems.append("records[\(index)] (offset \(record.offset)): \(problem)")
            } else if !record.meaning.reservedCodes.isEmpty {
                problems.append("records[\(index)] (offset \(record.offset)): reserved code(s) \(record.meaning.reservedCodes.joined(separator: ", "))")
            }
        }
        return problems
    }

    static func unitProblems(_ records: [DataRecord]) -> [String] {
        var problems: [String] = []
        for (index, record) in records.enumerated() {
            let meaning = record.meaning
            if meaning.isManufacturerSpecific || record.vib.plainText != nil { continue }
            let at = "records[\(index)] (offset \(record.offset))"
            if meaning.quantity.isEmpty {
                problems.append("\(at): VIF \(hex(record.vib.bytes)) names no quantity")
            } else if meaning.kind == .quantity, meaning.unit.isEmpty, !dimensionless.contains(meaning.quantity) {
                problems.append("\(at): \(meaning.quantity) has no unit")
            } else if meaning.kind == .date, record.dib.coding != .int16 {
                problems.append("\(at): a date (VIF 6C) must be type G, 16 bits; data field is \(record.dib.coding.name)")
            }
        }
        return problems
    }

    static func dateProblems(_ records: [DataRecord]) -> [String] {
        var problems: [String] = []
        for (index, record) in records.enumerated() {
            guard record.meaning.kind == .date || record.meaning.kind == .dateTime else { continue }
            let at = "records[\(index)] (offset \(record.offset))"
            if let problem = record.valueProblem {
                problems.append("\(at): \(problem)")
                continue
            }
            switch record.value {
            case .date, .dateTime, .dateTimeWithSeconds, .timeOfDay: break
            default: problems.append("\(at): \(record.meaning.quantity) is not coded as a date type (data field \(record.dib.coding.name))")
            }
        }
        return problems
    }

    static func headerProblems(_ telegram: Telegram, _ secondaryAddress: SecondaryAddress?) -> [String] {
        guard let secondaryAddress else { return ["no secondary_address to compare with"] }
        guard case .long(let header)? = telegram.variableData?.header else { return ["the telegram has no long header (CI 72/76)"] }
        guard let id = UInt32(header.id, radix: 16) else { return ["header id \(header.id) is not 8 BCD digits"] }
        let medium = header.deviceType.rawValue
        if secondaryAddress.matches(id: id, manufacturer: header.manufacturer.rawValue, version: header.version, medium: medium) {
            return []
        }
        return ["header id \(header.id), manufacturer \(header.manufacturer.letters), version \(header.version), medium \(medium) does not match the selected secondary address \(secondaryAddress)"]
    }

    static func accessNumberProblems(_ telegram: Telegram, _ previous: Telegram?) -> [String] {
        guard let before = previous?.variableData?.accessNumber else { return ["the previous telegram has no access number"] }
        guard let now = telegram.variableData?.accessNumber else { return ["the telegram has no access number"] }
        let expected = before &+ 1
        return now == expected ? [] : ["access number is \(now); expected \(expected) (the previous telegram's \(before) plus one)"]
    }

    /// DIF/VIF pairs of every record.
    static func layout(_ telegram: Telegram) -> [String] {
        telegram.records.map { hex($0.dib.bytes) + "/" + hex($0.vib.bytes) }
    }

    /// The frame's bytes as encoded (for byte-for-byte comparisons).
    static func bytes(_ telegram: Telegram) -> [UInt8] {
        var out: [UInt8] = []
        try? telegram.frame.encode(into: &out)
        if let checksum = telegram.parsed.receivedChecksum, out.count >= 2 { out[out.count - 2] = checksum }
        return out
    }

    static func repeatProblems(_ telegram: Telegram, _ previous: Telegram?) -> [String] {
        guard let previous else { return ["no previous telegram"] }
        if bytes(previous) == bytes(telegram) { return [] }
        let before = accessNumberText(previous), now = accessNumberText(telegram)
        return ["the telegram differs from the previous one (access number \(before) → \(now)); a repeat must be identical"]
    }

    /// The access number as text, `?` when there is none.
    @inline(never)
    static func accessNumberText(_ telegram: Telegram) -> String {
        guard let data = telegram.variableData, let number = data.accessNumber else { return "?" }
        return String(number)
    }

    static func freshnessProblems(_ telegram: Telegram, _ previous: Telegram?) -> [String] {
        guard let previous else { return ["no previous telegram"] }
        if bytes(previous) != bytes(telegram) { return [] }
        return ["the telegram repeats the previous one byte for byte; fresh data was expected"]
    }

    static func layoutProblems(_ telegram: Telegram, _ previous: Telegram?) -> [String] {
        guard let previous else { return ["no previous telegram"] }
        let now = layout(telegram), before = layout(previous)
        if now == before { return [] }
        return ["record layout \(now.prefix(4).joined(separator: " ")) … differs from the previous telegram's \(before.prefix(4).joined(separator: " ")) …"]
    }

    static let dimensionless: Set<String> = ["Units for H.C.A.", "Dimensionless", "Relative humidity", "Reserved", "Any VIF"]

    static let cumulative: Set<String> = ["Energy", "Volume", "Mass"]

    static func storageProblems(_ records: [DataRecord]) -> [String] {
        var problems: [String] = []
        // Dates: group by function/tariff/subunit/quantity, compare by storage number.
        struct Key: Hashable { var quantity: String; var unit: String; var function: UInt8; var tariff: UInt32; var subunit: UInt16 }
        var dates: [Key: [(UInt64, String, Int)]] = [:]
        var counters: [Key: [(UInt64, Double, Int)]] = [:]
        for (index, record) in records.enumerated() {
            let meaning = record.meaning
            let key = Key(quantity: meaning.quantity, unit: meaning.unit, function: record.function.rawValue, tariff: record.tariff, subunit: record.subunit)
            switch record.value {
            case .date(let d) where d.isValid: dates[key, default: []].append((record.storage, d.iso8601, index))
            case .dateTime(let t) where t.isValid: dates[key, default: []].append((record.storage, t.iso8601, index))
            case .dateTimeWithSeconds(let t) where t.isValid: dates[key, default: []].append((record.storage, t.iso8601, index))
            default:
                if meaning.kind == .quantity, cumulative.contains(meaning.quantity), let n = record.scaledNumber {
                    counters[key, default: []].append((record.storage, n, index))
                }
            }
        }
        for (key, list) in dates {
            let sorted = list.sorted { $0.0 < $1.0 }
            for (a, b) in zip(sorted, sorted.dropFirst()) where a.0 != b.0 && String(b.1.prefix(10)) > String(a.1.prefix(10)) {
                problems.append("\(key.quantity): storage \(b.0) (records[\(b.2)]) is \(b.1), later than storage \(a.0) (records[\(a.2)]) \(a.1)")
            }
        }
        for (key, list) in counters {
            let sorted = list.sorted { $0.0 < $1.0 }
            for (a, b) in zip(sorted, sorted.dropFirst()) where a.0 != b.0 && b.1 > a.1 {
                problems.append("\(key.quantity) (\(key.unit)): storage \(b.0) (records[\(b.2)]) is \(b.1), larger than storage \(a.0) (records[\(a.2)]) \(a.1)")
            }
        }
        return problems.sorted()
    }
}

private func hex(_ bytes: [UInt8]) -> String { HexText.format(bytes, separator: "") }
