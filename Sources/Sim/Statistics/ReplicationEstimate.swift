// ReplicationEstimate.swift — across-replication estimate of a performance measure.

/// The estimate of a performance measure from independent replications: one value per
/// replication (e.g. each run's mean waiting time), their mean, spread and Student-t
/// confidence interval.
public struct ReplicationEstimate: Sendable, Equatable {
    // MARK: Properties

    /// The per-replication values, in the order given.
    public let values: [Double]

    /// Count, mean, variance, min and max of ``values``.
    public let tally: Tally

    /// The Student-t confidence interval for the mean of the replications.
    public let interval: ConfidenceInterval

    // MARK: Creating

    /// Summarises independent replication `values` with a Student-t interval at the given
    /// confidence level (default 95 %: half-width `t_{0.975, n−1} · s/√n`).
    ///
    /// - Precondition: `0 < confidenceLevel < 1`.
    public init(_ values: [Double], confidenceLevel: Double = 0.95) {
        self.values = values
        tally = Tally(values)
        interval = ConfidenceInterval(tally, confidenceLevel: confidenceLevel)
    }

    // MARK: Results

    /// The number of replications.
    public var count: Int { tally.count }

    /// The mean over replications; NaN when there are none.
    public var mean: Double { tally.mean }

    /// The sample standard deviation across replications; NaN when fewer than two.
    public var standardDeviation: Double { tally.standardDeviation }

    /// The confidence-interval half-width; `nil` when fewer than two replications.
    public var halfWidth: Double? { interval.halfWidth }

    /// The confidence level of ``interval``.
    public var confidenceLevel: Double { interval.confidenceLevel }
}
