import Sim

// MARK: - Simulated Celery

/// What a worker does with a job: the production task body. Throwing fails the execution
/// (then retried or dead-lettered); ``ProcessInterruption/simulationEnded`` only ends the run.
public typealias JobHandler = @Sendable (Job) async throws -> Void

/// The seed's Celery deployment on simulated time: a Redis broker with the queues `high`,
/// `default` and `low`, each consumed by its own worker pool.
///
/// - Queues: FIFO per queue; each job carries its enqueue time. ``enqueue(_:)`` costs one
///   broker round trip (``JobQueueConfiguration/brokerLatency``, stream `"jobs.broker.latency"`)
///   and the job reaches the queue when the reply is produced, at the end of that latency.
/// - Consumers: each queue has `workers × concurrency` consumer processes. An idle consumer
///   parks; a job arriving at a queue with an idle consumer is handed to the longest-idle one
///   at once (wait 0), otherwise it waits its turn. Queues never share consumers, so a
///   backlog in `low` never delays `high`.
/// - Execution: the ``JobHandler``. A throw is a failure: ``JobQueueConfiguration/retry``
///   decides (countdowns from stream `"jobs.retry.<queue>"`); a retried job waits out its
///   countdown outside the queue, then re-enters its tail (no broker latency: the worker's
///   `apply_async` with a countdown is modelled as the broker holding the message); with no
///   retries left it goes to ``deadLetters``.
/// - Recycling: a consumer that finished `maxTasksPerChild` tasks (failed ones included) is
///   unavailable for the restart cost.
/// - Worker crashes (``JobQueueConfiguration/workerFailures``, off by default): see
///   `Jobs/Redelivery.swift` — jobs taken and not acknowledged come back after the visibility
///   timeout (`acks_late`: at least once).
/// - Autoscaling: with a ``JobQueueConfiguration/scaler``, each queue is checked on the grid
///   `interval, 2·interval, …`; scale-out adds workers (after ``JobQueueConfiguration/workerStartDelay``),
///   scale-in retires the newest, whose consumers leave after their current job.
///
/// Deterministic: no hashed collections; ties are FIFO (the runtime's event order). Confined
/// to the simulation's thread. Processes start in `init`; ``ProcessRuntime/shutdown()``
/// ends them.
public final class SimulatedJobQueue: JobQueue, @unchecked Sendable {
    let runtime: ProcessRuntime
    /// The deployment's settings.
    public let configuration: JobQueueConfiguration
    /// Makes the handler of each worker process (pool child), numbered from 0 in start order.
    let makeHandler: (Int) -> JobHandler
    /// Worker processes started so far (numbers the next one).
    var processesStarted = 0
    /// Names the streams of workers started later (their failure draws).
    let streamFactory: RandomStreamFactory
    /// Per queue, in `JobQueueName.allCases` order.
    let queues: [JobQueueState]
    private var brokerLatency: LatencySampler
    /// Jobs that failed with no retries left, in the order they failed.
    public internal(set) var deadLetters: [DeadLetter] = []
    /// Every change of a worker count, in time order.
    public internal(set) var scalingEvents: [WorkerScalingEvent] = []
    /// Whether the broker (Redis) is reachable; `false` during a `redis-outage`, when every
    /// ``enqueue(_:)`` fails at once. Jobs already queued are kept (the broker is modelled as
    /// persistent) and the workers go on with them.
    public var brokerAvailable = true
    /// Publications refused while the broker was unreachable.
    public private(set) var refusedPublications = 0
    /// Whether the fault plan crashes workers at scripted times (`worker-crash` with `at`,
    /// `Faults/ScriptedWorkerCrashes.swift`): handlers then run abandonably, as with
    /// ``JobQueueConfiguration/workerFailures``. Set before the run starts.
    var crashesScripted = false

    // MARK: Creating

    /// Deploys the pools on `runtime` and starts their consumers (and the scalers) at the
    /// current time; every job runs `handler`.
    public convenience init(runtime: ProcessRuntime, configuration: JobQueueConfiguration = .seed,
                            streams: RandomStreamFactory, handler: @escaping JobHandler) {
        self.init(runtime: runtime, configuration: configuration, streams: streams, handlerPerProcess: { _ in handler })
    }

    /// Deploys the pools as ``init(runtime:configuration:streams:handler:)``, each worker process
    /// (pool child) running the jobs it takes with the handler `handlerPerProcess` makes for it
    /// when it starts — a prefork child imports the app, so it has its own engine and pool.
    public init(runtime: ProcessRuntime, configuration: JobQueueConfiguration = .seed,
                streams: RandomStreamFactory, handlerPerProcess: @escaping (_ process: Int) -> JobHandler) {
        self.runtime = runtime
        self.configuration = configuration
        makeHandler = handlerPerProcess
        streamFactory = streams
        brokerLatency = LatencySampler(configuration.brokerLatency, stream: streams.stream(named: "jobs.broker.latency"))
        queues = JobQueueName.allCases.map { name in
            let pool = configuration.pools.queue(named: name.rawValue)
            return JobQueueState(name: name, concurrency: pool?.concurrency ?? 1, workers: pool?.workers ?? 0,
                                 retryStream: streams.stream(named: "jobs.retry.\(name.rawValue)"),
                                 start: runtime.now)
        }
        for state in queues {
            for _ in 0..<state.metrics.activeWorkers { startWorker(in: state, startDelay: 0) }
            if let scaler = configuration.scaler { startScaler(scaler, for: state) }
        }
    }

    // MARK: JobQueue

    /// Publishes `job` to its queue (``Job/queue``) through the broker: one round trip, then
    /// the job is queued (or handed to an idle consumer).
    public func enqueue(_ job: Job) async throws {
        if !brokerAvailable {  // a `redis-outage`: connection refused at once
            refusedPublications += 1
            throw RedisUnavailable()
        }
        try await runtime.sleep(for: brokerLatency.next())
        publish(job)
    }

    /// Puts `job` on its queue now, without broker latency (e.g. jobs scheduled by the harness).
    public func publish(_ job: Job) {
        let state = queues[job.queue.jobQueueIndex]
        state.metrics.enqueued += 1
        offer(PendingJob(job: job, enqueuedAt: runtime.now, retries: 0), to: state)
    }

    // MARK: Metrics

    /// What `queue` counted so far.
    public func metrics(for queue: JobQueueName) -> JobQueueMetrics {
        queues[queue.jobQueueIndex].metrics
    }

    /// `nil` if every queue conserves its jobs (enqueued = completed + dead-lettered + pending
    /// + in flight + waiting to retry + unacknowledged); otherwise the first queue's violation.
    public func conservationViolation() -> String? {
        for state in queues {
            if let violation = state.metrics.conservationViolation { return "\(state.name.rawValue): \(violation)" }
            if state.metrics.pending != state.pending.count {
                return "\(state.name.rawValue): depth \(state.metrics.pending) ≠ \(state.pending.count) queued"
            }
        }
        return nil
    }

    // MARK: Dispatch

    /// Hands `job` to the longest-idle consumer of `state`, or queues it — at the tail, or with
    /// `atHead` at the consuming end (taken next).
    func offer(_ job: PendingJob, to state: JobQueueState, atHead: Bool = false) {
        while let consumer = state.idle.popFirst() {
            // A stale token is a consumer the run's end already interrupted: try the next.
            if runtime.wake(consumer.token) {
                consumer.assigned = job
                consumer.takenAt = runtime.now
                state.dispatched(job, at: runtime.now)
                return
            }
        }
        if atHead { state.pushToHead(job, at: runtime.now) } else { state.push(job, at: runtime.now) }
    }
}
