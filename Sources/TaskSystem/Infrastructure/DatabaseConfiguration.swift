import Sim

// MARK: - Database parameters

/// How the simulated MySQL tier is built and how much its queries cost.
public struct DatabaseConfiguration: Sendable, Equatable {
    public var primary: DatabaseInstanceClass
    public var replica: DatabaseInstanceClass
    public var replicas: Int
    /// Replication transport: how long after its commit a change reaches a replica's relay log
    /// (drawn per batch of changes the receiver takes; changes arrive in commit order). With
    /// ``replicaApplyCost`` zero this is the whole lag (the change is visible on arrival).
    public var replicationLag: Distribution
    /// How often an idle replica looks for new changes.
    public var replicationTick: SimTime
    /// Lag-aware routing: replicas lagging more than this are skipped (nil: never skipped).
    public var maxReplicaLag: SimTime?
    /// Network round trip per query, in seconds.
    public var roundTrip: Distribution
    /// CPU time of a primary-key read, in seconds.
    public var pointReadCost: Distribution
    /// CPU time of a list query: a base plus a cost per row returned, in seconds.
    public var listBaseCost: Distribution
    public var listRowCost: Double
    /// Extra CPU per row for the JOIN of the task list with users.
    public var joinRowCost: Double
    /// CPU time of a single-row write (insert or update) on the primary, in seconds.
    public var writeCost: Distribution
    /// The repository's plan for "tasks with assignees": one JOIN, or 1 + N queries.
    public var taskListPlan: QueryPlan

    // MARK: The replica's applier

    /// CPU time a replica's applier spends on one row change, in seconds of one core (`nil`:
    /// the primary's ``writeCost``: a row event does the same InnoDB work as the write). The
    /// constant 0 makes a change visible as soon as it arrives: no applier time, the model
    /// before the applier existed (an optimistic bound).
    public var replicaApplyCost: Distribution?
    /// MySQL's `replica_parallel_workers`: applier threads per replica (0: the single SQL
    /// thread; MySQL 8.0.27+ defaults to 4). Workers apply independent changes in parallel and
    /// commit them in the relay log's order (`replica_preserve_commit_order=ON`); a change to a
    /// row waits for the previous change of that row (WRITESET dependency tracking).
    public var replicaParallelWorkers = 4

    /// The applier's cost distribution per change.
    public var effectiveReplicaApplyCost: Distribution { replicaApplyCost ?? writeCost }

    /// Whether a replica applies changes without applier time (the instant model).
    public var appliesInstantly: Bool { effectiveReplicaApplyCost == .constant(0) }

    // MARK: Limits, monitor, upgrades, tiers

    /// Each instance's volume: size, IOPS, I/O per query.
    public var storage = DatabaseStorage()
    /// On a monitor trigger, upgrade the primary to the next catalog class by blue-green.
    public var autoUpgrade = false
    /// From creating an instance (blue-green target, new replica) until it can replicate.
    public var provisioningTime: SimTime = 10 * 60 * SimClock.nanosecondsPerSecond
    /// The blue-green switch (DNS update): writes wait this long once the target has caught up.
    public var cutover: SimTime = 5 * SimClock.nanosecondsPerSecond
    /// How long the old primary is kept (and paid for) after a switch.
    public var keepOldPrimary: SimTime = 24 * 3600 * SimClock.nanosecondsPerSecond
    /// The tier table the tier follows as the load grows (empty: the fixed topology above).
    public var tiers: [DatabaseTier] = []
    /// Registered users per active user of the load profile, to key ``tiers`` by user load.
    public var tierUsersPerActive: Double = 10
    /// Pre-provisioning: a tier is ordered once the user load reaches this fraction of its
    /// boundary (1: when the load crosses it, the seed's reactive rule).
    public var tierProvisionAt: Double = 1
    /// Pre-provisioning by schedule: each tier ordered at its time, whatever the load (empty: the
    /// load decides, through ``tierProvisionAt``).
    public var tierSchedule: [TierOrder] = []

    /// One entry of ``tierSchedule``: order tier `tier` (an index of ``tiers``) at `time`.
    public struct TierOrder: Sendable, Equatable {
        public var time: SimTime
        public var tier: Int
        public init(time: SimTime, tier: Int) {
            self.time = time
            self.tier = tier
        }
    }
    /// How often the monitor (and the tier check) runs.
    public var monitorInterval: SimTime = 60 * SimClock.nanosecondsPerSecond
    /// The classes a vertical upgrade (`auto_upgrade`) climbs, smallest first: the primary's
    /// family in the price catalogue (the seed's db.r5 table by default).
    public var upgradeLadder: [DatabaseInstanceClass] = DatabaseInstanceClass.catalog

    /// The N+1 versus JOIN choice of the seed's `get_tasks_with_assignees`.
    public enum QueryPlan: String, Sendable, CaseIterable {
        case join
        case nPlusOne = "n-plus-one"
    }

    public init(primary: DatabaseInstanceClass = DatabaseInstanceClass.named("db.r5.large")!,
                replica: DatabaseInstanceClass = DatabaseInstanceClass.named("db.r5.large")!,
                replicas: Int = 0,
                replicationLag: Distribution = .lognormal(mean: 0.05, cv: 1),
                replicationTick: SimTime = SimClock.time(seconds: 0.01),
                maxReplicaLag: SimTime? = nil,
                roundTrip: Distribution = .constant(0.0005),
                pointReadCost: Distribution = .exponential(mean: 0.0005),
                listBaseCost: Distribution = .exponential(mean: 0.001),
                listRowCost: Double = 0.00002,
                joinRowCost: Double = 0.00001,
                writeCost: Distribution = .exponential(mean: 0.002),
                taskListPlan: QueryPlan = .join) {
        self.primary = primary
        self.replica = replica
        self.replicas = replicas
        self.replicationLag = replicationLag
        self.replicationTick = replicationTick
        self.maxReplicaLag = maxReplicaLag
        self.roundTrip = roundTrip
        self.pointReadCost = pointReadCost
        self.listBaseCost = listBaseCost
        self.listRowCost = listRowCost
        self.joinRowCost = joinRowCost
        self.writeCost = writeCost
        self.taskListPlan = taskListPlan
    }
}
