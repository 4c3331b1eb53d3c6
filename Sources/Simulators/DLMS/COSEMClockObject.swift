import DLMS

/// IC 8 Clock (v0) at 0.0.1.0.0.255 over the ``SimulatedClock``: all nine attributes; the manager
/// may set time (time synchronisation), time_zone and the daylight-saving attributes, and invoke
/// the six methods (adjust to quarter / measuring period (900 s) / minute / preset time, preset
/// adjusting time, shift time ±900 s).
final class COSEMClockObject: COSEMObject {
    /// Daylight saving begin: last Sunday of March, 02:00 (wildcard year).
    var daylightSavingsBegin: [UInt8] = [0xFF, 0xFF, 0x03, 0xFE, 0x07, 0x02, 0x00, 0x00, 0x00, 0x80, 0x00, 0xFF]
    /// Daylight saving end: last Sunday of October, 03:00.
    var daylightSavingsEnd: [UInt8] = [0xFF, 0xFF, 0x0A, 0xFE, 0x07, 0x03, 0x00, 0x00, 0x00, 0x80, 0x00, 0xFF]
    var daylightSavingsDeviation: Int8 = 60
    /// Off: the simulated clock keeps one deviation all year, which keeps the load profile regular.
    var daylightSavingsEnabled = false
    /// The preset of method 5: (preset time, validity start, validity end) in local seconds.
    private var preset: (Int64, Int64, Int64)?

    init() {
        super.init(classID: 8, version: 0, logicalName: .clock,
                   policy: COSEMAccessPolicy(writable: [2, 3, 5, 6, 7, 8]))
    }

    override func get(_ attribute: Int, selection: SelectiveAccessDescriptor?, in ctx: COSEMCallContext) -> COSEMGetOutcome {
        let clock = ctx.clock
        switch attribute {
        case 2:
            if ctx.server.configuration.has(.wrongDataType) {
                return .value(.doubleLongUnsigned(UInt32(truncatingIfNeeded: clock.nowSeconds)))
            }
            return .value(.octetString(clock.now.encoded))
        case 3: return .value(.long(clock.deviation))
        case 4: return .value(.unsigned(clock.status))
        case 5: return .value(.octetString(daylightSavingsBegin))
        case 6: return .value(.octetString(daylightSavingsEnd))
        case 7: return .value(.integer(daylightSavingsDeviation))
        case 8: return .value(.bool(daylightSavingsEnabled))
        case 9: return .value(.enumerated(1))  // crystal
        default: return super.get(attribute, selection: selection, in: ctx)
        }
    }

    override func set(_ attribute: Int, value: COSEMData, in ctx: COSEMCallContext) -> DataAccessResult {
        let clock = ctx.clock
        switch (attribute, value) {
        case let (2, .octetString(bytes)):
            guard let dt = try? COSEMDateTime(bytes: bytes[...]), dt.isValid, let seconds = SimulatedClock.seconds(of: dt) else {
                return .otherReason
            }
            ctx.server.logEvent(COSEMServer.EventCode.clockAdjustedOldTime)
            clock.set(seconds: seconds)
            ctx.server.logEvent(COSEMServer.EventCode.clockAdjustedNewTime)
            if dt.deviation != COSEMDateTime.deviationNotSpecified { clock.deviation = dt.deviation }
            return .success
        case let (3, .long(v)):
            guard (-720...840).contains(v) else { return .otherReason }
            clock.deviation = v
            return .success
        case let (5, .octetString(b)):
            daylightSavingsBegin = b
            return .success
        case let (6, .octetString(b)):
            daylightSavingsEnd = b
            return .success
        case let (7, .integer(v)):
            guard (-120...120).contains(v) else { return .otherReason }
            daylightSavingsDeviation = v
            return .success
        case let (8, v):
            daylightSavingsEnabled = v.boolValue ?? false
            return .success
        default:
            return .typeUnmatched
        }
    }

    override func invoke(_ method: Int, parameter: COSEMData, in ctx: COSEMCallContext) -> COSEMActionOutcome {
        let clock = ctx.clock
        func round(to period: Int64) {
            let now = clock.nowSeconds
            let r = ((now % period) + period) % period
            clock.shift(by: r * 2 >= period ? period - r : -r)
        }
        switch method {
        case 1, 2: round(to: 900)
        case 3: round(to: 60)
        case 4:
            guard let (time, start, end) = preset else { return .failure(.otherReason) }
            let now = clock.nowSeconds
            guard now >= start, now <= end else { return .failure(.otherReason) }
            clock.set(seconds: time)
        case 5:
            guard case let .structure(items) = parameter, items.count == 3 else { return .failure(.typeUnmatched) }
            var seconds: [Int64] = []
            for item in items {
                let bytes: [UInt8]
                switch item {
                case let .octetString(b): bytes = b
                case let .dateTime(dt): bytes = dt.encoded
                default: return .failure(.typeUnmatched)
                }
                guard let dt = try? COSEMDateTime(bytes: bytes[...]), let s = SimulatedClock.seconds(of: dt) else {
                    return .failure(.otherReason)
                }
                seconds.append(s)
            }
            preset = (seconds[0], seconds[1], seconds[2])
        case 6:
            guard case let .long(delta) = parameter, (-900...900).contains(delta) else { return .failure(.otherReason) }
            clock.shift(by: Int64(delta))
        default:
            return .failure(.objectUndefined)
        }
        return .success
    }
}
