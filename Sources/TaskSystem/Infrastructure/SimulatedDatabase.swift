import Sim

// MARK: - The simulated MySQL tier

/// A MySQL primary and its asynchronous read replicas, holding the task system's real data.
///
/// Each instance is a ``DatabaseNode``: a ``ServerPool`` with one server per vCPU, a volume
/// whose IOPS are a rate-limited resource, and at most `max_connections` server connections. A
/// query waits for its I/O (when the volume's rate is spent), then for a core, holds it for its
/// CPU cost, and reads or writes the data when it completes — so a replica read returns the rows
/// as of that replica's applied position at that moment, and a stale read is a different value,
/// not a coin flip. A change reaches a replica's relay log after the configured transport lag;
/// the replica's applier (``ReplicaApplier``) then spends CPU on it, on the replica's cores, so
/// lag grows with the write rate and with the reads the replica serves. With a zero apply cost
/// a change is visible as soon as it arrives (the instant model).
///
/// Reads are routed as the seed's `DatabaseRouter` does: round robin over the replicas in
/// service (the primary when there are none), skipping replicas that lag more than
/// ``DatabaseConfiguration/maxReplicaLag``.
///
/// The topology can change during a run (`SimulatedDatabase+Management`): replicas are added
/// and retired, and the primary is replaced by a blue-green switch.
public final class SimulatedDatabase: @unchecked Sendable {
    let runtime: ProcessRuntime
    public let configuration: DatabaseConfiguration
    /// The data: primary and replica positions.
    public internal(set) var store: ReplicatedStore
    /// The instance taking writes now.
    public internal(set) var primaryNode: DatabaseNode
    /// Replica instances by replica number: in service, provisioning, or retired.
    public internal(set) var replicaNodes: [DatabaseNode]
    /// Whether replica `n` takes reads.
    var replicaServing: [Bool]
    /// Every instance launched, in launch order (for cost).
    public internal(set) var instances: [DatabaseNode]
    /// Connection generation of each slot (0: the primary, 1 + n: replica n), bumped when the
    /// slot's instance goes away; clients drop their connections of an older generation.
    var generations: [Int]
    /// The connection pools of every client (API instances, workers): a blue-green switch
    /// drops their server connections, which their next checkout finds dead.
    var clientPools: [ConnectionPool] = []
    /// Every client pool ever made, the replica engines' too, in the order made (append-only,
    /// so an index names one pool for the run): what the pool utilisation series sums.
    var allClientPools: [ConnectionPool] = []
    /// Bytes used on every instance's volume.
    public internal(set) var storage: StorageLedger
    /// Writes waiting for a blue-green cut-over to end (`nil`: writes flow).
    var blockedWriters: [WakeToken]?
    /// Topology changes in progress, the replicas' class now, writes between the cut-over gate
    /// and their commit, and the target's lag at the last blue-green switch.
    var upgrading = false
    var changingReplicas = false
    var replicaClass: DatabaseInstanceClass
    var writesInFlight = 0
    public internal(set) var lastSwitchLag: SimTime?
    /// A `primary-failover` in progress: the primary is down and every statement on it fails
    /// fast (`Faults/FailoverPromotion.swift`); and the failures so far, which a statement
    /// compares before and after it runs (a primary that died under it loses the statement).
    var primaryDown = false
    var primaryFailures = 0
    var nextReplica = 0
    var costStream: RandomStream
    var lagStreams: [RandomStream]
    /// Each replica's applier (nil: not replicating, or the instant model) and cost stream.
    var appliers: [ReplicaApplier?] = []
    var applyStreams: [RandomStream] = []
    let streams: RandomStreamFactory
    public internal(set) var metrics = DatabaseMetrics()
    /// What the tier did (monitor triggers, provisioning, switches), in time order.
    public internal(set) var events: [DatabaseEvent] = []
    /// Faults holding replicas back (`replica-stall`, `replica-lag-spike`; `ReplicaHold`).
    var replicaHolds: [ReplicaHold] = []
    /// Added to every statement's outbound trip during a `latency-spike` on `api-database`.
    var extraLatency: SimTime = 0
    /// Starts one applier worker of a replica (``ReplicaApplierWorker`` but in tests).
    let startApplierWorker: (SimulatedDatabase, Int) -> Void

