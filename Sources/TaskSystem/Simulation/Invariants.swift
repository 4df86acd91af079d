import Sim

// MARK: - Invariant monitors

/// Read-your-writes: a writer re-reading its task soon after the acknowledgement must see its
/// write. Records each user's last acknowledged write and judges the reads that follow it.
///
/// A read is judged when it both starts and ends less than `horizon` (half the consistency
/// window) after the acknowledgement: its routing decision then certainly fell inside the
/// ConsistencyManager's window, whose contract is that it sees the write. A read that started
/// inside but ended later (stuck in a queue, e.g. waiting for a pooled connection) may have been
/// routed after the window closed; it is outside the contract, and if it returned an older
/// version it is counted in ``lateStaleReads`` — a user-visible failure, reported, not an
/// invariant violation.
public struct ReadYourWritesMonitor: Sendable {
    /// A checked read: the version the writer acknowledged, and when.
    public struct Check: Sendable, Equatable {
        public let version: Int
        public let acknowledgedAt: SimTime
        /// The writer and the task it re-reads.
        public var user = UserID(0)
        public var task = TaskID(0)
    }

    /// The first violation: when, who read what, and what it saw.
    public struct Violation: Sendable, Equatable {
        public let time: SimTime
        public let user: UserID
        public let task: TaskID
        public let acknowledged: Int
        public let seen: Int

        /// The entities in words: `user 12 read task 345 at version 2 after version 3 was acknowledged`.
        public var entities: String {
            "user \(user.rawValue) read task \(task.rawValue) at version \(seen) after version \(acknowledged) "
                + "was acknowledged to it"
        }
    }

    /// Reads closer than this to the acknowledgement are checked: half the consistency window,
    /// leaving room for the request's CPU and cache steps before its read is routed.
    public let horizon: SimTime
    private var lastWrite: [UserID: (task: TaskID, version: Int, at: SimTime)] = [:]
    public private(set) var checks = 0
    public private(set) var violations = 0
    /// Reads that started inside the horizon, ended after it, and missed the writer's write.
    public private(set) var lateStaleReads = 0
    /// The first violation (`nil`: none).
    public private(set) var firstViolation: Violation?

    public init(consistencyWindow: SimTime) {
        horizon = consistencyWindow / 2
    }

    /// `user` was told at `time` that its write made `task` version `version`.
    public mutating func acknowledged(_ task: TaskID, version: Int, by user: UserID, at time: SimTime) {
        lastWrite[user] = (task, version, time)
    }

    /// The check for `user` starting to read `task` at `time`, if the read is checked.
    public func check(of task: TaskID, for user: UserID, at time: SimTime) -> Check? {
        guard let write = lastWrite[user], write.task == task, time - write.at < horizon else { return nil }
        return Check(version: write.version, acknowledgedAt: write.at, user: user, task: task)
    }

    /// Judges a checked read that returned `seen` at `time`.
    public mutating func judge(_ check: Check, seen: Int, at time: SimTime) {
        if time - check.acknowledgedAt < horizon {
            checks += 1
            if seen < check.version {
                violations += 1
                if firstViolation == nil {
                    firstViolation = Violation(time: time, user: check.user, task: check.task,
                                               acknowledged: check.version, seen: seen)
                }
            }
        } else if seen < check.version {
            lateStaleReads += 1
        }
    }
}

/// No acknowledged write lost: the highest version of each task acknowledged to any user, and
/// the acknowledged writes a failover took away (``settleFailover(in:at:)``).
public struct AcknowledgedWrites: Sendable {
    private var versions: [TaskID: Int] = [:]
    /// Acknowledged writes a failover lost, and the first of them (task, versions) with its time.
    public private(set) var failoverLosses = 0
    private var failoverLost: [(task: TaskID, acknowledged: Int, held: Int)] = []
    /// When the first failover that lost an acknowledged write promoted its replica.
    public private(set) var firstFailoverLoss: SimTime?

    public init() {}

    /// The tasks with an acknowledged write: what ``lost(in:)`` checks.
    public var count: Int { versions.count }

    /// A write of `task` at `version` was acknowledged.
    public mutating func record(_ task: TaskID, version: Int) {
        versions[task] = max(versions[task] ?? 0, version)
    }

    /// A failover promoted a replica at `time` and `primary` now holds what it held: every task
    /// whose acknowledged version the primary no longer holds is an acknowledged write lost, counted
    /// now (the first five kept, by id, for the report). Its acknowledged version becomes the
    /// one held, so a later write that reaches the same version number again is judged on its own.
    public mutating func settleFailover(in primary: PrimaryStore, at time: SimTime) {
        let lost = missing(in: primary)
        guard !lost.isEmpty else { return }
        if firstFailoverLoss == nil { firstFailoverLoss = time }
        failoverLosses += lost.count
        failoverLost = Array((failoverLost + lost).prefix(5))
        for entry in lost { versions[entry.task] = entry.held }
    }

    /// The first `limit` tasks whose acknowledged write was lost — those a failover took (in the
    /// order settled), then (by id) those whose acknowledged write the primary does not hold —
    /// with the version acknowledged and the version held (0: the task is missing). Sorted, so
    /// dictionary order never matters.
    public func lostTasks(in primary: PrimaryStore, limit: Int = 5)
        -> [(task: TaskID, acknowledged: Int, held: Int)]
    {
        Array((failoverLost + missing(in: primary)).prefix(limit))
    }

    /// Every task whose acknowledged write the primary does not hold now, by id.
    private func missing(in primary: PrimaryStore) -> [(task: TaskID, acknowledged: Int, held: Int)] {
        versions.compactMap { task, version -> (task: TaskID, acknowledged: Int, held: Int)? in
            let held = primary.task(task)?.version ?? 0
            return held < version ? (task, version, held) : nil
        }
        .sorted { $0.task.rawValue < $1.task.rawValue }
    }

    /// Acknowledged writes lost: those failovers took, and those the primary does not hold now
    /// (a task missing, or at an older version). Order-independent: a count, so dictionary
    /// order never matters.
    public func lost(in primary: PrimaryStore) -> Int {
        failoverLosses + versions.reduce(0) { lost, entry in
            lost + ((primary.task(entry.key)?.version ?? 0) < entry.value ? 1 : 0)
        }
    }
}
