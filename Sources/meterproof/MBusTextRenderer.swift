import CodecSupport
import MeterBus

/// Renders a decoded M-Bus telegram as an indented text tree, from the same fields as the JSON.
enum MBusTextRenderer {
    static func render(_ telegram: Telegram, start: Int) -> String {
        let json = telegram.json
        var lines: [String] = []
        let f = json["frame"]
        var head = "frame @\(start): \(f?["type"]?.text ?? "?")"
        if let c = f?["c"]?.uint { head += "  C=0x\(HexText.format([UInt8(truncatingIfNeeded: c)])) \(f?["c_name"]?.text ?? "")" }
        if let a = f?["a"]?.uint { head += "  A=\(a)" }
        if let ci = f?["ci"]?.uint { head += "  CI=0x\(HexText.format([UInt8(truncatingIfNeeded: ci)]))" }
        head += (f?["checksum_ok"] == .bool(true)) ? "  checksum ok" : "  CHECKSUM WRONG"
        lines.append(head)
        if let h = json["header"], case let .object(members) = h {
            lines.append("  header")
            for (key, value) in members { lines.append("    \(key): \(value.text)") }
        }
        if case let .array(records)? = json["records"] {
            lines.append("  records (\(records.count))")
            for (i, r) in records.enumerated() {
                var line = "    #\(i) @\(r["offset"]?.text ?? "?") \(r["function"]?.text ?? "")"
                let storage = r["storage"]?.text ?? "0", tariff = r["tariff"]?.text ?? "0", sub = r["subunit"]?.text ?? "0"
                if storage != "0" { line += " storage \(storage)" }
                if tariff != "0" { line += " tariff \(tariff)" }
                if sub != "0" { line += " subunit \(sub)" }
                line += "  \(r["quantity"]?.text ?? "") = \(r["value"]?.text ?? "null")"
                if let u = r["unit"]?.text, !u.isEmpty { line += " \(u)" }
                line += "   [DIF \(r["dif"]?.text ?? "") VIF \(r["vif"]?.text ?? "")]"
                lines.append(line)
                if case let .array(mods)? = r["modifiers"] { lines.append("        " + mods.map(\.text).joined(separator: "; ")) }
                if let p = r["value_problem"]?.text { lines.append("        value problem: \(p)") }
                if case let .array(codes)? = r["reserved_codes"] { lines.append("        reserved: " + codes.map(\.text).joined(separator: ", ")) }
            }
        }
        if let m = json["manufacturer_data"], m != .null {
            lines.append("  manufacturer data: \(m.text.isEmpty ? "(DIF 0F with no bytes after it)" : m.text)")
        }
        if json["more_records_follow"] == .bool(true) { lines.append("  more records follow") }
        for key in ["application_error", "alarm", "selection", "application_reset", "baud_rate_switch", "data"] {
            if let v = json[key] { lines.append("  \(key.replacingOccurrences(of: "_", with: " ")): \(v.text)") }
        }
        if case let .array(counters)? = json["counters"] {
            for c in counters {
                lines.append("  counter \(c["counter"]?.text ?? "")  \(c["quantity"]?.text ?? "") = \(c["value"]?.text ?? "") \(c["unit"]?.text ?? "")"
                             + (c["historic"] == .bool(true) ? " (historic)" : ""))
            }
        }
        return lines.joined(separator: "\n")
    }
}

extension JSONValue {
    /// A scalar as plain text (strings unquoted); containers as compact JSON.
    var text: String {
        switch self {
        case let .string(s): return s
        case .object, .array: return serialized()
        default: return serialized()
        }
    }

    var uint: UInt64? {
        switch self {
        case let .uint(u): return u
        case let .int(i) where i >= 0: return UInt64(i)
        default: return nil
        }
    }
}
