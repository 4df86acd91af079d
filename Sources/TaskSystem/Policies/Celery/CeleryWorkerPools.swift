// CeleryWorkerPools.swift — the seed's Celery queues, their worker pools and task routing.
//
// The seed (`task_routes`, architecture diagram): queue `high` — 4 workers × concurrency 10,
// priority 10, send_email and send_push_notification; `default` — 8 × 5, priority 5,
// generate_report; `low` — 4 × 2, priority 1, cleanup_old_data. Each queue has dedicated workers,
// so the route priorities only order messages *within* a queue (on Redis, Celery emulates
// priorities with per-priority lists, and lower numbers are served first).

// MARK: - Queue

/// One Celery queue and the worker pool that consumes it.
public struct CeleryQueueConfiguration: Sendable, Equatable {
    /// The queue name.
    public var name: String
    /// Worker processes (ECS tasks) consuming the queue.
    public var workers: Int
    /// Pool child processes per worker (`--concurrency`).
    public var concurrency: Int
    /// The route priority of the queue's tasks.
    public var priority: Int
    /// The task names routed to this queue.
    public var taskNames: [String]
    /// Celery's `worker_prefetch_multiplier` for this pool's workers: see ``CeleryPrefetch``.
    public var prefetch: CeleryPrefetch

    /// Creates a queue configuration (prefetch: Celery's default multiplier, 4).
    public init(name: String, workers: Int, concurrency: Int, priority: Int, taskNames: [String],
                prefetch: CeleryPrefetch = .celeryDefault) {
        precondition(workers >= 0 && concurrency >= 1, "CeleryQueueConfiguration: workers ≥ 0, concurrency ≥ 1")
        self.name = name
        self.workers = workers
        self.concurrency = concurrency
        self.priority = priority
        self.taskNames = taskNames
        self.prefetch = prefetch
    }

    /// Tasks the pool can execute at once: workers × concurrency.
    public var executionSlots: Int { workers * concurrency }

    /// Messages one worker may hold reserved beyond those its children run (see ``CeleryPrefetch``).
    public var reservedPerWorker: Int { prefetch.reservedBeyondRunning(concurrency: concurrency) }
}

// MARK: - Pools

/// All queues, with routing from task name to queue.
public struct CeleryWorkerPools: Sendable, Equatable {
    /// The queues, in declaration order.
    public var queues: [CeleryQueueConfiguration]

    /// Creates the pools.
    public init(queues: [CeleryQueueConfiguration]) {
        self.queues = queues
    }

    /// The seed's three queues.
    public static let seed = CeleryWorkerPools(queues: [
        CeleryQueueConfiguration(name: "high", workers: 4, concurrency: 10, priority: 10,
                                 taskNames: ["tasks.send_email", "tasks.send_push_notification"]),
        CeleryQueueConfiguration(name: "default", workers: 8, concurrency: 5, priority: 5,
                                 taskNames: ["tasks.generate_report"]),
        CeleryQueueConfiguration(name: "low", workers: 4, concurrency: 2, priority: 1,
                                 taskNames: ["tasks.cleanup_old_data"]),
    ])

    /// The queue a task is routed to, or `nil` if no route names it (Celery would send it to
    /// `task_default_queue`, which no seed worker consumes).
    public func queue(forTask taskName: String) -> CeleryQueueConfiguration? {
        queues.first { $0.taskNames.contains(taskName) }
    }

    /// The queue with the given name.
    public func queue(named name: String) -> CeleryQueueConfiguration? {
        queues.first { $0.name == name }
    }
}
