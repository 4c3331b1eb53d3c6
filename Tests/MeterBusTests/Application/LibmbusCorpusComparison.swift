import CodecSupport
import Foundation
@testable import MeterBus

/// Compares our decoding of a libmbus test frame with libmbus's `.norm.xml`.
struct LibmbusComparison {
    struct Difference: CustomStringConvertible, Hashable {
        var frame: String
        var record: Int
        var field: String
        var libmbus: String
        var ours: String
        var description: String { "\(frame) record \(record) \(field): libmbus '\(libmbus)', ours '\(ours)'" }
    }

    /// libmbus's function text → ours.
    static func function(_ text: String?) -> String? {
        switch text {
        case "Instantaneous value"?: return "instantaneous"
        case "Maximum value"?: return "maximum"
        case "Minimum value"?: return "minimum"
        case "Value during error state"?: return "error"
        default: return text
        }
    }

    /// libmbus's normalised unit → ours (libmbus prints "-" or "" for no unit, "Units for H.C.A." for HCA).
    static func unit(_ text: String?) -> String {
        switch text ?? "" {
        case "-", "", "Units for H.C.A.", "Reserved": return ""
        default: return text ?? ""
        }
    }

    /// Compares one frame; returns the differences (empty when we agree on everything compared).
    static func compare(name: String, telegram: Telegram, expected: LibmbusExpectation) -> (compared: Int, differences: [Difference]) {
        var diffs: [Difference] = []
        func diff(_ r: Int, _ f: String, _ a: String, _ b: String) {
            diffs.append(Difference(frame: name, record: r, field: f, libmbus: a, ours: b))
        }
        let pseudo = expected.records.filter { $0.function == "Manufacturer specific" || $0.function == "More records follow" }
        let real = expected.records.filter { !($0.function == "Manufacturer specific" || $0.function == "More records follow") }
        let ours = telegram.records
        let v = telegram.variableData
        if pseudo.contains(where: { $0.function == "More records follow" }) != (v?.moreRecordsFollow ?? false) {
            diff(-1, "more_records_follow", "\(pseudo.contains { $0.function == "More records follow" })", "\(v?.moreRecordsFollow ?? false)")
        }
        if pseudo.contains(where: { $0.function == "Manufacturer specific" }) != (v?.manufacturerData != nil && v?.moreRecordsFollow == false) {
            diff(-1, "manufacturer_data", "\(pseudo.contains { $0.function == "Manufacturer specific" })", "\(v?.manufacturerData.map { HexText.format($0) } ?? "nil")")
        }
        if real.count != ours.count {
            diff(-1, "record_count", "\(real.count)", "\(ours.count)")
            return (0, diffs)
        }
        for (i, (e, r)) in zip(real, ours).enumerated() {
            let json = r.json
            if function(e.function) != r.function.name { diff(i, "function", e.function ?? "", r.function.name) }
            if let s = e.storageNumber, UInt64(s) != r.storage { diff(i, "storage", "\(s)", "\(r.storage)") }
            if UInt32(e.tariff ?? 0) != r.tariff { diff(i, "tariff", "\(e.tariff ?? 0)", "\(r.tariff)") }
            if UInt16(e.device ?? 0) != r.subunit { diff(i, "subunit", "\(e.device ?? 0)", "\(r.subunit)") }
            let ourUnit: String = { if case let .string(u)? = json["unit"] { return u }; return "?" }()
            if unit(e.unit) != ourUnit { diff(i, "unit", e.unit ?? "", ourUnit) }
            // Values: numbers to 1e-6 relative; strings (dates, text) compared after normalising libmbus's "Z".
            let expectedValue = (e.value ?? "").trimmingCharacters(in: .whitespaces)
            switch json["value"] {
            case let .string(s)?:
                // libmbus appends "Z" to local meter times and prints byte strings with spaces.
                var lib = expectedValue.hasSuffix("Z") ? String(expectedValue.dropLast()) : expectedValue
                if s.allSatisfy(\.isHexDigit) { lib = lib.replacingOccurrences(of: " ", with: "") }
                if lib != s.trimmingCharacters(in: .whitespaces) { diff(i, "value", expectedValue, s) }
            case .null?, nil:
                diff(i, "value", expectedValue, "null")
            case let value?:
                let ourNumber: Double
                switch value {
                case let .int(x): ourNumber = Double(x)
                case let .uint(x): ourNumber = Double(x)
                case let .double(x): ourNumber = x
                default: ourNumber = .nan
                }
                guard let libNumber = Double(expectedValue) else { diff(i, "value", expectedValue, value.serialized()); continue }
                // libmbus prints six decimals, so half a unit in the sixth decimal is its own rounding.
                let tolerance = max(max(abs(libNumber), abs(ourNumber)) * 1e-6, 5e-7)
                if abs(libNumber - ourNumber) > tolerance { diff(i, "value", expectedValue, value.serialized()) }
            }
        }
        return (real.count, diffs)
    }
}
