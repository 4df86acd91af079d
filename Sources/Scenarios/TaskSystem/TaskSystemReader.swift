// TaskSystemReader.swift — the root mapping of a `kind: task-system` file to a
// TaskSystemScenario.

import Sim
import TaskSystem

// MARK: - TaskSystemReader

/// Reads a `kind: task-system` document over the defaults of `TaskSystemConfiguration`.
/// Every problem is reported to the diagnostics; the scenario is built only when there are none.
struct TaskSystemReader {
    /// The keys of the document root.
    static let rootKeys = ["kind", "name", "seed", "duration", "warmup", "replications",
                           "users", "load", "api", "database", "cache", "jobs", "external", "cdn", "series", "kpis",
                           "faults", "accept", ScenarioDefaults.key]

    let sourcePath: String
    /// Where class names and prices come from.
    var catalog: PriceCatalog = .builtIn

    /// The scenario, or `nil` once problems were reported.
    func read(_ root: YAMLMapping) -> TaskSystemScenario? {
        var root = root
        root.rejectKeys(notIn: Self.rootKeys)

        var configuration = TaskSystemConfiguration()
        let name = root.required("name")?.scenarioName()
        if let name { configuration.name = name }
        root.read("seed", into: &configuration.seed) { $0.uint64() }
        readRunLength(root, into: &configuration)
        root.read("replications", into: &configuration.replications) { $0.int(atLeast: 1, atMost: ScenarioBounds.replications) }

        WorkloadReader.read(users: root.optional("users"), load: root.optional("load"),
                            into: &configuration.workload)
        var taskSizes = PriceCatalog.TaskSizes()
        if let api = root.optional("api") { APIReader.read(api, into: &configuration.api, sizes: &taskSizes) }
        if let database = root.optional("database") {
            DatabaseReader.read(database, into: &configuration.database, catalog: catalog)
        }
        if let cache = root.optional("cache") {
            CacheReader.read(cache, into: &configuration.cache, warm: &configuration.warmCache,
                             localMode: &configuration.api.localCacheMode, catalog: catalog)
        }
        if let jobs = root.optional("jobs") { JobsReader.read(jobs, into: &configuration.jobs, sizes: &taskSizes) }
        if let external = root.optional("external") { ExternalReader.read(external, into: &configuration.external) }
        if let cdn = root.optional("cdn") { CDNReader.read(cdn, into: &configuration.cdn) }
        if let series = root.optional("series") { readSeries(series, into: &configuration) }
        readFaults(root, into: &configuration)

        configuration = catalog.priced(configuration, sizes: taskSizes)

        let kpiValue = root.optional("kpis")
        let kpis = kpiValue == nil ? TaskSystemScenario.defaultKPIs
            : KPIReader.read(kpiValue, catalogue: .taskSystem, windowedProblem: { [configuration] kpi, key in
                Self.windowedProblem(kpi, key: key, configuration: configuration)
            }, unmeasuredProblem: { [configuration] key in
                Self.unmeasuredProblem(key: key, configuration: configuration)
            })

        guard !root.value.diagnostics.hasErrors, name != nil, let kpis else {
            if !root.value.diagnostics.hasErrors {
                root.value.report("internal error: incomplete scenario without a reported problem")
            }
            return nil
        }
        return TaskSystemScenario(configuration: configuration, kpis: kpis, sourcePath: sourcePath)
    }

    /// Why a KPI reading `key` cannot be judged because the run will not measure its metric (a
    /// fault's metric, `db.failover.*`, without that fault in the plan), or `nil`.
    static func unmeasuredProblem(key: String, configuration: TaskSystemConfiguration) -> String? {
        let member = key.hasPrefix("metrics.") ? String(key.dropFirst("metrics.".count)) : key
        guard let declaration = TaskSystemMetrics.declarations.first(where: { $0.summaryNames.contains(member) }),
              !declaration.isMeasured(in: configuration) else { return nil }
        return "'\(declaration.name)' is measured only in runs with a primary-failover fault; add one to faults: or drop the KPI"
    }