    /// The tier `configuration` describes on `runtime`, holding `data`, its random draws from
    /// `streams`; its replicas start replicating at once.
    public convenience init(runtime: ProcessRuntime, configuration: DatabaseConfiguration, data: PrimaryStore,
                            streams: RandomStreamFactory) {
        self.init(runtime: runtime, configuration: configuration, data: data, streams: streams) { database, replica in
            ReplicaApplierWorker(database: database, replica: replica).start()
        }
    }

    /// A database whose replicas' applier workers are started by `startApplierWorker` (tests
    /// compare the state machine with the `async` worker it replaced).
    init(runtime: ProcessRuntime, configuration: DatabaseConfiguration, data: PrimaryStore,
         streams: RandomStreamFactory, startApplierWorker: @escaping (SimulatedDatabase, Int) -> Void) {
        self.runtime = runtime
        self.startApplierWorker = startApplierWorker
        self.configuration = configuration
        self.streams = streams
        replicaClass = configuration.replica
        store = ReplicatedStore(primary: data, replicaCount: configuration.replicas)
        let iops = configuration.storage.iops
        primaryNode = DatabaseNode(runtime: runtime, instanceClass: configuration.primary, iops: iops)
        replicaNodes = (0..<configuration.replicas).map { _ in
            DatabaseNode(runtime: runtime, instanceClass: configuration.replica, iops: iops)
        }
        replicaServing = Array(repeating: true, count: configuration.replicas)
        instances = [primaryNode] + replicaNodes
        generations = Array(repeating: 0, count: 1 + configuration.replicas)
        storage = StorageLedger(rows: data.userCount + data.projectCount + data.taskCount + data.commentCount,
                                storage: configuration.storage)
        costStream = streams.stream(named: "database.cost")
        lagStreams = (0..<configuration.replicas).map { streams.stream(named: "database.replica\($0).lag") }
        metrics.replicaQueries = Array(repeating: 0, count: configuration.replicas)
        for replica in 0..<configuration.replicas { startReplication(of: replica) }
    }

    // MARK: Replication

    /// Replays the primary's log on `replica` in commit order: with applier time, through its
    /// ``ReplicaApplier``; in the instant model (apply cost 0), as follows. The next
    /// unapplied change, committed at `c`, becomes visible at `max(now, c + lag)` with `lag`
    /// drawn for it, together with every later change committed by then. So the replica trails
    /// the primary by the configured lag distribution, and a slow apply delays those behind it.
    /// An idle replica checks for new changes every ``DatabaseConfiguration/replicationTick``.
    /// Each batch's write I/O is taken from the replica's IOPS first (reads queue behind it, and
    /// a replica whose IOPS are spent applies later: catching up takes as long as its I/O).
    /// The process ends when the replica is detached (retired or promoted).
    func startReplication(of replica: Int) {
        guard configuration.appliesInstantly else {
            startApplier(of: replica)
            return
        }
        runtime.spawn { [self] in
            do {
                while !store.detached[replica] {
                    if primaryDown {  // a failover: nothing more arrives until a replica is promoted
                        try await runtime.sleep(for: configuration.replicationTick)
                        continue
                    }
                    let next = LSN(store.position(of: .replica(replica)).rawValue + 1)
                    guard next <= store.primary.headLSN, let committed = store.primary.log.commitTime(of: next) else {
                        try await runtime.sleep(for: configuration.replicationTick)
                        continue
                    }
                    let lag = SimClock.time(seconds: max(0, configuration.replicationLag.sample(&lagStreams[replica])))
                    let visible = max(runtime.now, SimClock.adding(lag, to: committed))
                    try await runtime.sleep(for: visible - runtime.now)
                    if store.detached[replica] { return }
                    if primaryDown { continue }  // the primary failed before the batch arrived
                    // A fault holding the replica back (`ReplicaHold`): wait for its release.
                    if let release = heldRelease(of: replica, committed: committed) {
                        try await runtime.sleep(for: release - runtime.now)
                        continue
                    }
                    // The lag just before the apply: the age of the oldest change still pending
                    // (of replicas taking reads: a replica still being provisioned is not read).
                    if replicaServing[replica] {
                        metrics.maxReplicaLag = max(metrics.maxReplicaLag, store.lag(of: .replica(replica), now: runtime.now))
                    }
                    // The batch's write I/O comes first: when the replica's IOPS are spent, the
                    // apply (and so the replica's position) waits for them.
                    // A batch is at most one second of the replica's IOPS, so that a long
                    // catch-up advances, and spends its I/O, step by step.
                    let position = store.position(of: .replica(replica))
                    let step = max(1, Int(replicaNodes[replica].iops.rate / max(configuration.storage.writeIOs, 1e-9)))
                    var through = store.primary.log.lastLSN(committedAtOrBefore: visible - lag)
                    if through - position > step { through = LSN(position.rawValue + step) }
                    if let limit = heldLimit(of: replica), limit < through { through = max(limit, next) }
                    let batch = Double(max(0, through - position))
                    let wait = replicaNodes[replica].requestIO(batch * configuration.storage.writeIOs,
                                                               at: runtime.now, write: true)
                    if wait > 0 { try await runtime.sleep(for: SimClock.time(seconds: wait)) }
                    if store.detached[replica] { return }
                    if primaryDown { continue }
                    store.replicate(replica, upTo: through)
                }
            } catch {
                return  // the run ended
            }
        }
    }

