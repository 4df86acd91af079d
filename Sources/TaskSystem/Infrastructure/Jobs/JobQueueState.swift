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
/// after their current job (Celery's warm shutdown).
final class JobWorker: @unchecked Sendable {
    var isRetired = false
}

/// One pool child process of a worker: a consumer taking jobs one at a time.
final class JobConsumer: @unchecked Sendable {
    let worker: JobWorker
    /// Counts tasks towards `maxTasksPerChild`.
    var child = WorkerChildProcess()
    /// The token of its park while idle.
    var token = WakeToken.none
    /// The job handed to it while it was idle (`nil` when woken to retire).
    var assigned: PendingJob?

    init(worker: JobWorker) {
        self.worker = worker
    }
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
