// PrimaryStore+Writes.swift — committing inserts, updates and deletes, and maintaining indexes.

import Sim

// MARK: - Writing

extension PrimaryStore {
    /// Commits `write` at simulated time `time` and returns its LSN.
    ///
    /// Checks, all before anything changes: commit times never decrease; an insert's key is
    /// positive, reserved (or the next one) and never used before (a deleted row's identifier
    /// is not reused); an update's or delete's key exists;
    /// references an insert or update introduces exist (a task's project, creator and
    /// assignee; a comment's task and author; a project's owner); immutable columns (a task's
    /// project, a comment's task) keep their value. Deletes do not cascade and are not
    /// checked against referencing rows.
    @discardableResult
    public mutating func apply(_ write: RowWrite, at time: SimTime) throws(StoreError) -> LSN {
        guard time >= lastCommitTime else {
            throw .commitTimeWentBackwards(previous: lastCommitTime, attempted: time)
        }
        let lsn: LSN
        switch write.key.table {
        case .users: lsn = try writeUser(write, at: time)
        case .projects: lsn = try writeProject(write, at: time)
        case .tasks: lsn = try writeTask(write, at: time)
        case .comments: lsn = try writeComment(write, at: time)
        }
        lastCommitTime = time
        return lsn
    }

    /// Commits an `INSERT` of `value`.
    @discardableResult
    public mutating func insert(_ value: RowValue, at time: SimTime) throws(StoreError) -> LSN {
        try apply(.insert(value), at: time)
    }

    /// Commits an `UPDATE` of the row to `value`.
    @discardableResult
    public mutating func update(_ value: RowValue, at time: SimTime) throws(StoreError) -> LSN {
        try apply(.update(value), at: time)
    }

    /// Commits a `DELETE` of the row `key`.
    @discardableResult
    public mutating func delete(_ key: RowKey, at time: SimTime) throws(StoreError) -> LSN {
        try apply(.delete(key), at: time)
    }

    // MARK: Per-table writes

    private mutating func writeUser(_ write: RowWrite, at time: SimTime) throws(StoreError) -> LSN {
        let (old, new) = try Self.images(of: write, in: users, as: User.self)
        return Self.commit(write.key, old: old, new: new, in: &users, log: &log, at: time)
    }

    private mutating func writeProject(_ write: RowWrite, at time: SimTime) throws(StoreError) -> LSN {
        let (old, new) = try Self.images(of: write, in: projects, as: Project.self)
        if let new, old?.owner != new.owner { try requireRow(.user(new.owner), from: write.key) }
        if let new { noteMembers(of: new) }
        return Self.commit(write.key, old: old, new: new, in: &projects, log: &log, at: time)
    }

    private mutating func writeTask(_ write: RowWrite, at time: SimTime) throws(StoreError) -> LSN {
        let (old, new) = try Self.images(of: write, in: tasks, as: TaskItem.self)
        if let new {
            if let old, old.project != new.project { throw .immutableColumn(write.key, column: "project") }
            if old == nil {
                try requireRow(.project(new.project), from: write.key)
                try requireRow(.user(new.createdBy), from: write.key)
            }
            if let assignee = new.assignee, assignee != old?.assignee {
                try requireRow(.user(assignee), from: write.key)
            }
        }
        let lsn = Self.commit(write.key, old: old, new: new, in: &tasks, log: &log, at: time)
        // Indexes: project membership on insert/delete, assignee counts whenever they differ.
        let id = TaskID(write.key.id)
        switch (old, new) {
        case (nil, let new?): tasksByProject.insert(id, into: new.project.rawValue, at: lsn)
        case (let old?, nil): tasksByProject.remove(id, from: old.project.rawValue, at: lsn)
        default: break
        }
        if old?.assignee != new?.assignee {
            if let previous = old?.assignee { assignedTaskCounts.add(-1, to: previous.rawValue, at: lsn) }
            if let next = new?.assignee { assignedTaskCounts.add(1, to: next.rawValue, at: lsn) }
        }
        return lsn
    }

    private mutating func writeComment(_ write: RowWrite, at time: SimTime) throws(StoreError) -> LSN {
        let (old, new) = try Self.images(of: write, in: comments, as: Comment.self)
        if let new {
            if let old, old.task != new.task { throw .immutableColumn(write.key, column: "task") }
            if old == nil {
                try requireRow(.task(new.task), from: write.key)
                try requireRow(.user(new.author), from: write.key)
            }
        }
        let lsn = Self.commit(write.key, old: old, new: new, in: &comments, log: &log, at: time)
        let id = CommentID(write.key.id)
        switch (old, new) {
        case (nil, let new?): commentsByTask.insert(id, into: new.task.rawValue, at: lsn)
        case (let old?, nil): commentsByTask.remove(id, from: old.task.rawValue, at: lsn)
        default: break
        }
        return lsn
    }

    // MARK: Shared steps

    /// The row before and after `write`, once the write is known to be possible.
    private static func images<Row: StoredRow>(
        of write: RowWrite, in table: VersionedTable<Row>, as: Row.Type
    ) throws(StoreError) -> (old: Row?, new: Row?) {
        let key = write.key
        let old = table.latest(key.id)
        switch write {
        case .insert(let value):
            guard old == nil else { throw .duplicateKey(key) }
            guard table.isValidNewID(key.id) else { throw .invalidKey(key) }
            return (nil, Row(value))
        case .update(let value):
            guard old != nil else { throw .notFound(key) }
            return (old, Row(value))
        case .delete:
            guard old != nil else { throw .notFound(key) }
            return (old, nil)
        }
    }

    /// Throws ``StoreError/missingReference(from:to:)`` unless row `key` exists now.
    private func requireRow(_ key: RowKey, from source: RowKey) throws(StoreError) {
        let exists: Bool
        switch key.table {
        case .users: exists = users.latest(key.id) != nil
        case .projects: exists = projects.latest(key.id) != nil
        case .tasks: exists = tasks.latest(key.id) != nil
        case .comments: exists = comments.latest(key.id) != nil
        }
        guard exists else { throw .missingReference(from: source, to: key) }
    }

    /// Stores the row's new value under the next LSN and logs the change.
    ///
    /// Static, taking the table and the log `inout`, so that two stored properties of the
    /// store are mutated at once without an exclusivity conflict.
    private static func commit<Row: StoredRow>(
        _ key: RowKey, old: Row?, new: Row?, in table: inout VersionedTable<Row>, log: inout ReplicationLog,
        at time: SimTime
    ) -> LSN {
        let lsn = log.endLSN.next
        let previous = table.set(key.id, to: new, at: lsn)
        log.append(
            Change(
                lsn: lsn, commitTime: time, key: key, newValue: new?.rowValue, oldValue: old?.rowValue,
                previousLSN: previous))
        return lsn
    }
}
