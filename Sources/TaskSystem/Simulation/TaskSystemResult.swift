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
    /// The first violation of each invariant that broke, in the order of ``invariants``
    /// (parallel identifiers: ``InvariantIdentifier/allCases``), accepted losses included.
    public var violations: [InvariantViolation] = []

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
         from start: MeasurementSnapshot, to end: MeasurementSnapshot, replication: Int = 1) {
        let context = MetricContext(configuration: configuration, world: world, from: start, to: end)
        var metrics: [(name: String, value: Double)] = []
        for declaration in TaskSystemMetrics.declarations where declaration.isMeasured(in: configuration) {
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
        violations = Self.firstViolations(world: world, at: end.time, replication: replication,
                                          accepted: configuration.acceptedLosses, invariants: invariants,
                                          unconserved: unconserved, jobViolation: jobViolation)
        var timeline = world.recorders.timeline.merged(with: world.componentEvents)
        for (invariant, identifier) in zip(invariants, InvariantIdentifier.allCases) where !invariant.held {
            let accepted = configuration.acceptedLosses.contains(identifier)
            timeline.record(TimelineEvent(time: end.time, component: .invariants,
                                          kind: accepted ? "accepted-loss" : "invariant-broken",
                                          from: "held", to: accepted ? "accepted loss" : "broken",
                                          reason: "\(invariant.name): \(invariant.violations) violation(s)"))
        }
        self.timeline = timeline
    }

    // MARK: First violations

    /// The first violation of every invariant that broke, with its time and entities.
    private static func firstViolations(
        world: TaskSystemWorld, at end: SimTime, replication: Int, accepted: [InvariantIdentifier],
        invariants: [(name: String, held: Bool, violations: Int, checks: Int)],
        unconserved: String?, jobViolation: String?) -> [InvariantViolation]
    {
        var found: [InvariantViolation] = []
        for (invariant, identifier) in zip(invariants, InvariantIdentifier.allCases) where !invariant.held {
            var time = end
            let entities: String
            switch identifier {
            case .requestsConserved:
                entities = unconserved ?? ""
            case .noAcknowledgedWriteLost:
                time = world.workload.acknowledgedWrites.firstFailoverLoss ?? end
                entities = world.workload.acknowledgedWrites.lostTasks(in: world.database.store.primary).map {
                    "task \($0.task.rawValue) (version \($0.acknowledged) acknowledged, "
                        + ($0.held == 0 ? "missing on the primary)" : "version \($0.held) on the primary)")
                }.joined(separator: ", ") + (invariant.violations > 5 ? ", …" : "")
            case .jobsConserved:
                entities = jobViolation ?? ""
            case .readYourWrites:
                let first = world.readYourWrites.firstViolation
                time = first?.time ?? end
                entities = first?.entities ?? ""
            }
            found.append(InvariantViolation(invariant: identifier, replication: replication, time: time,
                                            entities: entities, violations: invariant.violations,
                                            accepted: accepted.contains(identifier)))
        }
        return found
    }
}
