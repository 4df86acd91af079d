// ScenarioBounds.swift — the largest value each count key accepts (docs/scenarios.md lists them).

// MARK: - ScenarioBounds

/// Upper bounds of the count keys, so that no scenario overflows 64-bit arithmetic or asks
/// for absurd amounts of memory before the memory estimate (``MemoryEstimate``) even looks at
/// it. They are generous sanity limits, far above any shipped scenario: whether a scenario
/// within them fits the machine is the memory estimate's call, made before a run starts.
enum ScenarioBounds {
    /// `replications` (each is a full run; results are kept per replication).
    static let replications = 10_000
    /// `users.registered`, `users.projects`, `database.limits.tiers[].users`.
    static let users = 100_000_000
    /// `users.tasks_per_project`.
    static let tasksPerProject = 1_000_000
    /// `users.members_per_project`.
    static let membersPerProject = 1_000_000
    /// Users active at once: `users.concurrent` and every user count of `load`.
    static let concurrentUsers = 100_000_000
    /// `api.instances`, `api.autoscaling.min`/`max`.
    static let instances = 100_000
    /// `api.vcpus`.
    static let vCPUs = 1_024
    /// `api.pool.size`, `api.pool.max_overflow`.
    static let poolConnections = 100_000
    /// `jobs.pools.<queue>.workers`.
    static let workers = 1_000_000
    /// `jobs.pools.<queue>.concurrency`.
    static let workerConcurrency = 10_000
    /// `jobs.worker_prefetch_multiplier`, `jobs.pools.<queue>.worker_prefetch_multiplier`.
    static let prefetchMultiplier = 1_000
    /// `jobs.max_retries`.
    static let retries = 1_000
    /// `database.replicas`, `database.limits.tiers[].replicas`.
    static let replicas = 1_000
    /// `database.replica_parallel_workers` (MySQL's own maximum).
    static let applierWorkers = 1_024
    /// Network `stations[].servers`.
    static let servers = 1_000_000
    /// Network `populations[].size`.
    static let population = 100_000_000
    /// Network `priority`.
    static let priority = 1_000
    /// Small thresholds and per-page counts (`unhealthy_threshold`, `per_page`, `rows_per_page`,
    /// `cache.rate_limit`, `cdn.max_objects`).
    static let smallCount = 1_000_000_000
}
