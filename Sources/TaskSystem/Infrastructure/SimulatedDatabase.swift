import Sim

// MARK: - The simulated MySQL tier

/// A MySQL primary and its asynchronous read replicas, holding the task system's real data.
///
/// Each node is a ``ServerPool`` with one server per vCPU: a query waits for a core, holds it
/// for its CPU cost, and reads or writes the data when it completes — so a replica read
/// returns the rows as of that replica's applied position at that moment, and a stale read is
/// a different value, not a coin flip. Replicas apply the primary's log up to the changes
/// committed `lag` ago, with `lag` re-drawn every tick from the configured distribution.
///
/// Reads are routed as the seed's `DatabaseRouter` does: round robin over the replicas (the
/// primary when there are none), skipping replicas that lag more than ``DatabaseConfiguration/maxReplicaLag``.
public final class SimulatedDatabase: @unchecked Sendable {
    let runtime: ProcessRuntime
    public let configuration: DatabaseConfiguration
    /// The data: primary and replica positions.
    public private(set) var store: ReplicatedStore
    let primaryCPU: ServerPool
    let replicaCPUs: [ServerPool]
    var nextReplica = 0
    var costStream: RandomStream
    var lagStreams: [RandomStream]
    public private(set) var metrics = DatabaseMetrics()

    public init(runtime: ProcessRuntime, configuration: DatabaseConfiguration, data: PrimaryStore,
                streams: RandomStreamFactory) {
        self.runtime = runtime
        self.configuration = configuration
        store = ReplicatedStore(primary: data, replicaCount: configuration.replicas)
        primaryCPU = ServerPool(runtime: runtime, servers: configuration.primary.vCPUs)
        replicaCPUs = (0..<configuration.replicas).map { _ in
            ServerPool(runtime: runtime, servers: configuration.replica.vCPUs)
        }
        costStream = streams.stream(named: "database.cost")
        lagStreams = (0..<configuration.replicas).map { streams.stream(named: "database.replica\($0).lag") }
        metrics.replicaQueries = Array(repeating: 0, count: configuration.replicas)
        for replica in 0..<configuration.replicas { startReplication(of: replica) }
    }

    // MARK: Replication

    /// Replays the primary's log on `replica` in commit order, as MySQL's applier does: the next
    /// unapplied change, committed at `c`, becomes visible at `max(now, c + lag)` with `lag`
    /// drawn for it, together with every later change committed by then. So the replica trails
    /// the primary by the configured lag distribution, and a slow apply delays those behind it.
    /// An idle replica checks for new changes every ``DatabaseConfiguration/replicationTick``.
    func startReplication(of replica: Int) {
        runtime.spawn { [self] in
            do {
                while true {
                    let next = LSN(store.position(of: .replica(replica)).rawValue + 1)
                    guard next <= store.primary.headLSN, let committed = store.primary.log.commitTime(of: next) else {
                        try await runtime.sleep(for: configuration.replicationTick)
                        continue
                    }
                    let lag = SimClock.time(seconds: max(0, configuration.replicationLag.sample(&lagStreams[replica])))
                    let visible = max(runtime.now, committed + lag)
                    try await runtime.sleep(for: visible - runtime.now)
                    // The lag just before the apply: the age of the oldest change still pending.
                    metrics.maxReplicaLag = max(metrics.maxReplicaLag, store.lag(of: .replica(replica), now: runtime.now))
                    store.replicate(replica, committedThrough: visible - lag)
                }
            } catch {
                return  // the run ended
            }
        }
    }

    // MARK: Routing

    /// The node a read with `consistency` goes to.
    func route(_ consistency: ReadConsistency) -> StoreNode {
        guard consistency == .replica, !replicaCPUs.isEmpty else { return .primary }
        for _ in 0..<replicaCPUs.count {
            let candidate = nextReplica
            nextReplica = (nextReplica + 1) % replicaCPUs.count
            if let limit = configuration.maxReplicaLag,
               store.lag(of: .replica(candidate), now: runtime.now) > limit {
                metrics.laggingReplicaSkips += 1
                continue
            }
            return .replica(candidate)
        }
        return .primary
    }

    func cpu(of node: StoreNode) -> ServerPool {
        switch node {
        case .primary: primaryCPU
        case .replica(let index): replicaCPUs[index]
        }
    }

    // MARK: Queries

    /// Runs one query on `node`: a network round trip, then a core for `cost` seconds; `body`
    /// reads or writes the data at completion.
    func execute<Result>(on node: StoreNode, cost: Double, _ body: () throws -> Result) async throws -> Result {
        let trip = configuration.roundTrip.sample(&costStream)
        try await runtime.sleep(for: SimClock.time(seconds: trip / 2))
        try await cpu(of: node).serve(for: SimClock.time(seconds: cost))
        let result = try body()
        metrics.count(on: node)
        try await runtime.sleep(for: SimClock.time(seconds: trip / 2))
        return result
    }

    func pointReadCost() -> Double { configuration.pointReadCost.sample(&costStream) }

    func listCost(rows: Int, joined: Bool) -> Double {
        configuration.listBaseCost.sample(&costStream)
            + Double(rows) * (configuration.listRowCost + (joined ? configuration.joinRowCost : 0))
    }

    func writeCost() -> Double { configuration.writeCost.sample(&costStream) }

    /// Reads `key` on `node`, counting a stale read when the row changed on the primary after
    /// the node's position.
    func noteStaleness(of key: RowKey, on node: StoreNode) {
        if case .replica = node, store.isStale(key, on: node) { metrics.staleReads += 1 }
    }

    /// Commits `write` on the primary (after its CPU time) and returns its LSN.
    func commit(_ write: RowWrite) async throws -> LSN {
        try await execute(on: .primary, cost: writeCost()) {
            try store.apply(write, at: runtime.now)
        }
    }

    // MARK: Ids

    func reserveTaskID() -> TaskID { store.reserveTaskID() }
    func reserveCommentID() -> CommentID { store.reserveCommentID() }
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

    mutating func count(on node: StoreNode) {
        switch node {
        case .primary: primaryQueries += 1
        case .replica(let index): replicaQueries[index] += 1
        }
    }

    /// All queries.
    public var totalQueries: Int { primaryQueries + replicaQueries.reduce(0, +) }
}
