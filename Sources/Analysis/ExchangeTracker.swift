/// Pairs requests with responses for one conversation, protocol-independently: a request waits
/// for a response of the same service; a response answers the outstanding request with its
/// correlation value (invoke-id), else the oldest of its service (a correlation mismatch), else
/// none (a response without request); a response without a correlation value answers the latest
/// request of its service. When a request is answered, older requests of its service
/// still waiting are given up as unanswered (client/server protocols answer in order).
///
/// Memory: at most ``maximumPending`` outstanding requests; older ones are given up as unanswered.
struct ExchangeTracker {
    /// A request waiting for its response.
    struct Pending {
        var service: String
        var correlation: Int?
        var packets: [PacketRef]
        var time: Int64
        var name: String
    }

    /// What a response met.
    enum Match {
        /// Answered `request`; `mismatch` when the correlation values differ.
        case answered(Pending, mismatch: Bool)
        /// No request of its service was outstanding.
        case unsolicited
    }

    /// The most requests held waiting.
    var maximumPending = 64
    private(set) var pending: [Pending] = []

    /// Registers a request; returns requests given up to stay within the bound (or, with
    /// `halfDuplex`, every request still waiting: a new request means they went unanswered).
    mutating func request(_ request: Pending, halfDuplex: Bool = false) -> [Pending] {
        var dropped: [Pending] = []
        if halfDuplex {
            dropped = pending
            pending.removeAll()
        }
        pending.append(request)
        if pending.count > maximumPending {
            dropped.append(pending.removeFirst())
        }
        return dropped
    }

    /// Matches a response of `service` (nil: any service, like an ExceptionResponse) carrying
    /// `correlation` (nil: unknown, no mismatch check). Also returns older requests of the same
    /// service given up as unanswered.
    mutating func response(service: String?, correlation: Int?) -> (Match, unanswered: [Pending]) {
        func sameService(_ p: Pending) -> Bool { service == nil || p.service == service }
        var index: Int?
        if let correlation {
            index = pending.firstIndex { sameService($0) && $0.correlation == correlation }
        }
        var mismatch = false
        if index == nil, correlation == nil {
            // Nothing to correlate by: the latest request of the service (a retried AARQ is answered once).
            index = pending.lastIndex(where: sameService)
        }
        if index == nil {
            index = pending.firstIndex(where: sameService)
            if let i = index, let correlation, let expected = pending[i].correlation, expected != correlation {
                mismatch = true
            }
        }
        guard let matched = index else { return (.unsolicited, []) }
        let request = pending[matched]
        var unanswered: [Pending] = []
        var kept: [Pending] = []
        for (i, p) in pending.enumerated() where i != matched {
            if i < matched && sameService(p) && p.service == request.service { unanswered.append(p) } else { kept.append(p) }
        }
        pending = kept
        return (.answered(request, mismatch: mismatch), unanswered)
    }

    /// Gives up every waiting request except those of `keeping` (a new association or a link reset
    /// means they will not be answered); returns them in order.
    mutating func abandon(keeping: Set<String> = []) -> [Pending] {
        let dropped = pending.filter { !keeping.contains($0.service) }
        pending.removeAll { !keeping.contains($0.service) }
        return dropped
    }

    /// Every request still waiting (at the end of the conversation); empties the tracker.
    mutating func finish() -> [Pending] {
        defer { pending.removeAll() }
        return pending
    }
}
