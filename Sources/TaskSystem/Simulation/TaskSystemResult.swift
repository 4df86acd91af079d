import Sim

// MARK: - What one replication measured

/// The metrics and invariants of one task-system replication, measured after the warm-up.
/// Metric names are those of `docs/metrics.md`; values are plain numbers (seconds, per second,
/// fractions, counts, dollars).
public struct TaskSystemResult: Sendable {
    /// Metrics in a fixed order.
    public var metrics: [(name: String, value: Double)]
    /// What the database tier did (monitor triggers, provisioning, switches), in time order.
    public var databaseEvents: [DatabaseEvent] = []
    /// The primary's class and the replicas in service at the end of the run.
    public var finalPrimaryClass = ""
    public var finalReplicas: [String] = []
    /// Invariants checked in the run: name, whether it held, violations, and how many things it
    /// checked (requests, acknowledged writes, jobs, judged reads), so a check that looked at
    /// nothing is visible rather than a silent pass.
    public var invariants: [(name: String, held: Bool, violations: Int, checks: Int)]

    /// Every metric with a per-window measurement, in declaration order, over the whole run in
    /// windows of ``TaskSystemConfiguration/seriesWindow``.
    public var series: [MetricSeries] = []

    /// The replication's decisions and incidents in time order (bounded; see ``Timeline``):
    /// the world's, the database tier's, and broken invariants at the end.
    public var timeline = Timeline()

    /// The value of metric `name`, if measured.
    public func metric(_ name: String) -> Double? { metrics.first { $0.name == name }?.value }

    /// The key families reported per layer: every family the API looks data up in
    /// (`rate_limit` counters are incremented, never looked up; `last_write` markers are
    /// consistency checks, excluded from the cache hit rates as well).
    public static let reportedFamilies = CacheKey.Family.allCases.filter { $0 != .rateLimit && $0 != .lastWrite }

    /// Measures every declared metric (``TaskSystemMetrics/declarations``) in declaration order.
    init(configuration: TaskSystemConfiguration, world: TaskSystemWorld,
         from start: MeasurementSnapshot, to end: MeasurementSnapshot) {
        let context = MetricContext(configuration: configuration, world: world, from: start, to: end)
        var metrics: [(name: String, value: Double)] = []
        for declaration in TaskSystemMetrics.declarations {
            let values = declaration.measure(context)
            precondition(values.count == declaration.statistics.count, "\(declaration.name): one value per statistic")
            for (statistic, value) in zip(declaration.statistics, values) {
                metrics.append((declaration.summaryName(statistic), value))
            }
        }
        let requests = world.metrics
        let jobs = context.jobs
        self.metrics = metrics
        databaseEvents = world.database.events
        finalPrimaryClass = world.database.primaryNode.instanceClass.name
        finalReplicas = world.database.replicaNodes.indices.filter { world.database.replicaServing[$0] }
            .map { world.database.replicaNodes[$0].instanceClass.name }

        let lost = world.workload.lostWrites()
        let jobViolation = world.jobs.conservationViolation()
        let unconserved = requests.conservationViolation(inFlight: world.requestsInFlight)
        invariants = [
            ("requests conserved", unconserved == nil, unconserved == nil ? 0 : 1, requests.generated),
            ("no acknowledged write lost", lost == 0, lost, world.workload.acknowledgedWrites.count),
            ("every job done, dead-lettered or still queued", jobViolation == nil, jobViolation == nil ? 0 : 1,
             jobs.reduce(0) { $0 + $1.enqueued }),
            ("read-your-writes inside the consistency window", world.readYourWrites.violations == 0,
             world.readYourWrites.violations, world.readYourWrites.checks),
        ]
        var timeline = world.recorders.timeline.merged(with: world.componentEvents)
        for invariant in invariants where !invariant.held {
            timeline.record(TimelineEvent(time: end.time, component: .invariants, kind: "invariant-broken",
                                          from: "held", to: "broken",
                                          reason: "\(invariant.name): \(invariant.violations) violation(s)"))
        }
        self.timeline = timeline
    }
}
