import CodecSupport

// Stable field names: `meterproof decode mbus --format json`, the reports and the checks use them.

extension Telegram: JSONRepresentable {
    /// `{"frame": …, "header": …, "records": […], …}`; see the README for the field list.
    public var json: JSONValue {
        var members: [(String, JSONValue)] = [("frame", frameJSON)]
        switch userData {
        case let .variableData(v)?, let .dataSend(v)?:
            members += v.jsonMembers
        case let .fixedData(f)?:
            members += f.jsonMembers
        case let .applicationError(e)?:
            members.append(("application_error", .object([
                ("code", e.code.map { .uint(UInt64($0)) } ?? .null),
                ("name", .string(e.key)), ("text", .string(e.name)),
            ])))
        case let .alarm(status)?:
            members.append(("alarm", .object([("status", .string(HexText.format(status, separator: "")))])))
        case let .selection(address, _, _)?:
            members.append(("selection", .object([
                ("secondary_address", .string(address.description)),
                ("has_wildcards", .bool(address.hasWildcards)),
            ])))
        case let .applicationReset(subcode)?:
            members.append(("application_reset", .object([("subcode", subcode.map { .uint(UInt64($0)) } ?? .null)])))
        case let .baudRateSwitch(rate)?:
            members.append(("baud_rate_switch", .object([("baud", .int(Int64(rate.rawValue)))])))
        case let .synchronizeAction(data)?, let .manufacturerSpecific(_, data)?, let .uninterpreted(_, data)?:
            members.append(("data", .string(HexText.format(data, separator: ""))))
        case nil:
            break
        }
        return .object(members)
    }

    var frameJSON: JSONValue {
        var m: [(String, JSONValue)] = [("type", .string(frame.kind.name))]
        if let c = frame.control {
            m.append(("c", .uint(UInt64(c.rawValue))))
            m.append(("c_name", .string(c.name)))
        }
        if let a = frame.address { m.append(("a", .uint(UInt64(a)))) }
        if let ci = frame.ci { m.append(("ci", .uint(UInt64(ci)))) }
        if let l = frame.lengthField { m.append(("l", .uint(UInt64(l)))) }
        m.append(("checksum_ok", .bool(parsed.checksumOK)))
        return .object(m)
    }
}

extension VariableDataStructure {
    var jsonMembers: [(String, JSONValue)] {
        var m: [(String, JSONValue)] = []
        switch header {
        case let .long(h):
            m.append(("header", .object([
                ("id", .string(h.id)),
                ("manufacturer", .string(h.manufacturer.letters)),
                ("manufacturer_code", .uint(UInt64(h.manufacturer.rawValue))),
                ("version", .uint(UInt64(h.version))),
                ("medium", .object([("code", .uint(UInt64(h.deviceType.rawValue))), ("name", .string(h.deviceType.name))])),
                ("access_number", .uint(UInt64(h.accessNumber))),
                ("status", .uint(UInt64(h.status.rawValue))),
                ("status_flags", .array(h.status.flagNames.map(JSONValue.string))),
                ("signature", .uint(UInt64(h.signature))),
            ])))
        case let .short(h):
            m.append(("header", .object([
                ("access_number", .uint(UInt64(h.accessNumber))),
                ("status", .uint(UInt64(h.status.rawValue))),
                ("status_flags", .array(h.status.flagNames.map(JSONValue.string))),
                ("signature", .uint(UInt64(h.signature))),
            ])))
        case .none:
            break
        }
        m.append(("records", .array(records.map(\.json))))
        m.append(("manufacturer_data", manufacturerData.map { .string(HexText.format($0, separator: "")) } ?? .null))
        m.append(("more_records_follow", .bool(moreRecordsFollow)))
        return m
    }
}

