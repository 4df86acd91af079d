import Sim

// MARK: - Invariant monitors

/// Read-your-writes: a writer re-reading its task soon after the acknowledgement must see its
/// write. Records each user's last acknowledged write and judges the reads that follow it.
public struct ReadYourWritesMonitor: Sendable {
    /// Reads closer than this to the acknowledgement are checked: half the consistency window,
    /// leaving room for the request's CPU and cache steps before its read is routed.
    public let horizon: SimTime
    private var lastWrite: [UserID: (task: TaskID, version: Int, at: SimTime)] = [:]
    public private(set) var checks = 0
    public private(set) var violations = 0

    public init(consistencyWindow: SimTime) {
        horizon = consistencyWindow / 2
    }

    /// `user` was told at `time` that its write made `task` version `version`.
    public mutating func acknowledged(_ task: TaskID, version: Int, by user: UserID, at time: SimTime) {
        lastWrite[user] = (task, version, time)
    }

    /// The version `user` must see when it starts reading `task` at `time`, if the read is checked.
    public func requiredVersion(of task: TaskID, for user: UserID, at time: SimTime) -> Int? {
        guard let write = lastWrite[user], write.task == task, time - write.at < horizon else { return nil }
        return write.version
    }

    /// Judges a checked read: `seen` is the version the read returned.
    public mutating func judge(seen: Int, required: Int) {
        checks += 1
        if seen < required { violations += 1 }
    }
}

/// No acknowledged write lost: the highest version of each task acknowledged to any user.
public struct AcknowledgedWrites: Sendable {
    private var versions: [TaskID: Int] = [:]

    public init() {}

    /// A write of `task` at `version` was acknowledged.
    public mutating func record(_ task: TaskID, version: Int) {
        versions[task] = max(versions[task] ?? 0, version)
    }

    /// Acknowledged writes the primary does not hold (a task missing, or at an older version).
    /// Order-independent: a count, so dictionary order never matters.
    public func lost(in primary: PrimaryStore) -> Int {
        versions.reduce(0) { lost, entry in
            lost + ((primary.task(entry.key)?.version ?? 0) < entry.value ? 1 : 0)
        }
    }
}
