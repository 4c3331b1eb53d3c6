import CodecSupport

/// The clock status byte of a COSEM date-time (fact sheet §6.5; U9, JD, GX agree).
public struct ClockStatus: OptionSet, Sendable, Hashable {
    /// The byte as transmitted.
    public let rawValue: UInt8
    /// Wraps a transmitted byte.
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// Bit 0: invalid value.
    public static let invalidValue = ClockStatus(rawValue: 0x01)
    /// Bit 1: doubtful value.
    public static let doubtfulValue = ClockStatus(rawValue: 0x02)
    /// Bit 2: different clock base.
    public static let differentClockBase = ClockStatus(rawValue: 0x04)
    /// Bit 3: invalid clock status.
    public static let invalidClockStatus = ClockStatus(rawValue: 0x08)
    /// Bit 7: daylight saving active.
    public static let daylightSavingActive = ClockStatus(rawValue: 0x80)
    /// `FF`: not specified.
    public static let notSpecified = ClockStatus(rawValue: 0xFF)

    /// False for `FF`.
    public var isSpecified: Bool { rawValue != 0xFF }

    /// Names of the bits set (`invalid_value`, …, `reserved_4`…`reserved_6`, `daylight_saving_active`).
    public var names: [String] {
        let table = ["invalid_value", "doubtful_value", "different_clock_base", "invalid_clock_status",
                     "reserved_4", "reserved_5", "reserved_6", "daylight_saving_active"]
        return (0..<8).filter { rawValue & (1 << UInt8($0)) != 0 }.map { table[$0] }
    }
}

/// A COSEM date (tag 26, and bytes 0–4 of a date-time): fact sheet §6.4.
///
/// Fields are kept as transmitted, so every 5-byte value decodes and re-encodes exactly;
/// ``isValid`` says whether they are in range.
public struct COSEMDate: Sendable, Hashable {
    /// Year, `FFFF` = not specified.
    public var year: UInt16
    /// Month 1…12; `FD` daylight-savings end, `FE` daylight-savings begin, `FF` not specified.
    public var month: UInt8
    /// Day of month 1…31; `FD` second-last day, `FE` last day, `FF` not specified.
    public var dayOfMonth: UInt8
    /// Day of week 1…7 (1 = Monday); `FF` not specified.
    public var dayOfWeek: UInt8

    /// A date from its transmitted fields (defaults: not specified).
    public init(year: UInt16 = 0xFFFF, month: UInt8 = 0xFF, dayOfMonth: UInt8 = 0xFF, dayOfWeek: UInt8 = 0xFF) {
        self.year = year
        self.month = month
        self.dayOfMonth = dayOfMonth
        self.dayOfWeek = dayOfWeek
    }

    /// Every field not specified (`FFFF FF FF FF`).
    public static let notSpecified = COSEMDate()

    /// Decodes 5 bytes.
    public init(bytes: ArraySlice<UInt8>) throws(DLMSError) {
        var r = AXDRReader(bytes)
        year = try r.readUInt16()
        month = try r.readByte("month")
        dayOfMonth = try r.readByte("day of month")
        dayOfWeek = try r.readByte("day of week")
        try r.expectEnd("date")
    }

    /// The 5 bytes.
    public var encoded: [UInt8] { [UInt8(year >> 8), UInt8(year & 0xFF), month, dayOfMonth, dayOfWeek] }

    /// True when every field is in range or holds one of its special values.
    public var isValid: Bool {
        (month >= 1 && month <= 12 || month >= 0xFD)
            && (dayOfMonth >= 1 && dayOfMonth <= 31 || dayOfMonth >= 0xFD)
            && (dayOfWeek >= 1 && dayOfWeek <= 7 || dayOfWeek == 0xFF)
            && (!isFullySpecified || isCalendarDay)
    }

    /// Year, month and day are all ordinary values.
    public var isFullySpecified: Bool {
        year != 0xFFFF && (1...12).contains(month) && (1...31).contains(dayOfMonth)
    }