    /// Why a windowed KPI cannot be judged on this run's series, or `nil`: its metric must have
    /// a per-window series for the statistic it reads, and its window must be the scenario's
    /// `series.window`, and the configuration must have the part the series measures (a
    /// replica's lag needs replicas).
    static func windowedProblem(_ kpi: KPI, key: String, configuration: TaskSystemConfiguration) -> String? {
        let seriesWindow = configuration.seriesWindow
        guard let window = kpi.window else { return nil }
        let member = key.hasPrefix("metrics.") ? String(key.dropFirst("metrics.".count)) : key
        guard TaskSystemMetrics.series(forSummaryMember: member) != nil else {
            let recorded = TaskSystemMetrics.declarations.filter(\.hasSeries).map(\.name).joined(separator: ", ")
            return "'\(member)' has no per-window series to judge 'over … windows' on; metrics with series: \(recorded)"
        }
        if let (name, _) = TaskSystemMetrics.series(forSummaryMember: member),
           TaskSystemMetrics.declaration(named: name)?.recordsSeries(in: configuration) == false {
            return "'\(member)' has no per-window series in this scenario: it records '\(name)' only with "
                + (name.hasPrefix("db.") ? "replicas (database.replicas or a tier with replicas)" : "a worker pool serving the queue")
        }
        let seconds = SimClock.seconds(seriesWindow)
        guard abs(window.seconds - seconds) < 1e-9 else {
            return "the KPI's windows (\(Self.formatSeconds(window.seconds))) must be the scenario's series windows "
                + "(series.window: \(Self.formatSeconds(seconds))); write 'over \(Self.formatSeconds(seconds)) windows' or set series.window"
        }
        return nil
    }

    private static func formatSeconds(_ seconds: Double) -> String {
        seconds.rounded() == seconds ? "\(Int(seconds))s" : "\(seconds)s"
    }

    // MARK: Faults

    /// `api.failures`, `jobs.worker_failures` (old spellings, read into entries first), then
    /// `faults:`, into one plan; and `accept:`.
    private func readFaults(_ root: YAMLMapping, into configuration: inout TaskSystemConfiguration) {
        var faults = FaultsReader.entries(of: configuration.api.failures)
            + FaultsReader.entries(of: configuration.jobs.workerFailures)
        configuration.api.failures = .none
        configuration.jobs.workerFailures = nil
        if let list = root.optional("faults") {
            let replicas = configuration.database.startingTopology(
                activeUsers: configuration.workload.load.users(at: 0)).replicas
            faults = FaultsReader.read(list, after: faults, runLength: configuration.duration, replicasAtStart: replicas)
        }
        configuration.faults = FaultPlan(faults)
        if let accept = root.optional("accept") { configuration.acceptedLosses = FaultsReader.readAccepted(accept) }
    }

    // MARK: Run settings

    /// The most windows a series may have: the bound on the series' memory.
    static let maxSeriesWindows: SimTime = 10_000

    /// `series: {window: 60s}`: the time-series window, at least 1 s and at most
    /// ``maxSeriesWindows`` windows in the run.
    private func readSeries(_ value: YAMLValue, into configuration: inout TaskSystemConfiguration) {
        guard let map = value.mapping(allowedKeys: ["window"]) else { return }
        guard map.read("window", into: &configuration.seriesWindow, { $0.positiveDuration() }),
              let window = map.optional("window") else { return }
        let width = configuration.seriesWindow
        if width < SimClock.nanosecondsPerSecond {
            window.report("must be at least 1s, got \(SimClock.seconds(width)) s")
        } else if (configuration.duration - 1) / width + 1 > Self.maxSeriesWindows {
            window.report("gives more than \(Self.maxSeriesWindows) windows over the duration "
                          + "(\(SimClock.seconds(configuration.duration)) s); use at least "
                          + "\((SimClock.seconds(configuration.duration) / Double(Self.maxSeriesWindows)).rounded(.up)) s")
        }
    }

    /// `duration` (> 0) and `warmup`, which must be shorter; either may keep its default, and
    /// the pair is checked either way.
    private func readRunLength(_ root: YAMLMapping, into configuration: inout TaskSystemConfiguration) {
        let durationRead = root.read("duration", into: &configuration.duration) { $0.positiveDuration() }
        let warmupRead = root.read("warmup", into: &configuration.warmup) { $0.duration() }
        let duration = configuration.duration, warmup = configuration.warmup
        guard durationRead, warmupRead, warmup >= duration else { return }
        if let value = root.optional("warmup") {
            value.report("must be shorter than duration (\(SimClock.seconds(duration)) s), got \(SimClock.seconds(warmup)) s")
        } else {
            root.optional("duration")?.report(
                "must be longer than warmup (\(SimClock.seconds(warmup)) s, the default), got "
                + "\(SimClock.seconds(duration)) s; set warmup too")
        }
    }
}
