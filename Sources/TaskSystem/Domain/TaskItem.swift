// TaskItem.swift — a task and its workflow status.

import Sim

// MARK: - TaskStatus

/// Where a task stands in its workflow: `todo → inProgress → review → done`.
///
/// Transition rule (``canTransition(to:)``): any status may move to any other — forwards,
/// skipping steps (`todo → done` closes a trivial task) or backwards (`review → inProgress`
/// after a rejected review) — except out of ``done``: a finished task is reopened only as
/// ``inProgress``, i.e. someone picks it up again; it never drops silently back into the
/// backlog (`done → todo`) or into ``review`` without having been worked on. Staying in the same
/// status is always allowed and changes nothing.
public enum TaskStatus: UInt8, Hashable, Sendable, CaseIterable {
    /// In the backlog.
    case todo
    /// Being worked on.
    case inProgress
    /// Awaiting review.
    case review
    /// Finished.
    case done

    /// Whether the workflow allows moving from this status to `next` (see the type's notes).
    public func canTransition(to next: TaskStatus) -> Bool {
        self != .done || next == .done || next == .inProgress
    }
}

// MARK: - TaskItem

/// A task of a project.
///
/// `version` counts committed changes (1 when created) and serves optimistic concurrency:
/// commands may carry the version they read and are refused when it moved on.
public struct TaskItem: Hashable, Sendable, Identifiable {
    /// The task's identifier.
    public let id: TaskID
    /// The project the task belongs to; a task never moves to another project.
    public let project: ProjectID
    /// The title: trimmed, 1…200 characters (see ``Validation/title(_:)``).
    public var title: String
    /// Free text, at most ``Validation/maxDescriptionLength`` characters.
    public var description: String
    /// The workflow status.
    public var status: TaskStatus
    /// Who works on it, if anyone; always a member of ``project`` when set by a command.
    public var assignee: UserID?
    /// Who created it.
    public let createdBy: UserID
    /// The number of committed versions: 1 at creation, +1 per change.
    public var version: Int
    /// When it was created.
    public let createdAt: SimTime
    /// When it last changed.
    public var updatedAt: SimTime

    /// Creates a task.
    public init(
        id: TaskID, project: ProjectID, title: String, description: String = "",
        status: TaskStatus = .todo, assignee: UserID? = nil, createdBy: UserID,
        version: Int = 1, createdAt: SimTime, updatedAt: SimTime? = nil
    ) {
        self.id = id
        self.project = project
        self.title = title
        self.description = description
        self.status = status
        self.assignee = assignee
        self.createdBy = createdBy
        self.version = version
        self.createdAt = createdAt
        self.updatedAt = updatedAt ?? createdAt
    }

    /// The size of the row as MySQL would store it (fixed columns plus text bytes).
    public var approximateByteCount: Int { 8 * 7 + 1 + title.utf8.count + description.utf8.count }
}
