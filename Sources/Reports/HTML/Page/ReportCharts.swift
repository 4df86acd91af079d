// ReportCharts.swift — which charts report.html shows, from which series of summary.json.

import Scenarios
import TaskSystem

// MARK: - The charts of a task-system report

/// A chart of the page, or the note that replaces it when the run has none of its series.
enum ChartSection: Sendable, Equatable {
    case chart(Chart)
    /// The chart's id and title, and why it is left out.
    case omitted(id: String, title: String, note: String)

    var id: String {
        switch self {
        case .chart(let chart): chart.id
        case .omitted(let id, _, _): id
        }
    }
}

/// Builds the report's charts over simulated time from the run's series (the names of
/// `docs/metrics.md`), its timeline and its KPI verdicts. Every chart shades the warm-up and the
/// fault windows; a line whose series carries a KPI gets the threshold and its breach windows;
/// with several replications each line has its 95 % band.
struct ReportCharts {
    let series: RunSeries
    let timeline: RunTimeline
    let verdicts: [KPIVerdict]
    /// Simulated seconds of the run, and of its warm-up.
    let duration: Double
    let warmup: Double

    /// One line to draw: a statistic of a metric series.
    struct LineSpec {
        var metric: String
        /// The statistic drawn; when the series lacks it, ``fallback`` (`cost.total` is a
        /// counter, whose series statistic may be named `count` rather than `value`).
        var statistic: String
        var label: String
        var side: ChartAxis.Side = .left
        /// Draw the running total (cost accrued per window → cost so far).
        var cumulative = false
        var fallback: String? = nil
    }

    /// `spec` with the statistic the run's series has (its own, else its fallback), or `nil`.
    func resolved(_ spec: LineSpec) -> LineSpec? {
        if series.values(spec.metric, spec.statistic) != nil { return spec }
        guard let fallback = spec.fallback, series.values(spec.metric, fallback) != nil else { return nil }
        var spec = spec
        spec.statistic = fallback
        return spec
    }

