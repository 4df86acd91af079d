import Foundation
import Sim

// MARK: - An API instance's view of the database

/// The `TaskRepository` of one API instance (or of the job workers): SQLAlchemy `QueuePool`s
/// (10 + 20 overflow, 30 s timeout) in front of the shared ``SimulatedDatabase``.
///
/// Two layouts:
/// - **A pool per engine** (``init(database:poolPerEngine:)``, the seed's router): each database
///   — the primary and every replica — has its own engine and so its own pool in the process.
///   A query is routed first, then checks a connection out of its database's pool; every
///   pooled connection is a server connection to that one database. A process's connections
///   to the tier are then up to (`pool_size` + `max_overflow`) × (1 + replicas), and a pool's
///   timeouts depend on the load on its database alone.
/// - **One pool** (``init(database:pool:)``): one `QueuePool` serves every database; a checked
///   out connection is bound to the instance its query goes to (``ServerConnections``).
///
/// A connection is held for each query, or for the whole N+1 sequence of the task list, as a
/// SQLAlchemy session holds one. The instance may refuse to open a server connection.
public final class DatabaseClient: TaskRepository, @unchecked Sendable {
    let database: SimulatedDatabase
    /// The pools: one per engine slot (0: the primary, 1 + n: replica n; a replica's pool is
    /// made when its first query is routed there), or the one shared pool.
    public private(set) var pools: [ConnectionPool]
    /// The server connections behind each pool.
    var connections: [ServerConnections]
    /// Makes an engine's pool (`nil`: one pool for every database).
    let makePool: (() -> ConnectionPool)?

    /// One pool serves every database.
    public init(database: SimulatedDatabase, pool: ConnectionPool) {
        self.database = database
        pools = [pool]
        connections = [ServerConnections()]
        makePool = nil
        database.clientPools.append(pool)
        database.allClientPools.append(pool)
    }

    /// A pool per engine, each made by `makePool` (the seed's router: an engine per database).
    public init(database: SimulatedDatabase, poolPerEngine makePool: @escaping () -> ConnectionPool) {
        self.database = database
        let primary = makePool()
        pools = [primary]
        connections = [ServerConnections()]
        self.makePool = makePool
        database.clientPools.append(primary)  // a blue-green switch drops the primary's connections
        database.allClientPools.append(primary)
    }

    /// The pools `api` configures: one per engine or one for all (``APIConfiguration/poolPerEngine``).
    convenience init(database: SimulatedDatabase, runtime: ProcessRuntime, configuration api: APIConfiguration) {
        let makePool = {
            ConnectionPool(runtime: runtime, size: api.poolSize, maxOverflow: api.poolOverflow, timeout: api.poolTimeout,
                           lifecycle: api.poolLifecycle)
        }
        if api.poolPerEngine {
            self.init(database: database, poolPerEngine: makePool)
        } else {
            self.init(database: database, pool: makePool())
        }
    }

    /// Whether each database has its own pool.
    public var hasPoolPerEngine: Bool { makePool != nil }

    /// The primary engine's pool (with one pool, the only one).
    public var pool: ConnectionPool { pools[0] }

    /// Runs `body` holding a connection to the node `consistency` routes to; a pool timeout throws
    /// ``ProcessInterruption/timedOut``, a statement on a connection the server closed (pre-ping
    /// off) ``APIError/databaseConnectionLost``, a refused server connection
    /// ``APIError/tooManyConnections``. With a pool per engine the query is routed first and
    /// waits for its database's pool; with one pool it waits for the pool, then is routed.
    ///
    /// `body` gets the node and the pool's pending pre-ping, which its first statement adds to
    /// its outbound trip (one simulated sleep instead of two, the same times).
    func withConnection<Result>(_ consistency: ReadConsistency, _ body: (StoreNode, SimTime) async throws -> Result)
        async throws -> Result
    {
        var node = StoreNode.primary
        var index = 0
        if hasPoolPerEngine {
            node = database.route(consistency)
            index = SimulatedDatabase.slot(of: node)
            growPools(through: index)
        }
        let pool = pools[index]
        let connection: PooledConnection
        do {
            connection = try await pool.checkout(deferringPing: true)
        } catch ConnectionPoolError.connectionLost {
            throw APIError.databaseConnectionLost
        }
        if !hasPoolPerEngine { node = database.route(consistency) }
        let budget = pool.pool.size + pool.pool.overflow
        do {
            try connections[index].bind(to: node, in: database, budget: budget)
        } catch {
            pool.checkin(connection)
            connections[index].trim(in: database, budget: pool.pool.size + pool.pool.overflow)
            throw error
        }
        defer {
            pool.checkin(connection)
            // A closed client (its instance crashed) already closed every server connection.
            if !pool.isClosed {
                connections[index].release(from: node, in: database, budget: pool.pool.size + pool.pool.overflow)
            }
        }
        return try await body(node, connection.pendingDelay)
    }

    /// Makes the pools of engine slots up to `slot` (replicas added since the last query).
    private func growPools(through slot: Int) {
        guard let makePool else { return }
        while pools.count <= slot {
            let pool = makePool()
            pools.append(pool)
            database.allClientPools.append(pool)
            connections.append(ServerConnections())
        }
    }

