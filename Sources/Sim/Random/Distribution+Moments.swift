// Distribution+Moments.swift — analytic mean and variance of each distribution.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

// MARK: - Moments

extension Distribution {
    /// The analytic mean. `+infinity` for a Pareto with shape ≤ 1.
    ///
    /// Meaningful only for a valid distribution (see ``validate()``); an empty empirical gives NaN.
    public var mean: Double {
        switch self {
        case .constant(let value):
            return value
        case .exponential(let mean), .lognormal(let mean, _), .gamma(let mean, _), .poisson(let mean):
            return mean
        case .uniform(let low, let high):
            return (low + high) / 2
        case .weibull(let shape, let scale):
            return scale * tgamma(1 + 1 / shape)
        case .pareto(let shape, let scale):
            return shape <= 1 ? .infinity : shape * scale / (shape - 1)
        case .empirical(let values):
            return values.reduce(0, +) / Double(values.count)
        }
    }

    /// The analytic variance. `+infinity` for a Pareto with shape ≤ 2.
    ///
    /// For an empirical distribution this is the population variance of the listed values
    /// (divisor count), which is the variance of uniform resampling.
    public var variance: Double {
        switch self {
        case .constant:
            return 0
        case .exponential(let mean):
            return mean * mean
        case .uniform(let low, let high):
            return (high - low) * (high - low) / 12
        case .lognormal(let mean, let cv), .gamma(let mean, let cv):
            return (cv * mean) * (cv * mean)
        case .weibull(let shape, let scale):
            let g1 = tgamma(1 + 1 / shape)
            return scale * scale * (tgamma(1 + 2 / shape) - g1 * g1)
        case .pareto(let shape, let scale):
            guard shape > 2 else { return .infinity }
            return scale * scale * shape / ((shape - 1) * (shape - 1) * (shape - 2))
        case .empirical(let values):
            let mean = self.mean
            return values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)
        case .poisson(let mean):
            return mean
        }
    }
}
