// Distribution+Validation.swift — rejecting impossible parameters with a clear message.

// MARK: - DistributionError

/// An impossible distribution parameter, e.g. a negative mean.
public struct DistributionError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The distribution's case name, e.g. `"exponential"`.
    public let distribution: String
    /// The offending parameter, e.g. `"mean"` (or `"values[3]"` for an empirical entry).
    public let parameter: String
    /// What is wrong, naming the parameter, e.g. `"mean must be > 0, got -1.0"`.
    public let message: String

    /// Creates an error for `parameter` of `distribution`.
    public init(distribution: String, parameter: String, message: String) {
        self.distribution = distribution
        self.parameter = parameter
        self.message = message
    }

    /// E.g. `invalid exponential distribution: mean must be > 0, got -1.0`.
    public var description: String { "invalid \(distribution) distribution: \(message)" }
}

// MARK: - Validation

extension Distribution {
    /// Throws if a parameter is impossible (non-finite, out of range, or an empty value list).
    ///
    /// Requirements: constant — finite; exponential — mean > 0; uniform — low < high;
    /// lognormal and gamma — mean > 0, cv > 0; weibull and pareto — shape > 0, scale > 0;
    /// empirical — at least one value, all finite; poisson — 0 ≤ mean ≤ ``maximumPoissonMean``.
    /// Every parameter must also be finite.
    public func validate() throws(DistributionError) {
        switch self {
        case .constant(let value):
            try check(value, "value")
        case .exponential(let mean):
            try check(mean, "mean", mustBe: "> 0", mean > 0)
        case .uniform(let low, let high):
            try check(low, "low")
            try check(high, "high", mustBe: "> low (\(low))", high > low)
        case .lognormal(let mean, let cv), .gamma(let mean, let cv):
            try check(mean, "mean", mustBe: "> 0", mean > 0)
            try check(cv, "cv", mustBe: "> 0", cv > 0)
        case .weibull(let shape, let scale), .pareto(let shape, let scale):
            try check(shape, "shape", mustBe: "> 0", shape > 0)
            try check(scale, "scale", mustBe: "> 0", scale > 0)
        case .empirical(let values):
            guard !values.isEmpty else {
                throw DistributionError(distribution: name, parameter: "values",
                                        message: "values must not be empty")
            }
            for (index, value) in values.enumerated() {
                try check(value, "values[\(index)]")
            }
        case .poisson(let mean):
            try check(mean, "mean", mustBe: "in 0...\(Self.maximumPoissonMean)",
                      mean >= 0 && mean <= Self.maximumPoissonMean)
        }
    }

    /// Throws unless `value` is finite and `condition` holds.
    private func check(_ value: Double, _ parameter: String,
                       mustBe requirement: String? = nil, _ condition: Bool = true) throws(DistributionError) {
        if !value.isFinite {
            throw DistributionError(distribution: name, parameter: parameter,
                                    message: "\(parameter) must be finite, got \(value)")
        }
        if let requirement, !condition {
            throw DistributionError(distribution: name, parameter: parameter,
                                    message: "\(parameter) must be \(requirement), got \(value)")
        }
    }
}
