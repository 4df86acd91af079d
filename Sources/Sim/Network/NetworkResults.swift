// MARK: - Results of a network run

/// What one replication measured after its warm-up. Rates are per second, times in seconds.
public struct NetworkReplicationResult: Sendable, Equatable {
    /// One station's figures.
    public struct Station: Sendable, Equatable, BitwiseEquatable {
        /// Service completions per second.
        public var throughput: Double
        /// Mean fraction of servers busy.
        public var utilization: Double
        /// Mean time in queue before service.
        public var wait: Double
        /// Mean time at the station (wait + service).
        public var response: Double
        /// Time-average number waiting.
        public var queueLength: Double
        /// Response-time percentiles p50, p90, p95, p99.
        public var responsePercentiles: ResponsePercentiles
    }

    /// One class's figures: a customer's trip from entering the network to leaving it (open)
    /// or returning to think (closed).
    public struct CustomerClass: Sendable, Equatable, BitwiseEquatable {
        public var throughput: Double
        public var response: Double
        public var responsePercentiles: ResponsePercentiles
    }

    public var stations: [Station]
    public var classes: [CustomerClass]
    /// The warm-up this replication deleted (fixed, or chosen by MSER-5).
    public var warmup: SimTime
    /// Events handled, warm-up included.
    public var events: Int
    /// Customers that completed their trip (left, or went back to thinking), warm-up included.
    public var customersCompleted: Int
    /// Broken invariants (empty when the run was sound).
    public var invariantViolations: [String]
}

/// Response-time percentiles of a station or class, in seconds.
public struct ResponsePercentiles: Sendable, Equatable, BitwiseEquatable {
    public var p50: Double
    public var p90: Double
    public var p95: Double
    public var p99: Double

    init(_ histogram: LatencyHistogram) {
        let empty = histogram.count == 0
        p50 = empty ? .nan : histogram.percentile(50)
        p90 = empty ? .nan : histogram.percentile(90)
        p95 = empty ? .nan : histogram.percentile(95)
        p99 = empty ? .nan : histogram.percentile(99)
    }

    var bitwiseFields: [UInt64] { [p50, p90, p95, p99].map(\.bitPattern) }
}

// MARK: - Equality of results

/// Results compare equal when every figure is the same to the bit. A statistic without
/// observations is NaN, and NaN ≠ NaN under `==`; two identical runs must still compare equal,
/// which is what determinism checks ask.
protocol BitwiseEquatable {
    var bitwiseFields: [UInt64] { get }
}

extension BitwiseEquatable {
    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.bitwiseFields == rhs.bitwiseFields }
}

extension NetworkReplicationResult.Station {
    var bitwiseFields: [UInt64] {
        [throughput, utilization, wait, response, queueLength].map(\.bitPattern) + responsePercentiles.bitwiseFields
    }
}

extension NetworkReplicationResult.CustomerClass {
    var bitwiseFields: [UInt64] { [throughput, response].map(\.bitPattern) + responsePercentiles.bitwiseFields }
}

/// All replications of a network scenario.
public struct NetworkRunResult: Sendable, Equatable {
    /// The scenario that ran.
    public var spec: NetworkSpec
    /// One result per replication, in replication order (whatever order they finished in).
    public var replications: [NetworkReplicationResult]

    /// Total events handled over all replications.
    public var totalEvents: Int { replications.reduce(0) { $0 + $1.events } }

    /// Total customers that completed their trip over all replications.
    public var totalCustomersCompleted: Int { replications.reduce(0) { $0 + $1.customersCompleted } }

    /// Every broken invariant, prefixed with its replication.
    public var invariantViolations: [String] {
        replications.enumerated().flatMap { index, result in result.invariantViolations.map { "replication \(index): \($0)" } }
    }
}
