// RunSeries.swift — summary.json's `series` read back: what the charts draw.

// MARK: - The per-window series of a run

/// The `series` member of a task-system `summary.json`: the window width, each window's start,
/// and per metric and statistic the mean across replications, the 95 % half-width and every
/// replication's values (`nil` where a window measured nothing). Read from the JSON rather than
/// from the results, so that a chart draws exactly what `summary.json` publishes.
struct RunSeries: Sendable {
    /// One statistic of one metric, window by window.
    struct Values: Sendable, Equatable {
        var mean: [Double?]
        var ci95: [Double?]
        var replications: [[Double?]]
    }

    var windowSeconds: Double
    var windowStarts: [Double]
    /// Metric name → statistic name → values, in the JSON's order.
    var metrics: [(name: String, statistics: [(name: String, values: Values)])]

    /// Reads `series` (`window_seconds`, `window_start_seconds`, `metrics`); members that are
    /// missing or malformed read as empty, so a chart is left out rather than the page failing.
    init(json: JSONValue?) {
        windowSeconds = json?.member("window_seconds")?.number ?? 60
        windowStarts = json?.member("window_start_seconds")?.array?.compactMap(\.number) ?? []
        var metrics: [(String, [(String, Values)])] = []
        for (name, value) in json?.member("metrics")?.members ?? [] {
            let statistics: [(String, Values)] = (value.members ?? []).map { statistic, body in
                (statistic, Values(mean: body.member("mean")?.array?.map(\.number) ?? [],
                                   ci95: body.member("ci95")?.array?.map(\.number) ?? [],
                                   replications: body.member("replications")?.array?.map { $0.array?.map(\.number) ?? [] } ?? []))
            }
            metrics.append((name, statistics))
        }
        self.metrics = metrics
    }

    /// The values of `statistic` of `metric`, if the run has that series.
    func values(_ metric: String, _ statistic: String) -> Values? {
        metrics.first { $0.name == metric }?.statistics.first { $0.name == statistic }?.values
    }

    /// The names of the metrics starting with `prefix` and ending with `suffix`, with something
    /// between (`queue.` … `.depth` → the per-queue series), in the JSON's order.
    func metricNames(prefix: String, suffix: String) -> [String] {
        metrics.map(\.name).filter {
            $0.count > prefix.count + suffix.count && $0.hasPrefix(prefix) && $0.hasSuffix(suffix)
        }
    }

    /// The number of replications behind the series (0 when there is none).
    var replicationCount: Int { metrics.first?.statistics.first?.values.replications.count ?? 0 }
}
