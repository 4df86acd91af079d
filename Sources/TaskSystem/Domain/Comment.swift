// Comment.swift — a comment on a task.

import Sim

// MARK: - Comment

/// A comment on a task. Comments are immutable once written.
public struct Comment: Hashable, Sendable, Identifiable {
    /// The comment's identifier.
    public let id: CommentID
    /// The task commented on.
    public let task: TaskID
    /// Who wrote it.
    public let author: UserID
    /// The text: trimmed, 1…``Validation/maxCommentLength`` characters.
    public let body: String
    /// When it was written.
    public let createdAt: SimTime

    /// Creates a comment.
    public init(id: CommentID, task: TaskID, author: UserID, body: String, createdAt: SimTime) {
        self.id = id
        self.task = task
        self.author = author
        self.body = body
        self.createdAt = createdAt
    }

    /// The size of the row as MySQL would store it (fixed columns plus text bytes).
    public var approximateByteCount: Int { 8 * 4 + body.utf8.count }
}