    // MARK: Routing

    /// The node a read with `consistency` goes to.
    func route(_ consistency: ReadConsistency) -> StoreNode {
        guard consistency == .replica, !replicaNodes.isEmpty else { return .primary }
        for _ in 0..<replicaNodes.count {
            let candidate = nextReplica
            nextReplica = (nextReplica + 1) % replicaNodes.count
            guard replicaServing[candidate] else { continue }
            if let limit = configuration.maxReplicaLag,
               store.lag(of: .replica(candidate), now: runtime.now) > limit {
                metrics.laggingReplicaSkips += 1
                continue
            }
            return .replica(candidate)
        }
        return .primary
    }

    /// The instance behind `node` now.
    func instance(of node: StoreNode) -> DatabaseNode {
        switch node {
        case .primary: primaryNode
        case .replica(let index): replicaNodes[index]
        }
    }

    /// The connection slot of `node` (0: the primary, 1 + n: replica n).
    @inline(__always)
    static func slot(of node: StoreNode) -> Int {
        switch node {
        case .primary: 0
        case .replica(let index): index + 1
        }
    }

    // MARK: Queries

    /// Runs one query on `node`: `lead` (a pre-ping the pool left to the first statement), half
    /// a network round trip, its `ios` I/Os (waiting when the instance's IOPS are spent), a core
    /// for `cost` seconds; `body` reads or writes the data at completion; then the other half of
    /// the round trip. On a replica detached meanwhile it throws ``APIError/databaseConnectionLost``.
    /// The stages run as a ``DatabaseStatement`` on the run loop: the caller suspends once.
    func execute<Result>(on node: StoreNode, cost: Double, ios: Double, write: Bool = false, lead: SimTime = 0,
                         _ body: @escaping () throws -> Result) async throws -> Result {
        let failures = primaryFailures
        if primaryDown, node == .primary { throw refuseOnFailedPrimary() }
        let trip = configuration.roundTrip.sample(&costStream)
        let statement = DatabaseStatement(database: self, node: node, cost: cost, ios: ios, write: write, trip: trip,
                                          primaryFailures: failures, body: body)
        // A `latency-spike` on api-database lengthens the outbound trip (0 without one).
        try await runtime.park { statement.start(caller: $0, lead: lead + extraLatency) }
        if let failure = statement.failure { throw failure }
        return statement.value!
    }

    func pointReadCost() -> Double { configuration.pointReadCost.sample(&costStream) }

    func listCost(rows: Int, joined: Bool) -> Double {
        configuration.listBaseCost.sample(&costStream)
            + Double(rows) * (configuration.listRowCost + (joined ? configuration.joinRowCost : 0))
    }

