// CeleryPrefetch.swift — `worker_prefetch_multiplier`: how many messages a worker reserves.

// MARK: - Prefetch

/// Celery's `worker_prefetch_multiplier`: "How many messages to prefetch at a time multiplied by
/// the number of concurrent processes. The default is 4 (four messages for each process)"
/// (Celery configuration reference); 0 lets a worker "keep consuming as many messages as it
/// wants". A worker's prefetch count is multiplier × concurrency *unacknowledged* messages.
///
/// simrun's workers acknowledge late (`acks_late`, see `Jobs/Redelivery.swift`), so a job a
/// child runs stays unacknowledged and counts against the prefetch count: a worker whose
/// `concurrency` children are all busy holds up to (multiplier − 1) × concurrency further
/// messages reserved — out of the broker's list (the depth `LLEN` and the `WorkerScaler` see),
/// waiting for *that* worker's children even while another worker's children are idle ("one
/// worker with a long running task may have grabbed the next three or four tasks too"). With
/// multiplier 1 a worker reserves nothing beyond what it runs ("reserve one unacknowledged task
/// per worker process at a time", Celery, "Optimizing: Prefetch limits").
///
/// Within a worker, reserved messages go to whichever of its children frees first (the prefork
/// pool's `-O fair` scheduling, Celery's default since 4.0).
public struct CeleryPrefetch: Sendable, Equatable {
    /// The multiplier: 0 (unlimited) or at least 1.
    public var multiplier: Int

    /// A prefetch of `multiplier` × concurrency messages per worker (0: unlimited).
    public init(multiplier: Int) {
        precondition(multiplier >= 0, "CeleryPrefetch: the multiplier must be ≥ 0")
        self.multiplier = multiplier
    }

    /// Celery's default: 4 messages per pool child. The seed sets no other.
    public static let celeryDefault = CeleryPrefetch(multiplier: 4)
    /// Reserve nothing beyond what the children run (`worker_prefetch_multiplier = 1` with
    /// `acks_late`): the model before issue 11 item 4.
    public static let none = CeleryPrefetch(multiplier: 1)

    /// Messages a worker of `concurrency` children holds reserved beyond those running, at most:
    /// (multiplier − 1) × concurrency, or `Int.max` when unlimited.
    public func reservedBeyondRunning(concurrency: Int) -> Int {
        multiplier == 0 ? Int.max : (multiplier - 1) * concurrency
    }
}
