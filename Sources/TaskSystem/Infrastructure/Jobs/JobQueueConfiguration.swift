import Sim

// MARK: - Job queue configuration

/// The simulated Celery deployment: worker pools, retries, child recycling, autoscaling and
/// the broker's latency. The defaults are the seed's.
public struct JobQueueConfiguration: Sendable, Equatable {
    /// Workers × concurrency per queue, matched to ``JobQueueName`` by name (`high`,
    /// `default`, `low`); a queue without a pool has no consumers and only accumulates.
    public var pools: CeleryWorkerPools
    /// What follows a failed execution (the seed's: full jitter, 3 retries, cap 600 s).
    public var retry: CeleryRetryPolicy
    /// `worker_max_tasks_per_child` and the restart cost (1,000 tasks, 1 s).
    public var recycling: WorkerChildRecycling
    /// Queue-depth worker scaling, checked on each queue every `checkInterval`; `nil` keeps the
    /// pools' worker counts fixed.
    public var scaler: WorkerScalerPolicy?
    /// The broker (Redis) round trip of an `enqueue`, in seconds (uniform 1–5 ms, as the cache).
    public var brokerLatency: Distribution
    /// How long a worker added by the scaler takes before its consumers take jobs; the initial
    /// workers are running at time 0. The seed's scaler raises an ECS service's `desiredCount`,
    /// so a new worker is a Fargate task starting: "normal for new AWS Fargate tasks to take
    /// 30-45 seconds or longer to start" (launching the instance, attaching the network
    /// interface, pulling and unpacking the image, starting the program — AWS re:Post, "How to
    /// speed up provisioning of ECS Fargate task"), then `celery worker` importing the app and
    /// forking its pool. Default 45 s, the upper end of that range.
    public var workerStartDelay: SimTime
    /// The Redis broker's `visibility_timeout`: a job taken by a worker that dies before
    /// acknowledging it (`acks_late`) becomes visible again this long after it was taken, and
    /// is redelivered (Celery's default for Redis: 1 h).
    public var visibilityTimeout: SimTime = 3600 * SimClock.nanosecondsPerSecond
    /// Worker processes crashing at random (`nil`, the default: they never crash).
    public var workerFailures: WorkerFailures?
    /// Dollars per worker-hour (a worker process's host: one Fargate task of 1 vCPU and 2 GiB by
    /// default, as an API task; the price catalogue sets it from `jobs.worker_vcpus` and
    /// `worker_memory`). 0 leaves workers out of the cost.
    public var workerHourlyPrice = 0.04937

    /// A configuration; the defaults are the seed's.
    public init(pools: CeleryWorkerPools = .seed,
                retry: CeleryRetryPolicy = .seed,
                recycling: WorkerChildRecycling = .seed(),
                scaler: WorkerScalerPolicy? = .seed,
                brokerLatency: Distribution = .uniform(low: 0.001, high: 0.005),
                workerStartDelay: SimTime = 45 * SimClock.nanosecondsPerSecond) {
        precondition(workerStartDelay >= 0, "JobQueueConfiguration: worker start delay must be ≥ 0")
        self.pools = pools
        self.retry = retry
        self.recycling = recycling
        self.scaler = scaler
        self.brokerLatency = brokerLatency
        self.workerStartDelay = workerStartDelay
    }

    /// The seed's deployment.
    public static let seed = JobQueueConfiguration()
}

// MARK: - Queue order

extension JobQueueName {
    /// The queue's position in `allCases` (`high` 0, `default` 1, `low` 2): per-queue arrays.
    var jobQueueIndex: Int {
        switch self {
        case .high: 0
        case .default: 1
        case .low: 2
        }
    }
}
