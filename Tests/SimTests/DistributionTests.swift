// DistributionTests.swift — sampling agrees with the analytic moments and GSL's CDFs; validation.
//
// Statistical tolerances: a sample mean must lie within 4 standard errors (SE = √(variance / n))
// of the analytic mean. For a correct sampler this fails with probability < 1e-4 (two-sided normal
// tail beyond 4σ ≈ 6.3e-5); and since every stream has a fixed seed, each test is deterministic.
// Distribution shapes are checked with a Kolmogorov–Smirnov test against GSL's CDF. D·√n < 1.63
// is the 1 % critical value of the Kolmogorov distribution, but there are 9 KS tests (8 here and
// the Gaussian in RandomStreamTests), so at 1 % each a correct sampler would fail one of them with
// probability ≈ 9 % (the first seed tried did: lognormal gave D·√n = 1.73, p ≈ 0.5 %, while 20
// other seeds averaged 0.81, the Kolmogorov mean being 0.87). Bonferroni: each test uses the
// 0.1 % critical value 1.95, so the family fails falsely with probability < 1 %. A wrong
// parameterisation gives D·√n in the tens, so the stricter level costs no useful power.

import Testing
@testable import Sim
import CGSL
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// MARK: - Helpers

/// The number of draws per statistical test.
private let drawCount = 200_000

/// The Kolmogorov–Smirnov critical value for D·√n used by every KS test: the 0.1 % level
/// (P(K > 1.95) ≈ 2·exp(−2·1.95²) ≈ 1.0e-3); see the note at the top of this file.
let ksCriticalValue = 1.95

/// `count` draws of `distribution` from a stream with a fixed seed, named after the distribution.
private func draws(_ distribution: Distribution, count: Int = drawCount) -> [Double] {
    var stream = RandomStreamFactory(rootSeed: 20_240_601).stream(named: distribution.description)
    return (0..<count).map { _ in distribution.sample(&stream) }
}

/// The Kolmogorov–Smirnov statistic D = sup |F_n(x) − F(x)| of `samples` against `cdf`.
func kolmogorovSmirnov(_ samples: [Double], cdf: (Double) -> Double) -> Double {
    let sorted = samples.sorted()
    let n = Double(sorted.count)
    var d = 0.0
    for (i, x) in sorted.enumerated() {
        let f = cdf(x)
        d = max(d, f - Double(i) / n, Double(i + 1) / n - f)
    }
    return d
}

/// GSL's CDF for the continuous distributions.
private func gslCDF(_ distribution: Distribution) -> ((Double) -> Double)? {
    switch distribution {
    case .exponential(let mean):
        return { gsl_cdf_exponential_P($0, mean) }
    case .uniform(let low, let high):
        return { gsl_cdf_flat_P($0, low, high) }
    case .lognormal(let mean, let cv):
        let (zeta, sigma) = Distribution.lognormalParameters(mean: mean, cv: cv)
        return { gsl_cdf_lognormal_P($0, zeta, sigma) }
    case .gamma(let mean, let cv):
        let (shape, scale) = Distribution.gammaParameters(mean: mean, cv: cv)
        return { gsl_cdf_gamma_P($0, shape, scale) }
    case .weibull(let shape, let scale):
        return { gsl_cdf_weibull_P($0, scale, shape) }
    case .pareto(let shape, let scale):
        return { gsl_cdf_pareto_P($0, shape, scale) }
    case .constant, .empirical, .poisson:
        return nil
    }
}

@Suite struct DistributionTests {
    // MARK: - Fixtures

    static let continuous: [Distribution] = [
        .exponential(mean: 2.5),
        .uniform(low: -1, high: 3),
        .lognormal(mean: 3, cv: 0.8),
        .gamma(mean: 2, cv: 0.5),   // shape 4
        .gamma(mean: 2, cv: 2),     // shape 0.25: GSL's shape < 1 branch
        .weibull(shape: 1.5, scale: 2),
        .weibull(shape: 0.7, scale: 1),
        .pareto(shape: 3.5, scale: 1),  // finite variance, so the mean test applies
    ]

    static let all: [Distribution] = continuous + [
        .constant(4.2),
        .empirical([1.5, 2.5, 7, 10]),
        .poisson(mean: 4),    // GSL's direct method
        .poisson(mean: 30),   // GSL's gamma/binomial reduction for mean > 10
    ]

    // MARK: - Moments and shape

