// DistributionReader.swift — `{distribution: exponential, mean: 0.25}` to a validated Distribution.

import Sim

// MARK: - Distribution parameters

/// The keys each distribution takes, and whether each is a time (so a duration string such
/// as `"250ms"` is accepted).
enum DistributionKeys {
    /// A parameter of a distribution map.
    struct Parameter {
        let key: String
        let isTime: Bool
    }

    /// The distribution names, in the order listed in messages.
    static let names = ["constant", "exponential", "uniform", "lognormal", "gamma",
                        "weibull", "pareto", "empirical", "poisson"]

    /// The parameters of `name` (one of ``names``).
    static func parameters(of name: String) -> [Parameter] {
        switch name {
        case "constant": [.init(key: "value", isTime: true)]
        case "exponential": [.init(key: "mean", isTime: true)]
        case "uniform": [.init(key: "low", isTime: true), .init(key: "high", isTime: true)]
        case "lognormal", "gamma": [.init(key: "mean", isTime: true), .init(key: "cv", isTime: false)]
        case "weibull", "pareto": [.init(key: "shape", isTime: false), .init(key: "scale", isTime: true)]
        case "empirical": [.init(key: "values", isTime: true)]
        case "poisson": [.init(key: "mean", isTime: false)]
        default: []
        }
    }
}

// MARK: - Reading

extension YAMLValue {
    /// A distribution map, e.g. `{distribution: gamma, mean: "250ms", cv: 0.5}`: the name, then
    /// exactly that distribution's keys; checked with `Distribution.validate()`, whose error is
    /// reported at the offending parameter. With `isTime`, values below 0 (a negative constant,
    /// uniform `low` or empirical value) are rejected too, since times cannot be negative.
    func distribution(isTime: Bool = false) -> Distribution? {
        let expected = "a distribution mapping such as {distribution: exponential, mean: 0.25}"
        guard var map = mapping(expected: expected) else { return nil }
        guard let name = map.required("distribution")?.choice(from: DistributionKeys.names, what: "distribution") else {
            map.rejectKeys(notIn: ["distribution"] + DistributionKeys.names.flatMap {
                DistributionKeys.parameters(of: $0).map(\.key)
            })
            return nil
        }
        let parameters = DistributionKeys.parameters(of: name)
        map.rejectKeys(notIn: ["distribution"] + parameters.map(\.key))

        var numbers: [String: Double] = [:]
        var values: [Double]?
        for parameter in parameters {
            guard let value = map.required(parameter.key) else { continue }
            if parameter.key == "values" {
                values = value.timeList(isTime: isTime)
            } else {
                numbers[parameter.key] = !parameter.isTime ? value.double()
                    : isTime ? value.boundedSeconds() : value.seconds()
            }
        }
        guard let distribution = Self.makeDistribution(name, numbers, values) else { return nil }
        do {
            try distribution.validate()
        } catch {
            map.locate(parameter: error.parameter)
                .report("invalid \(name) distribution: \(error.message)")
            return nil
        }
        if isTime, let negative = Self.negativeTime(in: distribution) {
            map.locate(parameter: negative.parameter)
                .report("invalid \(name) distribution: \(negative.parameter) must be >= 0 for a time, got \(negative.value)")
            return nil
        }
        return distribution
    }

    /// The first parameter that lets a valid distribution produce a negative value.
    private static func negativeTime(in distribution: Distribution) -> (parameter: String, value: Double)? {
        switch distribution {
        case .constant(let value) where value < 0:
            return ("value", value)
        case .uniform(let low, _) where low < 0:
            return ("low", low)
        case .empirical(let values):
            return values.firstIndex { $0 < 0 }.map { ("values[\($0)]", values[$0]) }
        default:
            return nil
        }
    }

    /// A time parameter (seconds or a duration string) of at most
    /// ``ScenarioDuration/maximumSeconds``; a mean or scale of 1e10 s would make every draw a
    /// delay past any horizon, so it is refused here rather than saturated at run time.
    private func boundedSeconds() -> Double? {
        guard let seconds = seconds() else { return nil }
        guard seconds <= ScenarioDuration.maximumSeconds else {
            report("too large (max \(ScenarioDuration.maximumText)), got \(scalar?.string ?? "\(seconds)")")
            return nil
        }
        return seconds
    }

    /// A non-empty list of times (numbers or duration strings), bounded when `isTime`.
    private func timeList(isTime: Bool) -> [Double]? {
        guard let items = list() else { return nil }
        var result: [Double] = []
        for item in items {
            guard let seconds = isTime ? item.boundedSeconds() : item.seconds() else { return nil }
            result.append(seconds)
        }
        return result
    }

    /// The distribution, once all its parameters were read.
    private static func makeDistribution(_ name: String, _ numbers: [String: Double],
                                         _ values: [Double]?) -> Distribution? {
        func number(_ key: String) -> Double? { numbers[key] }
        switch name {
        case "constant": return number("value").map { .constant($0) }
        case "exponential": return number("mean").map { .exponential(mean: $0) }
        case "poisson": return number("mean").map { .poisson(mean: $0) }
        case "empirical": return values.map { .empirical($0) }
        case "uniform":
            guard let low = number("low"), let high = number("high") else { return nil }
            return .uniform(low: low, high: high)
        case "lognormal", "gamma":
            guard let mean = number("mean"), let cv = number("cv") else { return nil }
            return name == "gamma" ? .gamma(mean: mean, cv: cv) : .lognormal(mean: mean, cv: cv)
        case "weibull", "pareto":
            guard let shape = number("shape"), let scale = number("scale") else { return nil }
            return name == "weibull" ? .weibull(shape: shape, scale: scale) : .pareto(shape: shape, scale: scale)
        default:
            return nil
        }
    }
}

// MARK: - Locating a parameter

extension YAMLMapping {
    /// The node of a `DistributionError.parameter` such as `mean` or `values[3]`; the mapping
    /// itself when it cannot be found.
    func locate(parameter: String) -> YAMLValue {
        let parts = parameter.split(separator: "[", maxSplits: 1)
        guard let key = parts.first, let node = optional(String(key)) else { return value }
        if parts.count == 2, let index = Int(parts[1].dropLast()),
           let items = node.listWithoutReporting(), items.indices.contains(index) {
            return items[index]
        }
        return node
    }
}

extension YAMLValue {
    /// The list's items, or `nil` (silently) when the node is not a list.
    func listWithoutReporting() -> [YAMLValue]? {
        guard case .sequence = node else { return nil }
        return list()
    }
}