extension DataRecord: JSONRepresentable {
    /// One record with stable field names.
    public var json: JSONValue {
        let meaning = self.meaning
        var m: [(String, JSONValue)] = [
            ("offset", .int(Int64(offset))),
            ("function", .string(function.name)),
            ("storage", .uint(storage)),
            ("tariff", .uint(UInt64(tariff))),
            ("subunit", .uint(UInt64(subunit))),
            ("quantity", .string(meaning.quantity)),
            ("unit", .string(meaning.unit)),
            ("value", valueJSON(meaning)),
            ("coding", .string(dib.coding.name)),
            ("dif", .string(HexText.format(dib.bytes, separator: ""))),
            ("vif", .string(HexText.format(vib.bytes, separator: ""))),
        ]
        if !meaning.modifiers.isEmpty { m.append(("modifiers", .array(meaning.modifiers.map(JSONValue.string)))) }
        if let e = meaning.recordError { m.append(("record_error", .string(e.name))) }
        if !meaning.reservedCodes.isEmpty { m.append(("reserved_codes", .array(meaning.reservedCodes.map(JSONValue.string)))) }
        if let text = vib.plainText { m.append(("plain_text_unit", .string(text))) }
        if let problem = valueProblem { m.append(("value_problem", .string(problem))) }
        return .object(m)
    }

    /// Why the value cannot be shown as a number or date, if so.
    public var valueProblem: String? {
        switch value {
        case let .bcd(b) where b.value == nil, let .variableBCD(b, _) where b.value == nil:
            return b.isAllF ? "BCD all F (no value)" : "invalid BCD digit in \(b.digits)"
        case let .date(d) where !d.isValid: return "invalid date \(d.iso8601)"
        case let .dateTime(t) where !t.isValid: return t.isInvalidFlagSet ? "date/time marked invalid (IV)" : "invalid date/time \(t.iso8601)"
        case let .dateTimeWithSeconds(t) where !t.isValid: return "invalid date/time \(t.iso8601)"
        case let .timeOfDay(t) where !t.isValid: return "invalid time \(t.iso8601)"
        case let .real(bits) where !Float(bitPattern: bits).isFinite: return "real value is not finite"
        default: return nil
        }
    }

    func valueJSON(_ meaning: ValueMeaning) -> JSONValue {
        switch value {
        case .none: return .null
        case let .date(d): return .string(d.iso8601)
        case let .dateTime(t): return .string(t.iso8601)
        case let .dateTimeWithSeconds(t): return .string(t.iso8601)
        case let .timeOfDay(t): return .string(t.iso8601)
        case let .text(s): return .string(s)
        // Longer than any integer: the number in hex, most significant byte first (as libmbus prints it).
        case let .binary(bytes, _) where bytes.count > 8: return .string(HexText.format(bytes.reversed(), separator: ""))
        // BCD with nibbles above 9 (meters send e.g. "DDDDEBBD" during an error state): the digits as sent.
        case let .bcd(b) where b.value == nil: return .string(b.digits)
        case let .variableBCD(b, _) where b.value == nil: return .string(b.digits)
        default:
            guard let n = value.number else { return .null }
            if meaning.kind != .quantity || meaning.isUnscaled {
                if case let .integer(i) = value { return .int(i) }
                if case let .bcd(b) = value, let v = b.value { return .int(v) }
            }
            let scaled = meaning.kind == .quantity ? meaning.scale(n) : n
            return scaled.isFinite ? .double(scaled) : .null
        }
    }
}

extension FixedDataStructure {
    var jsonMembers: [(String, JSONValue)] {
        var m: [(String, JSONValue)] = [
            ("header", .object([
                ("id", .string(id)),
                ("access_number", .uint(UInt64(accessNumber))),
                ("status", .uint(UInt64(status))),
                ("medium", .object([("code", .uint(UInt64(medium))), ("name", .string(mediumName))])),
                ("counters_binary", .bool(countersAreBinary)),
                ("counters_stored", .bool(countersAreStored)),
            ])),
        ]
        var counters: [JSONValue] = []
        for index in 1...2 {
            let unit = counterUnit(index)
            let raw = counterValue(index)
            var value: JSONValue = raw.map { .int($0) } ?? .null
            var quantity = "", unitName = unit.name
            if let s = unit.scaled, let r = raw {
                value = .double(scaledByPowerOfTen(Double(r), s.exponent))
                quantity = s.quantity
                unitName = s.unit
            }
            counters.append(.object([
                ("counter", .int(Int64(index))),
                ("quantity", .string(quantity)),
                ("unit", .string(unitName)),
                ("unit_code", .uint(UInt64(unit.code))),
                ("historic", .bool(unit.isHistoric || countersAreStored)),
                ("value", value),
            ]))
        }
        m.append(("counters", .array(counters)))
        return m
    }
}
