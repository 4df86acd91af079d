import Sim

// MARK: - Worker crashes

/// Celery worker processes that crash at random: each worker's time to its next crash is
/// exponential with mean ``meanTimeBetweenFailures`` (a fresh draw after each restart, from the
/// stream `"jobs.worker_failure.<queue>.<n>"` of the queue's n-th worker). A crash kills every
/// pool child of the worker: the jobs they held are unacknowledged (`acks_late`) and come back
/// after the broker's visibility timeout; the worker process is restarted after ``restart``.
public struct WorkerFailures: Sendable, Equatable {
    /// Mean time between crashes of one worker (exponential).
    public var meanTimeBetweenFailures: SimTime
    /// From a crash until the restarted worker's children take jobs (an assumption: 60 s, as an
    /// ECS task start, the same as `api.startup`).
    public var restart: SimTime
    /// The queue whose workers crash (`nil`, the default: every queue's).
    public var queue: JobQueueName?

    public init(meanTimeBetweenFailures: SimTime, restart: SimTime = 60 * SimClock.nanosecondsPerSecond,
                queue: JobQueueName? = nil) {
        precondition(meanTimeBetweenFailures > 0, "WorkerFailures: the mean time between failures must be > 0")
        precondition(restart >= 0, "WorkerFailures: the restart time must be ≥ 0")
        self.meanTimeBetweenFailures = meanTimeBetweenFailures
        self.restart = restart
        self.queue = queue
    }

    /// Whether the workers of `queue` crash.
    public func applies(to queue: JobQueueName) -> Bool { self.queue.map { $0 == queue } ?? true }
}