    private var isCalendarDay: Bool {
        let y = Int(year)
        let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)
        let lengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return Int(dayOfMonth) <= lengths[Int(month) - 1]
    }

    /// `YYYY-MM-DD` when year, month and day are specified ordinary values, else nil.
    public var iso8601: String? {
        guard isFullySpecified else { return nil }
        return "\(axdrPad(Int(year), 4))-\(axdrPad(Int(month), 2))-\(axdrPad(Int(dayOfMonth), 2))"
    }

    /// The date with `*` for unspecified fields and words for special values (`2024-11-21`, `*-dst-begin-last`…).
    public var text: String {
        let y = year == 0xFFFF ? "*" : axdrPad(Int(year), 4)
        let m: String = switch month {
        case 0xFF: "*"
        case 0xFE: "dst-begin"
        case 0xFD: "dst-end"
        default: axdrPad(Int(month), 2)
        }
        let d: String = switch dayOfMonth {
        case 0xFF: "*"
        case 0xFE: "last"
        case 0xFD: "second-last"
        default: axdrPad(Int(dayOfMonth), 2)
        }
        return "\(y)-\(m)-\(d)"
    }

    var jsonMembers: [(String, JSONValue)] {
        [
            ("year", year == 0xFFFF ? .null : .uint(UInt64(year))),
            ("month", special(month, [0xFD: "daylight_savings_end", 0xFE: "daylight_savings_begin"])),
            ("day_of_month", special(dayOfMonth, [0xFD: "second_last_day", 0xFE: "last_day"])),
            ("day_of_week", special(dayOfWeek, [:])),
        ]
    }
}

/// A COSEM time (tag 27, and bytes 5–8 of a date-time): fact sheet §6.4.
public struct COSEMTime: Sendable, Hashable {
    /// Hour 0…23, `FF` not specified.
    public var hour: UInt8
    /// Minute 0…59, `FF` not specified.
    public var minute: UInt8
    /// Second 0…59, `FF` not specified.
    public var second: UInt8
    /// Hundredths 0…99, `FF` not specified.
    public var hundredths: UInt8

    /// A time from its transmitted fields (defaults: not specified).
    public init(hour: UInt8 = 0xFF, minute: UInt8 = 0xFF, second: UInt8 = 0xFF, hundredths: UInt8 = 0xFF) {
        self.hour = hour
        self.minute = minute
        self.second = second
        self.hundredths = hundredths
    }

    /// Every field not specified (`FF FF FF FF`).
    public static let notSpecified = COSEMTime()

    /// Decodes 4 bytes.
    public init(bytes: ArraySlice<UInt8>) throws(DLMSError) {
        var r = AXDRReader(bytes)
        hour = try r.readByte("hour")
        minute = try r.readByte("minute")
        second = try r.readByte("second")
        hundredths = try r.readByte("hundredths")
        try r.expectEnd("time")
    }

    /// The 4 bytes.
    public var encoded: [UInt8] { [hour, minute, second, hundredths] }

    /// True when every field is in range or `FF`.
    public var isValid: Bool {
        (hour <= 23 || hour == 0xFF) && (minute <= 59 || minute == 0xFF)
            && (second <= 59 || second == 0xFF) && (hundredths <= 99 || hundredths == 0xFF)
    }

    /// `HH:MM:SS` (with `.hh` when hundredths are given) when hour, minute and second are in range, else nil.
    public var iso8601: String? {
        guard hour <= 23, minute <= 59, second <= 59 else { return nil }
        var s = "\(axdrPad(Int(hour), 2)):\(axdrPad(Int(minute), 2)):\(axdrPad(Int(second), 2))"
        if hundredths <= 99 { s += "." + axdrPad(Int(hundredths), 2) }
        return s
    }

    /// The time with `*` for unspecified fields.
    public var text: String {
        func f(_ v: UInt8) -> String { v == 0xFF ? "*" : axdrPad(Int(v), 2) }
        return "\(f(hour)):\(f(minute)):\(f(second)).\(f(hundredths))"
    }

    var jsonMembers: [(String, JSONValue)] {
        [("hour", special(hour, [:])), ("minute", special(minute, [:])),
         ("second", special(second, [:])), ("hundredths", special(hundredths, [:]))]
    }
}

