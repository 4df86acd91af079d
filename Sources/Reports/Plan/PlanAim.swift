// PlanAim.swift — what a configuration of one tier must achieve: every attainable KPI with 95 %
// confidence, and every unattainable one no worse than the most generous configuration did.

import Scenarios

// MARK: - A bound on an unattainable KPI

/// A KPI no configuration of the space passes, held to what the most generous configuration
/// achieved: the cheapest configuration must not buy its price with a worse value. The bound is
/// the most generous configuration's mean, moved by its 95 % half-width towards failing. With the
/// plan's 3 confirmation replications that half-width is t(0.975, 2) / √3 ≈ 2.5 standard
/// deviations of one run; a configuration exactly as good screens (one run: the difference has
/// √(1 + 1/3) ≈ 1.15 of them) within the bound about 98 % of the time, and confirms (three runs)
/// about 99.9 %. Without a half-width (a windowed KPI) the bound is the mean itself.
public struct BestEffortBound: Sendable, Equatable {
    /// The KPI as written.
    public var expression: String
    /// Its value at the most generous configuration (the mean over its replications).
    public var mostGenerousValue: Double
    /// The value a configuration's mean must not be worse than.
    public var bound: Double
    /// `true` when smaller values are better (`<`, `<=`), `false` when larger are (`>`, `>=`).
    public var lowerIsBetter: Bool
    /// How the KPI's values are shown (its threshold's unit).
    public var unit: DisplayUnit

    /// The bound for `verdict` (an unattainable KPI measured at the most generous configuration);
    /// `nil` for `==` and `!=`, which have no better side.
    init?(_ verdict: PlanEvaluation.Verdict) {
        switch verdict.comparison {
        case .lessThan, .lessThanOrEqual: lowerIsBetter = true
        case .greaterThan, .greaterThanOrEqual: lowerIsBetter = false
        case .equal, .notEqual: return nil
        }
        guard verdict.value.isFinite else { return nil }
        expression = verdict.expression
        mostGenerousValue = verdict.value
        switch verdict.unit {
        case .time: unit = .duration
        case .percent: unit = .fraction
        case .none: unit = .number
        }
        let slack = verdict.halfWidth.flatMap { $0.isFinite ? $0 : nil } ?? 0
        bound = lowerIsBetter ? verdict.value + slack : verdict.value - slack
    }

    /// Whether `value` is no worse than the bound (NaN never is).
    public func admits(_ value: Double) -> Bool {
        guard !value.isNaN else { return false }
        return lowerIsBetter ? value <= bound : value >= bound
    }
}

// MARK: - The aim

/// What the search asks of a configuration: the attainable KPIs pass (on their means when
/// screening, with their 95 % intervals when confirming), the unattainable ones stay within their
/// ``BestEffortBound`` (on their means in both cases), and no invariant broke.
public struct PlanAim: Sendable {
    /// The KPIs the most generous configuration passed.
    public var attainable: Set<String>
    /// One bound per unattainable KPI that has a better side, in the scenario's order.
    public var bounds: [BestEffortBound]

    /// The aim given the most generous configuration's evaluation.
    init(mostGenerous reference: PlanEvaluation) {
        attainable = Set(reference.verdicts.filter(\.passed).map(\.expression))
        bounds = reference.verdicts.filter { !$0.passed }.compactMap(BestEffortBound.init)
    }

    /// `evaluation` meets the aim on its means.
    func isMet(by evaluation: PlanEvaluation) -> Bool {
        evaluation.passes(attainable) && withinBounds(evaluation)
    }

    /// `evaluation` meets the aim with every attainable KPI's 95 % interval on the passing side.
    func isMetConfidently(by evaluation: PlanEvaluation) -> Bool {
        evaluation.passesConfidently(attainable) && withinBounds(evaluation)
    }

    /// `verdict` keeps a configuration from meeting the aim: an attainable KPI that failed, or
    /// an unattainable one outside its bound. (A failing unattainable KPI inside its bound is
    /// as good as the space gets: nothing to buy for it.)
    func isMissed(_ verdict: PlanEvaluation.Verdict) -> Bool {
        if attainable.contains(verdict.expression) { return !verdict.passed }
        return bounds.first { $0.expression == verdict.expression }.map { !$0.admits(verdict.value) } ?? false
    }

    private func withinBounds(_ evaluation: PlanEvaluation) -> Bool {
        bounds.allSatisfy { bound in
            evaluation.verdicts.first { $0.expression == bound.expression }.map { bound.admits($0.value) } ?? false
        }
    }
}
