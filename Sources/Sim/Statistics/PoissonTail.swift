// PoissonTail.swift — P(N ≥ k) of a Poisson count, from GSL.

import CGSL

// MARK: - Poisson tail probabilities

/// Tail probabilities of a Poisson count, from GSL's cumulative distribution functions: what a
/// test checks a count of rare events against (crashes, redeliveries) when its bound comes from
/// theory rather than from the replications' spread.
public enum PoissonTail {
    /// P(N ≥ `count`) for N ~ Poisson(`mean`): 1 when `count` ≤ 0 (GSL's `gsl_cdf_poisson_Q`,
    /// the upper tail P(N > k), at k = `count` − 1).
    ///
    /// - Precondition: `mean` ≥ 0 and finite.
    public static func probabilityOfAtLeast(_ count: Int, mean: Double) -> Double {
        precondition(mean >= 0 && mean.isFinite, "PoissonTail: the mean must be finite and ≥ 0, not \(mean)")
        guard count > 0 else { return 1 }
        guard mean > 0 else { return 0 }
        return gsl_cdf_poisson_Q(UInt32(clamping: count - 1), mean)
    }
}
