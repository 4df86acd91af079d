// DomainError.swift — why the domain refused a command.

// MARK: - TextProblem

/// What is wrong with a piece of text.
public enum TextProblem: Error, Hashable, Sendable {
    /// Empty once leading and trailing whitespace is removed.
    case empty
    /// Longer than `limit` characters (`length` is the trimmed length).
    case tooLong(length: Int, limit: Int)
    /// Not of the expected form (e.g. an e-mail address without `@`).
    case malformed
}

// MARK: - DomainError

/// A refused command. Each case maps to one HTTP status in the API layer: `forbidden` and
/// `forbiddenProfileEdit` → 403, `versionConflict` → 409, `wrongProject` → 404, others → 422.
public enum DomainError: Error, Hashable, Sendable {
    /// The user lacks the permission the action needs.
    case forbidden(user: UserID, action: ProjectAction, project: ProjectID)
    /// Only the user themself or a system admin may edit a profile.
    case forbiddenProfileEdit(actor: UserID, user: UserID)
    /// The task title is invalid.
    case invalidTitle(TextProblem)
    /// The task description is invalid.
    case invalidDescription(TextProblem)
    /// The comment body is invalid.
    case invalidComment(TextProblem)
    /// A user's name is invalid.
    case invalidName(TextProblem)
    /// A user's e-mail address is invalid.
    case invalidEmail(TextProblem)
    /// The workflow forbids this status change (see ``TaskStatus/canTransition(to:)``).
    case invalidStatusTransition(from: TaskStatus, to: TaskStatus)
    /// The task changed since the caller read it.
    case versionConflict(task: TaskID, expected: Int, actual: Int)
    /// The assignee is not a member of the task's project.
    case assigneeNotMember(user: UserID, project: ProjectID)
    /// The task does not belong to the project given with it.
    case wrongProject(task: TaskID, project: ProjectID)
    /// The user is already a member.
    case alreadyMember(user: UserID, project: ProjectID)
    /// The user is not a member.
    case notMember(user: UserID, project: ProjectID)
    /// The owner cannot leave their project.
    case cannotRemoveOwner(project: ProjectID)
}
