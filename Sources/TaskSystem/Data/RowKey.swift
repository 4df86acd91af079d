// RowKey.swift — which row: a table and a primary key.

// MARK: - RowKey

/// Identifies one row of the store: its table and its integer primary key.
public struct RowKey: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The tables of the task system's schema.
    public enum Table: UInt8, Hashable, Sendable, CaseIterable, Comparable {
        /// `users`.
        case users
        /// `projects` (membership rows stored with the project).
        case projects
        /// `tasks`.
        case tasks
        /// `comments`.
        case comments

        /// Orders in declaration order.
        public static func < (lhs: Table, rhs: Table) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    /// The table.
    public let table: Table
    /// The primary key within the table.
    public let id: Int

    /// Creates a key.
    public init(table: Table, id: Int) {
        self.table = table
        self.id = id
    }

    /// The key of user `id`.
    public static func user(_ id: UserID) -> RowKey { RowKey(table: .users, id: id.rawValue) }
    /// The key of project `id`.
    public static func project(_ id: ProjectID) -> RowKey { RowKey(table: .projects, id: id.rawValue) }
    /// The key of task `id`.
    public static func task(_ id: TaskID) -> RowKey { RowKey(table: .tasks, id: id.rawValue) }
    /// The key of comment `id`.
    public static func comment(_ id: CommentID) -> RowKey { RowKey(table: .comments, id: id.rawValue) }

    /// Orders by table, then key.
    public static func < (lhs: RowKey, rhs: RowKey) -> Bool {
        (lhs.table, lhs.id) < (rhs.table, rhs.id)
    }

    /// `table:id`, e.g. `tasks:42`.
    public var description: String { "\(table):\(id)" }
}
