import Sim

// MARK: - Ports: what the services need from the world

/// Where a read may be served: the seed's `DatabaseRouter` sends reads to a replica, and its
/// `ConsistencyManager` sends a writer's reads to the primary for a while after its write.
public enum ReadConsistency: Sendable, Hashable {
    /// Any replica (round robin); the primary when there are none.
    case replica
    /// The primary: read-your-writes.
    case primary
}

/// A task with its assignee resolved: what the task-list endpoint returns.
public struct TaskWithAssignee: Hashable, Sendable {
    public var task: TaskItem
    public var assignee: User?

    public init(task: TaskItem, assignee: User?) {
        self.task = task
        self.assignee = assignee
    }
}

/// The task system's data access (the seed's `SqlAlchemyTaskRepository`). Reads take a
/// consistency; writes always go to the primary and return once committed.
public protocol TaskRepository: Sendable {
    func user(_ id: UserID, consistency: ReadConsistency) async throws -> User?
    func project(_ id: ProjectID, consistency: ReadConsistency) async throws -> Project?
    func task(_ id: TaskID, consistency: ReadConsistency) async throws -> TaskItem?
    /// The project's tasks with their assignees — one JOIN, or 1 + N queries, as the
    /// repository's query plan says (the seed's N+1 example).
    func tasksWithAssignees(inProject project: ProjectID, consistency: ReadConsistency) async throws -> [TaskWithAssignee]
    func countTasks(assignedTo user: UserID, consistency: ReadConsistency) async throws -> Int
    /// The user's permissions on every project it belongs to (the seed's
    /// `permission_service.get_permissions(user_id)`): one indexed query; `nil` for no such user.
    func permissions(of user: UserID, consistency: ReadConsistency) async throws -> UserPermissions?
    /// The project's tasks whose title contains `text` (case-insensitive): one scanning query.
    func searchTasks(inProject project: ProjectID, matching text: String, consistency: ReadConsistency) async throws
        -> [TaskItem]
    /// A fresh task or comment id (the primary's AUTO_INCREMENT).
    func reserveTaskID() async -> TaskID
    func reserveCommentID() async -> CommentID
    /// Commits `write` on the primary.
    func save(_ write: RowWrite) async throws
}

/// What the caches hold.
public enum CachedValue: Hashable, Sendable {
    case user(User)
    case project(Project)
    case taskList([TaskWithAssignee])
    case permissions(UserPermissions)
    case count(Int)
    case timestamp(SimTime)
    case session(UserID)
}

/// The shared cache (the seed's L2, Redis). Latency is the adapter's business.
public protocol SharedCache: Sendable {
    func get(_ key: CacheKey) async throws -> CachedValue?
    /// Stores `value`; `ttl` nil means the key family's default TTL (the seed's table).
    func set(_ key: CacheKey, _ value: CachedValue, ttl: SimTime?) async throws
    func delete(_ keys: [CacheKey]) async throws
    /// Deletes every live key of `owner` in `families` (the seed's pattern deletion,
    /// `cache.delete(*cache.keys(f"user:{id}:*"))`); returns how many it removed.
    func deleteAll(ownedBy owner: CacheOwner, families: CacheFamilies) async throws -> Int
    /// Counts one request of `user` in the current rate-limit window; false when over the limit.
    func allowRequest(of user: UserID) async throws -> Bool
}

/// Background jobs (the seed's Celery tasks).
public enum Job: Hashable, Sendable {
    case sendEmail(to: UserID, about: TaskID)
    case sendPush(to: UserID, about: TaskID)
    case generateReport(project: ProjectID, requestedBy: UserID)
    case cleanup(project: ProjectID)

    /// The seed's routing: email and push on `high`, reports on `default`, cleanup on `low`.
    public var queue: JobQueueName {
        switch self {
        case .sendEmail, .sendPush: .high
        case .generateReport: .default
        case .cleanup: .low
        }
    }
}

/// The seed's three Celery queues.
public enum JobQueueName: String, Sendable, Hashable, CaseIterable {
    case high, `default`, low
}

/// Enqueues background jobs.
public protocol JobQueue: Sendable {
    func enqueue(_ job: Job) async throws
}

/// Told of every project-scoped authorization the API grants, with the permission source it
/// used; the simulation judges each grant against the primary (a grant the primary would refuse
/// is a stale grant: `auth.stale_permission_grants`). The API's behaviour does not depend on it.
public protocol AuthorizationAudit: AnyObject, Sendable {
    func granted(_ action: ProjectAction, to user: UserID, in project: ProjectID)
}

/// The current time, as the services see it.
public protocol Clock: Sendable {
    var now: SimTime { get }
}
