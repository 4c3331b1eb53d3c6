import CodecSupport
import DLMS
import Transport

/// `check_objects` (the generic per-attribute test over the object_list) and `check_value` rules.
extension DLMSSession {
    /// The rules `check_objects` can apply to every object of the association's object_list.
    static let objectRules = ["access_rights", "data_types", "logical_names"]

    /// Reads the current association's object_list, then every attribute of every object:
    /// readable attributes must be served with the type the class defines (fact sheet §8.3),
    /// attributes without read access must be refused (read-write-denied, fact sheet §6.6), and
    /// logical_name (attribute 1) must equal the object's OBIS code.
    func checkObjectsStep(_ step: Step, _ context: inout StepContext) async throws {
        guard association != nil else {
            context.setVerdict(.inconc, "no association is open (an `associate` step must come first)")
            return
        }
        var rules = Set(Self.objectRules)
        if case .list(let items)? = try context.parameter("rules", of: step) { rules = Set(items.compactMap(\.textValue)) }
        let listDescriptor = CosemAttributeDescriptor(classID: 15, instanceID: OBISCode(0, 0, 40, 0, 0, 255), attributeID: 2)
        guard let listOutcome = try await read(AttributeDescriptorWithSelection(listDescriptor), &context) else { return }
        guard listOutcome.result == "success", case .array(let entries)? = listOutcome.data else {
            context.setVerdict(.fail, "the current association's object_list (15/0.0.40.0.0.255/2) could not be read: \(listOutcome.result)")
            return
        }
        var objects: [ObjectListElement] = []
        var problems: [String] = []
        for (index, entry) in entries.enumerated() {
            do { objects.append(try ObjectListElement(data: entry)) } catch {
                problems.append("object_list entry \(index) is malformed: \(error)")
            }
        }
        let limit = try context.parameter("max_objects", of: step)?.intValue ?? 500
        var readCount = 0
        var deniedCount = 0
        var skippedClasses: Set<String> = []
        for object in objects.prefix(limit) {
            let catalogClass = InterfaceClass.lookup(classID: object.classID, version: object.version)
            if catalogClass == nil { skippedClasses.insert("IC \(object.classID) v\(object.version)") }
            let attributeCount = catalogClass?.attributes.map(\.index).max() ?? 1
            for attribute in 1...max(1, attributeCount) {
                let mode = object.attributeAccess.first { Int($0.attributeID) == attribute }?.accessMode ?? .noAccess
                let readable = [.readOnly, .readAndWrite, .authenticatedReadOnly, .authenticatedReadAndWrite].contains(mode)
                if !readable, !rules.contains("access_rights") { continue }
                let descriptor = CosemAttributeDescriptor(classID: object.classID, instanceID: object.logicalName, attributeID: Int8(clamping: attribute))
                guard let outcome = try await read(AttributeDescriptorWithSelection(descriptor), &context) else {
                    // A transport-level or protocol failure on one attribute: the verdict says why; stop.
                    problems.append("reading \(object.classID)/\(object.logicalName)/\(attribute) failed")
                    return report(problems, objects.count, readCount, deniedCount, skippedClasses, &context)
                }
                let place = "\(object.classID)/\(object.logicalName)/\(attribute)"
                if readable {
                    readCount += 1
                    guard outcome.result == "success", let value = outcome.data else {
                        problems.append("\(place) is readable per the object_list (\(mode.name)) but GET answered \(outcome.result)")
                        continue
                    }
                    if rules.contains("data_types"), let catalogClass {
                        problems += catalogClass.check(attribute: attribute, value: value).map { "\(place): \($0)" }
                    }
                    if rules.contains("logical_names"), attribute == 1, value != .octetString(object.logicalName.bytes) {
                        problems.append("\(place): logical_name is \(Self.showData(value)); the object_list names it \(object.logicalName) (logical_name equals the OBIS code, Blue Book / fact sheet §8.3)")
                    }
                } else {
                    deniedCount += 1
                    if outcome.result == "success" {
                        problems.append("\(place) has access mode \(mode.name) for this association, yet GET returned its value (fact sheet §6.6: read-write-denied)")
                    }
                }
            }
        }
        report(problems, objects.count, readCount, deniedCount, skippedClasses, &context)
    }

    private func report(_ problems: [String], _ objects: Int, _ read: Int, _ denied: Int, _ skipped: Set<String>, _ context: inout StepContext) {
        if !skipped.isEmpty { context.log.append("classes without a catalogue entry (types not checked): \(skipped.sorted().joined(separator: ", "))") }
        if problems.isEmpty {
            if context.verdict.verdict == .none {
                context.setVerdict(.pass, "\(objects) objects: \(read) readable attributes served with their class's types, \(denied) refused as their access rights say")
            }
        } else {
            let shown = problems.prefix(6).joined(separator: "; ") + (problems.count > 6 ? "; and \(problems.count - 6) more" : "")
            context.setVerdict(.fail, shown)
        }
    }

    static func showData(_ data: COSEMData) -> String {
        if case .octetString(let b) = data, b.count == 6, let obis = try? OBISCode(bytes: b) { return "\(obis)" }
        return "\(data.type.name) \(HexText.format(data.encoded(), separator: ""))"
    }

    // MARK: check_value

    /// The rules `check_value` knows.
    static let valueRules = ["clock_time", "scaler_unit", "profile_range", "profile_entries", "increases"]

