// NetworkMetrics.swift — the KPI metrics of a `kind: network` scenario and their summary keys.

import Sim

// MARK: - Network catalogue

extension MetricCatalogue {
    /// The metrics of a queueing network.
    ///
    /// For each station `<s>`: `<s>.response` and `<s>.wait` (times), `<s>.utilization` (a
    /// fraction), `<s>.throughput` (per second) and `<s>.queue_length` (a count). For each class
    /// `<c>`: `<c>.response` and `<c>.throughput`. Every metric defaults to `mean`; `response`
    /// also takes `p50`, `p90`, `p95` and `p99`. `max` and `rate` are not offered.
    ///
    /// Summary keys: `stations.<s>.<stat>` and `classes.<c>.<stat>` for the mean, and
    /// `stations.<s>.p95_response` / `classes.<c>.p95_response` (likewise p50, p90, p99).
    public static func network(stations: [String], classes: [String]) -> MetricCatalogue {
        var metrics: [Metric] = []
        for station in stations {
            let prefix = "stations.\(station)"
            metrics.append(responseMetric(name: station, keyPrefix: prefix))
            metrics.append(meanMetric(name: station, stat: "wait", quantity: .time, keyPrefix: prefix))
            metrics.append(meanMetric(name: station, stat: "utilization", quantity: .fraction, keyPrefix: prefix))
            metrics.append(meanMetric(name: station, stat: "throughput", quantity: .rate, keyPrefix: prefix))
            metrics.append(meanMetric(name: station, stat: "queue_length", quantity: .count, keyPrefix: prefix))
        }
        for customerClass in classes {
            let prefix = "classes.\(customerClass)"
            metrics.append(responseMetric(name: customerClass, keyPrefix: prefix))
            metrics.append(meanMetric(name: customerClass, stat: "throughput", quantity: .rate, keyPrefix: prefix))
        }
        return MetricCatalogue(metrics)
    }

    /// The catalogue of `spec`'s stations and classes.
    public static func network(_ spec: NetworkSpec) -> MetricCatalogue {
        network(stations: spec.stations.map(\.name), classes: spec.classNames)
    }

    private static func meanMetric(name: String, stat: String, quantity: Quantity,
                                   keyPrefix: String) -> Metric {
        Metric(name: "\(name).\(stat)", quantity: quantity, defaultAggregate: .mean,
               keys: [.mean: "\(keyPrefix).\(stat)"])
    }

    private static func responseMetric(name: String, keyPrefix: String) -> Metric {
        var keys: [KPI.Aggregate: String] = [.mean: "\(keyPrefix).response"]
        for percentile in [KPI.Aggregate.p50, .p90, .p95, .p99] {
            keys[percentile] = "\(keyPrefix).\(percentile.rawValue)_response"
        }
        return Metric(name: "\(name).response", quantity: .time, defaultAggregate: .mean, keys: keys)
    }
}

// MARK: - Convenience

/// The run-summary key that `kpi` reads for the network `spec`, or `nil` if the KPI names a
/// metric, aggregate or unit the network does not offer.
///
/// E.g. `p95(api.response) < 2s` → `stations.api.p95_response`; `users.throughput > 100` →
/// `classes.users.throughput`; `api.utilization < 0.9` → `stations.api.utilization`.
/// KPIs from a loaded ``NetworkScenario`` were already checked, so this never returns `nil`
/// for them.
public func networkMetricKey(for kpi: KPI, spec: NetworkSpec) -> String? {
    MetricCatalogue.network(spec).key(for: kpi)
}
