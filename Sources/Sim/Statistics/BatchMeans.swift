// BatchMeans.swift — non-overlapping batch means for a single long run.

/// The method of non-overlapping batch means for a single long (steady-state) run, in O(k)
/// memory.
///
/// `n` observations (the expected total, known in advance) are split into `k` batches of
/// `b = ⌊n/k⌋` consecutive observations. The `n − k·b` leading observations are skipped (they
/// are the ones nearest to the warm-up). The batch means are treated as approximately
/// independent and normal: the grand mean is their mean and the confidence interval is the
/// Student-t interval of the `k` batch means (`k − 1` degrees of freedom).
///
/// Use ``lag1Autocorrelation`` to check that the batches are long enough: a clearly positive
/// value means the batch means are still correlated and the interval is too narrow.
///
/// Recording is online (``record(_:)``); ``init(_:batchCount:)`` batches a stored series.
/// Observations beyond the expected total are ignored (and counted in ``ignoredCount``); if
/// fewer arrive, only the completed batches are used.
public struct BatchMeans: Sendable, Equatable {
    // MARK: Configuration

    /// The number of batches `k`.
    public let batchCount: Int

    /// The number of observations per batch, `b = ⌊n/k⌋`.
    public let batchSize: Int

    /// The expected total number of observations `n`.
    public let expectedCount: Int

    // MARK: Storage

    @usableFromInline var _offered: Int = 0
    @usableFromInline var _batchSum: Double = 0
    @usableFromInline var _inBatch: Int = 0
    @usableFromInline var _batchMeans: [Double]

    // MARK: Creating

    /// Prepares to batch `expectedCount` observations into `batchCount` batches.
    ///
    /// - Precondition: `batchCount ≥ 2` and `expectedCount ≥ batchCount`.
    public init(expectedCount: Int, batchCount: Int = 20) {
        precondition(batchCount >= 2, "BatchMeans: need at least 2 batches")
        precondition(expectedCount >= batchCount, "BatchMeans: fewer observations than batches")
        self.batchCount = batchCount
        self.expectedCount = expectedCount
        batchSize = expectedCount / batchCount
        _batchMeans = []
        _batchMeans.reserveCapacity(batchCount)
    }

    /// Batches a complete series of observations (`expectedCount` = `series.count`).
    ///
    /// - Precondition: `batchCount ≥ 2` and `series.count ≥ batchCount`.
    public init(_ series: [Double], batchCount: Int = 20) {
        self.init(expectedCount: series.count, batchCount: batchCount)
        for x in series { record(x) }
    }

    // MARK: Recording

    /// Records the next observation. O(1); allocation-free (the batch means are preallocated).
    @inlinable
    public mutating func record(_ x: Double) {
        _offered &+= 1
        guard _offered > skippedCount, _offered <= expectedCount else { return }
        _batchSum += x
        _inBatch &+= 1
        if _inBatch == batchSize {
            _batchMeans.append(_batchSum / Double(batchSize))
            _batchSum = 0
            _inBatch = 0
        }
    }

    // MARK: Results

    /// The number of leading observations skipped so that the batches have equal size, `n − k·b`.
    @inlinable public var skippedCount: Int { expectedCount - batchCount * batchSize }

    /// The number of observations recorded beyond ``expectedCount`` (not used).
    public var ignoredCount: Int { Swift.max(0, _offered - expectedCount) }

    /// The means of the completed batches, in order (at most ``batchCount``).
    public var batchMeans: [Double] { _batchMeans }

    /// The mean of the completed batch means (equal to the mean of the observations used);
    /// NaN when no batch is complete.
    public var grandMean: Double { Tally(_batchMeans).mean }

    /// The Student-t confidence interval for the steady-state mean from the completed batch
    /// means (`k − 1` degrees of freedom); the half-width is `nil` with fewer than two batches.
    public func confidenceInterval(confidenceLevel: Double = 0.95) -> ConfidenceInterval {
        ConfidenceInterval(_batchMeans, confidenceLevel: confidenceLevel)
    }

    /// The lag-1 autocorrelation of the batch means,
    /// `Σ_{i<k} (Y_i − Ȳ)(Y_{i+1} − Ȳ) / Σ_i (Y_i − Ȳ)²`; `nil` with fewer than three completed
    /// batches or when all batch means are equal.
    public var lag1Autocorrelation: Double? {
        let k = _batchMeans.count
        guard k >= 3 else { return nil }
        let mean = grandMean
        var numerator = 0.0
        var denominator = 0.0
        for i in 0..<k {
            let d = _batchMeans[i] - mean
            denominator += d * d
            if i + 1 < k { numerator += d * (_batchMeans[i + 1] - mean) }
        }
        return denominator > 0 ? numerator / denominator : nil
    }
}
