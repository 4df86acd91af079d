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

    /// The value of metric `name`, if measured.
    public func metric(_ name: String) -> Double? { metrics.first { $0.name == name }?.value }

    init(configuration: TaskSystemConfiguration, world: SimulatedWorld,
         from start: MeasurementSnapshot, to end: MeasurementSnapshot) {
        let seconds = SimClock.seconds(end.time - start.time)
        let requests = world.metrics
        let answered = requests.answered
        func percentile(_ histogram: LatencyHistogram, _ p: Double) -> Double {
            histogram.count == 0 ? .nan : histogram.percentile(p)
        }
        let primary = Double(end.primaryQueries - start.primaryQueries)
        let replica = Double(end.replicaQueries - start.replicaQueries)
        let localHits = end.localHits - start.localHits, localLookups = localHits + end.localMisses - start.localMisses
        let sharedHits = end.sharedHits - start.sharedHits
        let sharedLookups = sharedHits + end.sharedMisses - start.sharedMisses
        let jobs = JobQueueName.allCases.map { world.jobs.metrics(for: $0) }
        let databaseCost = world.database.instanceCost(until: configuration.duration)
        let cost = world.instanceHours(until: configuration.duration) * configuration.api.hourlyPrice + databaseCost

        var metrics: [(String, Double)] = [
            ("api.requests", Double(answered)),
            ("api.throughput", Double(answered) / seconds),
            ("api.throughput.max", world.peakRates.apiRequestsPerSecond),
            ("api.latency.p50", percentile(requests.overall, 50)),
            ("api.latency.p95", percentile(requests.overall, 95)),
            ("api.latency.p99", percentile(requests.overall, 99)),
            ("api.error_rate", answered == 0 ? .nan : Double(requests.serverErrors) / Double(answered)),
            ("api.rate_limited", Double(requests.rateLimited)),
            ("api.stale_profiles", Double(end.staleProfiles - start.staleProfiles)),
            ("db.qps", (primary + replica) / seconds),
            ("db.qps.max", world.peakRates.databaseQueriesPerSecond),
            ("db.primary.qps", primary / seconds),
            ("db.replica.qps", replica / seconds),
            ("db.replica.lag.max", SimClock.seconds(world.database.metrics.maxReplicaLag)),
            ("db.stale_reads", Double(end.staleReads - start.staleReads)),
            ("db.pool.timeouts", Double(end.poolTimeouts - start.poolTimeouts)),
            ("cache.hit_rate", localLookups + sharedLookups - (localLookups - localHits) == 0 ? .nan
                : Double(localHits + sharedHits) / Double(localHits + sharedLookups)),
            ("cache.l1.hit_rate", localLookups == 0 ? .nan : Double(localHits) / Double(localLookups)),
            ("cache.l2.hit_rate", sharedLookups == 0 ? .nan : Double(sharedHits) / Double(sharedLookups)),
            ("cache.pattern_invalidations", Double(end.patternInvalidations - start.patternInvalidations)),
            ("queue.depth.max", Double(jobs.map(\.maxDepth).max() ?? 0)),
            ("jobs.completed", Double(jobs.reduce(0) { $0 + $1.completed })),
            ("jobs.retried", Double(jobs.reduce(0) { $0 + $1.retried })),
            ("jobs.dead", Double(jobs.reduce(0) { $0 + $1.deadLettered })),
            ("users.concurrent.max", Double(world.maxUsersInSession)),
            ("api.instances.max", Double(world.maxInService)),
            ("api.crashes", Double(end.crashes.crashes - start.crashes.crashes)),
            ("api.crashed_requests", Double(end.crashes.crashedRequests - start.crashes.crashedRequests)),
            ("api.bad_gateway", Double(end.crashes.badGateway - start.crashes.badGateway)),
            ("db.pool.recycles", Double(end.pools.recycles - start.pools.recycles)),
            ("db.pool.pings", Double(end.pools.pings - start.pools.pings)),
            ("db.pool.reconnects", Double(end.pools.pingReconnects + end.pools.invalidationReconnects
                                          - start.pools.pingReconnects - start.pools.invalidationReconnects)),
            ("db.pool.connection_errors", Double(end.pools.connectionErrors - start.pools.connectionErrors)),
            ("db.pool.high_utilisation_minutes", SimClock.seconds(end.poolHighUtilisation - start.poolHighUtilisation) / 60),
            ("jobs.redelivered", Double(jobs.reduce(0) { $0 + $1.redelivered })),
            ("jobs.worker_crashes", Double(jobs.reduce(0) { $0 + $1.workerCrashes })),
            ("jobs.interrupted_runs", Double(jobs.reduce(0) { $0 + $1.interruptedRuns })),
            ("api.late_stale_own_reads", Double(world.readYourWrites.lateStaleReads)),
            ("cost.total", cost),
        ]
        metrics += Self.familyHitRates(from: start, to: end)
        metrics += Self.edgeMetrics(end.edge - start.edge, latency: requests.edgeLatency)
        metrics += DatabaseFigures(world.database, start: start, end: end).metrics + [("cost.database", databaseCost)]
        for endpoint in Endpoint.allCases {
            let figures = requests.of(endpoint)
            metrics.append(("api.\(endpoint.rawValue).requests", Double(figures.completed + figures.clientErrors + figures.serverErrors)))
            metrics.append(("api.\(endpoint.rawValue).latency.p50", percentile(figures.latency, 50)))
            metrics.append(("api.\(endpoint.rawValue).latency.p95", percentile(figures.latency, 95)))
            metrics.append(("api.\(endpoint.rawValue).latency.p99", percentile(figures.latency, 99)))
        }
        self.metrics = metrics
        databaseEvents = world.database.events
        finalPrimaryClass = world.database.primaryNode.instanceClass.name
        finalReplicas = world.database.replicaNodes.indices.filter { world.database.replicaServing[$0] }
            .map { world.database.replicaNodes[$0].instanceClass.name }

        let lost = world.lostWrites()
        let jobViolation = world.jobs.conservationViolation()
        let unconserved = requests.conservationViolation(inFlight: world.requestsInsideInstances + world.requestsAtEdge)
        invariants = [
            ("requests conserved", unconserved == nil, unconserved == nil ? 0 : 1, requests.generated),
            ("no acknowledged write lost", lost == 0, lost, world.acknowledgedWrites.count),
            ("every job done, dead-lettered or still queued", jobViolation == nil, jobViolation == nil ? 0 : 1,
             jobs.reduce(0) { $0 + $1.enqueued }),
            ("read-your-writes inside the consistency window", world.readYourWrites.violations == 0,
             world.readYourWrites.violations, world.readYourWrites.checks),
        ]
    }
}
