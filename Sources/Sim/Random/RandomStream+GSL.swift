// RandomStream+GSL.swift — GSL's variate algorithms, drawing from the stream's own state.
//
// Each method hands the stream's four state words to the C shim, which wraps them in a
// stack-allocated `gsl_rng` of simrun's xoshiro256** GSL type. No allocation per draw.
// These methods are deliberately not `@inlinable`: the call into C cannot be inlined anyway,
// and keeping them opaque means client modules never need to see the CGSL module.

import CGSL

// MARK: - Passing the state to C

extension RandomStream {
    /// Calls `body` with a pointer to the state as `uint64_t[4]`; writes through it advance the stream.
    @inline(__always)
    mutating func withStatePointer<Result>(_ body: (UnsafeMutablePointer<UInt64>) -> Result) -> Result {
        withUnsafeMutablePointer(to: &words) { tuple in
            tuple.withMemoryRebound(to: UInt64.self, capacity: 4, body)
        }
    }
}

// MARK: - Continuous variates

extension RandomStream {
    /// Returns a normal variate (GSL's Ziggurat algorithm).
    ///
    /// - Precondition: `standardDeviation ≥ 0`.
    public mutating func gaussian(mean: Double = 0, standardDeviation: Double = 1) -> Double {
        precondition(standardDeviation >= 0, "gaussian: standardDeviation must be ≥ 0")
        return mean + withStatePointer { cgsl_ran_gaussian($0, standardDeviation) }
    }

    /// Returns a lognormal variate: `exp(X)` with X normal of mean `zeta` and standard deviation `sigma`.
    ///
    /// To parameterise by the variate's own mean and coefficient of variation, use
    /// ``Distribution/lognormal(mean:cv:)``.
    /// - Precondition: `sigma > 0`.
    public mutating func lognormal(zeta: Double, sigma: Double) -> Double {
        precondition(sigma > 0, "lognormal: sigma must be > 0")
        return withStatePointer { cgsl_ran_lognormal($0, zeta, sigma) }
    }

    /// Returns a gamma variate with shape k and scale θ (mean kθ, variance kθ²).
    ///
    /// - Precondition: `shape > 0`, `scale > 0`.
    public mutating func gamma(shape: Double, scale: Double) -> Double {
        precondition(shape > 0 && scale > 0, "gamma: shape and scale must be > 0")
        return withStatePointer { cgsl_ran_gamma($0, shape, scale) }
    }

    /// Returns a Weibull variate with CDF `1 − exp(−(x/scale)^shape)`.
    ///
    /// - Precondition: `shape > 0`, `scale > 0`.
    public mutating func weibull(shape: Double, scale: Double) -> Double {
        precondition(shape > 0 && scale > 0, "weibull: shape and scale must be > 0")
        return withStatePointer { cgsl_ran_weibull($0, scale, shape) }
    }

    /// Returns a Pareto (type I) variate with CDF `1 − (scale/x)^shape` for x ≥ scale.
    ///
    /// `scale` is the minimum value x_m.
    /// - Precondition: `shape > 0`, `scale > 0`.
    public mutating func pareto(shape: Double, scale: Double) -> Double {
        precondition(shape > 0 && scale > 0, "pareto: shape and scale must be > 0")
        return withStatePointer { cgsl_ran_pareto($0, shape, scale) }
    }
}

// MARK: - Discrete variates

extension RandomStream {
    /// Returns a Poisson count with the given mean.
    ///
    /// - Precondition: `0 ≤ mean ≤ Distribution.maximumPoissonMean` (GSL returns a 32-bit count).
    public mutating func poisson(mean: Double) -> Int {
        precondition(mean >= 0 && mean <= Distribution.maximumPoissonMean,
                     "poisson: mean must be in 0...\(Distribution.maximumPoissonMean)")
        return Int(withStatePointer { cgsl_ran_poisson($0, mean) })
    }
}