    /// Closes every pool and every server connection they hold (the instance crashed); queries
    /// still running finish on theirs, later checkouts fail.
    public func close() {
        for index in pools.indices where !pools[index].isClosed {
            pools[index].close()
            connections[index].closeAll(in: database)
        }
    }

    // MARK: Pool figures

    /// Checkouts that timed out, over every pool.
    public var poolTimeouts: Int { pools.reduce(0) { $0 + $1.pool.timeoutsTotal } }

    /// The lifecycle counters of every pool, added.
    public var poolCounters: ConnectionPoolCounters {
        var total = ConnectionPoolCounters()
        for pool in pools { total.add(pool.counters) }
        return total
    }

    /// Time each pool spent above the utilisation warning, added over the pools.
    public var poolHighUtilisationTime: SimTime { pools.reduce(0) { $0 + $1.highUtilisationTime } }

    /// A primary-key read of `key` on the node `consistency` routes to, noting a stale read.
    func pointRead<Row>(_ key: RowKey, consistency: ReadConsistency, _ read: @escaping (StoreNode) -> Row?) async throws
        -> Row?
    {
        try await withConnection(consistency) { node, lead in
            try await database.execute(on: node, cost: database.pointReadCost(), ios: database.pointReadIOs, lead: lead) { [self] in
                database.noteStaleness(of: key, on: node)
                return read(node)
            }
        }
    }

    public func user(_ id: UserID, consistency: ReadConsistency) async throws -> User? {
        try await pointRead(.user(id), consistency: consistency) { [self] in database.store.user(id, on: $0) }
    }

    public func project(_ id: ProjectID, consistency: ReadConsistency) async throws -> Project? {
        try await pointRead(.project(id), consistency: consistency) { [self] in database.store.project(id, on: $0) }
    }

    /// One indexed query (`project_members` by user, joined to `projects`), costed as a
    /// primary-key read.
    public func permissions(of user: UserID, consistency: ReadConsistency) async throws -> UserPermissions? {
        try await withConnection(consistency) { node, lead in
            try await database.execute(on: node, cost: database.pointReadCost(), ios: database.pointReadIOs, lead: lead) { [self] in
                database.store.permissions(of: user, on: node)
            }
        }
    }

    public func task(_ id: TaskID, consistency: ReadConsistency) async throws -> TaskItem? {
        try await pointRead(.task(id), consistency: consistency) { [self] in database.store.task(id, on: $0) }
    }

    public func tasksWithAssignees(inProject project: ProjectID, consistency: ReadConsistency) async throws
        -> [TaskWithAssignee]
    {
        try await withConnection(consistency) { node, lead in
            let rows = database.store.tasks(inProject: project, on: node).count
            switch database.configuration.taskListPlan {
            case .join:
                return try await database.execute(on: node, cost: database.listCost(rows: rows, joined: true),
                                                  ios: database.listIOs(rows: rows), lead: lead) { [self] in
                    database.store.taskItems(inProject: project, on: node).map { task in
                        TaskWithAssignee(task: task, assignee: task.assignee.flatMap { database.store.user($0, on: node) })
                    }
                }
            case .nPlusOne:
                let tasks = try await database.execute(on: node, cost: database.listCost(rows: rows, joined: false),
                                                       ios: database.listIOs(rows: rows), lead: lead) { [self] in
                    database.store.taskItems(inProject: project, on: node)
                }
                var result: [TaskWithAssignee] = []
                result.reserveCapacity(tasks.count)
                // One query per task, as the seed's "bad" loop does. By index, and the statement's
                // closure capturing the assignee's ID only: each row is copied once, into the result
                // (a loop variable and a captured `task` copied the whole row twice more).
                for index in tasks.indices {
                    let assigneeID = tasks[index].assignee
                    let assignee = try await database.execute(on: node, cost: database.pointReadCost(),
                                                              ios: database.pointReadIOs) { [self] in
                        assigneeID.flatMap { database.store.user($0, on: node) }
                    }
                    result.append(TaskWithAssignee(task: tasks[index], assignee: assignee))
                }
                return result
            }
        }
    }

    public func countTasks(assignedTo user: UserID, consistency: ReadConsistency) async throws -> Int {
        try await withConnection(consistency) { node, lead in
            try await database.execute(on: node, cost: database.pointReadCost(), ios: database.pointReadIOs, lead: lead) { [self] in
                database.store.countTasks(assignedTo: user, on: node)
            }
        }
    }

    public func searchTasks(inProject project: ProjectID, matching text: String, consistency: ReadConsistency)
        async throws -> [TaskItem]
    {
        try await withConnection(consistency) { node, lead in
            let rows = database.store.tasks(inProject: project, on: node).count
            // `LIKE '%text%'` cannot use an index: the query reads every row of the project.
            return try await database.execute(on: node, cost: database.listCost(rows: rows, joined: false),
                                              ios: database.listIOs(rows: rows), lead: lead) { [self] in
                database.store.taskItems(inProject: project, on: node).filter {
                    $0.title.range(of: text, options: .caseInsensitive) != nil
                }
            }
        }
    }

    public func reserveTaskID() async -> TaskID { database.reserveTaskID() }

    public func reserveCommentID() async -> CommentID { database.reserveCommentID() }

    public func save(_ write: RowWrite) async throws {
        _ = try await withConnection(.primary) { _, lead in try await database.commit(write, lead: lead) }
    }
}
