import Sim

// MARK: - What a declaration measures from

/// One replication at its end, with the counters at the end of the warm-up: what each
/// ``MetricDeclaration`` measures its values from. Figures several metrics share are computed once.
struct MetricContext {
    let configuration: TaskSystemConfiguration
    let world: TaskSystemWorld
    let start: MeasurementSnapshot
    let end: MeasurementSnapshot
    /// Simulated seconds from the end of the warm-up to the end of the run.
    let seconds: Double
    /// Per job queue, in `JobQueueName` order.
    let jobs: [JobQueueMetrics]
    /// Dollars accrued over the whole run (warm-up included), by part.
    let cost: RunCost
    /// Queries after the warm-up: primary, all replicas.
    let primaryQueries: Double
    let replicaQueries: Double
    let edge: EdgeCounters

    init(configuration: TaskSystemConfiguration, world: TaskSystemWorld,
         from start: MeasurementSnapshot, to end: MeasurementSnapshot) {
        self.configuration = configuration
        self.world = world
        self.start = start
        self.end = end
        seconds = SimClock.seconds(end.time - start.time)
        jobs = JobQueueName.allCases.map { world.jobs.metrics(for: $0) }
        cost = RunCost(of: world, until: configuration.duration)
        primaryQueries = Double(end.primaryQueries - start.primaryQueries)
        replicaQueries = Double(end.replicaQueries - start.replicaQueries)
        edge = end.edge - start.edge
    }

    var requests: RequestMetrics { world.metrics }

    /// What the users saw after the warm-up.
    var client: ClientCounters { end.client - start.client }

    /// Busy over offered capacity from the start of the run to its end.
    var wholeRunUtilisation: Utilisation { Utilisation.wholeRun(of: world) }

    /// The `p`th percentile of `histogram` in seconds; NaN when it is empty.
    func percentiles(_ histogram: LatencyHistogram) -> [Double] {
        [50, 95, 99].map { histogram.count == 0 ? .nan : histogram.percentile($0) }
    }

    /// `part / whole`; NaN when `whole` is 0.
    func fraction(_ part: Int, _ whole: Int) -> Double { whole == 0 ? .nan : Double(part) / Double(whole) }

    /// A counter's increase after the warm-up.
    func counted(_ counter: KeyPath<MeasurementSnapshot, Int>) -> [Double] {
        [Double(end[keyPath: counter] - start[keyPath: counter])]
    }

    /// A job-queue counter summed over the queues (whole run).
    func jobsTotal(_ counter: KeyPath<JobQueueMetrics, Int>) -> [Double] {
        [Double(jobs.reduce(0) { $0 + $1[keyPath: counter] })]
    }
}
