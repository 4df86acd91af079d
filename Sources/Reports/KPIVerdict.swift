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

    /// The member of `summary.json`'s `metrics` the KPI read (`api.latency.p95` for the key
    /// `metrics.api.latency.p95`); the key itself when it is not a task-system metric.
    var summaryMember: String {
        key.hasPrefix("metrics.") ? String(key.dropFirst("metrics.".count)) : key
    }

    /// For a windowed KPI, how its windows went; `nil` for a whole-run KPI.
    public var windows: WindowedJudgement?

    /// A whole-run KPI judged on `value`. (A windowed KPI is judged on its windows, never on
    /// the whole-run value: it fails here.)
    public init(kpi: KPI, key: String, value: Double) {
        self.kpi = kpi
        self.key = key
        self.value = value
        self.passed = kpi.window == nil && kpi.passes(value)
    }

    /// A windowed KPI judged on its windows; its value is the worst window's (NaN: none measured).
    public init(kpi: KPI, key: String, windows: WindowedJudgement) {
        self.kpi = kpi
        self.key = key
        self.value = windows.worst?.value ?? .nan
        self.passed = windows.passed
        self.windows = windows
    }

    /// `{"expr", "metric", "value", "passed"}` as in `summary.json`; a windowed KPI adds
    /// `windows` (measured, breaches, and the worst window's start in simulated seconds).
    public var json: JSONValue {
        var members: [(String, JSONValue)] = [("expr", .string(kpi.expression)), ("metric", .string(key)),
                                              ("value", .finite(value)), ("passed", .bool(passed))]
        if let windows {
            members.append(("windows", .object([
                ("measured", .int(windows.measuredWindows)), ("breaches", .int(windows.breaches)),
                ("worst_start_seconds", windows.worst.map { .finite($0.start) } ?? .null),
            ])))
        }
        return .object(members)
    }
}
