import Sim

// MARK: - The API's endpoints

/// The answer to a write request: the resource as it now is, and whether this request changed
/// it (what an ETag comparison tells an HTTP client; a no-op answers 200 without writing).
public struct WriteResult<Value: Sendable>: Sendable {
    public var value: Value
    public var written: Bool
}

/// The task system's endpoints as one API instance serves them: real service code written
/// against ports, with no knowledge of simulation. Every request first passes the rate limit
/// and (with the seed's L1, ``LocalCacheMode/seedPermissions``) the middleware's
/// `get_user_permissions` through the in-process LRU; reads are cache-aside (L1 where it holds
/// the datum, then L2 shared cache, then the database), writes go to the primary and then
/// invalidate by domain event, a writer reads its own writes from the primary for the
/// consistency window, and domain events enqueue notification jobs.
///
/// One instance per API server: its L1 cache is its own and is lost when the instance is
/// replaced. The class is confined to the simulation's thread (`@unchecked Sendable`).
public final class TaskAPI<Repository: TaskRepository, Cache: SharedCache, Queue: JobQueue, Time: Clock>:
    @unchecked Sendable
{
    let repository: Repository
    let cache: Cache
    let jobs: Queue
    let clock: Time
    let consistency: ConsistencyManager
    /// L1, the in-process LRU: what it holds depends on ``localCacheMode``.
    public internal(set) var localCache: LRUCache<CacheKey, CachedValue>
    /// The seed's `lru_cache` on permissions (no TTL), or users and projects with a TTL.
    public let localCacheMode: LocalCacheMode
    /// Told of every project-scoped grant (`nil`: nobody watches).
    let audit: (any AuthorizationAudit)?
    /// The seed's "bad" stateful `TaskController`: `self.user_cache = {}`, filled from the
    /// database and never invalidated (nil: the stateless design).
    public private(set) var instanceUsers: [UserID: User]?
    /// L1 hits and misses per key family (`family.index`); they add up to `localCache.counters`.
    var localFamilyCounters = [CacheCounters](repeating: CacheCounters(), count: CacheKey.Family.count)

    public init(repository: Repository, cache: Cache, jobs: Queue, clock: Time,
                consistency: ConsistencyManager = ConsistencyManager(), localCacheCapacity: Int = 1_000,
                localCacheMode: LocalCacheMode = .seedPermissions, statefulUserCache: Bool = false,
                audit: (any AuthorizationAudit)? = nil) {
        self.repository = repository
        self.cache = cache
        self.jobs = jobs
        self.clock = clock
        self.consistency = consistency
        localCache = LRUCache(capacity: localCacheCapacity)
        self.localCacheMode = localCacheMode
        self.audit = audit
        instanceUsers = statefulUserCache ? [:] : nil
    }

    /// Forgets the in-process caches (the instance restarted).
    public func restart() {
        localCache.removeAll()
        if instanceUsers != nil { instanceUsers = [:] }
    }

    // MARK: Reads

    /// `POST /login`: checks the user exists and opens a session (15 minutes).
    public func login(_ userID: UserID) async throws(APIError) -> User {
        try await admit(userID)
        let user = try await load(user: userID)
        try await call { try await self.cache.set(.session(user: userID.rawValue), .session(userID), ttl: nil) }
        return user
    }

    /// `GET /tasks/{id}`: one task, from the primary for the writer inside the consistency window.
    public func getTask(_ taskID: TaskID, as userID: UserID) async throws(APIError) -> TaskItem {
        let granted = try await admit(userID)
        let user = try await load(user: userID)
        let where_ = try await call { try await self.consistency.consistency(for: userID, reading: taskID, in: self.cache) }
        guard let task = try await call({ try await self.repository.task(taskID, consistency: where_) }) else {
            throw .notFound
        }
        let project = try await load(project: task.project)
        try authorize(user, .readTasks, project, granted)
        return task
    }

    /// `GET /projects/{id}/tasks`: the project's tasks with assignees, cache-aside in L2 (1 minute).
    public func listTasks(inProject projectID: ProjectID, as userID: UserID) async throws(APIError) -> [TaskWithAssignee] {
        let granted = try await admit(userID)
        let user = try await load(user: userID)
        let project = try await load(project: projectID)
        try authorize(user, .readTasks, project, granted)
        let key = CacheKey.taskList(project: projectID.rawValue)
        if case .taskList(let tasks)? = try await call({ try await self.cache.get(key) }) { return tasks }
        let tasks = try await call { try await self.repository.tasksWithAssignees(inProject: projectID, consistency: .replica) }
        try await call { try await self.cache.set(key, .taskList(tasks), ttl: nil) }
        return tasks
    }

    /// `GET /projects/{id}/tasks?q=text`: the project's tasks whose title contains `text`;
    /// not cached (queries are too varied), served by a replica.
    public func searchTasks(inProject projectID: ProjectID, matching text: String, as userID: UserID)
        async throws(APIError) -> [TaskItem]
    {
        let granted = try await admit(userID)
        let user = try await load(user: userID)
        let project = try await load(project: projectID)
        try authorize(user, .readTasks, project, granted)
        return try await call { try await self.repository.searchTasks(inProject: projectID, matching: text, consistency: .replica) }
    }

    /// `POST /projects/{id}/reports`: enqueues a report job.
    public func requestReport(forProject projectID: ProjectID, as userID: UserID) async throws(APIError) {
        let granted = try await admit(userID)
        let user = try await load(user: userID)
        let project = try await load(project: projectID)
        try authorize(user, .readTasks, project, granted)
        try await call { try await self.jobs.enqueue(.generateReport(project: projectID, requestedBy: userID)) }
    }

    // MARK: Writes

    /// `POST /projects/{id}/tasks`.
    public func createTask(_ command: CreateTask, inProject projectID: ProjectID, as userID: UserID)
        async throws(APIError) -> TaskItem
    {
        try await admit(userID)
        let user = try await load(user: userID)
        guard let project = try await call({ try await self.repository.project(projectID, consistency: .primary) }) else {
            throw .notFound
        }
        let id = await repository.reserveTaskID()
        let outcome = try domain { try TaskCommands.create(command, id: id, in: project, by: user, at: self.clock.now) }
        try await commit(.insert(.task(outcome.value)), events: outcome.events, writer: userID, task: id)
        return outcome.value
    }

    /// `PATCH /tasks/{id}`. A request that changes nothing writes nothing.
    public func updateTask(_ taskID: TaskID, with command: UpdateTask, as userID: UserID) async throws(APIError)
        -> WriteResult<TaskItem>
    {
        try await admit(userID)
        let (user, task, project) = try await loadForWrite(taskID, by: userID)
        let outcome = try domain { try TaskCommands.update(task, with: command, in: project, by: user, at: self.clock.now) }
        if outcome.changed {
            try await commit(.update(.task(outcome.value)), events: outcome.events, writer: userID, task: taskID)
        }
        return WriteResult(value: outcome.value, written: outcome.changed)
    }

    /// `PUT /tasks/{id}/assignee`. Assigning the current assignee writes nothing.
    public func assignTask(_ taskID: TaskID, with command: AssignTask, as userID: UserID) async throws(APIError)
        -> WriteResult<TaskItem>
    {
        try await admit(userID)
        let (user, task, project) = try await loadForWrite(taskID, by: userID)
        let outcome = try domain { try TaskCommands.assign(task, with: command, in: project, by: user, at: self.clock.now) }
        if outcome.changed {
            try await commit(.update(.task(outcome.value)), events: outcome.events, writer: userID, task: taskID)
        }
        return WriteResult(value: outcome.value, written: outcome.changed)
    }

    /// `POST /tasks/{id}/comments`.
    public func comment(_ command: AddComment, on taskID: TaskID, as userID: UserID) async throws(APIError) -> Comment {
        try await admit(userID)
        let (user, task, project) = try await loadForWrite(taskID, by: userID)
        let id = await repository.reserveCommentID()
        let outcome = try domain {
            try TaskCommands.comment(command, id: id, on: task, in: project, by: user, at: self.clock.now)
        }
        try await commit(.insert(.comment(outcome.value)), events: outcome.events, writer: userID, task: taskID)
        return outcome.value
    }

    /// `PATCH /users/{id}`: a user edits its profile; every cached datum of the user is
    /// invalidated by pattern (the seed's `invalidate_user_caches`), then the new profile is
    /// written through to the shared cache and (``LocalCacheMode/entitiesTTL``) this instance's
    /// L1 (the seed's write-through).
    public func updateProfile(name: String, as userID: UserID) async throws(APIError) -> WriteResult<User> {
        try await admit(userID)
        guard let user = try await call({ try await self.repository.user(userID, consistency: .primary) }) else {
            throw .unauthenticated
        }
        let outcome = try domain { try UserCommands.updateProfile(user, name: name, by: user) }
        if outcome.changed {
            try await call { try await self.repository.save(.update(.user(outcome.value))) }
            try await invalidateUserCaches(userID)
            let key = CacheKey.user(userID.rawValue)
            try await call { try await self.cache.set(key, .user(outcome.value), ttl: nil) }
            storeLocally(key, .user(outcome.value))
        }
        return WriteResult(value: outcome.value, written: outcome.changed)
    }

    // MARK: Shared steps

    /// Rate limit (429) before any work, then — with the seed's L1 — its middleware:
    /// `request.state.permissions = app_cache.get_user_permissions(user_id)`. Returns the
    /// permissions the request is authorised with (`nil` with ``LocalCacheMode/entitiesTTL``,
    /// which checks the project's member list instead).
    @discardableResult
    func admit(_ user: UserID) async throws(APIError) -> UserPermissions? {
        guard try await call({ try await self.cache.allowRequest(of: user) }) else { throw .rateLimited }
        guard localCacheMode == .seedPermissions else { return nil }
        return try await permissions(of: user)
    }

    /// Reads a task for a write: from the primary, with its project and the acting user.
    func loadForWrite(_ taskID: TaskID, by userID: UserID) async throws(APIError) -> (User, TaskItem, Project) {
        let user = try await load(user: userID)
        guard let task = try await call({ try await self.repository.task(taskID, consistency: .primary) }) else {
            throw .notFound
        }
        guard let project = try await call({ try await self.repository.project(task.project, consistency: .primary) }) else {
            throw .notFound
        }
        return (user, task, project)
    }

    /// Commits a write, then invalidates, records the write for read-your-writes, and enqueues jobs.
    func commit(_ write: RowWrite, events: [DomainEvent], writer: UserID, task: TaskID) async throws(APIError) {
        try await call { try await self.repository.save(write) }
        let stale = events.flatMap(TaskEventHandler.invalidations)
        if !stale.isEmpty { try await call { try await self.cache.delete(stale) } }
        try await call { try await self.consistency.recordWrite(by: writer, of: task, at: self.clock.now, in: self.cache) }
        for job in events.flatMap(TaskEventHandler.jobs) {
            try await call { try await self.jobs.enqueue(job) }
        }
    }

    /// A user: L1 (``LocalCacheMode/entitiesTTL`` only), then L2 (5 minutes), then a replica — or, with the stateful controller,
    /// the instance's own dictionary, then the database.
    func load(user id: UserID) async throws(APIError) -> User {
        if instanceUsers != nil {
            if let user = instanceUsers?[id] { return user }
            guard let user = try await call({ try await self.repository.user(id, consistency: .replica) }) else {
                throw .unauthenticated
            }
            instanceUsers?[id] = user
            return user
        }
        let key = CacheKey.user(id.rawValue)
        if entitiesInL1, case .user(let user)? = localLookup(key) { return user }
        if case .user(let user)? = try await call({ try await self.cache.get(key) }) {
            storeLocally(key, .user(user))
            return user
        }
        guard let user = try await call({ try await self.repository.user(id, consistency: .replica) }) else {
            throw .unauthenticated
        }
        try await call { try await self.cache.set(key, .user(user), ttl: nil) }
        storeLocally(key, .user(user))
        return user
    }

    /// Looks `key` up in L1, counting the hit or miss for its family.
    func localLookup(_ key: CacheKey) -> CachedValue? {
        let value = localCache.get(key, now: clock.now)
        if value == nil {
            localFamilyCounters[key.family.index].misses += 1
        } else {
            localFamilyCounters[key.family.index].hits += 1
        }
        return value
    }

    /// A project (members included, for permission checks): L1 (``LocalCacheMode/entitiesTTL``
    /// only), then L2 (5 minutes), then a replica.
    func load(project id: ProjectID) async throws(APIError) -> Project {
        let key = CacheKey.project(id.rawValue)
        if entitiesInL1, case .project(let project)? = localLookup(key) { return project }
        if case .project(let project)? = try await call({ try await self.cache.get(key) }) {
            storeLocally(key, .project(project))
            return project
        }
        guard let project = try await call({ try await self.repository.project(id, consistency: .replica) }) else {
            throw .notFound
        }
        try await call { try await self.cache.set(key, .project(project), ttl: nil) }
        storeLocally(key, .project(project))
        return project
    }

    /// Allows `action` by the request's permissions (`granted`, the seed's middleware) or, without
    /// them, by the project's member list; tells the audit of the grant.
    func authorize(_ user: User, _ action: ProjectAction, _ project: Project, _ granted: UserPermissions?)
        throws(APIError)
    {
        let allowed = granted.map { $0.allows(action, in: project.id) }
            ?? PermissionService.isAllowed(user, to: action, in: project)
        guard allowed else { throw .refused(.forbidden(user: user.id, action: action, project: project.id)) }
        audit?.granted(action, to: user.id, in: project.id)
    }

    /// Runs a domain command, turning its refusal into an API error.
    func domain<Value>(_ body: () throws -> Value) throws(APIError) -> Value {
        do {
            return try body()
        } catch let error as DomainError {
            throw .refused(error)
        } catch {
            preconditionFailure("domain commands throw DomainError only, got \(error)")
        }
    }

    /// Calls a port, mapping infrastructure failures to API errors (a pool timeout is a 503).
    func call<Value>(_ body: () async throws -> Value) async throws(APIError) -> Value {
        do {
            return try await body()
        } catch let error as APIError {
            throw error
        } catch is RedisUnavailable {
            throw .redisUnavailable
        } catch {
            throw .poolTimeout
        }
    }
}
