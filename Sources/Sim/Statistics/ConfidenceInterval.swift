// ConfidenceInterval.swift — Student-t confidence intervals for a mean.

import CGSL

/// A two-sided Student-t confidence interval for a mean, `mean ± t_{(1+c)/2, n−1} · s/√n`,
/// where `c` is the confidence level, `n` the number of independent values and `s` their
/// sample standard deviation.
///
/// With a single value the half-width is undefined and ``halfWidth`` is `nil`.
public struct ConfidenceInterval: Sendable, Equatable {
    // MARK: Properties

    /// The point estimate (the sample mean); NaN when computed from no values.
    public let mean: Double

    /// The half-width `t · s/√n`; `nil` when fewer than two values were available.
    public let halfWidth: Double?

    /// The confidence level in (0, 1), e.g. 0.95.
    public let confidenceLevel: Double

    /// The number of independent values the interval was computed from.
    public let count: Int

    // MARK: Creating

    /// The Student-t interval for `count` independent values with the given sample mean and
    /// sample standard deviation (n − 1 divisor).
    ///
    /// - Precondition: `count ≥ 0` and `0 < confidenceLevel < 1`.
    public init(mean: Double, standardDeviation: Double, count: Int, confidenceLevel: Double = 0.95) {
        precondition(count >= 0, "ConfidenceInterval: negative count")
        precondition(confidenceLevel > 0 && confidenceLevel < 1,
                     "ConfidenceInterval: confidence level must be in (0, 1)")
        self.mean = mean
        self.confidenceLevel = confidenceLevel
        self.count = count
        if count >= 2 {
            let t = Self.tQuantile(confidenceLevel: confidenceLevel, degreesOfFreedom: count - 1)
            halfWidth = t * standardDeviation / Double(count).squareRoot()
        } else {
            halfWidth = nil
        }
    }

    /// The Student-t interval for the mean of the observations summarised by `tally`, treated
    /// as independent.
    public init(_ tally: Tally, confidenceLevel: Double = 0.95) {
        self.init(mean: tally.mean, standardDeviation: tally.standardDeviation,
                  count: tally.count, confidenceLevel: confidenceLevel)
    }

    /// The Student-t interval for the mean of independent `values`.
    public init(_ values: [Double], confidenceLevel: Double = 0.95) {
        self.init(Tally(values), confidenceLevel: confidenceLevel)
    }

    // MARK: Derived values

    /// `mean − halfWidth`; `nil` when the half-width is undefined.
    public var lowerBound: Double? { halfWidth.map { mean - $0 } }

    /// `mean + halfWidth`; `nil` when the half-width is undefined.
    public var upperBound: Double? { halfWidth.map { mean + $0 } }

    /// `halfWidth / |mean|`, the relative precision used by sequential stopping rules;
    /// `nil` when the half-width is undefined or the mean is zero.
    public var relativeHalfWidth: Double? {
        guard let h = halfWidth, mean != 0 else { return nil }
        return h / abs(mean)
    }

    /// Whether `value` lies in the closed interval; `false` when the half-width is undefined.
    public func contains(_ value: Double) -> Bool {
        guard let h = halfWidth else { return false }
        return value >= mean - h && value <= mean + h
    }

    // MARK: Quantile

    /// The two-sided Student-t critical value `t_{(1+c)/2, ν}` (GSL's `gsl_cdf_tdist_Pinv`).
    ///
    /// - Precondition: `0 < confidenceLevel < 1` and `degreesOfFreedom ≥ 1`.
    public static func tQuantile(confidenceLevel: Double, degreesOfFreedom: Int) -> Double {
        precondition(confidenceLevel > 0 && confidenceLevel < 1,
                     "ConfidenceInterval: confidence level must be in (0, 1)")
        precondition(degreesOfFreedom >= 1, "ConfidenceInterval: need at least 1 degree of freedom")
        return gsl_cdf_tdist_Pinv((1 + confidenceLevel) / 2, Double(degreesOfFreedom))
    }
}
