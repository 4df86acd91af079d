// TaskCommands.swift — the task commands: validation, authorisation, new state and events.

import Sim

// MARK: - Commands

/// Create a task in a project.
public struct CreateTask: Hashable, Sendable {
    /// The title (trimmed; 1…200 characters).
    public var title: String
    /// The description (trimmed; may be empty).
    public var description: String
    /// The initial assignee: a project member, or `nil`.
    public var assignee: UserID?

    /// Creates the command.
    public init(title: String, description: String = "", assignee: UserID? = nil) {
        self.title = title
        self.description = description
        self.assignee = assignee
    }
}

/// Change a task's title, description and/or status (`nil` leaves a field as it is).
public struct UpdateTask: Hashable, Sendable {
    /// The new title, if it changes.
    public var title: String?
    /// The new description, if it changes.
    public var description: String?
    /// The new status, if it changes.
    public var status: TaskStatus?
    /// The version the caller read; `nil` skips the optimistic-concurrency check.
    public var expectedVersion: Int?

    /// Creates the command.
    public init(
        title: String? = nil, description: String? = nil, status: TaskStatus? = nil, expectedVersion: Int? = nil
    ) {
        self.title = title
        self.description = description
        self.status = status
        self.expectedVersion = expectedVersion
    }
}

/// Assign a task to a project member, or unassign it (`assignee == nil`).
public struct AssignTask: Hashable, Sendable {
    /// The new assignee, or `nil` to unassign.
    public var assignee: UserID?
    /// The version the caller read; `nil` skips the optimistic-concurrency check.
    public var expectedVersion: Int?

    /// Creates the command.
    public init(assignee: UserID?, expectedVersion: Int? = nil) {
        self.assignee = assignee
        self.expectedVersion = expectedVersion
    }
}

/// Comment on a task.
public struct AddComment: Hashable, Sendable {
    /// The text (trimmed; 1…5,000 characters).
    public var body: String

    /// Creates the command.
    public init(body: String) { self.body = body }
}

// MARK: - TaskCommands

/// Executes task commands against the current state the caller read.
///
/// Pure functions: they neither read nor write storage. The caller loads the task, project
/// and acting user, runs the command, then stores ``CommandOutcome/value`` and publishes its
/// events. Checks run in a fixed order, so a request that is wrong in several ways always
/// gets the same answer: the task belongs to the project (404), the actor may act (403), the
/// version matches (409), then the input is valid (422).
public enum TaskCommands {
    /// Creates task `id` in `project`. The new task has version 1 and `createdAt == updatedAt == time`.
    public static func create(
        _ command: CreateTask, id: TaskID, in project: Project, by actor: User, at time: SimTime
    ) throws(DomainError) -> CommandOutcome<TaskItem> {
        try PermissionService.authorize(actor, to: .createTask, in: project)
        let title = try Validation.title(command.title)
        let description = try Validation.description(command.description)
        if let assignee = command.assignee { try requireMember(assignee, of: project) }
        let task = TaskItem(
            id: id, project: project.id, title: title, description: description,
            assignee: command.assignee, createdBy: actor.id, createdAt: time)
        let event = DomainEvent.taskCreated(task: id, project: project.id, actor: actor.id, assignee: command.assignee)
        return CommandOutcome(value: task, events: [event])
    }

