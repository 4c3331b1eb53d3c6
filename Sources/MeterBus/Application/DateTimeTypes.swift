/// Type G: a date in 16 bits (EN 13757-3 annex; fact sheet §6.1).
///
/// Year = 2000 + the 7-bit year, as libmbus, jMBus and wmbusmeters read it.
public struct DateTypeG: Sendable, Equatable, Hashable {
    /// The 16-bit value as transmitted (little-endian on the wire).
    public let rawValue: UInt16
    /// Wraps a transmitted value.
    public init(rawValue: UInt16) { self.rawValue = rawValue }
    /// Packs a date; the year must be 2000...2127.
    public init?(year: Int, month: Int, day: Int) {
        guard (2000...2127).contains(year), (0...15).contains(month), (0...31).contains(day) else { return nil }
        let y = UInt16(year - 2000)
        rawValue = UInt16(day) | (y & 7) << 5 | UInt16(month) << 8 | (y >> 3) << 12
    }
    /// Day of month (bits 4–0 of byte 0).
    public var day: Int { Int(rawValue & 0x1F) }
    /// Month (bits 3–0 of byte 1).
    public var month: Int { Int((rawValue >> 8) & 0x0F) }
    /// The 7-bit year.
    public var year7: Int { Int((rawValue >> 5) & 0x07) | Int((rawValue >> 12) & 0x0F) << 3 }
    /// The calendar year.
    public var year: Int { 2000 + year7 }
    /// True when month and day form a calendar date.
    public var isValid: Bool { isCalendarDate(year: year, month: month, day: day) }
    /// `YYYY-MM-DD`, printed even when invalid so that defects stay visible.
    public var iso8601: String { "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))" }
}

/// Type F: date and time to the minute in 32 bits (fact sheet §6.2).
///
/// Century: 1900 + 100·hy + y, except hy = 0 with y ≤ 80 giving 2000 + y (libmbus and exmbus agree).
public struct DateTimeTypeF: Sendable, Equatable, Hashable {
    /// The 32-bit value as transmitted (little-endian on the wire).
    public let rawValue: UInt32
    /// Wraps a transmitted value.
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    /// Packs a date and time (hundred-year bits chosen per the century rule).
    public init?(year: Int, month: Int, day: Int, hour: Int, minute: Int, summerTime: Bool = false) {
        guard (1900...2299).contains(year), (0...15).contains(month), (0...31).contains(day),
              (0...31).contains(hour), (0...63).contains(minute) else { return nil }
        var hy = (year - 1900) / 100
        var y = (year - 1900) % 100
        if year >= 2000 && year <= 2080 { hy = 0; y = year - 2000 }
        guard y < 128 else { return nil }
        let b0 = UInt32(minute)
        let b1 = UInt32(hour) | UInt32(hy & 3) << 5 | (summerTime ? 0x80 : 0)
        let b2 = UInt32(day) | UInt32(y & 7) << 5
        let b3 = UInt32(month) | UInt32(y >> 3) << 4
        rawValue = b0 | b1 << 8 | b2 << 16 | b3 << 24
    }
    var b0: UInt32 { rawValue & 0xFF }
    var b1: UInt32 { (rawValue >> 8) & 0xFF }
    var b2: UInt32 { (rawValue >> 16) & 0xFF }
    var b3: UInt32 { rawValue >> 24 }
    /// IV: the time is invalid.
    public var isInvalidFlagSet: Bool { b0 & 0x80 != 0 }
    /// SU: summer time.
    public var isSummerTime: Bool { b1 & 0x80 != 0 }
    public var minute: Int { Int(b0 & 0x3F) }
    public var hour: Int { Int(b1 & 0x1F) }
    public var day: Int { Int(b2 & 0x1F) }
    public var month: Int { Int(b3 & 0x0F) }
    /// The hundred-year bits.
    public var hundredYear: Int { Int((b1 >> 5) & 3) }
    /// The 7-bit year.
    public var year7: Int { Int((b2 >> 5) & 7) | Int(b3 >> 4) << 3 }
    /// The calendar year.
    public var year: Int {
        if hundredYear == 0 && year7 <= 80 { return 2000 + year7 }
        return 1900 + 100 * hundredYear + year7
    }
    /// True when the fields form a real date and time and IV is clear.
    public var isValid: Bool {
        !isInvalidFlagSet && isCalendarDate(year: year, month: month, day: day) && hour < 24 && minute < 60
    }
    /// `YYYY-MM-DDTHH:MM:00` (local time of the meter; no zone is transmitted).
    public var iso8601: String {
        "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(hour, 2)):\(pad(minute, 2)):00"
    }
}