/// A COSEM date-time (tag 25, or the 12 bytes of an octet-string clock value): fact sheet §6.4.
///
/// Deviation is minutes from local time to UTC: UTC+01:00 is sent as −60 (U9 `utc_offset_minutes`,
/// JD, GX agree; U9 notes some companion standards use the opposite sign).
public struct COSEMDateTime: Sendable, Hashable {
    /// Bytes 0–4.
    public var date: COSEMDate
    /// Bytes 5–8.
    public var time: COSEMTime
    /// Bytes 9–10: minutes local → UTC; `0x8000` (−32768) = not specified.
    public var deviation: Int16
    /// Byte 11.
    public var clockStatus: ClockStatus

    /// The transmitted deviation meaning "not specified".
    public static let deviationNotSpecified: Int16 = -0x8000

    /// A date-time from its parts (defaults: not specified).
    public init(date: COSEMDate = .notSpecified, time: COSEMTime = .notSpecified,
                deviation: Int16 = COSEMDateTime.deviationNotSpecified, clockStatus: ClockStatus = .notSpecified) {
        self.date = date
        self.time = time
        self.deviation = deviation
        self.clockStatus = clockStatus
    }

    /// Decodes 12 bytes.
    public init(bytes: ArraySlice<UInt8>) throws(DLMSError) {
        guard bytes.count == 12 else {
            throw DLMSError(bytes.count < 12 ? .truncated : .trailingBytes, at: min(bytes.count, 12),
                            "a date-time is 12 bytes, got \(bytes.count)")
        }
        let s = bytes.startIndex
        date = try COSEMDate(bytes: bytes[s..<(s + 5)])
        time = try COSEMTime(bytes: bytes[(s + 5)..<(s + 9)])
        deviation = Int16(bitPattern: UInt16(bytes[s + 9]) << 8 | UInt16(bytes[s + 10]))
        clockStatus = ClockStatus(rawValue: bytes[s + 11])
    }

    /// The 12 bytes.
    public var encoded: [UInt8] {
        let d = UInt16(bitPattern: deviation)
        return date.encoded + time.encoded + [UInt8(d >> 8), UInt8(d & 0xFF), clockStatus.rawValue]
    }

    /// The UTC offset in minutes (the negated deviation), or nil when not specified.
    public var utcOffsetMinutes: Int? {
        deviation == Self.deviationNotSpecified ? nil : -Int(deviation)
    }

    /// True when date and time are valid and the deviation is within ±840 minutes or not specified.
    ///
    /// JD/U9 allow ±720, SP's clock time_zone −720…840; ±840 accepts both readings (fact sheet §6.4 ⚠).
    public var isValid: Bool {
        date.isValid && time.isValid && (deviation == Self.deviationNotSpecified || abs(Int(deviation)) <= 840)
    }

    /// `YYYY-MM-DDTHH:MM:SS[.hh][±HH:MM]` when date and time are specified; the offset only when the
    /// deviation is. Nil otherwise.
    public var iso8601: String? {
        guard let d = date.iso8601, let t = time.iso8601 else { return nil }
        var s = d + "T" + t
        if let offset = utcOffsetMinutes, abs(offset) <= 24 * 60 {
            if offset == 0 {
                s += "Z"
            } else {
                s += (offset < 0 ? "-" : "+") + axdrPad(abs(offset) / 60, 2) + ":" + axdrPad(abs(offset) % 60, 2)
            }
        }
        return s
    }

    var jsonMembers: [(String, JSONValue)] {
        var m = date.jsonMembers + time.jsonMembers
        m.append(("deviation", deviation == Self.deviationNotSpecified ? .null : .int(Int64(deviation))))
        m.append(("clock_status", clockStatus.isSpecified
                    ? .object([("raw", .uint(UInt64(clockStatus.rawValue))),
                               ("flags", .array(clockStatus.names.map { .string($0) }))])
                    : .null))
        return m
    }
}

/// A field as JSON: null for `FF`, a name for other special values, the number otherwise.
private func special(_ v: UInt8, _ names: [UInt8: String]) -> JSONValue {
    if v == 0xFF { return .null }
    if let name = names[v] { return .string(name) }
    return .uint(UInt64(v))
}

func axdrPad(_ v: Int, _ width: Int) -> String {
    let s = String(v)
    return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
}
