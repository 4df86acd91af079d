// StoreError.swift — why the primary refused a write.

import Sim

// MARK: - StoreError

/// A refused write; the store is unchanged when one is thrown.
public enum StoreError: Error, Hashable, Sendable {
    /// `INSERT` of a key that exists (duplicate primary key).
    case duplicateKey(RowKey)
    /// `UPDATE` or `DELETE` of a key that does not exist.
    case notFound(RowKey)
    /// The key is not positive, lies beyond the identifiers reserved so far (identifiers are
    /// dense: reserve them with ``PrimaryStore/reserveTaskID()`` and its siblings), or belonged
    /// to a deleted row (identifiers are never reused).
    case invalidKey(RowKey)
    /// A referenced row does not exist (foreign key: a task's project, creator or assignee, a
    /// comment's task or author, a project's owner).
    case missingReference(from: RowKey, to: RowKey)
    /// An update tried to change an immutable column (a task's project, a comment's task).
    case immutableColumn(RowKey, column: String)
    /// The commit time is earlier than the previous commit's.
    case commitTimeWentBackwards(previous: SimTime, attempted: SimTime)
}