/// Type I: date and time with seconds in 48 bits (fact sheet §6.3; layout per exmbus, libmbus agrees).
public struct DateTimeTypeI: Sendable, Equatable, Hashable {
    /// The six bytes as transmitted.
    public let bytes: [UInt8]
    /// Wraps six transmitted bytes; nil for any other length.
    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == 6 else { return nil }
        self.bytes = Array(bytes)
    }
    public var second: Int { Int(bytes[0] & 0x3F) }
    public var minute: Int { Int(bytes[1] & 0x3F) }
    public var hour: Int { Int(bytes[2] & 0x1F) }
    /// Day of week, 1 = Monday … 7 = Sunday, 0 = not specified.
    public var dayOfWeek: Int { Int(bytes[2] >> 5) }
    public var day: Int { Int(bytes[3] & 0x1F) }
    public var month: Int { Int(bytes[4] & 0x0F) }
    /// IV: the time is invalid.
    public var isInvalidFlagSet: Bool { bytes[1] & 0x80 != 0 }
    /// Time during daylight saving.
    public var isSummerTime: Bool { bytes[0] & 0x40 != 0 }
    /// The 7-bit year.
    public var year7: Int { Int(bytes[3] >> 5) | Int(bytes[4] >> 4) << 3 }
    /// The calendar year: 2000 + y (libmbus and wmbusmeters).
    public var year: Int { 2000 + year7 }
    /// Week number, 0 = not specified.
    public var week: Int { Int(bytes[5] & 0x3F) }
    /// True when the fields form a real date and time and IV is clear.
    public var isValid: Bool {
        !isInvalidFlagSet && isCalendarDate(year: year, month: month, day: day) && hour < 24 && minute < 60 && second < 60
    }
    /// `YYYY-MM-DDTHH:MM:SS`.
    public var iso8601: String {
        "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(hour, 2)):\(pad(minute, 2)):\(pad(second, 2))"
    }
}

/// Type J: time of day in 24 bits (fact sheet §6.4; exmbus alone decodes it, with the doctest `3B 30 0B` = 11:48:59).
public struct TimeTypeJ: Sendable, Equatable, Hashable {
    /// The three bytes as transmitted (second, minute, hour).
    public let bytes: [UInt8]
    /// Wraps three transmitted bytes; nil for any other length.
    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == 3 else { return nil }
        self.bytes = Array(bytes)
    }
    public var second: Int { Int(bytes[0] & 0x3F) }
    public var minute: Int { Int(bytes[1] & 0x3F) }
    public var hour: Int { Int(bytes[2] & 0x1F) }
    /// True when the fields form a time of day.
    public var isValid: Bool { hour < 24 && minute < 60 && second < 60 }
    /// `HH:MM:SS`.
    public var iso8601: String { "\(pad(hour, 2)):\(pad(minute, 2)):\(pad(second, 2))" }
}

func isCalendarDate(year: Int, month: Int, day: Int) -> Bool {
    guard (1...12).contains(month), day >= 1 else { return false }
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
    return day <= days
}

func pad(_ n: Int, _ width: Int) -> String {
    let s = String(n)
    return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
}
