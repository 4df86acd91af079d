import Foundation
import Sim

// MARK: - An API instance's view of the database

/// The `TaskRepository` of one API instance: its own connection pool (SQLAlchemy's
/// `QueuePool`: 10 + 20 overflow, 30 s timeout) in front of the shared ``SimulatedDatabase``.
/// A connection is held for each query, or for the whole N+1 sequence of the task list, as a
/// SQLAlchemy session holds one. Each pooled connection is a server connection on the instance
/// its query went to (``ServerConnections``); the instance may refuse to open one.
public final class DatabaseClient: TaskRepository, @unchecked Sendable {
    let database: SimulatedDatabase
    public let pool: ConnectionPool
    var connections = ServerConnections()

    public init(database: SimulatedDatabase, pool: ConnectionPool) {
        self.database = database
        self.pool = pool
        database.clientPools.append(pool)
    }

    /// Runs `body` holding a connection to the node `consistency` routes to; a pool timeout throws
    /// ``ProcessInterruption/timedOut``, a statement on a connection the server closed (pre-ping
    /// off) ``APIError/databaseConnectionLost``, a refused server connection
    /// ``APIError/tooManyConnections``.
    ///
    /// `body` gets the node and the pool's pending pre-ping, which its first statement adds to
    /// its outbound trip (one simulated sleep instead of two, the same times).
    func withConnection<Result>(_ consistency: ReadConsistency, _ body: (StoreNode, SimTime) async throws -> Result)
        async throws -> Result
    {
        let connection: PooledConnection
        do {
            connection = try await pool.checkout(deferringPing: true)
        } catch ConnectionPoolError.connectionLost {
            throw APIError.databaseConnectionLost
        }
        let node = database.route(consistency)
        do {
            try connections.bind(to: node, in: database, budget: openInPool)
        } catch {
            pool.checkin(connection)
            connections.trim(in: database, budget: openInPool)
            throw error
        }
        defer {
            pool.checkin(connection)
            // A closed client (its instance crashed) already closed every server connection.
            if !pool.isClosed { connections.release(from: node, in: database, budget: openInPool) }
        }
        return try await body(node, connection.pendingDelay)
    }

    /// Closes the pool and every server connection it holds (the instance crashed); queries
    /// still running finish on theirs, later checkouts fail.
    public func close() {
        guard !pool.isClosed else { return }
        pool.close()
        connections.closeAll(in: database)
    }

    /// Connections the pool has open (`pool_size` + overflow).
    var openInPool: Int { pool.pool.size + pool.pool.overflow }

    /// A primary-key read of `key` on the node `consistency` routes to, noting a stale read.
    func pointRead<Row>(_ key: RowKey, consistency: ReadConsistency, _ read: (StoreNode) -> Row?) async throws -> Row? {
        try await withConnection(consistency) { node, lead in
            try await database.execute(on: node, cost: database.pointReadCost(), ios: database.pointReadIOs, lead: lead) {
                database.noteStaleness(of: key, on: node)
                return read(node)
            }
        }
    }

    public func user(_ id: UserID, consistency: ReadConsistency) async throws -> User? {
        try await pointRead(.user(id), consistency: consistency) { database.store.user(id, on: $0) }
    }

    public func project(_ id: ProjectID, consistency: ReadConsistency) async throws -> Project? {
        try await pointRead(.project(id), consistency: consistency) { database.store.project(id, on: $0) }
    }

    public func task(_ id: TaskID, consistency: ReadConsistency) async throws -> TaskItem? {
        try await pointRead(.task(id), consistency: consistency) { database.store.task(id, on: $0) }
    }

    public func tasksWithAssignees(inProject project: ProjectID, consistency: ReadConsistency) async throws
        -> [TaskWithAssignee]
    {
        try await withConnection(consistency) { node, lead in
            let rows = database.store.tasks(inProject: project, on: node).count
            switch database.configuration.taskListPlan {
            case .join:
                return try await database.execute(on: node, cost: database.listCost(rows: rows, joined: true),
                                                  ios: database.listIOs(rows: rows), lead: lead) {
                    database.store.taskItems(inProject: project, on: node).map { task in
                        TaskWithAssignee(task: task, assignee: task.assignee.flatMap { database.store.user($0, on: node) })
                    }
                }
            case .nPlusOne:
                let tasks = try await database.execute(on: node, cost: database.listCost(rows: rows, joined: false),
                                                       ios: database.listIOs(rows: rows), lead: lead) {
                    database.store.taskItems(inProject: project, on: node)
                }
                var result: [TaskWithAssignee] = []
                result.reserveCapacity(tasks.count)
                for task in tasks {  // one query per task, as the seed's "bad" loop does
                    let assignee = try await database.execute(on: node, cost: database.pointReadCost(),
                                                              ios: database.pointReadIOs) {
                        task.assignee.flatMap { database.store.user($0, on: node) }
                    }
                    result.append(TaskWithAssignee(task: task, assignee: assignee))
                }
                return result
            }
        }
    }

    public func countTasks(assignedTo user: UserID, consistency: ReadConsistency) async throws -> Int {
        try await withConnection(consistency) { node, lead in
            try await database.execute(on: node, cost: database.pointReadCost(), ios: database.pointReadIOs, lead: lead) {
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
                                              ios: database.listIOs(rows: rows), lead: lead) {
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