    @Test(arguments: all)
    func sampleMeanIsWithinFourStandardErrors(_ distribution: Distribution) throws {
        try distribution.validate()
        let samples = draws(distribution)
        let sampleMean = samples.reduce(0, +) / Double(samples.count)
        let standardError = (distribution.variance / Double(samples.count)).squareRoot()
        // Summing 200,000 doubles rounds; allow 1e-9 relative (matters only for the constant, SE 0).
        let tolerance = max(4 * standardError, 1e-9 * abs(distribution.mean))
        #expect(abs(sampleMean - distribution.mean) <= tolerance,
                "mean \(sampleMean) vs \(distribution.mean), SE \(standardError)")
    }

    @Test(arguments: continuous)
    func kolmogorovSmirnovAgainstGSLCDF(_ distribution: Distribution) throws {
        let cdf = try #require(gslCDF(distribution))
        let d = kolmogorovSmirnov(draws(distribution), cdf: cdf)
        #expect(d * Double(drawCount).squareRoot() < ksCriticalValue, "D = \(d)")
    }

    @Test func kolmogorovSmirnovRejectsAWrongDistribution() {
        // The KS check has power: gamma(cv 0.5) draws are far from an exponential of the same mean.
        let d = kolmogorovSmirnov(draws(.gamma(mean: 1, cv: 0.5))) { gsl_cdf_exponential_P($0, 1) }
        #expect(d * Double(drawCount).squareRoot() > ksCriticalValue)
    }

    @Test(arguments: [4.0, 30.0])
    func poissonVarianceIsWithinFourStandardErrors(_ mean: Double) {
        // Var(s²) ≈ (μ₄ − σ⁴)/n, with the Poisson central fourth moment μ₄ = λ(1 + 3λ), σ² = λ.
        let samples = draws(.poisson(mean: mean))
        let n = Double(samples.count)
        let sampleMean = samples.reduce(0, +) / n
        let sampleVariance = samples.reduce(0) { $0 + ($1 - sampleMean) * ($1 - sampleMean) } / (n - 1)
        let standardError = ((mean * (1 + 3 * mean) - mean * mean) / n).squareRoot()
        #expect(abs(sampleVariance - mean) <= 4 * standardError, "variance \(sampleVariance)")
        #expect(samples.allSatisfy { $0 >= 0 && $0 == $0.rounded() })
    }

    @Test func constantReturnsExactlyItsValueAndDrawsNothing() {
        var stream = RandomStream(seed: 1)
        let before = stream
        for _ in 0..<1000 { #expect(Distribution.constant(4.2).sample(&stream) == 4.2) }
        #expect(stream == before)
    }

    @Test func empiricalReturnsOnlyListedValuesWithEqualFrequency() {
        let values = [1.5, 2.5, 7, 10]
        let samples = draws(.empirical(values))
        var counts = [Double: Int]()
        for x in samples { counts[x, default: 0] += 1 }
        #expect(Set(counts.keys).isSubset(of: Set(values)))
        let p = 1 / Double(values.count)
        let standardError = (p * (1 - p) / Double(samples.count)).squareRoot()
        for value in values {
            let frequency = Double(counts[value, default: 0]) / Double(samples.count)
            #expect(abs(frequency - p) <= 4 * standardError, "\(value): \(frequency)")
        }
    }

    // MARK: - Analytic moments and conversions

    @Test func analyticMoments() {
        #expect(Distribution.pareto(shape: 1, scale: 2).mean == .infinity)
        #expect(Distribution.pareto(shape: 0.5, scale: 2).mean == .infinity)
        #expect(Distribution.pareto(shape: 2, scale: 2).variance == .infinity)
        #expect(Distribution.pareto(shape: 3, scale: 2).mean == 3)
        #expect(Distribution.exponential(mean: 2).variance == 4)
        #expect(Distribution.uniform(low: 0, high: 6).variance == 3)
        #expect(Distribution.empirical([1, 3]).variance == 1)
        // Weibull with shape 1 is exponential with mean = scale.
        #expect(abs(Distribution.weibull(shape: 1, scale: 3).mean - 3) < 1e-12)
        #expect(abs(Distribution.weibull(shape: 1, scale: 3).variance - 9) < 1e-12)
    }

    @Test func parameterConversions() {
        let (shape, scale) = Distribution.gammaParameters(mean: 2, cv: 0.5)
        #expect(shape == 4 && scale == 0.5)
        let (zeta, sigma) = Distribution.lognormalParameters(mean: 3, cv: 0.8)
        // Lognormal mean exp(ζ + σ²/2) and cv √(exp(σ²) − 1) recover the parameters.
        #expect(abs(exp(zeta + sigma * sigma / 2) - 3) < 1e-12)
        #expect(abs((exp(sigma * sigma) - 1).squareRoot() - 0.8) < 1e-12)
    }

    // MARK: - Validation

    static let invalid: [(Distribution, String)] = [
        (.constant(.nan), "value"),
        (.exponential(mean: -1), "mean"),
        (.exponential(mean: 0), "mean"),
        (.exponential(mean: .infinity), "mean"),
        (.uniform(low: 2, high: 1), "high"),
        (.uniform(low: -.infinity, high: 1), "low"),
        (.lognormal(mean: 0, cv: 1), "mean"),
        (.lognormal(mean: 1, cv: -0.5), "cv"),
        (.gamma(mean: -3, cv: 1), "mean"),
        (.gamma(mean: 1, cv: 0), "cv"),
        (.weibull(shape: 0, scale: 1), "shape"),
        (.weibull(shape: 1, scale: -1), "scale"),
        (.pareto(shape: -2, scale: 1), "shape"),
        (.pareto(shape: 2, scale: 0), "scale"),
        (.empirical([]), "values"),
        (.empirical([1, .nan]), "values[1]"),
        (.poisson(mean: -1), "mean"),
        (.poisson(mean: 1e12), "mean"),
    ]

    @Test(arguments: invalid)
    func validateRejectsBadParametersNamingTheParameter(_ distribution: Distribution, _ parameter: String) {
        #expect(throws: DistributionError.self) { try distribution.validate() }
        do {
            try distribution.validate()
        } catch {
            #expect(error.parameter == parameter)
            #expect(error.distribution == distribution.name)
            #expect(error.message.hasPrefix(parameter + " must "), "\(error.message)")
            #expect(error.description.contains(error.message))
        }
    }

    @Test func validateMessageIsClear() {
        #expect(throws: DistributionError(distribution: "exponential", parameter: "mean",
                                          message: "mean must be > 0, got -1.0")) {
            try Distribution.exponential(mean: -1).validate()
        }
    }

    @Test(arguments: all + [.poisson(mean: 0), .pareto(shape: 0.5, scale: 1)])
    func validateAcceptsGoodParameters(_ distribution: Distribution) throws {
        try distribution.validate()
    }
}
