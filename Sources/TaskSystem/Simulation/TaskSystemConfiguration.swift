import Sim

// MARK: - A whole task-system run's parameters

/// Everything one run of the task system needs; defaults are the seed's values where the seed
/// gives them, and documented assumptions where it does not.
public struct TaskSystemConfiguration: Sendable, Equatable {
    public var name: String
    public var seed: UInt64
    /// Simulated length of each replication.
    public var duration: SimTime
    /// Measurements before this time are discarded (caches warm up, sessions spread out).
    public var warmup: SimTime
    public var replications: Int
    public var workload: WorkloadConfiguration
    public var api: APIConfiguration
    public var database: DatabaseConfiguration
    public var cache: SharedCacheConfiguration
    public var jobs: JobQueueConfiguration
    public var external: ExternalServices
    /// Warm the shared cache at deploy with every user and project (the seed's `CacheWarmer`).
    public var warmCache: Bool
    /// The CDN in front of the load balancer (`nil`, the default: none).
    public var cdn: CDNConfiguration?
    /// The width of the time-series windows (`series.window`; 60 s by default).
    public var seriesWindow: SimTime = 60 * SimClock.nanosecondsPerSecond
    /// What fails, and when (`faults:`; none by default). Its crashes add to `api.failures` and
    /// `jobs.workerFailures`; the rest are injected by the `FaultInjector`.
    public var faults = FaultPlan.none
    /// Invariants whose violations are a declared, counted loss rather than a broken run
    /// (`accept:`; none by default).
    public var acceptedLosses: [InvariantIdentifier] = []
    /// Defects planted by this package's tests (none by default; see ``TaskSystemTestHooks``).
    package var testHooks = TaskSystemTestHooks()

    public init(name: String = "task-system", seed: UInt64 = 1, duration: SimTime = 600 * SimClock.nanosecondsPerSecond,
                warmup: SimTime = 60 * SimClock.nanosecondsPerSecond, replications: Int = 1,
                workload: WorkloadConfiguration = WorkloadConfiguration(), api: APIConfiguration = APIConfiguration(),
                database: DatabaseConfiguration = DatabaseConfiguration(), cache: SharedCacheConfiguration = .seed,
                jobs: JobQueueConfiguration = .seed, external: ExternalServices = ExternalServices(),
                warmCache: Bool = true, cdn: CDNConfiguration? = nil) {
        self.name = name
        self.seed = seed
        self.duration = duration
        self.warmup = warmup
        self.replications = replications
        self.workload = workload
        self.api = api
        self.database = database
        self.cache = cache
        self.jobs = jobs
        self.external = external
        self.warmCache = warmCache
        self.cdn = cdn
    }
}

/// The services the job handlers call: email and push gateways, report rendering.
public struct ExternalServices: Sendable, Equatable {
    public var emailLatency: Distribution
    public var emailFailureProbability: Double
    public var pushLatency: Distribution
    public var pushFailureProbability: Double
    /// CPU time to render a report, in seconds.
    public var reportRendering: Distribution

    public init(emailLatency: Distribution = .lognormal(mean: 0.2, cv: 0.5), emailFailureProbability: Double = 0.01,
                pushLatency: Distribution = .lognormal(mean: 0.05, cv: 0.5), pushFailureProbability: Double = 0.005,
                reportRendering: Distribution = .exponential(mean: 2)) {
        self.emailLatency = emailLatency
        self.emailFailureProbability = emailFailureProbability
        self.pushLatency = pushLatency
        self.pushFailureProbability = pushFailureProbability
        self.reportRendering = reportRendering
    }
}
