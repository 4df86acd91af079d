import Sim

// MARK: - Per-queue metrics

/// What one queue of the ``SimulatedJobQueue`` counted. Times in tallies are seconds.
///
/// A job is counted once in ``enqueued`` however often it runs; at every instant it is in
/// exactly one of ``completed``, ``deadLettered``, ``pending``, ``reserved``, ``inFlight``,
/// ``waitingToRetry`` or ``unacknowledged`` (see ``conservationViolation``); a redelivered job
/// is still one job.
public struct JobQueueMetrics: Sendable, Equatable {
    /// Jobs that reached the broker.
    public internal(set) var enqueued = 0
    /// Jobs whose handler returned.
    public internal(set) var completed = 0
    /// Failed executions that were scheduled for a retry.
    public internal(set) var retried = 0
    /// Jobs that failed with no retries left.
    public internal(set) var deadLettered = 0
    /// Jobs handed to a consumer and not finished.
    public internal(set) var inFlight = 0
    /// Failed jobs waiting out their retry countdown.
    public internal(set) var waitingToRetry = 0
    /// Jobs waiting in the queue now: the queue depth.
    public internal(set) var pending = 0
    /// Jobs a worker fetched (prefetch) and none of its children runs yet: out of the queue's
    /// depth, waiting for that worker.
    public internal(set) var reserved = 0
    /// The queue depth over time (seconds); ``TimeWeightedAverage/max`` is the maximum depth.
    public internal(set) var depth: TimeWeightedAverage
    /// Per execution: from (re-)entering the queue to a consumer taking it, in seconds.
    public internal(set) var waitTime = Tally()
    /// Per execution: the handler's run time, in seconds (failed executions included).
    public internal(set) var runTime = Tally()
    /// Worker processes currently active (not retired by a scale-in).
    public internal(set) var activeWorkers = 0
    /// The active worker count over time (seconds): worker-hours for cost.
    public internal(set) var workers: TimeWeightedAverage
    /// Consumer processes alive (retiring ones finishing their job included).
    public internal(set) var consumers = 0
    /// Pool child processes replaced after `maxTasksPerChild` tasks.
    public internal(set) var childRestarts = 0
    /// Jobs held by a worker that crashed before acknowledging them, invisible until the
    /// broker's visibility timeout passes.
    public internal(set) var unacknowledged = 0
    /// Jobs put back in the queue after the visibility timeout (each will run again: at least once).
    public internal(set) var redelivered = 0
    /// Worker processes that crashed.
    public internal(set) var workerCrashes = 0
    /// Handler executions a crash cut off part-way: their jobs run again from the start when
    /// redelivered, repeating whatever the first run had done (a duplicate, partial execution).
    public internal(set) var interruptedRuns = 0

    /// Metrics at zero, observed from `start` (seconds) with `workers` active workers.
    init(start: Double, workers: Int) {
        depth = TimeWeightedAverage(start: start)
        self.workers = TimeWeightedAverage(start: start, level: Double(workers))
        activeWorkers = workers
    }

    /// The largest depth seen.
    public var maxDepth: Int { Int(depth.max) }

    /// The time-average depth from the start to `now`.
    public func meanDepth(at now: SimTime) -> Double { depth.mean(at: SimClock.seconds(now)) }

    /// `nil` if enqueued = completed + dead-lettered + pending + reserved + in flight + waiting
    /// to retry + unacknowledged and no count is negative; otherwise what is wrong.
    public var conservationViolation: String? {
        let accounted = completed + deadLettered + pending + reserved + inFlight + waitingToRetry + unacknowledged
        let counts = [enqueued, completed, retried, deadLettered, inFlight, waitingToRetry, pending, reserved, unacknowledged]
        if accounted == enqueued, counts.allSatisfy({ $0 >= 0 }) { return nil }
        return "enqueued \(enqueued) ≠ completed \(completed) + dead \(deadLettered) + pending \(pending)"
            + " + reserved \(reserved) + in flight \(inFlight) + waiting to retry \(waitingToRetry)"
            + " + unacknowledged \(unacknowledged) (= \(accounted))"
    }
}

// MARK: - Dead letters and scaling events

/// A job that failed with no retries left.
public struct DeadLetter: Sendable, Hashable {
    /// The job.
    public var job: Job
    /// When its last execution failed.
    public var time: SimTime
    /// How many times it ran.
    public var executions: Int
    /// The last execution's error, described.
    public var error: String
}

/// One change of a queue's worker count by the scaler.
public struct WorkerScalingEvent: Sendable, Hashable {
    /// When the check ran.
    public var time: SimTime
    /// The queue.
    public var queue: JobQueueName
    /// The queue depth the check saw.
    public var depth: Int
    /// Active workers before the change.
    public var from: Int
    /// Active workers after the change.
    public var to: Int
}
