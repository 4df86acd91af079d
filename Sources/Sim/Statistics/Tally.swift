// Tally.swift — running count, mean, variance, min, max and sum of observations.

/// A running summary of a stream of observations: count, mean, sample variance, minimum,
/// maximum and sum, in O(1) memory.
///
/// The mean and variance come from sums of deviations from a shift K, the first observation
/// (the "shifted data" algorithm): Σ(x − K) and Σ(x − K)². With K inside the data, the
/// cancellation in Σ(x − K)² − (Σ(x − K))²/n stays bounded by how far the mean lies from K
/// relative to the spread, so the result is stable like Welford's, without Welford's division
/// per observation (recording sits on the simulator's hot path, several times per customer).
/// Two tallies of disjoint streams combine with ``merge(_:)`` (Chan, Golub & LeVeque's
/// parallel formula), so per-replication or per-thread tallies can be pooled.
///
/// For an empty tally ``mean``, ``min`` and ``max`` are NaN; ``variance`` and
/// ``standardDeviation`` are NaN until at least two observations have been recorded
/// (the same conventions as GSL's `gsl_stats_*` functions).
public struct Tally: Sendable, Equatable {
    // MARK: Storage

    @usableFromInline var _count: Int = 0
    /// The shift K: the first observation (or the pooled mean after a merge).
    @usableFromInline var _shift: Double = 0
    /// Σ(x − K).
    @usableFromInline var _s1: Double = 0
    /// Σ(x − K)².
    @usableFromInline var _s2: Double = 0
    @usableFromInline var _min: Double = .infinity
    @usableFromInline var _max: Double = -.infinity

    // MARK: Creating

    /// Creates an empty tally.
    public init() {}

    /// Creates a tally of the given observations, recorded in order.
    public init<S: Sequence>(_ observations: S) where S.Element == Double {
        for x in observations { record(x) }
    }

    // MARK: Recording

    /// Records one observation. O(1), allocation-free, no division.
    @inlinable @inline(__always)
    public mutating func record(_ x: Double) {
        if _count == 0 { _shift = x }
        _count &+= 1
        let deviation = x - _shift
        _s1 += deviation
        _s2 += deviation * deviation
        if x < _min { _min = x }
        if x > _max { _max = x }
    }

    /// Σ(x − x̄)²: the sum of squared deviations from the mean (Welford's M2).
    @usableFromInline var _m2: Double {
        _count > 0 ? Swift.max(0, _s2 - _s1 * _s1 / Double(_count)) : 0
    }

    /// Adds the observations summarised by `other` to this tally, as if they had been
    /// recorded here (Chan et al.'s pairwise combination of means and M2).
    public mutating func merge(_ other: Tally) {
        guard other._count > 0 else { return }
        guard _count > 0 else {
            self = other
            return
        }
        let na = Double(_count)
        let nb = Double(other._count)
        let n = na + nb
        let meanA = mean, meanB = other.mean
        let delta = meanB - meanA
        let pooledMean = meanA + delta * (nb / n)
        let pooledM2 = _m2 + other._m2 + delta * delta * (na * nb / n)
        _count += other._count
        _shift = pooledMean
        _s1 = 0
        _s2 = pooledM2
        _min = Swift.min(_min, other._min)
        _max = Swift.max(_max, other._max)
    }

    /// Returns the combination of this tally and `other`; see ``merge(_:)``.
    public func merging(_ other: Tally) -> Tally {
        var result = self
        result.merge(other)
        return result
    }

    /// Forgets all observations.
    public mutating func reset() {
        self = Tally()
    }

    // MARK: Results

    /// The number of observations recorded.
    @inlinable public var count: Int { _count }

    /// The sum of the observations (0 when empty).
    @inlinable public var sum: Double { _shift * Double(_count) + _s1 }

    /// The arithmetic mean of the observations; NaN when empty.
    @inlinable public var mean: Double { _count > 0 ? _shift + _s1 / Double(_count) : .nan }

    /// The unbiased sample variance, Σ(x − x̄)² / (n − 1); NaN when fewer than two observations.
    @inlinable public var variance: Double { _count > 1 ? _m2 / Double(_count - 1) : .nan }

    /// The population variance, Σ(x − x̄)² / n; NaN when empty.
    @inlinable public var populationVariance: Double { _count > 0 ? _m2 / Double(_count) : .nan }

    /// The sample standard deviation, √``variance``; NaN when fewer than two observations.
    @inlinable public var standardDeviation: Double { variance.squareRoot() }

    /// The smallest observation; NaN when empty.
    @inlinable public var min: Double { _count > 0 ? _min : .nan }

    /// The largest observation; NaN when empty.
    @inlinable public var max: Double { _count > 0 ? _max : .nan }
}