    func checkValueStep(_ step: Step, _ context: inout StepContext) throws {
        guard let rule = try context.parameter("rule", of: step)?.textValue else { return }
        let fromName = try context.parameter("from", of: step)?.textValue
        let source: JSONValue? = fromName.map { context.saved[$0] } ?? lastResult
        guard let source, let data = fromName.map({ savedData[$0] }) ?? lastData else {
            context.setVerdict(.inconc, "no value was read in this case for \(rule) to check")
            return
        }
        var problems: [String] = []
        switch rule {
        case "clock_time":
            // IC 8 attribute 2 is an octet-string of 12 bytes (date-time, fact sheet §6.4).
            guard case .octetString(let b) = data, b.count == 12, let dt = try? COSEMDateTime(bytes: b[...]) else {
                problems.append("the clock's time is \(data.type.name), not a 12-byte octet-string date-time (fact sheet §6.4)")
                break
            }
            if !dt.isValid { problems.append("the date-time \(HexText.format(b, separator: " ")) has out-of-range fields (fact sheet §6.4)") }
            if dt.deviation != COSEMDateTime.deviationNotSpecified, !(-720...720).contains(Int(dt.deviation)) {
                problems.append("deviation \(dt.deviation) min is outside −720…720 (fact sheet §6.4)")
            }
            if !dt.date.isFullySpecified { problems.append("the clock's date is not fully specified") }
        case "scaler_unit":
            guard let su = try? ScalerUnit(data: data) else {
                problems.append("scaler_unit is \(data.type.name), not structure{integer scaler, enum unit} (fact sheet §8.3)")
                break
            }
            if su.unitName == nil { problems.append("unit \(su.unit.rawValue) is not a unit of the COSEM unit table (fact sheet §8.5)") }
            if let expected = try context.parameter("unit", of: step)?.textValue, su.unitName != expected, String(su.unit.rawValue) != expected {
                problems.append("unit is \(su.unitName ?? String(su.unit.rawValue)); \(expected) expected")
            }
            if let expected = try context.parameter("scaler", of: step)?.intValue, Int(su.scaler) != expected {
                problems.append("scaler is \(su.scaler); \(expected) expected")
            }
        case "profile_range":
            guard case .array(let rows) = data else { problems.append("the buffer is \(data.type.name), not an array of rows"); break }
            let from = COSEMDataInput.dateTime(try context.parameter("from_time", of: step))
            let to = COSEMDataInput.dateTime(try context.parameter("to_time", of: step))
            let column = try context.parameter("column", of: step)?.intValue ?? 0
            if let minimum = try context.parameter("min_rows", of: step)?.intValue, rows.count < minimum {
                problems.append("\(rows.count) row(s); at least \(minimum) expected in the range")
            }
            for (i, row) in rows.enumerated() {
                guard case .structure(let cells) = row, column < cells.count, let stamp = Self.dateTime(of: cells[column]) else {
                    problems.append("row \(i) has no date-time in column \(column)")
                    continue
                }
                if let from, Self.compare(stamp, from) < 0 { problems.append("row \(i) at \(stamp.iso8601 ?? "?") is before the range start") }
                if let to, Self.compare(stamp, to) > 0 { problems.append("row \(i) at \(stamp.iso8601 ?? "?") is after the range end") }
            }
        case "profile_entries":
            guard case .array(let rows) = data else { problems.append("the buffer is \(data.type.name), not an array of rows"); break }
            if var expected = try context.parameter("count", of: step)?.intValue {
                if let available = try context.parameter("available", of: step)?.intValue, available < expected {
                    expected = available
                    context.log.append("the buffer holds \(available) entries: expecting \(expected) row(s)")
                }
                if rows.count != expected {
                    problems.append("\(rows.count) row(s) where selective access by entry asked for \(expected) (Blue Book IC 7 entry_descriptor)")
                }
            }
        case "increases":
            guard let previousName = try context.parameter("previous", of: step)?.textValue,
                  let previous = context.saved[previousName].flatMap({ FieldMatching.lookup("value", in: $0) }),
                  let now = FieldMatching.lookup("value", in: source),
                  let a = Self.number(previous), let b = Self.number(now) else {
                context.setVerdict(.error, "increases needs `previous`, a saved numeric reading")
                return
            }
            if b < a { problems.append("the value went down from \(a) to \(b)") }
        default:
            context.setVerdict(.error, "unknown rule \(rule) (\(Self.valueRules.joined(separator: ", ")))")
            return
        }
        if problems.isEmpty {
            context.setVerdict(.pass, "\(rule) holds")
        } else {
            context.setVerdict(.fail, "\(rule): " + problems.prefix(5).joined(separator: "; ") + (problems.count > 5 ? "; and \(problems.count - 5) more" : ""))
        }
    }

    static func dateTime(of cell: COSEMData) -> COSEMDateTime? {
        switch cell {
        case .dateTime(let dt): dt
        case .octetString(let b) where b.count == 12: try? COSEMDateTime(bytes: b[...])
        default: nil
        }
    }

    /// Orders two date-times by their fields (year … second); deviation is ignored.
    static func compare(_ a: COSEMDateTime, _ b: COSEMDateTime) -> Int {
        let ka = [Int(a.date.year), Int(a.date.month), Int(a.date.dayOfMonth), Int(a.time.hour), Int(a.time.minute), Int(a.time.second)]
        let kb = [Int(b.date.year), Int(b.date.month), Int(b.date.dayOfMonth), Int(b.time.hour), Int(b.time.minute), Int(b.time.second)]
        for (x, y) in zip(ka, kb) where x != y { return x < y ? -1 : 1 }
        return 0
    }

    static func number(_ json: JSONValue) -> Double? {
        switch json {
        case .int(let i): Double(i)
        case .uint(let u): Double(u)
        case .double(let d): d
        default: nil
        }
    }
}
