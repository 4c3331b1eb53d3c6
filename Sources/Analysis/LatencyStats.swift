import CodecSupport

/// Response latencies: count, min, max, mean, and a histogram of log-spaced buckets (bounded memory).
public struct LatencyStats: Sendable, Hashable {
    /// Upper bounds of the histogram buckets in nanoseconds (the last bucket is open-ended).
    public static let bucketBounds: [Int64] = [
        1_000_000, 5_000_000, 10_000_000, 50_000_000, 100_000_000, 250_000_000, 500_000_000,
        1_000_000_000, 2_000_000_000, 5_000_000_000, 10_000_000_000,
    ]
    /// Labels of the buckets, in order (one more than ``bucketBounds``).
    public static let bucketLabels: [String] = [
        "≤1 ms", "≤5 ms", "≤10 ms", "≤50 ms", "≤100 ms", "≤250 ms", "≤500 ms", "≤1 s", "≤2 s", "≤5 s", "≤10 s", ">10 s",
    ]

    /// Number of latencies.
    public private(set) var count = 0
    /// Smallest, ns.
    public private(set) var minimum: Int64 = 0
    /// Largest, ns.
    public private(set) var maximum: Int64 = 0
    /// Sum, ns (for the mean).
    public private(set) var total: Double = 0
    /// Counts per bucket.
    public private(set) var buckets = [Int](repeating: 0, count: LatencyStats.bucketBounds.count + 1)

    /// Empty statistics.
    public init() {}

    /// Adds one latency (negative values, from clock steps in the capture, count as 0).
    public mutating func add(_ nanoseconds: Int64) {
        let value = max(0, nanoseconds)
        if count == 0 {
            minimum = value
            maximum = value
        } else {
            minimum = min(minimum, value)
            maximum = max(maximum, value)
        }
        count += 1
        total += Double(value)
        let bucket = Self.bucketBounds.firstIndex { value <= $0 } ?? Self.bucketBounds.count
        buckets[bucket] += 1
    }

    /// Adds another set.
    public mutating func merge(_ other: LatencyStats) {
        guard other.count > 0 else { return }
        if count == 0 {
            minimum = other.minimum
            maximum = other.maximum
        } else {
            minimum = min(minimum, other.minimum)
            maximum = max(maximum, other.maximum)
        }
        count += other.count
        total += other.total
        for i in buckets.indices { buckets[i] += other.buckets[i] }
    }

    /// Mean in ns (0 when empty).
    public var mean: Double { count == 0 ? 0 : total / Double(count) }

    /// `{count, min_ms, mean_ms, max_ms}` (null values when empty).
    public var json: JSONValue {
        func ms(_ ns: Double) -> JSONValue { count == 0 ? .null : .double((ns / 1_000).rounded() / 1_000) }
        return .object([
            ("count", .int(Int64(count))), ("min_ms", ms(Double(minimum))), ("mean_ms", ms(mean)),
            ("max_ms", ms(Double(maximum))),
        ])
    }
}
