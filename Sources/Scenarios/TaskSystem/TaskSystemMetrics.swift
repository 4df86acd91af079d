// TaskSystemMetrics.swift — the KPI metrics of a `kind: task-system` scenario (from the task
// system's metric registry), their summary keys, and the seed's default KPIs.

import TaskSystem

// MARK: - Task-system catalogue

extension MetricCatalogue {
    /// The metrics of the task system, one per ``MetricDeclaration`` of the registry
    /// (``TaskSystemMetrics/declarations``, in `summary.json` order). The summary key of a
    /// statistic is `"metrics." + ` its member of the `metrics` object of `summary.json`: the KPI
    /// `p95(api.latency) < 500ms` reads `metrics.api.latency.p95`, `rate(cache.hit)` reads
    /// `metrics.cache.hit_rate`, `max(queue.depth)` reads `metrics.queue.depth.max`, and a
    /// metric's plain value is read as written (or as `mean(…)`): `cost.total` →
    /// `metrics.cost.total`. Units follow the declared unit: seconds take time units, fractions
    /// `%`, the rest plain numbers.
    public static let taskSystem = MetricCatalogue(TaskSystemMetrics.declarations.map(metric(for:)))

    /// The prefix of every task-system summary key.
    static let taskSystemKeyPrefix = "metrics."

    /// The KPI view of a declaration: each statistic becomes an aggregate reading
    /// `metrics.<summary name>` (the value itself is read as written, or as `mean(…)`).
    static func metric(for declaration: MetricDeclaration) -> Metric {
        var keys: [KPI.Aggregate: String] = [:]
        for statistic in declaration.statistics {
            keys[aggregate(for: statistic)] = taskSystemKeyPrefix + declaration.summaryName(statistic)
        }
        return Metric(name: declaration.name, quantity: quantity(of: declaration.unit),
                      defaultAggregate: aggregate(for: declaration.defaultStatistic), keys: keys)
    }

    /// The KPI aggregate that reads `statistic`.
    static func aggregate(for statistic: MetricDeclaration.Statistic) -> KPI.Aggregate {
        switch statistic {
        case .value: .mean
        case .p50: .p50
        case .p95: .p95
        case .p99: .p99
        case .max: .max
        case .rate: .rate
        }
    }

    /// Which threshold units a KPI on a metric of `unit` may use.
    static func quantity(of unit: MetricDeclaration.Unit) -> Quantity {
        switch unit {
        case .seconds: .time
        case .fraction: .fraction
        case .perSecond, .ioPerSecond: .rate
        case .count, .jobs, .users, .instances, .connections, .vCPUs, .replicas, .minutes, .dollars: .count
        }
    }
}

// MARK: - Convenience

/// The run-summary key that `kpi` reads for a task-system scenario, or `nil` if the KPI names
/// a metric, aggregate or unit the task system does not offer.
///
/// E.g. `p95(api.latency) < 500ms` → `metrics.api.latency.p95`; `rate(cache.hit) >= 0.95` →
/// `metrics.cache.hit_rate`; `max(queue.depth) < 1000` → `metrics.queue.depth.max`;
/// `cost.total < 20` → `metrics.cost.total`. Drop the `metrics.` prefix for the member name in
/// the `metrics` object of `summary.json`.
public func taskSystemMetricKey(for kpi: KPI) -> String? {
    MetricCatalogue.taskSystem.key(for: kpi)
}

// MARK: - Default KPIs

extension TaskSystemScenario {
    /// The seed's KPI table, used when a file has no `kpis` key: `p95(api.latency) < 500ms`,
    /// `rate(cache.hit) >= 0.95`, `max(queue.depth) < 1000`.
    public static let defaultKPIs: [KPI] = [
        KPI(expression: "p95(api.latency) < 500ms", aggregate: .p95, metric: "api.latency",
            op: .lessThan, threshold: 0.5, unit: .time(.milliseconds)),
        KPI(expression: "rate(cache.hit) >= 0.95", aggregate: .rate, metric: "cache.hit",
            op: .greaterThanOrEqual, threshold: 0.95),
        KPI(expression: "max(queue.depth) < 1000", aggregate: .max, metric: "queue.depth",
            op: .lessThan, threshold: 1000),
    ]
}
