// WelchTest.swift — Welch's unequal-variance t-test on two sets of independent replications.

import CGSL

/// Welch's t-test of whether two means differ, from each sample's mean, standard deviation and
/// size (the replications of two runs need not share a variance or a count):
/// `t = (m₁ − m₂) / √(s₁²/n₁ + s₂²/n₂)` with the Welch–Satterthwaite degrees of freedom, and
/// the two-sided p-value from GSL's Student-t tail `gsl_cdf_tdist_Q`.
public struct WelchTest: Sendable, Equatable {
    /// `m₁ − m₂`.
    public let difference: Double
    /// The t statistic; ±∞ when both samples have no spread and the means differ.
    public let t: Double
    /// The Welch–Satterthwaite degrees of freedom (NaN without spread).
    public let degreesOfFreedom: Double
    /// The two-sided p-value: 1 for equal means without spread, 0 for different ones.
    public let pValue: Double

    /// The test of mean₁ against mean₂; `nil` when either sample has fewer than two values or a
    /// non-finite statistic (nothing can be said).
    public init?(mean1: Double, standardDeviation1: Double, count1: Int,
                 mean2: Double, standardDeviation2: Double, count2: Int) {
        guard count1 >= 2, count2 >= 2,
              [mean1, standardDeviation1, mean2, standardDeviation2].allSatisfy(\.isFinite) else { return nil }
        let v1 = standardDeviation1 * standardDeviation1 / Double(count1)
        let v2 = standardDeviation2 * standardDeviation2 / Double(count2)
        difference = mean1 - mean2
        let standardError = (v1 + v2).squareRoot()
        guard standardError > 0 else {
            // Deterministic values: they differ or they do not.
            t = difference == 0 ? 0 : difference > 0 ? .infinity : -.infinity
            degreesOfFreedom = .nan
            pValue = difference == 0 ? 1 : 0
            return
        }
        t = difference / standardError
        let df = (v1 + v2) * (v1 + v2)
            / (v1 * v1 / Double(count1 - 1) + v2 * v2 / Double(count2 - 1))
        degreesOfFreedom = df
        pValue = min(1, 2 * gsl_cdf_tdist_Q(abs(t), df))
    }

    /// Whether the difference is significant at level `alpha` (two-sided; 0.05 by default).
    public func isSignificant(at alpha: Double = 0.05) -> Bool { pValue < alpha }
}
