import CodecSupport
import DLMS

/// COSEM Data values written in a suite: `{type: long-unsigned, value: 5}`, containers with lists
/// of such values, octet-strings as hex, date-time as `2026-01-01T00:00:00` (local time, deviation
/// and status not specified) or 12 hex bytes, or raw A-XDR bytes (`"12 00 05"`).
enum COSEMDataInput {
    /// The value `parameter` describes; nil with an `error` verdict when it does not.
    static func make(_ parameter: ParameterValue, _ context: inout StepContext) throws -> COSEMData? {
        let resolved = try context.resolve(parameter)
        switch resolved {
        case .bytes(let raw):
            do { return try COSEMData(decodingExactly: raw[...]) } catch {
                context.setVerdict(.error, "the A-XDR bytes are not one Data value: \(error)")
                return nil
            }
        case .map(let pairs):
            guard let typeName = pairs.first(where: { $0.key == "type" })?.value.textValue else {
                context.setVerdict(.error, "a typed value needs `type` (a COSEM data type name such as long-unsigned)")
                return nil
            }
            let value = pairs.first(where: { $0.key == "value" })?.value
            do {
                return try build(typeName, value, &context)
            } catch let problem as InputProblem {
                context.setVerdict(.error, problem.text)
                return nil
            }
        default:
            context.setVerdict(.error, "a COSEM value must be {type:…, value:…} or A-XDR hex bytes")
            return nil
        }
    }

    private struct InputProblem: Error { var text: String }

    private static func build(_ typeName: String, _ value: ParameterValue?, _ context: inout StepContext) throws -> COSEMData {
        func int() throws -> Int {
            guard let n = value?.intValue else { throw InputProblem(text: "\(typeName) needs an integer value") }
            return n
        }
        func bytes() throws -> [UInt8] {
            switch value {
            case .bytes(let b)?: return b
            case .string(let s)?:
                if let b = ValueText.hexBytes(s) { return b }
                throw InputProblem(text: "\(typeName) value '\(s)' is not hex bytes")
            case nil: return []
            default: throw InputProblem(text: "\(typeName) needs hex bytes")
            }
        }
        func items() throws -> [COSEMData] {
            guard case .list(let list)? = value else {
                if value == nil { return [] }
                throw InputProblem(text: "\(typeName) needs a list of typed values")
            }
            var out: [COSEMData] = []
            for item in list {
                guard let data = try make(item, &context) else { throw InputProblem(text: "an element of the \(typeName) is not a valid value") }
                out.append(data)
            }
            return out
        }
        switch typeName {
        case "null-data": return .nullData
        case "array": return .array(try items())
        case "structure": return .structure(try items())
        case "boolean": return .boolean(value == .bool(true) || value?.intValue == 1 ? 1 : 0)
        case "double-long": return .doubleLong(Int32(clamping: try int()))
        case "double-long-unsigned": return .doubleLongUnsigned(UInt32(clamping: try int()))
        case "octet-string": return .octetString(try bytes())
        case "visible-string": return .visibleString(Array((value?.textValue ?? "").utf8))
        case "utf8-string": return .utf8String(Array((value?.textValue ?? "").utf8))
        case "integer": return .integer(Int8(clamping: try int()))
        case "long": return .long(Int16(clamping: try int()))
        case "unsigned": return .unsigned(UInt8(clamping: try int()))
        case "long-unsigned": return .longUnsigned(UInt16(clamping: try int()))
        case "long64": return .long64(Int64(try int()))
        case "long64-unsigned": return .long64Unsigned(UInt64(clamping: try int()))
        case "enum": return .enumerated(UInt8(clamping: try int()))
        case "bit-string":
            let text = value?.textValue ?? ""
            guard text.allSatisfy({ $0 == "0" || $0 == "1" }) else { throw InputProblem(text: "bit-string value must be 0s and 1s") }
            return .bitString(BitString(bits: text.map { $0 == "1" }))
        case "date-time":
            guard let dt = dateTime(value) else { throw InputProblem(text: "date-time value must be YYYY-MM-DDTHH:MM:SS or 12 hex bytes") }
            return .dateTime(dt)
        case "date-time-octets":
            guard let dt = dateTime(value) else { throw InputProblem(text: "date-time-octets value must be YYYY-MM-DDTHH:MM:SS or 12 hex bytes") }
            return .octetString(dt.encoded)
        default:
            throw InputProblem(text: "unknown COSEM data type '\(typeName)'")
        }
    }

