/// Escaping for the markup the writers produce. Every text that reaches a report file passes here.
public enum TextEscaping {
    /// Whether XML 1.0 (§2.2 `Char`) allows the scalar at all; HTML forbids the same control characters.
    public static func isAllowedInXML(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x9, 0xA, 0xD: true
        case 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: true
        default: false
        }
    }

    /// A visible stand-in for a forbidden character: `\x01`, `\uFFFE`.
    public static func placeholder(for scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return scalar.value <= 0xFF
            ? "\\x" + String(repeating: "0", count: 2 - hex.count) + hex
            : "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }

    /// XML character data (element content): `&`, `<`, `>` escaped, CR kept as `&#13;`, forbidden
    /// control characters replaced by their `\xNN` spelling.
    public static func xmlText(_ text: String) -> String {
        escape(text, attribute: false)
    }

    /// An XML attribute value for double quotes: also `"`, `'`, tab and line breaks as character
    /// references, so attribute-value normalisation keeps them.
    public static func xmlAttribute(_ text: String) -> String {
        escape(text, attribute: true)
    }

    /// HTML text or attribute value (double-quoted): `& < > " '` escaped, forbidden controls replaced.
    public static func html(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\r": out += "\\r"
            default:
                if isAllowedInXML(scalar) { out.unicodeScalars.append(scalar) } else { out += placeholder(for: scalar) }
            }
        }
        return out
    }

    /// A Markdown table cell: one line, `|` and backslashes escaped, HTML-significant characters
    /// escaped (GitLab and GitHub render inline HTML), controls replaced.
    public static func markdownCell(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "|": out += "\\|"
            case "\\": out += "\\\\"
            case "`": out += "\\`"
            case "*": out += "\\*"
            case "_": out += "\\_"
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\n": out += "<br>"
            case "\r", "\t": out += " "
            default:
                if isAllowedInXML(scalar) { out.unicodeScalars.append(scalar) } else { out += placeholder(for: scalar) }
            }
        }
        return out
    }

    private static func escape(_ text: String, attribute: Bool) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\r": out += "&#13;"
            case "\"" where attribute: out += "&quot;"
            case "'" where attribute: out += "&apos;"
            case "\n" where attribute: out += "&#10;"
            case "\t" where attribute: out += "&#9;"
            default:
                if isAllowedInXML(scalar) { out.unicodeScalars.append(scalar) } else { out += placeholder(for: scalar) }
            }
        }
        return out
    }
}
