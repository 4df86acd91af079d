// PrimaryStore+Queries.swift — the services' queries, at the head or as of an older LSN.

// MARK: - Queries

/// Every query takes an optional position: `nil` (the default) reads the latest committed
/// data, as the primary serves it; an LSN reads the data as it was right after that change
/// committed, as a replica at that position serves it.
///
/// - Precondition: a position lies between ``PrimaryStore/truncatedThrough`` and
///   ``PrimaryStore/headLSN``.
extension PrimaryStore {
    // MARK: Rows

    /// User `id`.
    public func user(_ id: UserID, asOf lsn: LSN? = nil) -> User? {
        guard let lsn = position(lsn) else { return users.latest(id.rawValue) }
        return users.row(id.rawValue, asOf: lsn, log: log)
    }

    /// Project `id`.
    public func project(_ id: ProjectID, asOf lsn: LSN? = nil) -> Project? {
        guard let lsn = position(lsn) else { return projects.latest(id.rawValue) }
        return projects.row(id.rawValue, asOf: lsn, log: log)
    }

    /// Task `id`.
    public func task(_ id: TaskID, asOf lsn: LSN? = nil) -> TaskItem? {
        guard let lsn = position(lsn) else { return tasks.latest(id.rawValue) }
        return tasks.row(id.rawValue, asOf: lsn, log: log)
    }

    /// Comment `id`.
    public func comment(_ id: CommentID, asOf lsn: LSN? = nil) -> Comment? {
        guard let lsn = position(lsn) else { return comments.latest(id.rawValue) }
        return comments.row(id.rawValue, asOf: lsn, log: log)
    }

    /// The row `key`, whatever its table.
    public func row(_ key: RowKey, asOf lsn: LSN? = nil) -> RowValue? {
        switch key.table {
        case .users: user(UserID(key.id), asOf: lsn).map(RowValue.user)
        case .projects: project(ProjectID(key.id), asOf: lsn).map(RowValue.project)
        case .tasks: task(TaskID(key.id), asOf: lsn).map(RowValue.task)
        case .comments: comment(CommentID(key.id), asOf: lsn).map(RowValue.comment)
        }
    }

    /// The LSN of the last change of row `key` on the primary (``LSN/zero`` if it never changed
    /// since seeding). A read of `key` at position `p` is stale exactly when this is `> p`.
    public func lastModifiedLSN(of key: RowKey) -> LSN {
        switch key.table {
        case .users: users.lastLSN(key.id)
        case .projects: projects.lastLSN(key.id)
        case .tasks: tasks.lastLSN(key.id)
        case .comments: comments.lastLSN(key.id)
        }
    }

    // MARK: Index queries

    /// The identifiers of the project's tasks, in increasing order.
    ///
    /// At the head, or when the project's task set has not changed since `lsn`, this returns
    /// the index's own array (no copy).
    public func tasks(inProject project: ProjectID, asOf lsn: LSN? = nil) -> [TaskID] {
        guard let lsn = position(lsn) else { return tasksByProject.latest(project.rawValue) }
        return tasksByProject.children(of: project.rawValue, asOf: lsn) { task in
            tasks.exists(task.rawValue, asOf: lsn, log: log)
        }
    }

    /// The project's tasks, in increasing identifier order (one indexed range read — the JOIN
    /// plan; the N+1 plan reads ``tasks(inProject:asOf:)`` then ``task(_:asOf:)`` per id).
    public func taskItems(inProject project: ProjectID, asOf lsn: LSN? = nil) -> [TaskItem] {
        tasks(inProject: project, asOf: lsn).compactMap { task($0, asOf: lsn) }
    }

    /// The number of tasks in the project (`project:{id}:task_count`).
    public func countTasks(inProject project: ProjectID, asOf lsn: LSN? = nil) -> Int {
        guard let at = position(lsn), !tasksByProject.isUnchanged(project.rawValue, since: at) else {
            return tasksByProject.latestCount(project.rawValue)
        }
        return tasks(inProject: project, asOf: at).count
    }

    /// The number of tasks assigned to `user` (`tasks:user:{id}:count`).
    public func countTasks(assignedTo user: UserID, asOf lsn: LSN? = nil) -> Int {
        guard let lsn = position(lsn) else { return assignedTaskCounts.latest(user.rawValue) }
        return assignedTaskCounts.value(user.rawValue, asOf: lsn)
    }

    /// The comments on `task`, in increasing identifier order.
    public func comments(ofTask task: TaskID, asOf lsn: LSN? = nil) -> [Comment] {
        guard let lsn = position(lsn) else {
            return commentsByTask.latest(task.rawValue).compactMap { comments.latest($0.rawValue) }
        }
        let ids = commentsByTask.children(of: task.rawValue, asOf: lsn) { comment in
            comments.exists(comment.rawValue, asOf: lsn, log: log)
        }
        return ids.compactMap { comments.row($0.rawValue, asOf: lsn, log: log) }
    }

    /// The number of comments on `task`.
    public func countComments(ofTask task: TaskID, asOf lsn: LSN? = nil) -> Int {
        guard let at = position(lsn), !commentsByTask.isUnchanged(task.rawValue, since: at) else {
            return commentsByTask.latestCount(task.rawValue)
        }
        return comments(ofTask: task, asOf: at).count
    }

    // MARK: Positions

    /// `nil` when `lsn` reads the latest data (no position, or the head itself), else `lsn`.
    @inline(__always)
    func position(_ lsn: LSN?) -> LSN? {
        guard let lsn, lsn != log.endLSN else { return nil }
        precondition(
            lsn >= log.truncatedThrough && lsn <= log.endLSN,
            "PrimaryStore: cannot read as of LSN \(lsn) (retained: \(log.truncatedThrough)…\(log.endLSN))")
        return lsn
    }
}

// MARK: - Memberships

extension PrimaryStore {
    /// The projects `user` has been a member or owner of at any time, in increasing id order
    /// (a superset of its memberships as of any retained position).
    public func projectsEverJoined(by user: UserID) -> [ProjectID] {
        let index = user.rawValue - 1
        return index >= 0 && index < projectsEverJoined.count ? projectsEverJoined[index] : []
    }

    /// Adds `project` to the ever-joined list of each of its members (the owner is one).
    mutating func noteMembers(of project: Project) {
        for member in project.memberIDs {
            let index = member.rawValue - 1
            guard index >= 0 else { continue }
            if projectsEverJoined.count <= index {
                projectsEverJoined.append(contentsOf: repeatElement([], count: index + 1 - projectsEverJoined.count))
            }
            let (position, found) = projectsEverJoined[index].sortedIndex(of: project.id)
            if !found { projectsEverJoined[index].insert(project.id, at: position) }
        }
    }
}