    /// Every chart, in the page's order.
    var sections: [ChartSection] {
        let queues = series.metricNames(prefix: "queue.", suffix: ".depth")
        var queueLines = queues.map { LineSpec(metric: $0, statistic: "max", label: "queue \(String($0.dropFirst(6).dropLast(6))), deepest") }
        if queueLines.count != 1 {
            queueLines.append(LineSpec(metric: "queue.depth", statistic: "max", label: "all queues, deepest"))
        }
        return [
            section(id: "load", title: "Users and request rate",
                    left: ChartAxis(label: "concurrent users", unit: .count),
                    right: ChartAxis(label: "API requests", unit: .rate("req/s")), lines: [
                        LineSpec(metric: "users.concurrent", statistic: "mean", label: "concurrent users"),
                        LineSpec(metric: "api.throughput", statistic: "value", label: "API requests", side: .right),
                    ]),
            section(id: "latency", title: "API latency", left: ChartAxis(label: "latency", unit: .duration), lines: [
                LineSpec(metric: "api.latency", statistic: "p50", label: "p50"),
                LineSpec(metric: "api.latency", statistic: "p95", label: "p95"),
                LineSpec(metric: "api.latency", statistic: "p99", label: "p99"),
            ]),
            section(id: "errors", title: "API error rate", left: ChartAxis(label: "error rate", unit: .fraction), lines: [
                LineSpec(metric: "api.error_rate", statistic: "value", label: "error rate (5xx and rejections)"),
            ]),
            section(id: "instances", title: "API instances: desired and in service",
                    left: ChartAxis(label: "instances", unit: .count), lines: [
                        LineSpec(metric: "api.instances.desired", statistic: "mean", label: "desired (autoscaler)"),
                        LineSpec(metric: "api.instances", statistic: "mean", label: "in service"),
                    ], markers: timeline.apiScalingMarkers),
            section(id: "cpu", title: "CPU utilisation per tier", left: ChartAxis(label: "CPU busy", unit: .fraction), lines: [
                LineSpec(metric: "api.cpu.utilization", statistic: "value", label: "API instances"),
                LineSpec(metric: "db.primary.cpu.utilization", statistic: "value", label: "database primary"),
                LineSpec(metric: "db.replica.cpu.utilization", statistic: "value", label: "database replicas (mean)"),
            ]),
            section(id: "database", title: "Database queries per node and replica lag",
                    left: ChartAxis(label: "queries", unit: .rate("queries/s")),
                    right: ChartAxis(label: "replica lag", unit: .duration), lines: [
                        LineSpec(metric: "db.primary.qps", statistic: "value", label: "primary"),
                        LineSpec(metric: "db.replica.qps", statistic: "value", label: "replicas (all)"),
                        LineSpec(metric: "db.replica.lag", statistic: "max", label: "replica lag, largest", side: .right),
                    ], markers: timeline.databaseMarkers),
            section(id: "pool", title: "Connection pool utilisation and timeouts",
                    left: ChartAxis(label: "utilisation", unit: .fraction),
                    right: ChartAxis(label: "timeouts per window", unit: .count), lines: [
                        LineSpec(metric: "db.pool.utilization", statistic: "value", label: "pool checked out (of size + overflow)"),
                        LineSpec(metric: "db.connections.utilization", statistic: "value", label: "server connections (of max_connections)"),
                        LineSpec(metric: "db.pool.timeouts", statistic: "count", label: "pool timeouts", side: .right),
                    ]),
            section(id: "caches", title: "Cache hit rate per layer", left: ChartAxis(label: "hit rate", unit: .fraction), lines: [
                LineSpec(metric: "cache.hit", statistic: "value", label: "L1 + L2"),
                LineSpec(metric: "cache.l1.hit", statistic: "value", label: "L1 (per instance)"),
                LineSpec(metric: "cache.l2.hit", statistic: "value", label: "L2 (Redis)"),
                LineSpec(metric: "cdn.hit", statistic: "value", label: "CDN edge"),
            ]),
            section(id: "queues", title: "Job queue depth per queue and workers",
                    left: ChartAxis(label: "jobs waiting", unit: .count),
                    right: ChartAxis(label: "workers", unit: .count),
                    lines: queueLines + [LineSpec(metric: "jobs.workers", statistic: "mean", label: "workers in service", side: .right)],
                    markers: timeline.workerScalingMarkers),
            section(id: "cost", title: "Cost accumulating", left: ChartAxis(label: "cost so far", unit: .dollars), lines: [
                LineSpec(metric: "cost.total", statistic: "value", label: "cost so far", cumulative: true, fallback: "count"),
            ]),
        ]
    }

    // MARK: Building one chart

    /// The chart of `lines` that the run has, or the note that it has none of them.
    func section(id: String, title: String, left: ChartAxis, right: ChartAxis? = nil, lines: [LineSpec],
                 markers: [ChartMarker] = []) -> ChartSection {
        let names = Array(Set(lines.map(\.metric))).sorted().map { "`\($0)`" }.joined(separator: ", ")
        let resolved = lines.compactMap(resolved)
        guard !resolved.isEmpty, !series.windowStarts.isEmpty else {
            return .omitted(id: id, title: title, note: "left out: this run has no series \(names) (see docs/metrics.md)")
        }
        // A series with no measured window (a CDN hit rate without a CDN) draws nothing.
        var present = resolved.filter { spec in series.values(spec.metric, spec.statistic)!.mean.contains { $0 != nil } }
        guard !present.isEmpty else {
            return .omitted(id: id, title: title, note: "left out: the series \(names) measured nothing in any window of this run")
        }
        var left = left
        // Only right-axis series present (pool timeouts without the utilisation): one axis, theirs.
        if let right, !present.contains(where: { $0.side == .left }) {
            left = right
            present = present.map { var spec = $0; spec.side = .left; return spec }
        }
        let usesRight = present.contains { $0.side == .right }
        var chart = Chart(id: id, title: title, duration: duration, left: left, right: usesRight ? right : nil, lines: [],
                          markers: markers)
        for (index, spec) in present.enumerated() {
            let unit = spec.side == .left ? left.unit : (right ?? left).unit
            chart.lines.append(line(spec, color: index, unit: unit))
            for verdict in verdicts where Self.reads(verdict, spec) {
                chart.thresholds.append(ChartThreshold(value: verdict.kpi.threshold, side: spec.side, label: verdict.kpi.expression))
                if Self.windowCanBreach(verdict.kpi) { chart.regions += breaches(of: verdict, on: spec) }
            }
        }
        if warmup > 0 { chart.regions.insert(ChartRegion(kind: .warmup, start: 0, end: warmup, label: "warm-up, left out of the whole-run figures"), at: 0) }
        chart.regions += timeline.faultRegions(duration: duration, window: series.windowSeconds)
        return .chart(chart)
    }