    func writeCost() -> Double { configuration.writeCost.sample(&costStream) }

    /// Expected I/Os of a primary-key read (one leaf page).
    var pointReadIOs: Double { configuration.storage.readIOs(pages: 1) }

    /// Expected I/Os of a query returning `rows` rows.
    func listIOs(rows: Int) -> Double { configuration.storage.readIOs(pages: configuration.storage.pages(rows: rows)) }

    /// Reads `key` on `node`, counting a stale read when the row changed on the primary after
    /// the node's position.
    func noteStaleness(of key: RowKey, on node: StoreNode) {
        if case .replica = node, store.isStale(key, on: node) { metrics.staleReads += 1 }
    }

    /// Commits `write` on the primary (after its I/O and CPU time) and returns its LSN. During a
    /// blue-green cut-over the write first waits for the switch; on a full volume it fails with
    /// ``APIError/storageFull``.
    func commit(_ write: RowWrite, lead: SimTime = 0) async throws -> LSN {
        if blockedWriters != nil { try await runtime.park { blockedWriters?.append($0) } }
        writesInFlight += 1
        defer { writesInFlight -= 1 }
        return try await execute(on: .primary, cost: writeCost(), ios: configuration.storage.writeIOs, write: true,
                                 lead: lead) { [self] in
            guard storage.hasRoom else {
                metrics.storageFullWrites += 1
                throw APIError.storageFull
            }
            let lsn = try store.apply(write, at: runtime.now)
            if case .insert = write { storage.inserted() }
            wakeIdleAppliers()
            return lsn
        }
    }

    // MARK: Ids

    func reserveTaskID() -> TaskID { store.reserveTaskID() }
    func reserveCommentID() -> CommentID { store.reserveCommentID() }

    // MARK: Cost and figures

    /// Dollars of instance-hours until `end`: every instance, from launch to decommissioning,
    /// at its class's price (so a blue-green pair is paid twice while both exist).
    public func instanceCost(until end: SimTime) -> Double {
        instances.reduce(0) { $0 + $1.hours(until: end) * $1.instanceClass.hourlyPrice }
    }

    /// Server connections refused on every instance so far.
    public var refusedConnections: Int { instances.reduce(0) { $0 + $1.refusedConnections } }
}

/// What the database tier counted.
public struct DatabaseMetrics: Sendable, Equatable {
    /// Queries executed on the primary.
    public var primaryQueries = 0
    /// Queries executed on each replica.
    public var replicaQueries: [Int] = []
    /// Replica reads that returned a row the primary had already changed.
    public var staleReads = 0
    /// Reads routed away from a replica because it lagged more than the limit.
    public var laggingReplicaSkips = 0
    /// The largest replication lag seen.
    public var maxReplicaLag: SimTime = 0
    /// Seconds from a change's commit on the primary until it was visible on a replica, per
    /// change and replica (replicas with applier time only; the instant model records none).
    public var replicaApplyDelay = Tally()
    /// Writes refused because the volume was full.
    public var storageFullWrites = 0
    /// Statements refused at once because the primary was down (a `primary-failover`'s promotion).
    public var failoverRefusedStatements = 0
    /// Committed writes a failover lost: committed on the failed primary, not yet applied on
    /// the replica promoted in its place.
    public var failoverLostWrites = 0
    /// The highest one-minute I/O rate of any instance, and its fraction of that instance's IOPS.
    public var peakIOPS = 0.0
    public var peakIOPSUtilization = 0.0
    /// Monitor triggers per reason (``DatabaseScalingReason`` order).
    public var triggers = Array(repeating: 0, count: DatabaseScalingReason.allCases.count)
    /// Blue-green switches completed.
    public var upgrades = 0

    mutating func count(on node: StoreNode) {
        switch node {
        case .primary: primaryQueries += 1
        case .replica(let index): replicaQueries[index] += 1
        }
    }

    /// All queries.
    public var totalQueries: Int { primaryQueries + replicaQueries.reduce(0, +) }
}
