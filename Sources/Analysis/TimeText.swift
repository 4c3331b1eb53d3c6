/// Capture times as RFC 3339 text with nanoseconds, without Foundation's formatters (fast, thread-safe).
enum TimeText {
    /// `2026-11-25T13:25:00.123456789Z` for nanoseconds since 1970.
    static func iso8601(_ nanoseconds: Int64) -> String {
        var bytes: [UInt8] = []
        appendISO8601(nanoseconds, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The same text appended as UTF-8 bytes (the PDU stream's hot path).
    static func appendISO8601(_ nanoseconds: Int64, to out: inout [UInt8]) {
        let (seconds, fraction) = floorDivide(nanoseconds, 1_000_000_000)
        let (days, secondOfDay) = floorDivide(seconds, 86_400)
        // Civil from days (H. Hinnant's algorithm).
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        if year < 0 || year > 9999 {
            JSONBytes.appendInteger(year, to: &out)
        } else {
            JSONBytes.appendPadded(year, width: 4, to: &out)
        }
        out.append(0x2D)
        JSONBytes.appendPadded(month, width: 2, to: &out)
        out.append(0x2D)
        JSONBytes.appendPadded(day, width: 2, to: &out)
        out.append(0x54)
        JSONBytes.appendPadded(secondOfDay / 3_600, width: 2, to: &out)
        out.append(0x3A)
        JSONBytes.appendPadded(secondOfDay / 60 % 60, width: 2, to: &out)
        out.append(0x3A)
        JSONBytes.appendPadded(secondOfDay % 60, width: 2, to: &out)
        out.append(0x2E)
        JSONBytes.appendPadded(fraction, width: 9, to: &out)
        out.append(0x5A)
    }

    private static func floorDivide(_ a: Int64, _ b: Int64) -> (Int64, Int64) {
        let q = a / b
        let r = a % b
        return r < 0 ? (q - 1, r + b) : (q, r)
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }

    /// `later - earlier` in nanoseconds, saturating instead of trapping (capture timestamps are
    /// attacker-controlled and may sit at the ends of the Int64 range).
    static func elapsed(_ later: Int64, since earlier: Int64) -> Int64 {
        let (difference, overflow) = later.subtractingReportingOverflow(earlier)
        guard overflow else { return difference }
        return later > earlier ? .max : .min
    }

    /// Milliseconds with three decimals.
    static func milliseconds(_ nanoseconds: Int64) -> String {
        let micro = nanoseconds / 1_000
        let whole = micro / 1_000
        let part = abs(micro % 1_000)
        return "\(whole).\(pad(part, 3)) ms"
    }
}