    /// Applies `command` to `task`. Emits `taskUpdated` when the title or description changed
    /// and `taskStatusChanged` when the status did; the version grows by one if anything changed.
    public static func update(
        _ task: TaskItem, with command: UpdateTask, in project: Project, by actor: User, at time: SimTime
    ) throws(DomainError) -> CommandOutcome<TaskItem> {
        try checkContext(task, project, actor, .updateTask, expectedVersion: command.expectedVersion)
        var updated = task
        if let title = command.title { updated.title = try Validation.title(title) }
        if let description = command.description { updated.description = try Validation.description(description) }
        if let status = command.status {
            guard task.status.canTransition(to: status) else {
                throw .invalidStatusTransition(from: task.status, to: status)
            }
            updated.status = status
        }
        var events: [DomainEvent] = []
        if updated.title != task.title || updated.description != task.description {
            events.append(.taskUpdated(task: task.id, project: project.id, actor: actor.id, assignee: task.assignee))
        }
        if updated.status != task.status {
            events.append(
                .taskStatusChanged(
                    task: task.id, project: project.id, actor: actor.id, assignee: task.assignee,
                    from: task.status, to: updated.status))
        }
        return outcome(task, updated, events, at: time)
    }

    /// Assigns `task` to `command.assignee` (a project member) or unassigns it.
    public static func assign(
        _ task: TaskItem, with command: AssignTask, in project: Project, by actor: User, at time: SimTime
    ) throws(DomainError) -> CommandOutcome<TaskItem> {
        try checkContext(task, project, actor, .assignTask, expectedVersion: command.expectedVersion)
        if let assignee = command.assignee { try requireMember(assignee, of: project) }
        guard command.assignee != task.assignee else { return CommandOutcome(value: task, events: []) }
        var updated = task
        updated.assignee = command.assignee
        let event = DomainEvent.taskAssigned(
            task: task.id, project: project.id, actor: actor.id, from: task.assignee, to: command.assignee)
        return outcome(task, updated, [event], at: time)
    }

    /// Writes comment `id` on `task`. The task itself does not change.
    public static func comment(
        _ command: AddComment, id: CommentID, on task: TaskItem, in project: Project, by actor: User, at time: SimTime
    ) throws(DomainError) -> CommandOutcome<Comment> {
        try checkContext(task, project, actor, .comment, expectedVersion: nil)
        let body = try Validation.commentBody(command.body)
        let comment = Comment(id: id, task: task.id, author: actor.id, body: body, createdAt: time)
        let event = DomainEvent.commentAdded(comment: id, task: task.id, project: project.id, actor: actor.id)
        return CommandOutcome(value: comment, events: [event])
    }

    /// Deletes `task` (project admins only). The outcome's value is the deleted task as it was.
    /// Its comments stay in storage; nothing lists them once the task is gone.
    public static func delete(
        _ task: TaskItem, in project: Project, by actor: User, expectedVersion: Int? = nil
    ) throws(DomainError) -> CommandOutcome<TaskItem> {
        try checkContext(task, project, actor, .deleteTask, expectedVersion: expectedVersion)
        let event = DomainEvent.taskDeleted(
            task: task.id, project: project.id, actor: actor.id, assignee: task.assignee)
        return CommandOutcome(value: task, events: [event])
    }

    // MARK: Shared checks

    /// Context (404), authorisation (403) and version (409) checks, in that order.
    private static func checkContext(
        _ task: TaskItem, _ project: Project, _ actor: User, _ action: ProjectAction, expectedVersion: Int?
    ) throws(DomainError) {
        guard task.project == project.id else { throw .wrongProject(task: task.id, project: project.id) }
        try PermissionService.authorize(actor, to: action, in: project)
        if let expected = expectedVersion, expected != task.version {
            throw .versionConflict(task: task.id, expected: expected, actual: task.version)
        }
    }

    private static func requireMember(_ user: UserID, of project: Project) throws(DomainError) {
        guard project.isMember(user) else { throw .assigneeNotMember(user: user, project: project.id) }
    }

    /// `updated` with its version bumped and time stamped, or `old` unchanged if no event.
    private static func outcome(
        _ old: TaskItem, _ updated: TaskItem, _ events: [DomainEvent], at time: SimTime
    ) -> CommandOutcome<TaskItem> {
        guard !events.isEmpty else { return CommandOutcome(value: old, events: []) }
        var result = updated
        result.version = old.version + 1
        result.updatedAt = time
        return CommandOutcome(value: result, events: events)
    }
}
