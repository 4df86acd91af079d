// TaskSystemMetrics.swift — the KPI metrics of a `kind: task-system` scenario, their summary
// keys, and the seed's default KPIs.

import TaskSystem

// MARK: - Task-system catalogue

extension MetricCatalogue {
    /// The metrics of the task system; the summary key of a metric value is `"metrics." + name`
    /// where `name` is the member of the `metrics` object of `summary.json` (e.g. the KPI
    /// `p95(api.latency) < 500ms` reads `metrics.api.latency.p95`, the member `"api.latency.p95"`).
    ///
    /// - `api.latency` and `api.<endpoint>.latency` for every ``Endpoint`` (times): `p50`, `p95`
    ///   (the default), `p99` → `metrics.<metric>.p50` …; `mean` is not offered.
    /// - `db.replica.lag` (time), `queue.depth`, `api.instances`, `users.concurrent` (counts):
    ///   `max` only → `metrics.<metric>.max`.
    /// - `cache.hit`, `cache.l1.hit`, `cache.l2.hit` (fractions): `rate` only →
    ///   `metrics.cache.hit_rate`, `metrics.cache.l1.hit_rate`, `metrics.cache.l2.hit_rate`;
    ///   likewise `cache.l1.<family>.hit`, `cache.l2.<family>.hit` per key family, and
    ///   `cdn.hit`, `cdn.api.hit`, `cdn.assets.hit`; `cdn.latency` as a latency.
    /// - Plain values, written without an aggregate (`mean(…)` is accepted as a synonym) →
    ///   `metrics.<metric>`: `api.throughput`, `db.qps` (also `max(…)`: the busiest minute →
    ///   `metrics.<metric>.max`), `db.primary.qps`, `db.replica.qps` (per second); `api.error_rate` (a fraction); `api.requests`, `api.rate_limited`,
    ///   `api.stale_profiles`, `api.<endpoint>.requests`, `db.stale_reads`,
    ///   `db.pool.timeouts`, `jobs.completed`, `jobs.retried`, `jobs.dead`, `api.crashes`,
    ///   `api.crashed_requests`, `api.bad_gateway`, `db.pool.recycles`, `db.pool.pings`,
    ///   `db.pool.reconnects`, `db.pool.connection_errors`, `db.pool.high_utilisation_minutes`,
    ///   `jobs.redelivered`, `jobs.worker_crashes`, `jobs.interrupted_runs`,
    ///   `db.connections.refused`, `db.writes.storage_full`, `db.monitor.triggers`, `db.upgrades`
    ///   (counts); `db.storage.used_fraction` (a fraction); `cost.total`, `cost.database` (dollars).
    /// - `db.connections` (count), `db.connections.utilization`, `db.iops.utilization`
    ///   (fractions), `db.iops` (per second): `max` only → `metrics.<metric>.max`.
    public static let taskSystem: MetricCatalogue = {
        var metrics: [Metric] = [latency("api.latency")]
        metrics += Endpoint.allCases.map { latency("api.\($0.rawValue).latency") }
        metrics += Endpoint.allCases.map { plain("api.\($0.rawValue).requests", .count) }
        metrics += [
            rateWithPeak("api.throughput"),
            plain("api.error_rate", .fraction),
            plain("api.requests", .count),
            plain("api.rate_limited", .count),
            plain("api.stale_profiles", .count),
            rateWithPeak("db.qps"),
            plain("db.primary.qps", .rate),
            plain("db.replica.qps", .rate),
            suffixed("db.replica.lag", .time, .max, "max"),
            plain("db.stale_reads", .count),
            plain("db.pool.timeouts", .count),
            suffixed("cache.hit", .fraction, .rate, "hit_rate", replacingLast: true),
            suffixed("cache.l1.hit", .fraction, .rate, "hit_rate", replacingLast: true),
            suffixed("cache.l2.hit", .fraction, .rate, "hit_rate", replacingLast: true),
            plain("cache.pattern_invalidations", .count),
            suffixed("queue.depth", .count, .max, "max"),
            plain("jobs.completed", .count),
            plain("jobs.retried", .count),
            plain("jobs.dead", .count),
            suffixed("api.instances", .count, .max, "max"),
            plain("api.crashes", .count),
            plain("api.crashed_requests", .count),
            plain("api.bad_gateway", .count),
            plain("api.late_stale_own_reads", .count),
            plain("db.pool.recycles", .count),
            plain("db.pool.pings", .count),
            plain("db.pool.reconnects", .count),
            plain("db.pool.connection_errors", .count),
            plain("db.pool.high_utilisation_minutes", .count),
            plain("jobs.redelivered", .count),
            plain("jobs.worker_crashes", .count),
            plain("jobs.interrupted_runs", .count),
            suffixed("users.concurrent", .count, .max, "max"),
            plain("cost.total", .count),
            // The database tier's limits, monitor and upgrades.
            suffixed("db.connections", .count, .max, "max"),
            suffixed("db.connections.utilization", .fraction, .max, "max"),
            plain("db.connections.refused", .count),
            suffixed("db.iops", .rate, .max, "max"),
            suffixed("db.iops.utilization", .fraction, .max, "max"),
            plain("db.storage.used_fraction", .fraction),
            plain("db.writes.storage_full", .count),
            plain("db.monitor.triggers", .count),
            plain("db.upgrades", .count),
            plain("db.io.wait", .time),
            plain("db.primary.vcpus", .count),
            plain("db.replicas", .count),
            plain("cost.database", .count),
        ]
        for layer in ["l1", "l2"] {
            metrics += TaskSystemResult.reportedFamilies.map {
                suffixed("cache.\(layer).\($0).hit", .fraction, .rate, "hit_rate", replacingLast: true)
            }
        }
        metrics += DatabaseScalingReason.allCases.map { plain("db.monitor.triggers.\($0.rawValue)", .count) }
        metrics += [
            plain("cdn.requests", .count),
            suffixed("cdn.hit", .fraction, .rate, "hit_rate", replacingLast: true),
            plain("cdn.origin_requests", .count),
            suffixed("cdn.api.hit", .fraction, .rate, "hit_rate", replacingLast: true),
            suffixed("cdn.assets.hit", .fraction, .rate, "hit_rate", replacingLast: true),
            plain("cdn.assets.origin_requests", .count),
            plain("cdn.assets.bad_gateway", .count),
            plain("cdn.stale_responses", .count),
            plain("cdn.bypasses", .count),
            latency("cdn.latency"),
        ]
        return MetricCatalogue(metrics)
    }()

