import Sim

// MARK: - Fault kinds

/// The kinds of fault a scenario's `faults:` list can name (the agreed schema). Every kind is
/// listed so that a reader can tell "not implemented yet" from "unknown"; ``implemented``
/// lists those the simulation injects.
public enum FaultKind: String, Sendable, CaseIterable {
    case instanceCrash = "instance-crash"
    case zoneLoss = "zone-loss"
    case replicaStall = "replica-stall"
    case replicaLagSpike = "replica-lag-spike"
    case replicaLoss = "replica-loss"
    case primaryFailover = "primary-failover"
    case redisOutage = "redis-outage"
    case redisFlush = "redis-flush"
    case workerCrash = "worker-crash"
    case latencySpike = "latency-spike"
    case connectionStorm = "connection-storm"

    /// The kinds the simulation injects; a reader rejects the others ("not implemented yet").
    public static let implemented: [FaultKind] = [.instanceCrash, .workerCrash, .redisOutage, .redisFlush, .zoneLoss,
                                                  .primaryFailover]

    /// Whether the simulation injects this kind.
    public var isImplemented: Bool { Self.implemented.contains(self) }
}

// MARK: - Availability zones

/// The two availability zones the system is spread over: API instances alternate a, b, a, …
/// by launch order (a zone that is lost takes no launch until it is back), and replicas
/// alternate a, b, … by replica number (the primary is in `a`).
public enum AvailabilityZone: String, Sendable, CaseIterable {
    case a, b

    /// The zone of the `index`-th instance or replica by alternation.
    public static func alternating(_ index: Int) -> AvailabilityZone { index % 2 == 0 ? .a : .b }
}

// MARK: - One fault

/// One entry of a scenario's fault plan: what fails, when, and for how long (or at what rate).
/// Times are simulated times from the start of the run.
public enum Fault: Sendable, Equatable {
    /// `count` API instances crash at `at`: the oldest in service, one after another.
    case instanceCrash(at: SimTime, count: Int)
    /// Every API instance crashes after an exponential time with mean `mtbf` from its launch.
    case randomInstanceCrashes(mtbf: SimTime)
    /// Every Celery worker process (of `queue`, or of every queue) crashes after an exponential
    /// time with mean `mtbf`, and is restarted `restart` later.
    case randomWorkerCrashes(mtbf: SimTime, restart: SimTime, queue: JobQueueName?)
    /// Redis is unreachable from `at` for `duration`: every cache call and every job publication
    /// fails fast; it comes back empty (a restart without persistence).
    case redisOutage(at: SimTime, duration: SimTime)
    /// Every Redis key is dropped at `at` (`FLUSHALL`).
    case redisFlush(at: SimTime)
    /// Availability zone `zone` is lost at `at`: its API instances crash and its replicas are
    /// gone; with a `duration`, it takes launches again after it (lost replicas stay lost).
    case zoneLoss(at: SimTime, duration: SimTime?, zone: AvailabilityZone)
    /// The primary fails at `at`: for `promotion` every statement on the primary fails fast;
    /// then the most advanced replica is promoted, and the writes it had not applied are lost.
    case primaryFailover(at: SimTime, promotion: SimTime)
    /// `count` Celery worker processes (of `queue`, or of any queue) crash at `at`, those
    /// running a job first; each is restarted `restart` later.
    case workerCrash(at: SimTime, count: Int, restart: SimTime, queue: JobQueueName?)

    /// Its kind.
    public var kind: FaultKind {
        switch self {
        case .instanceCrash, .randomInstanceCrashes: .instanceCrash
        case .randomWorkerCrashes, .workerCrash: .workerCrash
        case .redisOutage: .redisOutage
        case .redisFlush: .redisFlush
        case .zoneLoss: .zoneLoss
        case .primaryFailover: .primaryFailover
        }
    }

    /// When it starts (`nil`: a rate, no start).
    public var start: SimTime? {
        switch self {
        case .instanceCrash(let at, _), .redisOutage(let at, _), .redisFlush(let at), .zoneLoss(let at, _, _): at
        case .primaryFailover(let at, _), .workerCrash(let at, _, _, _): at
        case .randomInstanceCrashes, .randomWorkerCrashes: nil
        }
    }

    /// When it ends: its start plus its duration (the same instant for an instantaneous fault,
    /// `nil` for a rate or a fault that lasts to the end of the run).
    public var end: SimTime? {
        switch self {
        case .redisOutage(let at, let duration): SimClock.adding(duration, to: at)
        case .instanceCrash(let at, _), .redisFlush(let at): at
        case .zoneLoss(let at, let duration, _): duration.map { SimClock.adding($0, to: at) }
        case .primaryFailover(let at, let promotion): SimClock.adding(promotion, to: at)
        case .workerCrash(let at, _, let restart, _): SimClock.adding(restart, to: at)
        case .randomInstanceCrashes, .randomWorkerCrashes: nil
        }
    }

    /// The fault and its target in words, for the timeline: `redis-outage of the shared cache`.
    public var label: String {
        switch self {
        case .instanceCrash(_, let count): "instance-crash of \(count) API instance(s)"
        case .randomInstanceCrashes: "instance-crash of every API instance at random"
        case .randomWorkerCrashes(_, _, let queue): "worker-crash of the \(queue.map { "'\($0.rawValue)'" } ?? "every") queue's workers"
        case .redisOutage: "redis-outage of the shared cache and the broker"
        case .redisFlush: "redis-flush of the shared cache"
        case .zoneLoss(_, _, let zone): "zone-loss of availability zone \(zone.rawValue)"
        case .primaryFailover: "primary-failover of the database primary"
        case .workerCrash(_, let count, _, let queue):
            "worker-crash of \(count) \(queue.map { "'\($0.rawValue)' queue" } ?? "Celery") worker process(es)"
        }
    }
}
