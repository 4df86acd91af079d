// Distribution.swift — the probability distributions a scenario can name, and how to sample them.
//
// A plain enum: sampling is a `switch`, with no protocol existential, closure or allocation.
// Constant, exponential, uniform and empirical are sampled inline; the rest go through GSL.
// Moments live in `Distribution+Moments.swift`, parameter checks in `Distribution+Validation.swift`.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A univariate probability distribution of simulation inputs (service times, sizes, counts).
///
/// Parameters are not checked when a value is built; call ``validate()`` once (e.g. when a
/// scenario is loaded) before sampling. Sampling an invalid distribution is undefined.
public enum Distribution: Sendable, Hashable {
    /// Always `value`. Sampling draws nothing from the stream.
    case constant(Double)
    /// Exponential with the given mean (rate 1/mean).
    case exponential(mean: Double)
    /// Uniform on [low, high).
    case uniform(low: Double, high: Double)
    /// Lognormal with the given mean and coefficient of variation (standard deviation / mean).
    ///
    /// The underlying normal has σ² = ln(1 + cv²) and mean ζ = ln(mean) − σ²/2.
    case lognormal(mean: Double, cv: Double)
    /// Gamma with the given mean and coefficient of variation: shape k = 1/cv², scale θ = mean·cv².
    case gamma(mean: Double, cv: Double)
    /// Weibull with CDF 1 − exp(−(x/scale)^shape).
    case weibull(shape: Double, scale: Double)
    /// Pareto (type I) with CDF 1 − (scale/x)^shape for x ≥ scale; `scale` is the minimum x_m.
    case pareto(shape: Double, scale: Double)
    /// Uniform resampling of the given values (each listed entry has probability 1/count).
    case empirical([Double])
    /// Poisson counts with the given mean, returned as `Double`.
    case poisson(mean: Double)

    /// The largest Poisson mean accepted (GSL's Poisson sampler returns a 32-bit count).
    public static let maximumPoissonMean: Double = 1e9
}

// MARK: - Sampling

extension Distribution {
    /// Draws one value from `stream`.
    ///
    /// Constant, exponential, uniform and empirical are sampled inline (the empirical values are
    /// read in place, never copied); the other cases call GSL's algorithms on the stream's state.
    /// - Precondition: the distribution is valid (``validate()`` does not throw).
    @inlinable @inline(__always)
    public func sample(_ stream: inout RandomStream) -> Double {
        switch self {
        case .constant(let value):
            return value
        case .exponential(let mean):
            return stream.exponential(mean: mean)
        case .uniform(let low, let high):
            return stream.uniform(in: low ..< high)
        case .empirical(let values):
            return values[stream.uniformIndex(below: values.count)]
        case .lognormal, .gamma, .weibull, .pareto, .poisson:
            return sampleWithGSL(&stream)
        }
    }

    /// The cases sampled by GSL; kept out of line so callers inline only the cheap cases.
    @usableFromInline
    func sampleWithGSL(_ stream: inout RandomStream) -> Double {
        switch self {
        case .lognormal(let mean, let cv):
            let (zeta, sigma) = Self.lognormalParameters(mean: mean, cv: cv)
            return stream.lognormal(zeta: zeta, sigma: sigma)
        case .gamma(let mean, let cv):
            let (shape, scale) = Self.gammaParameters(mean: mean, cv: cv)
            return stream.gamma(shape: shape, scale: scale)
        case .weibull(let shape, let scale):
            return stream.weibull(shape: shape, scale: scale)
        case .pareto(let shape, let scale):
            return stream.pareto(shape: shape, scale: scale)
        case .poisson(let mean):
            return Double(stream.poisson(mean: mean))
        case .constant, .exponential, .uniform, .empirical:
            return sample(&stream)
        }
    }
}

// MARK: - Parameter conversions

extension Distribution {
    /// The underlying normal's (ζ, σ) for a lognormal with the given mean and cv:
    /// σ² = ln(1 + cv²), ζ = ln(mean) − σ²/2.
    public static func lognormalParameters(mean: Double, cv: Double) -> (zeta: Double, sigma: Double) {
        let sigmaSquared = log1p(cv * cv)
        return (log(mean) - sigmaSquared / 2, sigmaSquared.squareRoot())
    }

    /// The (shape k, scale θ) of a gamma with the given mean and cv: k = 1/cv², θ = mean·cv².
    public static func gammaParameters(mean: Double, cv: Double) -> (shape: Double, scale: Double) {
        let cvSquared = cv * cv
        return (1 / cvSquared, mean * cvSquared)
    }
}

// MARK: - CustomStringConvertible

extension Distribution: CustomStringConvertible {
    /// A short description, e.g. `exponential(mean: 2.0)` or `empirical(5 values)`.
    public var description: String {
        switch self {
        case .constant(let value): "constant(\(value))"
        case .exponential(let mean): "exponential(mean: \(mean))"
        case .uniform(let low, let high): "uniform(low: \(low), high: \(high))"
        case .lognormal(let mean, let cv): "lognormal(mean: \(mean), cv: \(cv))"
        case .gamma(let mean, let cv): "gamma(mean: \(mean), cv: \(cv))"
        case .weibull(let shape, let scale): "weibull(shape: \(shape), scale: \(scale))"
        case .pareto(let shape, let scale): "pareto(shape: \(shape), scale: \(scale))"
        case .empirical(let values): "empirical(\(values.count) values)"
        case .poisson(let mean): "poisson(mean: \(mean))"
        }
    }

    /// The case name, e.g. `"gamma"`.
    public var name: String {
        switch self {
        case .constant: "constant"
        case .exponential: "exponential"
        case .uniform: "uniform"
        case .lognormal: "lognormal"
        case .gamma: "gamma"
        case .weibull: "weibull"
        case .pareto: "pareto"
        case .empirical: "empirical"
        case .poisson: "poisson"
        }
    }
}
