// MetricUnits.swift — the display unit of every summary figure, from the KPI catalogue's
// quantities plus a few naming rules. The one place to rewire when metrics declare their units.

import Scenarios

// MARK: - Units of summary figures

/// The display unit of each figure of a run summary, looked up by its summary key
/// (`metrics.api.latency.p95`, `stations.api.utilization`) or by its member name in the
/// `metrics` object (`api.latency.p95`).
public struct MetricUnits: Sendable {
    private let byKey: [String: DisplayUnit]

    /// Units from `catalogue` (the KPI metrics) for the keys it knows; other keys follow
    /// ``fallback(for:)``.
    public init(catalogue: MetricCatalogue) {
        var units: [String: DisplayUnit] = [:]
        for metric in catalogue.metrics {
            for key in metric.keys.values {
                // Only task-system keys (`metrics.…`) get the API and database rate labels.
                let name = key.hasPrefix("metrics.") ? metric.name : ""
                units[key] = Self.unit(of: metric.quantity, named: name)
            }
        }
        byKey = units
    }

    /// The task-system catalogue's units.
    public static let taskSystem = MetricUnits(catalogue: .taskSystem)

    /// The unit of the figure at `key`; a key without the `metrics.` prefix is tried with it.
    public func unit(forKey key: String) -> DisplayUnit {
        byKey[key] ?? byKey["metrics." + key] ?? Self.fallback(for: key)
    }

    /// The unit a KPI's value and threshold are shown in: its threshold's unit when it has one
    /// (`< 500ms` → duration, `>= 95%` → fraction), else the unit of the key it read.
    public func unit(for verdict: KPIVerdict) -> DisplayUnit {
        switch verdict.kpi.unit {
        case .time: .duration
        case .percent: .fraction
        case .none: unit(forKey: verdict.key)
        }
    }

    // MARK: Rules

    /// A catalogue quantity as a display unit; dollars and the rate labels come from the name.
    static func unit(of quantity: MetricCatalogue.Quantity, named name: String) -> DisplayUnit {
        if name.hasPrefix("cost.") { return .dollars }
        switch quantity {
        case .time: return .duration
        case .fraction: return .fraction
        case .rate: return .rate(rateLabel(for: name))
        case .count: return .count
        }
    }

    /// Units for figures no KPI can name, by their name's last parts.
    static func fallback(for key: String) -> DisplayUnit {
        let name = key.hasPrefix("metrics.") ? String(key.dropFirst("metrics.".count)) : key
        let parts = name.split(separator: ".")
        if name.hasPrefix("cost.") { return .dollars }
        if parts.contains("latency") || name.hasSuffix("response") || name.hasSuffix(".wait") || name.hasSuffix("lag.max")
            || name.hasSuffix("_seconds") { return .duration }
        if name.hasSuffix("hit_rate") || name.hasSuffix("utilization") || name.hasSuffix("error_rate")
            || name.hasSuffix("fraction") { return .fraction }
        if name.hasSuffix("throughput") || name.hasSuffix("qps") || name.hasSuffix("qps.max") || name.hasSuffix("throughput.max") {
            return .rate(rateLabel(for: name))
        }
        return .number
    }

    /// `req/s` for the API, `queries/s` for the database, `IOPS` for I/O, else `/s`.
    static func rateLabel(for name: String) -> String {
        if name.hasPrefix("api.") || name.hasPrefix("cdn.") { return "req/s" }
        if name.contains("iops") { return "IOPS" }
        if name.hasPrefix("db.") { return "queries/s" }
        return "/s"
    }
}
