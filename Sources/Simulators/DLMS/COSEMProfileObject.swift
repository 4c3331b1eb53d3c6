import DLMS

/// IC 7 Profile generic (v1): the load profile, the power-quality profile, the
/// instantaneous-values profile and the standard event log. Rows come from a provider over the
/// simulated clock (deterministic), oldest first (sort_method 1 fifo, sort_object = the clock
/// column); the buffer supports selective access by range (selector 1, restricting object = the
/// clock time column, from/to as date-time octet-strings) and by entry (selector 2, entries and
/// columns numbered from 1, 0 = up to the last), fact sheet §8.6.
final class COSEMProfileObject: COSEMObject {
    let captureObjects: [CaptureObjectDefinition]
    let capturePeriod: UInt32
    let profileEntries: UInt32
    /// Whether method 2 (capture) does something for this profile (the computed profiles have no manual capture).
    let capturable: Bool
    private let rows: (COSEMCallContext) -> [[COSEMData]]
    /// Rows at or before this local second are gone (method 1 reset).
    var resetAt: Int64?

    init(_ logicalName: OBISCode, captureObjects: [CaptureObjectDefinition], capturePeriod: UInt32, profileEntries: UInt32,
         capturable: Bool = false, visibility: COSEMVisibility = .readerAndManager,
         rows: @escaping (COSEMCallContext) -> [[COSEMData]]) {
        self.captureObjects = captureObjects
        self.capturePeriod = capturePeriod
        self.profileEntries = profileEntries
        self.capturable = capturable
        self.rows = rows
        super.init(classID: 7, version: 1, logicalName: logicalName,
                   policy: COSEMAccessPolicy(visibility: visibility, selectors: [2: [1, 2]]))
    }

    override func methodAccess(_ method: Int, for role: COSEMClientRole) -> Bool {
        super.methodAccess(method, for: role) && (method == 1 || capturable)
    }

    /// The buffer rows after a reset, at most profile_entries of them.
    func buffer(_ ctx: COSEMCallContext) -> [[COSEMData]] {
        var all = rows(ctx)
        if let resetAt {
            all = all.filter { row in (row.first.flatMap(Self.seconds) ?? Int64.max) > resetAt }
        }
        return Array(all.suffix(Int(profileEntries)))
    }

    static func seconds(_ cell: COSEMData) -> Int64? {
        guard case let .octetString(b) = cell, let dt = try? COSEMDateTime(bytes: b[...]) else { return nil }
        return SimulatedClock.seconds(of: dt)
    }

    override func get(_ attribute: Int, selection: SelectiveAccessDescriptor?, in ctx: COSEMCallContext) -> COSEMGetOutcome {
        switch attribute {
        case 2:
            guard let selection else { return .value(.array(buffer(ctx).map { .structure($0) })) }
            guard let selected = select(buffer(ctx), selection) else { return .failure(.otherReason) }
            return .value(.array(selected.map { .structure($0) }))
        case 3: return .value(.array(captureObjects.map(\.data)))
        case 4: return .value(.doubleLongUnsigned(capturePeriod))
        case 5: return .value(.enumerated(1))
        case 6: return .value(captureObjects.first?.data ?? .structure([.longUnsigned(0), .octetString([0, 0, 0, 0, 0, 0]), .integer(0), .longUnsigned(0)]))
        case 7: return .value(.doubleLongUnsigned(UInt32(buffer(ctx).count)))
        case 8: return .value(.doubleLongUnsigned(profileEntries))
        default: return super.get(attribute, selection: selection, in: ctx)
        }
    }

    /// Selective access 1 (range) or 2 (entry); nil for parameters it cannot apply.
    func select(_ rows: [[COSEMData]], _ selection: SelectiveAccessDescriptor) -> [[COSEMData]]? {
        guard case let .structure(p) = selection.accessParameters, p.count == 4 else { return nil }
        switch selection.accessSelector {
        case 1:
            guard let restricting = try? CaptureObjectDefinition(data: p[0]),
                  let column = captureObjects.firstIndex(where: { $0.classID == restricting.classID && $0.logicalName == restricting.logicalName
                                                                   && $0.attributeIndex == restricting.attributeIndex }),
                  column == 0,
                  let from = Self.bound(p[1]), let to = Self.bound(p[2]),
                  case let .array(selected) = p[3] else { return nil }
            var columns: [Int] = Array(captureObjects.indices)
            if !selected.isEmpty {
                var chosen: [Int] = []
                for s in selected {
                    guard let d = try? CaptureObjectDefinition(data: s),
                          let i = captureObjects.firstIndex(where: { $0.classID == d.classID && $0.logicalName == d.logicalName
                                                                      && $0.attributeIndex == d.attributeIndex }) else { return nil }
                    chosen.append(i)
                }
                columns = chosen
            }
            return rows.filter { row in
                guard let t = row.first.flatMap(Self.seconds) else { return false }
                return t >= from && t <= to
            }.map { row in columns.map { $0 < row.count ? row[$0] : .nullData } }
        case 2:
            guard case let .doubleLongUnsigned(fromEntry) = p[0], case let .doubleLongUnsigned(toEntry) = p[1],
                  case let .longUnsigned(fromValue) = p[2], case let .longUnsigned(toValue) = p[3],
                  fromEntry >= 1, fromValue >= 1 else { return nil }
            let lastEntry = toEntry == 0 ? rows.count : min(Int(toEntry), rows.count)
            let lastColumn = toValue == 0 ? captureObjects.count : min(Int(toValue), captureObjects.count)
            guard Int(fromEntry) <= lastEntry else { return [] }
            guard Int(fromValue) <= lastColumn else { return nil }
            return rows[(Int(fromEntry) - 1)..<lastEntry].map { row in
                let upper = min(lastColumn, row.count)
                return Array(row[min(Int(fromValue) - 1, upper)..<upper])
            }
        default:
            return nil
        }
    }

    /// A range bound: a date-time octet-string (or tag-25 date-time); unspecified fields are not accepted.
    static func bound(_ value: COSEMData) -> Int64? {
        switch value {
        case let .octetString(b): return (try? COSEMDateTime(bytes: b[...])).flatMap(SimulatedClock.seconds)
        case let .dateTime(dt): return SimulatedClock.seconds(of: dt)
        default: return nil
        }
    }

    override func invoke(_ method: Int, parameter: COSEMData, in ctx: COSEMCallContext) -> COSEMActionOutcome {
        switch method {
        case 1:
            resetAt = ctx.clock.nowSeconds
            if logicalName == COSEMServer.standardEventLog { ctx.server.events.removeAll() }
            return .success
        case 2 where capturable:
            return .success  // rows are captured on read (instantaneous values)
        default:
            return .failure(.readWriteDenied)
        }
    }
}