    /// The line of `spec`: each window's mean at the window's middle, with the 95 % band where
    /// the replications give one; a running total for a cumulative line, its band from the
    /// replications' own running totals. Every series is non-negative and a fraction at most 1,
    /// so the band is cut there (with two replications, t₀.₉₇₅ = 12.7 makes it wide).
    func line(_ spec: LineSpec, color: Int, unit: DisplayUnit) -> ChartLine {
        let ceiling = unit == .fraction ? 1.0 : .infinity
        func band(_ mean: Double, _ half: Double) -> ClosedRange<Double> {
            max(0, min(mean - half, ceiling))...max(0, min(mean + half, ceiling))
        }
        let values = series.values(spec.metric, spec.statistic)!
        let width = series.windowSeconds
        let times = series.windowStarts.map { min($0 + width / 2, duration) }
        var points: [ChartPoint]
        if spec.cumulative {
            let totals = values.replications.map { replication in
                var total = 0.0
                return replication.map { value -> Double in total += value ?? 0; return total }
            }
            let ends = series.windowStarts.map { min($0 + width, duration) }
            points = ends.indices.map { window in
                let estimate = Estimate(replicationValues: totals.compactMap { window < $0.count ? $0[window] : nil })
                return ChartPoint(time: ends[window], value: estimate.mean.isFinite ? estimate.mean : nil,
                                  band: estimate.ci95.map { band(estimate.mean, $0) })
            }
            points.insert(ChartPoint(time: 0, value: 0), at: 0)
        } else {
            points = times.indices.map { window in
                let mean = window < values.mean.count ? values.mean[window] : nil
                let half = window < values.ci95.count ? values.ci95[window] : nil
                return ChartPoint(time: times[window], value: mean, band: mean.flatMap { m in half.map { band(m, $0) } })
            }
        }
        let dashed = spec.side == .right
        return ChartLine(label: spec.label, side: spec.side, color: color % ChartPalette.colors.count, dashed: dashed, points: points)
    }

    /// Whether `verdict`'s KPI reads the series statistic `spec` draws (its summary figure comes
    /// from that series: `p95(api.latency)` reads `api.latency` `p95`).
    static func reads(_ verdict: KPIVerdict, _ spec: LineSpec) -> Bool {
        guard !spec.cumulative else { return false }
        let member = verdict.summaryMember
        guard let (name, statistic) = TaskSystemMetrics.series(forSummaryMember: member) else { return false }
        return name == spec.metric && statistic == spec.statistic
    }

    /// Whether one window below the threshold breaches the KPI: always for a windowed KPI and
    /// an upper bound; not for `max(…) >= X`, which any single window meeting X satisfies.
    static func windowCanBreach(_ kpi: KPI) -> Bool {
        if kpi.window != nil { return true }
        let lowerBound = kpi.op == .greaterThan || kpi.op == .greaterThanOrEqual
        return !(kpi.aggregate == .max && lowerBound)
    }

    /// The windows where `spec`'s mean breaches `verdict`'s threshold, adjacent ones merged.
    func breaches(of verdict: KPIVerdict, on spec: LineSpec) -> [ChartRegion] {
        guard let values = series.values(spec.metric, spec.statistic) else { return [] }
        let width = series.windowSeconds
        var regions: [ChartRegion] = []
        for (window, start) in series.windowStarts.enumerated() {
            guard window < values.mean.count, let value = values.mean[window], !verdict.kpi.passes(value) else { continue }
            let end = min(start + width, duration)
            if let last = regions.last, last.end >= start - 1e-9 {
                regions[regions.count - 1].end = end
            } else {
                regions.append(ChartRegion(kind: .breach, start: start, end: end, label: "\(verdict.kpi.expression) breached"))
            }
        }
        return regions.map { region in
            var region = region
            region.label = "\(verdict.kpi.expression) breached from \(Format.clock(region.start)) to \(Format.clock(region.end))"
            return region
        }
    }
}
