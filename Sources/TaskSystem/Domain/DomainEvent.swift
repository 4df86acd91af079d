// DomainEvent.swift — what happened, with the identifiers cache invalidation needs.

// MARK: - DomainEvent

/// A fact produced by a successful command.
///
/// Each case carries the identifiers the seed's `TaskEventHandler` needs: the project (for
/// `tasks:project:{id}`), the task, the acting user, and the users whose per-user data changed
/// (for `tasks:user:{id}:count` and `permissions:{id}`); see the computed properties.
public enum DomainEvent: Hashable, Sendable {
    /// A task was created (`assignee` is its initial assignee, if any).
    case taskCreated(task: TaskID, project: ProjectID, actor: UserID, assignee: UserID?)
    /// A task's title or description changed.
    case taskUpdated(task: TaskID, project: ProjectID, actor: UserID, assignee: UserID?)
    /// A task's status changed.
    case taskStatusChanged(
        task: TaskID, project: ProjectID, actor: UserID, assignee: UserID?, from: TaskStatus, to: TaskStatus)
    /// A task's assignee changed (`nil` means unassigned).
    case taskAssigned(task: TaskID, project: ProjectID, actor: UserID, from: UserID?, to: UserID?)
    /// A task was deleted.
    case taskDeleted(task: TaskID, project: ProjectID, actor: UserID, assignee: UserID?)
    /// A comment was added to a task.
    case commentAdded(comment: CommentID, task: TaskID, project: ProjectID, actor: UserID)
    /// A user joined a project.
    case memberAdded(project: ProjectID, user: UserID, actor: UserID)
    /// A user left a project.
    case memberRemoved(project: ProjectID, user: UserID, actor: UserID)
    /// A user's profile (name, e-mail) changed.
    case userUpdated(user: UserID, actor: UserID)

    // MARK: Identifiers

    /// The project concerned (`tasks:project:{id}`), `nil` for ``userUpdated(user:actor:)``.
    public var projectID: ProjectID? {
        switch self {
        case .taskCreated(_, let project, _, _), .taskUpdated(_, let project, _, _),
            .taskStatusChanged(_, let project, _, _, _, _), .taskAssigned(_, let project, _, _, _),
            .taskDeleted(_, let project, _, _), .commentAdded(_, _, let project, _),
            .memberAdded(let project, _, _), .memberRemoved(let project, _, _):
            project
        case .userUpdated: nil
        }
    }

    /// The task concerned, if the event is about one.
    public var taskID: TaskID? {
        switch self {
        case .taskCreated(let task, _, _, _), .taskUpdated(let task, _, _, _),
            .taskStatusChanged(let task, _, _, _, _, _), .taskAssigned(let task, _, _, _, _),
            .taskDeleted(let task, _, _, _), .commentAdded(_, let task, _, _):
            task
        case .memberAdded, .memberRemoved, .userUpdated: nil
        }
    }

    /// Who performed the command.
    public var actor: UserID {
        switch self {
        case .taskCreated(_, _, let actor, _), .taskUpdated(_, _, let actor, _),
            .taskStatusChanged(_, _, let actor, _, _, _), .taskAssigned(_, _, let actor, _, _),
            .taskDeleted(_, _, let actor, _), .commentAdded(_, _, _, let actor),
            .memberAdded(_, _, let actor), .memberRemoved(_, _, let actor), .userUpdated(_, let actor):
            actor
        }
    }

    /// The users whose cached task counts (`tasks:user:{id}:count`) may have changed, sorted,
    /// without duplicates: a new task's creator (as the seed's handler invalidates) and
    /// assignee; both sides of a reassignment; the assignee of a deleted task or of a task
    /// whose status changed (open-task counts). Empty for events that change no count.
    public var usersWithChangedTaskCounts: [UserID] {
        switch self {
        case .taskCreated(_, _, let actor, let assignee): Self.sortedUnique([actor, assignee])
        case .taskAssigned(_, _, _, let from, let to): Self.sortedUnique([from, to])
        case .taskDeleted(_, _, _, let assignee), .taskStatusChanged(_, _, _, let assignee, _, _):
            Self.sortedUnique([assignee])
        case .taskUpdated, .commentAdded, .memberAdded, .memberRemoved, .userUpdated: []
        }
    }

    /// The users whose cached permissions or profile (`permissions:{id}`, `user:{id}`) may
    /// have changed: the member added or removed, the user updated.
    public var usersWithChangedAccess: [UserID] {
        switch self {
        case .memberAdded(_, let user, _), .memberRemoved(_, let user, _), .userUpdated(let user, _): [user]
        default: []
        }
    }

    private static func sortedUnique(_ users: [UserID?]) -> [UserID] {
        var result = users.compactMap { $0 }
        result.sort()
        var unique: [UserID] = []
        for user in result where unique.last != user { unique.append(user) }
        return unique
    }
}
