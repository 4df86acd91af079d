import Sim

// MARK: - Read-after-write consistency

/// The seed's `ConsistencyManager`: after a user writes a task, a `last_write:{user}:{task}`
/// key lives for `window` (5 s) in the shared cache, and that user's reads of that task go to
/// the primary while it exists; everyone else, and the writer after the window, reads replicas.
public struct ConsistencyManager: Sendable {
    /// How long a writer reads its own writes from the primary.
    public var window: SimTime
    /// A planted defect for this package's tests (``TaskSystemTestHooks``): the router never
    /// asks, and every read goes to a replica whatever the window. Never set by a scenario.
    package var ignoresWindow = false

    public init(window: SimTime = 5 * SimClock.nanosecondsPerSecond) {
        self.window = window
    }

    /// Records that `user` wrote `task` at `now`.
    public func recordWrite<Cache: SharedCache>(by user: UserID, of task: TaskID, at now: SimTime,
                                                in cache: Cache) async throws {
        try await cache.set(.lastWrite(user: user.rawValue, task: task.rawValue), .timestamp(now), ttl: window)
    }

    /// Where `user`'s read of `task` must go.
    public func consistency<Cache: SharedCache>(for user: UserID, reading task: TaskID,
                                                in cache: Cache) async throws -> ReadConsistency {
        if ignoresWindow { return .replica }
        return try await cache.get(.lastWrite(user: user.rawValue, task: task.rawValue)) == nil ? .replica : .primary
    }
}
