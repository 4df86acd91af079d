// ReplicatedStore.swift — a primary with its replicas: routing, replication and log truncation.

import Sim

// MARK: - StoreNode

/// A database node a query can be routed to.
public enum StoreNode: Hashable, Sendable {
    /// The primary: reads the latest committed data.
    case primary
    /// Replica number `n` (0-based): reads as of its applied position.
    case replica(Int)
}

// MARK: - ReplicatedStore

/// The primary and its 0…n asynchronous replicas, kept consistent with each other.
///
/// Writes go to the primary; each replica advances when the owner (the simulated replication
/// stream) says so; the log is truncated to the slowest replica after every change of
/// position, so memory follows the replication lag, not the run's length. With no replica the
/// log is dropped as soon as a change commits.
public struct ReplicatedStore: Sendable {
    // MARK: State

    /// The primary.
    public private(set) var primary: PrimaryStore
    /// The replicas, by number.
    public private(set) var replicas: [ReplicaView]
    /// Replicas detached from replication (retired, or promoted to primary by a blue-green
    /// switch): they no longer hold the log back. By number, parallel to ``replicas``.
    public private(set) var detached: [Bool]

    /// Creates `replicaCount` replicas of `primary`, all caught up with it.
    public init(primary: PrimaryStore, replicaCount: Int = 0) {
        precondition(replicaCount >= 0, "ReplicatedStore: negative replica count")
        self.primary = primary
        self.replicas = Array(repeating: ReplicaView(snapshotOf: primary), count: replicaCount)
        detached = Array(repeating: false, count: replicaCount)
        truncate()
    }

    // MARK: Topology

    /// Adds a replica provisioned from a snapshot of the primary (caught up); returns its number.
    @discardableResult
    public mutating func addReplica() -> Int {
        replicas.append(ReplicaView(snapshotOf: primary))
        detached.append(false)
        return replicas.count - 1
    }

    /// Removes the highest-numbered replica (numbers of the others stay valid).
    public mutating func removeLastReplica() {
        precondition(!replicas.isEmpty, "ReplicatedStore: no replica to remove")
        replicas.removeLast()
        detached.removeLast()
        truncate()
    }

    /// Detaches replica `replica`: it stops replicating and the log is no longer kept for it.
    /// Its number stays valid (reads on it answer at its last position).
    public mutating func detachReplica(_ replica: Int) {
        detached[replica] = true
        truncate()
    }

    // MARK: Writing and replicating

    /// Reserves the next user identifier on the primary.
    public mutating func reserveUserID() -> UserID { primary.reserveUserID() }
    /// Reserves the next project identifier on the primary.
    public mutating func reserveProjectID() -> ProjectID { primary.reserveProjectID() }
    /// Reserves the next task identifier on the primary.
    public mutating func reserveTaskID() -> TaskID { primary.reserveTaskID() }
    /// Reserves the next comment identifier on the primary.
    public mutating func reserveCommentID() -> CommentID { primary.reserveCommentID() }

    /// Commits `write` on the primary at `time`; returns its LSN.
    @discardableResult
    public mutating func apply(_ write: RowWrite, at time: SimTime) throws(StoreError) -> LSN {
        let lsn = try primary.apply(write, at: time)
        if !detached.contains(false) { primary.truncateLog(through: lsn) }
        return lsn
    }

    /// Advances replica `replica` up to `lsn`; returns the number of changes applied.
    @discardableResult
    public mutating func replicate(_ replica: Int, upTo lsn: LSN) -> Int {
        let applied = replicas[replica].apply(upTo: lsn, from: primary)
        if applied > 0 { truncate() }
        return applied
    }

    /// Advances replica `replica` over every change committed at or before `time`.
    @discardableResult
    public mutating func replicate(_ replica: Int, committedThrough time: SimTime) -> Int {
        replicate(replica, upTo: primary.log.lastLSN(committedAtOrBefore: time))
    }

    /// The position reads on `node` are answered at.
    public func position(of node: StoreNode) -> LSN {
        switch node {
        case .primary: primary.headLSN
        case .replica(let index): replicas[index].appliedLSN
        }
    }

    /// The position reads on `node` see: ``position(of:)``, except for a detached replica whose
    /// position the log no longer holds (nothing keeps the log for a detached replica), which
    /// reads at the oldest retained position instead. Statements on a detached replica fail
    /// anyway (``DatabaseStatement``: its connections are gone); this covers reads made outside
    /// a statement — a list's row count, read to cost its query, by a request whose connection
    /// checkout waited while the replica was decommissioned — which would otherwise ask for
    /// history that no longer exists. Replication itself keeps using ``position(of:)``.
    func readPosition(of node: StoreNode) -> LSN {
        let position = position(of: node)
        guard case .replica(let index) = node, detached[index] else { return position }
        return max(position, primary.truncatedThrough)
    }

    /// The replication lag of `node` at `now` (0 for the primary).
    public func lag(of node: StoreNode, now: SimTime) -> SimTime {
        switch node {
        case .primary: 0
        case .replica(let index): replicas[index].lag(behind: primary, now: now)
        }
    }

    /// Truncates the log to the slowest replica's position.
    private mutating func truncate() {
        var slowest = primary.headLSN
        for index in replicas.indices where !detached[index] { slowest = min(slowest, replicas[index].appliedLSN) }
        primary.truncateLog(through: slowest)
    }

    // MARK: Reads routed to a node

    /// User `id` as `node` serves it.
    public func user(_ id: UserID, on node: StoreNode) -> User? {
        primary.user(id, asOf: readPosition(of: node))
    }

    /// Project `id` as `node` serves it.
    public func project(_ id: ProjectID, on node: StoreNode) -> Project? {
        primary.project(id, asOf: readPosition(of: node))
    }

    /// `user`'s permissions as `node` serves them (the seed's `permission_service.get_permissions`):
    /// the user's row and the rows of the projects it has ever joined, as of the node's position;
    /// `nil` if the user does not exist there.
    public func permissions(of user: UserID, on node: StoreNode) -> UserPermissions? {
        guard let row = self.user(user, on: node) else { return nil }
        let projects = primary.projectsEverJoined(by: user).lazy.compactMap { self.project($0, on: node) }
        return UserPermissions(of: row, on: projects)
    }

    /// Task `id` as `node` serves it.
    public func task(_ id: TaskID, on node: StoreNode) -> TaskItem? {
        primary.task(id, asOf: readPosition(of: node))
    }

    /// The project's task identifiers (increasing) as `node` serves them.
    public func tasks(inProject project: ProjectID, on node: StoreNode) -> [TaskID] {
        primary.tasks(inProject: project, asOf: readPosition(of: node))
    }

    /// The project's tasks (increasing identifiers) as `node` serves them.
    public func taskItems(inProject project: ProjectID, on node: StoreNode) -> [TaskItem] {
        primary.taskItems(inProject: project, asOf: readPosition(of: node))
    }

    /// The comments on `task` (increasing identifiers) as `node` serves them.
    public func comments(ofTask task: TaskID, on node: StoreNode) -> [Comment] {
        primary.comments(ofTask: task, asOf: readPosition(of: node))
    }

    /// The number of tasks assigned to `user` as `node` serves it.
    public func countTasks(assignedTo user: UserID, on node: StoreNode) -> Int {
        primary.countTasks(assignedTo: user, asOf: readPosition(of: node))
    }

    /// Whether a read of `key` on `node` would return an outdated row (the row changed on the
    /// primary after the node's position).
    public func isStale(_ key: RowKey, on node: StoreNode) -> Bool {
        primary.lastModifiedLSN(of: key) > readPosition(of: node)
    }
}
