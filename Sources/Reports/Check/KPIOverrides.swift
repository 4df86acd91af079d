// KPIOverrides.swift — `simrun check --kpi EXPR`: KPIs given on the command line, replacing a
// scenario's KPI on the same metric and aggregate.

import Scenarios

// MARK: - Replacing KPIs

extension Scenario {
    /// The metric catalogue KPIs of this scenario resolve in.
    public var metricCatalogue: MetricCatalogue {
        switch self {
        case .network(let scenario): scenario.metrics
        case .taskSystem(let scenario): scenario.metrics
        }
    }

    /// This scenario with `overrides` applied in order: an override reading the same summary
    /// value as a KPI of the scenario (same metric and aggregate, the default aggregate
    /// included) takes its place; any other is appended. Throws when an override does not fit
    /// this scenario's metrics, or is windowed (not judgeable yet).
    public func replacingKPIs(with overrides: [KPI]) throws(KPIError) -> Scenario {
        let catalogue = metricCatalogue
        var kpis = self.kpis
        for override in overrides {
            let key = try catalogue.resolve(override)
            if override.window != nil {
                guard case .taskSystem(let scenario) = self else { throw KPIError(message: KPI.windowedNeedsSeries) }
                if let problem = scenario.windowedProblem(override, key: key) { throw KPIError(message: problem) }
            }
            // A KPI replaces the one on the same figure judged the same way (whole run or windows).
            if let index = kpis.firstIndex(where: { catalogue.key(for: $0) == key && ($0.window == nil) == (override.window == nil) }) {
                kpis[index] = override
            } else {
                kpis.append(override)
            }
        }
        switch self {
        case .network(var scenario):
            scenario.kpis = kpis
            return .network(scenario)
        case .taskSystem(var scenario):
            scenario.kpis = kpis
            return .taskSystem(scenario)
        }
    }
}