    /// The prefix of every task-system summary key.
    static let taskSystemKeyPrefix = "metrics."

    /// A latency: `p50`, `p95` (default), `p99` → `metrics.<name>.<aggregate>`.
    private static func latency(_ name: String) -> Metric {
        var keys: [KPI.Aggregate: String] = [:]
        for aggregate in [KPI.Aggregate.p50, .p95, .p99] {
            keys[aggregate] = "\(taskSystemKeyPrefix)\(name).\(aggregate.rawValue)"
        }
        return Metric(name: name, quantity: .time, defaultAggregate: .p95, keys: keys)
    }

    /// A rate: the whole-run mean as written (`metrics.<name>`), or `max(…)`, the busiest whole
    /// minute after the warm-up (`metrics.<name>.max`).
    private static func rateWithPeak(_ name: String) -> Metric {
        Metric(name: name, quantity: .rate, defaultAggregate: .mean,
               keys: [.mean: taskSystemKeyPrefix + name, .max: "\(taskSystemKeyPrefix)\(name).max"])
    }

    /// One value, read as written: `metrics.<name>`.
    private static func plain(_ name: String, _ quantity: Quantity) -> Metric {
        Metric(name: name, quantity: quantity, defaultAggregate: .mean,
               keys: [.mean: taskSystemKeyPrefix + name])
    }

    /// One statistic of a metric: `metrics.<name>.<suffix>`, or with `replacingLast` the last
    /// component of the name replaced by `suffix` (`cache.hit` → `metrics.cache.hit_rate`).
    private static func suffixed(_ name: String, _ quantity: Quantity, _ aggregate: KPI.Aggregate,
                                 _ suffix: String, replacingLast: Bool = false) -> Metric {
        var stem = Substring(name)
        if replacingLast, let dot = name.lastIndex(of: ".") { stem = name[..<dot] }
        let key = "\(taskSystemKeyPrefix)\(stem).\(suffix)"
        return Metric(name: name, quantity: quantity, defaultAggregate: aggregate, keys: [aggregate: key])
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
