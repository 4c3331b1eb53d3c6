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
        let records = telegram.records
        switch self {
        case .recordsDecodable:
            guard telegram.variableData != nil || telegram.userData.map({ if case .fixedData = $0 { true } else { false } }) == true else {
                return ["the telegram carries no variable data structure"]
            }
            return records.enumerated().compactMap { index, record in
                if let problem = record.valueProblem { return "records[\(index)] (offset \(record.offset)): \(problem)" }
                if !record.meaning.reservedCodes.isEmpty {
                    return "records[\(index)] (offset \(record.offset)): reserved code(s) \(record.meaning.reservedCodes.joined(separator: ", "))"
                }
                return nil
            }
        case .unitsValid:
            return records.enumerated().compactMap { index, record in
                let meaning = record.meaning
                if meaning.isManufacturerSpecific || record.vib.plainText != nil { return nil }
                if meaning.quantity.isEmpty { return "records[\(index)] (offset \(record.offset)): VIF \(hex(record.vib.bytes)) names no quantity" }
                if meaning.kind == .quantity, meaning.unit.isEmpty, !Self.dimensionless.contains(meaning.quantity) {
                    return "records[\(index)] (offset \(record.offset)): \(meaning.quantity) has no unit"
                }
                if meaning.kind == .date, record.dib.coding != .int16 {
                    return "records[\(index)] (offset \(record.offset)): a date (VIF 6C) must be type G, 16 bits; data field is \(record.dib.coding.name)"
                }
                return nil
            }
        case .datesValid:
            return records.enumerated().compactMap { index, record in
                guard record.meaning.kind == .date || record.meaning.kind == .dateTime else { return nil }
                if let problem = record.valueProblem { return "records[\(index)] (offset \(record.offset)): \(problem)" }
                switch record.value {
                case .date, .dateTime, .dateTimeWithSeconds, .timeOfDay: return nil
                default: return "records[\(index)] (offset \(record.offset)): \(record.meaning.quantity) is not coded as a date type (data field \(record.dib.coding.name))"
                }
            }
        case .storageMonotone:
            return Self.storageProblems(records)
        case .headerMatchesAddress:
            guard let secondaryAddress else { return ["no secondary_address to compare with"] }
            guard case .long(let header)? = telegram.variableData?.header else { return ["the telegram has no long header (CI 72/76)"] }
            guard let id = UInt32(header.id, radix: 16) else { return ["header id \(header.id) is not 8 BCD digits"] }
            if secondaryAddress.matches(id: id, manufacturer: header.manufacturer.rawValue, version: header.version, medium: header.deviceType.rawValue) {
                return []
            }
            return ["header id \(header.id), manufacturer \(header.manufacturer.letters), version \(header.version), medium \(header.deviceType.rawValue) does not match the selected secondary address \(secondaryAddress)"]
        case .accessNumberIncremented:
            guard let previous, let before = previous.variableData?.accessNumber else { return ["the previous telegram has no access number"] }
            guard let now = telegram.variableData?.accessNumber else { return ["the telegram has no access number"] }
            return now == before &+ 1 ? [] : ["access number is \(now); expected \(before &+ 1) (the previous telegram's \(before) plus one)"]
        case .sameTelegram:
            guard let previous else { return ["no previous telegram"] }
            return previous.parsed == telegram.parsed ? [] : ["the telegram differs from the previous one (access number \(previous.variableData?.accessNumber.map(String.init) ?? "?") → \(telegram.variableData?.accessNumber.map(String.init) ?? "?")); a repeat must be identical"]
        case .differentTelegram:
            guard let previous else { return ["no previous telegram"] }
            return previous.parsed != telegram.parsed ? [] : ["the telegram repeats the previous one byte for byte; fresh data was expected"]
        case .sameRecordLayout:
            guard let previous else { return ["no previous telegram"] }
            let layout = { (t: Telegram) in t.records.map { hex($0.dib.bytes) + "/" + hex($0.vib.bytes) } }
            return layout(previous) == layout(telegram) ? [] : ["record layout \(layout(telegram).prefix(4).joined(separator: " ")) … differs from the previous telegram's \(layout(previous).prefix(4).joined(separator: " ")) …"]
        }
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