    /// `YYYY-MM-DDTHH:MM:SS` (deviation and status not specified) or 12 hex bytes.
    static func dateTime(_ value: ParameterValue?) -> COSEMDateTime? {
        if case .bytes(let b)? = value { return try? COSEMDateTime(bytes: b[...]) }
        guard let text = value?.textValue else { return nil }
        if let b = ValueText.hexBytes(text), b.count == 12 { return try? COSEMDateTime(bytes: b[...]) }
        let digits = text.split(whereSeparator: { "-T: ".contains($0) }).compactMap { Int($0) }
        guard digits.count == 6 else { return nil }
        return COSEMDateTime(
            date: COSEMDate(year: UInt16(clamping: digits[0]), month: UInt8(clamping: digits[1]), dayOfMonth: UInt8(clamping: digits[2])),
            time: COSEMTime(hour: UInt8(clamping: digits[3]), minute: UInt8(clamping: digits[4]), second: UInt8(clamping: digits[5]), hundredths: 0),
            deviation: COSEMDateTime.deviationNotSpecified, clockStatus: .notSpecified)
    }

    /// Selective access by range (selector 1) on the clock column: `{from: …, to: …}`, with
    /// optional `restricting_obis` (default the clock 0.0.1.0.0.255, class 8, attribute 2).
    static func rangeDescriptor(_ parameter: ParameterValue, _ context: inout StepContext) throws -> COSEMData? {
        guard case .map(let pairs) = try context.resolve(parameter) else {
            context.setVerdict(.error, "range must be {from: date-time, to: date-time}")
            return nil
        }
        let value = { (key: String) in pairs.first(where: { $0.key == key })?.value }
        guard let from = dateTime(value("from")), let to = dateTime(value("to")) else {
            context.setVerdict(.error, "range from/to must be YYYY-MM-DDTHH:MM:SS")
            return nil
        }
        let obisText = value("restricting_obis")?.textValue ?? "0.0.1.0.0.255"
        guard let obis = try? OBISCode(parsing: obisText) else {
            context.setVerdict(.error, "restricting_obis '\(obisText)' is not an OBIS code")
            return nil
        }
        let restricting = COSEMData.structure([
            .longUnsigned(UInt16(clamping: value("restricting_class")?.intValue ?? 8)), .octetString(obis.bytes),
            .integer(Int8(clamping: value("restricting_attribute")?.intValue ?? 2)), .longUnsigned(0),
        ])
        return .structure([restricting, .octetString(from.encoded), .octetString(to.encoded), .array([])])
    }

    /// Selective access by entry (selector 2): `{from: 1, to: 4}` (rows, 1-based; 0 = last), all columns.
    static func entryDescriptor(_ parameter: ParameterValue, _ context: inout StepContext) throws -> COSEMData? {
        guard case .map(let pairs) = try context.resolve(parameter),
              let from = pairs.first(where: { $0.key == "from" })?.value.intValue,
              let to = pairs.first(where: { $0.key == "to" })?.value.intValue else {
            context.setVerdict(.error, "entries must be {from: n, to: m}")
            return nil
        }
        return .structure([.doubleLongUnsigned(UInt32(clamping: from)), .doubleLongUnsigned(UInt32(clamping: to)), .longUnsigned(1), .longUnsigned(0)])
    }
}
