import CodecSupport

/// Looks up decoded fields by the paths suites use (`frame.c`, `records[2].unit`) and checks them
/// against expected values.
///
/// An expected scalar must equal the field (numbers compare numerically, so `0x08` equals 8);
/// a list means "one of these"; a mapping holds operators: `eq`, `ne`, `lt`, `le`, `gt`, `ge`,
/// `one_of`, `present` (true/false), `matches` (a regular expression the text must match whole).
public enum FieldMatching {
    /// The value at `path` in `tree`, or nil when some part is missing.
    public static func lookup(_ path: String, in tree: JSONValue) -> JSONValue? {
        var current = tree
        for segment in path.split(separator: ".", omittingEmptySubsequences: false) {
            var name = Substring(segment)
            var indices: [Int] = []
            while name.hasSuffix("]"), let open = name.lastIndex(of: "[") {
                guard let index = Int(name[name.index(after: open)..<name.index(before: name.endIndex)]) else { return nil }
                indices.insert(index, at: 0)
                name = name[..<open]
            }
            if !name.isEmpty {
                guard let next = current[String(name)] else { return nil }
                current = next
            }
            for index in indices {
                guard case .array(let items) = current, items.indices.contains(index) else { return nil }
                current = items[index]
            }
        }
        return current
    }

    /// Nil when `actual` satisfies `expected`, else a sentence saying what differs.
    public static func mismatch(field: String, actual: JSONValue?, expected: ParameterValue) -> String? {
        switch expected {
        case .list(let options):
            if options.contains(where: { mismatch(field: field, actual: actual, expected: $0) == nil }) { return nil }
            return "\(field) is \(show(actual)); expected one of \(options.map(show).joined(separator: ", "))"
        case .map(let operators):
            for (op, operand) in operators {
                if let problem = check(op: op, field: field, actual: actual, operand: operand) { return problem }
            }
            return nil
        default:
            guard let actual else { return "\(field) is absent; expected \(show(expected))" }
            return equal(actual, expected) ? nil : "\(field) is \(show(actual)); expected \(show(expected))"
        }
    }

    static func check(op: String, field: String, actual: JSONValue?, operand: ParameterValue) -> String? {
        switch op {
        case "present":
            let wanted = operand == .bool(true)
            let present = actual != nil && actual != .null && actual != .string("") && actual != .array([])
            return present == wanted ? nil : "\(field) is \(present ? "present (\(show(actual)))" : "absent"); expected it \(wanted ? "present" : "absent")"
        case "eq":
            return mismatch(field: field, actual: actual, expected: operand)
        case "one_of":
            guard case .list = operand else { return "operator one_of of \(field) needs a list" }
            return mismatch(field: field, actual: actual, expected: operand)
        case "ne":
            guard let actual else { return nil }
            return equal(actual, operand) ? "\(field) is \(show(actual)); expected anything else" : nil
        case "lt", "le", "gt", "ge":
            guard let actual, let a = number(actual), let b = number(operand) else {
                return "\(field) is \(show(actual)); expected a number \(op) \(show(operand))"
            }
            let holds = switch op {
            case "lt": a < b
            case "le": a <= b
            case "gt": a > b
            default: a >= b
            }
            let words = ["lt": "below", "le": "at most", "gt": "above", "ge": "at least"][op] ?? op
            return holds ? nil : "\(field) is \(show(actual)); expected \(words) \(show(operand))"
        case "matches":
            guard let pattern = operand.textValue, let regex = try? Regex(pattern) else {
                return "operator matches of \(field) needs a regular expression"
            }
            guard let actual, case .string(let text) = actual else { return "\(field) is \(show(actual)); expected text matching \(pattern)" }
            return (try? regex.wholeMatch(in: text)) != nil ? nil : "\(field) is \(show(actual)); expected text matching \(pattern)"
        default:
            return "unknown operator '\(op)' for \(field) (expected eq, ne, lt, le, gt, ge, one_of, present, matches)"
        }
    }

    /// Numbers compare numerically, text by equality (a number written as text also matches numerically).
    public static func equal(_ actual: JSONValue, _ expected: ParameterValue) -> Bool {
        switch (actual, expected) {
        case let (.bool(a), .bool(b)): return a == b
        case let (.string(a), .string(b)): return a == b
        case let (.string(a), .bytes(b)): return a.lowercased() == HexText.format(b, separator: "").lowercased()
        case (_, .list), (_, .map): return mismatch(field: "", actual: actual, expected: expected) == nil
        default:
            if let a = number(actual), let b = number(expected) { return a == b }
            if case .string(let a) = actual, let b = expected.textValue { return a == b }
            return false
        }
    }

    static func number(_ value: JSONValue) -> Double? {
        switch value {
        case .int(let i): Double(i)
        case .uint(let u): Double(u)
        case .double(let d): d
        default: nil
        }
    }

    static func number(_ value: ParameterValue) -> Double? {
        switch value {
        case .int(let i): Double(i)
        case .string(let s): ValueText.integer(s).map(Double.init) ?? Double(s)
        default: nil
        }
    }

    /// A value as a suite author would write it.
    public static func show(_ value: JSONValue?) -> String {
        guard let value else { return "absent" }
        switch value {
        case .string(let s): return "\"\(s)\""
        case .int(let i): return i >= 0 && i < 256 ? "\(i) (0x\(HexText.format([UInt8(i)], separator: "")))" : String(i)
        case .uint(let u): return u < 256 ? "\(u) (0x\(HexText.format([UInt8(u)], separator: "")))" : String(u)
        default: return value.serialized()
        }
    }

    static func show(_ value: ParameterValue) -> String {
        switch value {
        case .string(let s): "\"\(s)\""
        case .int(let i): i >= 0 && i < 256 ? "\(i) (0x\(HexText.format([UInt8(i)], separator: "")))" : String(i)
        default: value.textValue ?? value.json.serialized()
        }
    }
}
