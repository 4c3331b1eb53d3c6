import DLMS

/// The reference meter's clock: local time = start + elapsed monotonic time + the offset a SET or
/// a method applied. Deterministic: the start is fixed (2026-01-01T00:00:00 local by default) and
/// the elapsed time comes from an injectable source.
///
/// Seconds are counted as "local seconds since 1970-01-01T00:00:00 local" (no calendar zone
/// rules); ``deviation`` (minutes, local → UTC, −60 = UTC+01:00, fact sheet §6.4) and ``status``
/// are carried as attributes of the clock object.
public final class SimulatedClock {
    /// Where elapsed seconds come from.
    public let elapsed: () -> Double
    /// Local seconds at elapsed 0.
    public let startSeconds: Int64
    /// Seconds added by SET time, shift_time and the adjust methods.
    public private(set) var offsetSeconds: Int64 = 0
    /// Clock deviation in minutes (IC 8 attribute 3 time_zone; fact sheet §6.4 sign).
    public var deviation: Int16
    /// Clock status (IC 8 attribute 4; fact sheet §6.5).
    public var status: UInt8

    /// 2026-01-01T00:00:00 local.
    public static let defaultStart: Int64 = SimulatedClock.seconds(year: 2026, month: 1, day: 1)

    /// A clock starting at `startSeconds`, advanced by `elapsed` (defaults to monotonic time since creation).
    public init(startSeconds: Int64 = SimulatedClock.defaultStart, deviation: Int16 = -60, status: UInt8 = 0,
                elapsed: (() -> Double)? = nil) {
        self.startSeconds = startSeconds
        self.deviation = deviation
        self.status = status
        if let elapsed {
            self.elapsed = elapsed
        } else {
            let origin = ContinuousClock.now
            self.elapsed = {
                let d = ContinuousClock.now - origin
                return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
            }
        }
    }

    /// The current local time in whole seconds.
    public var nowSeconds: Int64 {
        let e = elapsed()
        let whole = e.isFinite && e >= 0 && e < 1e15 ? Int64(e) : 0
        return startSeconds &+ whole &+ offsetSeconds
    }

    /// Seconds since the start (never negative).
    public var secondsSinceStart: Int64 { max(0, nowSeconds &- startSeconds) }

    /// Sets the local time to `seconds`.
    public func set(seconds: Int64) { offsetSeconds = offsetSeconds &+ (seconds &- nowSeconds) }

    /// Moves the time by `delta` seconds.
    public func shift(by delta: Int64) { offsetSeconds = offsetSeconds &+ delta }

    /// The current time as a COSEM date-time with this clock's deviation and status.
    public var now: COSEMDateTime { dateTime(seconds: nowSeconds) }

    /// `seconds` as a COSEM date-time with this clock's deviation and status.
    public func dateTime(seconds: Int64) -> COSEMDateTime {
        Self.dateTime(seconds: seconds, deviation: deviation, status: status)
    }

    /// `seconds` (local) as a date-time.
    public static func dateTime(seconds: Int64, deviation: Int16, status: UInt8) -> COSEMDateTime {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let rest = seconds - days * 86_400
        let (y, m, d) = civil(fromDays: days)
        let weekday = UInt8(((days % 7) + 7 + 3) % 7 + 1)
        return COSEMDateTime(
            date: COSEMDate(year: UInt16(clamping: y), month: UInt8(m), dayOfMonth: UInt8(d), dayOfWeek: weekday),
            time: COSEMTime(hour: UInt8(rest / 3600), minute: UInt8(rest % 3600 / 60), second: UInt8(rest % 60), hundredths: 0),
            deviation: deviation, clockStatus: ClockStatus(rawValue: status))
    }

    /// Local seconds of a fully specified date-time, or nil when a date or time field is not specified or out of range.
    public static func seconds(of dt: COSEMDateTime) -> Int64? {
        let d = dt.date, t = dt.time
        guard d.year != 0xFFFF, (1...12).contains(d.month), (1...31).contains(d.dayOfMonth),
              t.hour < 24, t.minute < 60, t.second < 60 else { return nil }
        return seconds(year: Int64(d.year), month: Int64(d.month), day: Int64(d.dayOfMonth))
            + Int64(t.hour) * 3600 + Int64(t.minute) * 60 + Int64(t.second)
    }

    /// Local seconds at midnight of a civil date.
    public static func seconds(year: Int64, month: Int64, day: Int64) -> Int64 {
        days(fromCivil: year, month, day) * 86_400
    }

    // Howard Hinnant's days_from_civil / civil_from_days (proleptic Gregorian).
    static func days(fromCivil year: Int64, _ month: Int64, _ day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civil(fromDays z0: Int64) -> (Int64, Int64, Int64) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }
}
