// Change.swift — one committed row change, as the replication log carries it.

import Sim

// MARK: - Change

/// A committed change of one row: MySQL's row-based binlog event with full images.
///
/// ``newValue`` is the row after the change (`nil`: deleted); ``oldValue`` the row before it
/// (`nil`: inserted). The before-image is what lets a replica answer "as of" its position
/// without a copy of its own (see ``PrimaryStore``).
public struct Change: Hashable, Sendable {
    /// The change's position in the log.
    public let lsn: LSN
    /// When the primary committed it.
    public let commitTime: SimTime
    /// The row changed.
    public let key: RowKey
    /// The row after the change; `nil` for a deletion.
    public let newValue: RowValue?
    /// The row before the change; `nil` for an insertion.
    public let oldValue: RowValue?
    /// The LSN of the previous change of the same row (``LSN/zero`` if none is logged): the
    /// per-row version chain walked by as-of reads.
    let previousLSN: LSN

    /// What the change did.
    public enum Kind: Hashable, Sendable {
        /// The row appeared.
        case insert
        /// The row changed.
        case update
        /// The row disappeared.
        case delete
    }

    /// Whether the change inserted, updated or deleted the row.
    public var kind: Kind {
        if oldValue == nil { return .insert }
        return newValue == nil ? .delete : .update
    }

    /// Whether the change deleted the row.
    public var isDeletion: Bool { newValue == nil }
}

// MARK: - RowWrite

/// A write submitted to the primary: one autocommitted statement.
public enum RowWrite: Hashable, Sendable {
    /// `INSERT` a row that does not exist.
    case insert(RowValue)
    /// `UPDATE` an existing row to this value.
    case update(RowValue)
    /// `DELETE` an existing row.
    case delete(RowKey)

    /// The row written.
    public var key: RowKey {
        switch self {
        case .insert(let value), .update(let value): value.key
        case .delete(let key): key
        }
    }
}
