// RunReport+Text.swift — a run's KPI verdicts as text, shared by `simrun run` and `simrun check`.

import Scenarios

// MARK: - Verdicts as text

extension RunReport {
    /// The display units of this run's figures.
    public var units: MetricUnits {
        switch self {
        case .network(let report): MetricUnits(catalogue: .network(report.result.spec))
        case .taskSystem: .taskSystem
        }
    }

    /// Each verdict with its value, threshold and margin in units.
    public var verdictTexts: [VerdictText] {
        let units = units
        return verdicts.map { VerdictText($0, units: units) }
    }
}
