import Scenarios

// MARK: - KPI verdicts

/// One KPI checked against a run: the value it read (mean across replications) and whether
/// the threshold held. A missing value (no observations) fails.
public struct KPIVerdict: Sendable, Equatable {
    public var kpi: KPI
    /// The summary key the KPI read (`stations.api.p95_response`).
    public var key: String
    public var value: Double
    public var passed: Bool

    public init(kpi: KPI, key: String, value: Double) {
        self.kpi = kpi
        self.key = key
        self.value = value
        // A windowed KPI is judged on its windows (KPI.judge(windows:)), never on the whole-run value.
        self.passed = kpi.window == nil && kpi.passes(value)
    }

    /// `{"expr", "value", "passed"}` as in `summary.json`.
    public var json: JSONValue {
        .object([("expr", .string(kpi.expression)), ("metric", .string(key)), ("value", .finite(value)),
                 ("passed", .bool(passed))])
    }
}
