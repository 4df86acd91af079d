// JobsReader.swift — the `jobs` section to a JobQueueConfiguration.

import TaskSystem

// MARK: - JobsReader

/// Reads `jobs` over the defaults of `JobQueueConfiguration`.
enum JobsReader {
    /// The keys of `jobs`.
    static let keys = ["pools", "max_retries", "retry_backoff", "retry_backoff_max", "autoscale",
                       "worker_start", "visibility_timeout", "worker_failures", "worker_vcpus", "worker_memory",
                       "worker_hourly_price", "worker_prefetch_multiplier"]
    /// The keys of one pool.
    static let poolKeys = ["workers", "concurrency", "worker_prefetch_multiplier"]

    /// Overrides `jobs` with what `value` gives, and `sizes` with what the catalogue prices a
    /// worker by (`worker_vcpus`, `worker_memory`, whether `worker_hourly_price` is written).
    static func read(_ value: YAMLValue, into jobs: inout JobQueueConfiguration, sizes: inout PriceCatalog.TaskSizes) {
        guard let map = value.mapping(allowedKeys: keys) else { return }
        map.read("worker_vcpus", into: &sizes.workerVCPUs) { $0.int(atLeast: 1, atMost: ScenarioBounds.vCPUs) }
        if let memory = map.optional("worker_memory")?.memorySize() {
            sizes.workerMemoryGiB = Double(memory) / 1_073_741_824
        }
        sizes.workerPriceWritten = map.optional("worker_hourly_price") != nil
        map.read("worker_hourly_price", into: &jobs.workerHourlyPrice) { $0.nonNegativeNumber() }
        if let multiplier = map.optional("worker_prefetch_multiplier")?.int(atLeast: 0, atMost: ScenarioBounds.prefetchMultiplier) {
            for index in jobs.pools.queues.indices { jobs.pools.queues[index].prefetch = CeleryPrefetch(multiplier: multiplier) }
        }
        if let pools = map.optional("pools") { readPools(pools, into: &jobs.pools) }
        if let retries = map.optional("max_retries")?.int(atLeast: 0, atMost: ScenarioBounds.retries) {
            jobs.retry.maxRetries = retries
        }
        readBackoff(map, into: &jobs.retry)
        if let autoscale = map.optional("autoscale")?.bool() {
            jobs.scaler = autoscale ? .seed : nil
        }
        map.read("worker_start", into: &jobs.workerStartDelay) { $0.duration() }
        map.read("visibility_timeout", into: &jobs.visibilityTimeout) { $0.positiveDuration() }
        if let failures = map.optional("worker_failures") {
            ResilienceReader.readWorkerFailures(failures, into: &jobs.workerFailures)
        }
    }

    /// `{queue: {workers, concurrency, worker_prefetch_multiplier}, …}` over the queues of the
    /// default pools (a pool's multiplier overrides the section's).
    private static func readPools(_ value: YAMLValue, into pools: inout CeleryWorkerPools) {
        guard let map = value.mapping(expected: "a mapping of queue to pool, such as {high: {workers: 4, concurrency: 10}}") else {
            return
        }
        let names = pools.queues.map(\.name)
        for entry in map.entries(named: names, what: "queue") {
            guard let index = names.firstIndex(of: entry.key),
                  let pool = entry.value.mapping(allowedKeys: poolKeys) else { continue }
            pool.read("workers", into: &pools.queues[index].workers) { $0.int(atLeast: 0, atMost: ScenarioBounds.workers) }
            pool.read("concurrency", into: &pools.queues[index].concurrency) { $0.int(atLeast: 1, atMost: ScenarioBounds.workerConcurrency) }
            if let multiplier = pool.optional("worker_prefetch_multiplier")?.int(atLeast: 0, atMost: ScenarioBounds.prefetchMultiplier) {
                pools.queues[index].prefetch = CeleryPrefetch(multiplier: multiplier)
            }
        }
    }

    /// `retry_backoff` (Celery's factor) and `retry_backoff_max`, whole seconds with
    /// factor ≤ maximum; the jitter of the default policy is kept.
    private static func readBackoff(_ map: YAMLMapping, into retry: inout CeleryRetryPolicy) {
        let backoffValue = map.optional("retry_backoff"), maximumValue = map.optional("retry_backoff_max")
        guard backoffValue != nil || maximumValue != nil else { return }
        let current = backoffParameters(retry.countdown)
        var factor = current.factor, maximum = current.maximum
        let factorRead = map.read("retry_backoff", into: &factor) { $0.wholeSeconds() }
        let maximumRead = map.read("retry_backoff_max", into: &maximum) { $0.wholeSeconds() }
        guard factorRead, maximumRead else { return }
        guard factor <= maximum else {
            if let maximumValue {
                maximumValue.report("must be at least retry_backoff (\(factor) s), got \(maximum) s")
            } else {
                backoffValue?.report("must be at most retry_backoff_max (\(maximum) s, the default), got \(factor) s")
            }
            return
        }
        retry.countdown = .exponentialBackoff(factorSeconds: factor, maximumSeconds: maximum, fullJitter: current.jitter)
    }

    /// Factor, cap and jitter of a countdown rule (an explicit countdown is an uncapped,
    /// unjittered backoff).
    private static func backoffParameters(_ countdown: RetryCountdown) -> (factor: Int, maximum: Int, jitter: Bool) {
        switch countdown {
        case .exponentialBackoff(let factor, let maximum, let jitter): (factor, maximum, jitter)
        case .explicit(let base): (base, Int.max, false)
        }
    }
}
