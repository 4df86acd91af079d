import Sim

// MARK: - A metric, declared once

/// One metric of the task system, declared once by the code that emits it: its name, what kind
/// of quantity it is, its unit, the statistics `summary.json` carries for it, the stretch of the
/// run it measures, where a report shows it, what it means, and how one replication measures it.
///
/// Everything else derives from the declarations (``TaskSystemMetrics/declarations``): the
/// members of `metrics` in `summary.json` and their order, the KPI catalogue (`Scenarios`), the
/// sections of `report.md` (`Reports`) and the metric table of `docs/metrics.md`.
public struct MetricDeclaration: Sendable {
    /// What the metric counts or measures.
    public enum Kind: String, Sendable, CaseIterable {
        /// Events counted (requests, jobs, dollars, seconds of waiting).
        case counter
        /// A level that goes up and down (users in session, instances, queue depth).
        case gauge
        /// Events per second.
        case rate
        /// A distribution of durations, reported by percentiles.
        case latency
        /// A part of a whole, in [0, 1] (hit rates, error rate, utilisation).
        case fraction
    }

    /// The unit of the values, as written in the documentation.
    public enum Unit: String, Sendable, CaseIterable {
        case count, jobs, users, instances, connections, vCPUs, replicas, minutes, dollars, fraction, seconds
        case perSecond = "per second"
        case ioPerSecond = "I/Os per second"
    }

    /// A statistic `summary.json` carries for a metric; each is one member of `metrics`.
    public enum Statistic: String, Sendable, CaseIterable {
        /// The value itself: `<name>`.
        case value
        /// Percentiles of a latency: `<name>.p50` …
        case p50, p95, p99
        /// The largest value: `<name>.max`.
        case max
        /// Hits per lookup: `<name>_rate` (`cache.hit` → `cache.hit_rate`).
        case rate
    }

    /// The stretch of each replication a metric measures.
    public enum Window: String, Sendable, CaseIterable {
        /// From the end of the warm-up to the end of the run (counters reset or differenced).
        case afterWarmup = "after the warm-up"
        /// The whole run, warm-up included (peaks, totals of slow events, costs).
        case wholeRun = "whole run"
        /// The state at the end of the run.
        case atEnd = "at the end"
    }

    /// Where a report shows a metric.
    public enum Section: String, Sendable, CaseIterable {
        case api = "API tier"
        case endpoints = "Endpoints"
        case cdn = "CDN edge"
        case database = "Database tier"
        case pool = "Connection pools"
        case cache = "Caches"
        case jobs = "Job queues"
        case workload = "Users"
        case cost = "Cost"
    }

    /// The name KPIs use: `api.latency`, `cache.hit`, `db.qps`.
    public let name: String
    public let kind: Kind
    public let unit: Unit
    /// The statistics carried, in `summary.json` order.
    public let statistics: [Statistic]
    /// The statistic a KPI reads when it names none (one of ``statistics``).
    public let defaultStatistic: Statistic
    public let window: Window
    public let section: Section
    /// What the metric means, for `docs/metrics.md` (Markdown, one paragraph).
    public let description: String
    /// One replication's values, one per statistic in ``statistics`` order (NaN: no observation).
    let measure: @Sendable (MetricContext) -> [Double]
    /// One window's values, one per statistic of ``MetricSeries/statistics(for:)``; `nil`: the
    /// metric has no time series yet.
    let windowMeasure: (@Sendable (WindowContext) -> [Double])?
    /// Whether a run records the series at all (`nil`: always); a series of a part the
    /// configuration lacks (replicas, a job queue without workers) is left out of the run.
    let seriesCondition: (@Sendable (SeriesScope) -> Bool)?
    /// Whether a run of a configuration measures the metric at all (`nil`: always). A metric of
    /// a fault (`db.failover.*`) is measured only in runs whose plan has that fault, so that runs
    /// without it keep byte-identical summaries.
    let measuredCondition: (@Sendable (TaskSystemConfiguration) -> Bool)?

    /// Whether a run of `configuration` measures the metric (a member of `metrics` in `summary.json`).
    public func isMeasured(in configuration: TaskSystemConfiguration) -> Bool {
        measuredCondition?(configuration) != false
    }

    /// Whether the metric is recorded per window (`series` in `summary.json`).
    public var hasSeries: Bool { windowMeasure != nil }

    /// Whether a run of `configuration` records the series (it has one, and the configuration
    /// has the part it measures).
    public func recordsSeries(in configuration: TaskSystemConfiguration) -> Bool {
        hasSeries && seriesCondition?(SeriesScope(configuration)) != false
    }

    /// Declares a metric. - Precondition: `statistics` is not empty and holds `defaultStatistic`.
    init(_ name: String, _ kind: Kind, _ unit: Unit, _ statistics: [Statistic] = [.value],
         default defaultStatistic: Statistic? = nil, window: Window = .afterWarmup, section: Section,
         _ description: String, series windowMeasure: (@Sendable (WindowContext) -> [Double])? = nil,
         seriesIf seriesCondition: (@Sendable (SeriesScope) -> Bool)? = nil,
         measuredIf measuredCondition: (@Sendable (TaskSystemConfiguration) -> Bool)? = nil,
         measure: @escaping @Sendable (MetricContext) -> [Double]) {
        precondition(!statistics.isEmpty && statistics.contains(defaultStatistic ?? statistics[0]),
                     "\(name): the default statistic must be one of its statistics")
        self.name = name
        self.kind = kind
        self.unit = unit
        self.statistics = statistics
        self.defaultStatistic = defaultStatistic ?? statistics[0]
        self.window = window
        self.section = section
        self.description = description
        self.measure = measure
        self.windowMeasure = windowMeasure
        self.seriesCondition = seriesCondition
        self.measuredCondition = measuredCondition
    }

    /// The member of `metrics` in `summary.json` that carries `statistic`.
    public func summaryName(_ statistic: Statistic) -> String {
        switch statistic {
        case .value: name
        case .p50, .p95, .p99, .max: "\(name).\(statistic.rawValue)"
        case .rate: "\(name)_rate"
        }
    }

    /// Every member of `metrics` this declaration gives, in order.
    public var summaryNames: [String] { statistics.map(summaryName) }
}

// MARK: - Series behind a summary figure

extension MetricDeclaration {
    /// The per-window statistic (``MetricSeries/statistics``) that measures `statistic` window
    /// by window, or `nil` when the metric has no series or the figure has no per-window
    /// counterpart (a whole-run maximum, for instance). A windowed KPI reads it.
    public func seriesStatistic(for statistic: Statistic) -> String? {
        guard hasSeries, statistics.contains(statistic) else { return nil }
        switch (kind, statistic) {
        case (.latency, .p50), (.latency, .p95), (.latency, .p99): return statistic.rawValue
        case (.rate, .value), (.fraction, .value), (.fraction, .rate): return "value"
        case (.counter, .value): return "count"
        case (.gauge, .value): return "mean"
        case (.gauge, .max): return "max"
        default: return nil
        }
    }
}

extension TaskSystemMetrics {
    /// The declaration and series statistic behind the `metrics` member `member`
    /// (`api.latency.p95` → `api.latency`, `p95`), when it has a per-window series.
    public static func series(forSummaryMember member: String) -> (name: String, statistic: String)? {
        for declaration in declarations {
            for statistic in declaration.statistics where declaration.summaryName(statistic) == member {
                return declaration.seriesStatistic(for: statistic).map { (declaration.name, $0) }
            }
        }
        return nil
    }
}
