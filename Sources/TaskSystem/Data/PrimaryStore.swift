// PrimaryStore.swift — the simulated MySQL primary: typed tables, indexes and the replication log.

import Sim

// MARK: - PrimaryStore

/// The primary database: real rows, committed one write at a time, each with the next LSN.
///
/// Storage is per table and dense: rows live in arrays indexed by their integer identifier,
/// each with the LSN of its last change. Every commit appends a ``Change`` (with before- and
/// after-images) to the ``log``; the log doubles as a multiversion index, so the store can
/// answer any query **as of** a retained LSN — which is how replicas read (see ``ReplicaView``).
/// No `Dictionary` is involved anywhere, so nothing depends on hash order.
///
/// Queries are in `PrimaryStore+Queries.swift`, writes in `PrimaryStore+Writes.swift`, the
/// initial dataset in `DatasetSeeder.swift`.
public struct PrimaryStore: Sendable {
    // MARK: State

    /// `users`.
    var users = VersionedTable<User>()
    /// `projects`.
    var projects = VersionedTable<Project>()
    /// `tasks`.
    var tasks = VersionedTable<TaskItem>()
    /// `comments`.
    var comments = VersionedTable<Comment>()
    /// Index: tasks by project, in task-id order.
    var tasksByProject = MembershipIndex<TaskID>()
    /// Index: comments by task, in comment-id order.
    var commentsByTask = MembershipIndex<CommentID>()
    /// Index: the projects each user (index `id - 1`) has been a member or owner of at any
    /// time, in increasing id order. It never shrinks, so it holds every project the user
    /// belongs to as of any retained position; a permission query reads those project rows
    /// as of its node and keeps the ones that still list the user.
    var projectsEverJoined: [[ProjectID]] = []
    /// Index: number of tasks assigned to each user.
    var assignedTaskCounts = VersionedCounters()

    /// The retained history of changes.
    public internal(set) var log = ReplicationLog()
    /// The commit time of the latest change (0 before any).
    public internal(set) var lastCommitTime: SimTime = 0

    /// Creates an empty store; see ``seeded(_:random:at:)`` for a populated one.
    public init() {}

    // MARK: Positions

    /// The LSN of the latest commit (``LSN/zero`` before any): what a read on the primary sees.
    public var headLSN: LSN { log.endLSN }

    /// Changes up to this LSN were truncated: no read may be as of an earlier position.
    public var truncatedThrough: LSN { log.truncatedThrough }

    /// Drops the log (and index history) up to and including `lsn`, e.g. the minimum applied
    /// LSN of all replicas. Reads as of earlier positions are no longer possible afterwards.
    public mutating func truncateLog(through lsn: LSN) {
        let target = Swift.min(lsn, headLSN)
        guard target > log.truncatedThrough else { return }
        log.truncate(through: target)
        assignedTaskCounts.truncate(through: target)
        tasksByProject.truncate(through: target)
        commentsByTask.truncate(through: target)
    }

    /// The number of history records retained for as-of reads (log changes plus index undo
    /// records): a measure of the memory replication lag costs.
    public var retainedHistoryCount: Int {
        log.count + assignedTaskCounts.undoCount + tasksByProject.removalCount + commentsByTask.removalCount
    }

    // MARK: Sizes

    /// The number of users that exist now.
    public var userCount: Int { users.liveCount }
    /// The number of projects that exist now.
    public var projectCount: Int { projects.liveCount }
    /// The number of tasks that exist now.
    public var taskCount: Int { tasks.liveCount }
    /// The number of comments that exist now.
    public var commentCount: Int { comments.liveCount }

    /// The highest user identifier in use or reserved (identifiers are `1…highest`, some may be deleted).
    public var highestUserID: UserID { UserID(users.highestReservedID) }
    /// The highest project identifier in use or reserved.
    public var highestProjectID: ProjectID { ProjectID(projects.highestReservedID) }
    /// The highest task identifier in use or reserved.
    public var highestTaskID: TaskID { TaskID(tasks.highestReservedID) }
    /// The highest comment identifier in use or reserved.
    public var highestCommentID: CommentID { CommentID(comments.highestReservedID) }

    // MARK: Identifier reservation

    /// Reserves the next user identifier (like `AUTO_INCREMENT`, it is consumed even if unused).
    public mutating func reserveUserID() -> UserID { UserID(users.reserveID()) }
    /// Reserves the next project identifier.
    public mutating func reserveProjectID() -> ProjectID { ProjectID(projects.reserveID()) }
    /// Reserves the next task identifier.
    public mutating func reserveTaskID() -> TaskID { TaskID(tasks.reserveID()) }
    /// Reserves the next comment identifier.
    public mutating func reserveCommentID() -> CommentID { CommentID(comments.reserveID()) }
}
