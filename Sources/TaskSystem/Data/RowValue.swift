// RowValue.swift — the content of a row, and how each domain type is stored.

// MARK: - RowValue

/// The content of one row: a domain value of the row's table.
public enum RowValue: Hashable, Sendable {
    /// A `users` row.
    case user(User)
    /// A `projects` row.
    case project(Project)
    /// A `tasks` row.
    case task(TaskItem)
    /// A `comments` row.
    case comment(Comment)

    /// The row's key.
    public var key: RowKey {
        switch self {
        case .user(let user): .user(user.id)
        case .project(let project): .project(project.id)
        case .task(let task): .task(task.id)
        case .comment(let comment): .comment(comment.id)
        }
    }

    /// The row's size as MySQL would store it.
    public var approximateByteCount: Int {
        switch self {
        case .user(let user): user.approximateByteCount
        case .project(let project): project.approximateByteCount
        case .task(let task): task.approximateByteCount
        case .comment(let comment): comment.approximateByteCount
        }
    }
}

// MARK: - StoredRow

/// A domain type stored in its own table (internal glue between typed tables and the log).
protocol StoredRow: Hashable, Sendable {
    /// The table the type lives in.
    static var table: RowKey.Table { get }
    /// The primary key.
    var rowID: Int { get }
    /// The value wrapped for the log.
    var rowValue: RowValue { get }
    /// Unwraps a value of this table; `nil` for another table's value.
    init?(_ value: RowValue)
}

extension User: StoredRow {
    static var table: RowKey.Table { .users }
    var rowID: Int { id.rawValue }
    var rowValue: RowValue { .user(self) }
    init?(_ value: RowValue) {
        guard case .user(let user) = value else { return nil }
        self = user
    }
}

extension Project: StoredRow {
    static var table: RowKey.Table { .projects }
    var rowID: Int { id.rawValue }
    var rowValue: RowValue { .project(self) }
    init?(_ value: RowValue) {
        guard case .project(let project) = value else { return nil }
        self = project
    }
}

extension TaskItem: StoredRow {
    static var table: RowKey.Table { .tasks }
    var rowID: Int { id.rawValue }
    var rowValue: RowValue { .task(self) }
    init?(_ value: RowValue) {
        guard case .task(let task) = value else { return nil }
        self = task
    }
}

extension Comment: StoredRow {
    static var table: RowKey.Table { .comments }
    var rowID: Int { id.rawValue }
    var rowValue: RowValue { .comment(self) }
    init?(_ value: RowValue) {
        guard case .comment(let comment) = value else { return nil }
        self = comment
    }
}
