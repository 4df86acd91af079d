import DequeModule
import Sim

// MARK: - A job in the broker

/// A message in a queue: the job, when it (re-)entered the queue, and its `request.retries`.
struct PendingJob: Sendable {
    var job: Job
    var enqueuedAt: SimTime
    var retries: Int
}

// MARK: - Workers and consumers

/// A worker process (an ECS task) of one queue; scale-in retires it, and its consumers leave
/// after their current job (Celery's warm shutdown). A crash kills its consumers; the restarted
/// process starts new ones (a new ``generation``).
final class JobWorker: @unchecked Sendable {
    /// The queue's n-th worker (names its failure stream).
    let serial: Int
    var isRetired = false
    /// Bumped by each crash: consumers of an older generation are dead.
    var generation = 0
    /// The consumers of the current generation whose processes still run (a consumer leaves
    /// the list when its process ends).
    var consumers: [JobConsumer] = []

    init(serial: Int) {
        self.serial = serial
    }
}

/// A handler execution run as its own process, so that a worker crash can abandon it.
final class JobRun: @unchecked Sendable {
    /// The consumer's park while the handler runs.
    var token = WakeToken.none
    /// The handler's error, once it finished.
    var error: (any Error)?
    /// The worker crashed: the consumer no longer waits for this run.
    var abandoned = false
}

/// One pool child process of a worker: a consumer taking jobs one at a time.
final class JobConsumer: @unchecked Sendable {
    let worker: JobWorker
    /// The worker generation it belongs to (dead once the worker crashed after its start).
    let generation: Int
    /// Counts tasks towards `maxTasksPerChild`.
    var child = WorkerChildProcess()
    /// The token of its park while idle.
    var token = WakeToken.none
    /// The job handed to it while it was idle (`nil` when woken to retire).
    var assigned: PendingJob?
    /// The job it took and has not acknowledged, and when it took it.
    var holding: PendingJob?
    var takenAt: SimTime = 0
    /// The handler run it waits for (with worker failures on).
    var running: JobRun?

    /// Runs the jobs it takes (its own, as a prefork child has its own engine and pool).
    let handler: JobHandler

    init(worker: JobWorker, handler: @escaping JobHandler) {
        self.worker = worker
        self.handler = handler
        generation = worker.generation
    }

    /// Whether its worker process is still the one it was started in.
    var isAlive: Bool { generation == worker.generation }
}

// MARK: - One queue's state

/// One queue: its FIFO of pending jobs, its idle consumers (FIFO: the longest idle takes the
/// next job), its workers (oldest first) and its metrics. Confined to the simulation's thread.
final class JobQueueState: @unchecked Sendable {
    let name: JobQueueName
    /// Consumers per worker.
    let concurrency: Int
    var pending: Deque<PendingJob> = []
    var idle: Deque<JobConsumer> = []
    var workers: [JobWorker] = []
    /// Workers ever started (serial numbers).
    var workersStarted = 0
    /// Draws retry countdowns (`"jobs.retry.<queue>"`).
    var retryStream: RandomStream
    var metrics: JobQueueMetrics

    init(name: JobQueueName, concurrency: Int, workers: Int, retryStream: RandomStream, start: SimTime) {
        self.name = name
        self.concurrency = concurrency
        self.retryStream = retryStream
        metrics = JobQueueMetrics(start: SimClock.seconds(start), workers: workers)
    }

    // MARK: Bookkeeping

    /// Appends `job` to the queue at `now`.
    func push(_ job: PendingJob, at now: SimTime) {
        pending.append(job)
        depthChanged(at: now)
    }

    /// Puts `job` at the consuming end of the queue at `now`: the next job taken.
    func pushToHead(_ job: PendingJob, at now: SimTime) {
        pending.prepend(job)
        depthChanged(at: now)
    }

    /// Takes the oldest pending job at `now` and counts it dispatched.
    func popOldest(at now: SimTime) -> PendingJob? {
        guard let job = pending.popFirst() else { return nil }
        depthChanged(at: now)
        dispatched(job, at: now)
        return job
    }

    /// Counts `job` handed to a consumer at `now`.
    func dispatched(_ job: PendingJob, at now: SimTime) {
        metrics.inFlight += 1
        metrics.waitTime.record(SimClock.seconds(now - job.enqueuedAt))
    }

    /// Counts the end of an execution that started at `start`.
    func finished(startedAt start: SimTime, at now: SimTime) {
        metrics.inFlight -= 1
        metrics.runTime.record(SimClock.seconds(now - start))
    }

    /// Records the active worker count at `now`.
    func workersChanged(at now: SimTime) {
        metrics.activeWorkers = workers.count
        metrics.workers.update(to: Double(workers.count), at: SimClock.seconds(now))
    }

    private func depthChanged(at now: SimTime) {
        metrics.pending = pending.count
        metrics.depth.update(to: Double(pending.count), at: SimClock.seconds(now))
    }
}
