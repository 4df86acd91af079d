// Permission.swift — who may do what in a project: pure rules, no I/O.

// MARK: - Permission

/// A level of rights on a project; each level includes the ones below it.
public enum Permission: UInt8, Hashable, Sendable, CaseIterable, Comparable {
    /// Read the project and its tasks and comments.
    case read
    /// Also create, update, assign and comment on tasks.
    case write
    /// Also delete tasks and manage members.
    case admin

    /// Orders `read < write < admin`.
    public static func < (lhs: Permission, rhs: Permission) -> Bool { lhs.rawValue < rhs.rawValue }
}

// MARK: - ProjectAction

/// Something a user attempts in a project, with the ``Permission`` it needs.
public enum ProjectAction: UInt8, Hashable, Sendable, CaseIterable {
    /// List the project's tasks, read a task or its comments.
    case readTasks
    /// Create a task.
    case createTask
    /// Change a task's title, description or status.
    case updateTask
    /// Assign or unassign a task.
    case assignTask
    /// Comment on a task.
    case comment
    /// Delete a task.
    case deleteTask
    /// Add or remove members.
    case manageMembers

    /// The least permission that allows the action.
    public var requiredPermission: Permission {
        switch self {
        case .readTasks: .read
        case .createTask, .updateTask, .assignTask, .comment: .write
        case .deleteTask, .manageMembers: .admin
        }
    }
}

// MARK: - PermissionService

/// The permission rules, as pure functions of a user and a project.
///
/// The matrix (effective permission of a user on a project):
///
/// | user                                | permission |
/// |-------------------------------------|------------|
/// | role ``UserRole/admin`` (any)        | admin      |
/// | the project's owner                 | admin      |
/// | member with role ``UserRole/member`` | write      |
/// | member with role ``UserRole/viewer`` | read       |
/// | anyone else                         | none       |
///
/// An owner is admin whatever their role. An action is allowed when the effective permission
/// is at least the action's ``ProjectAction/requiredPermission``.
public enum PermissionService {
    /// The user's effective permission on the project, or `nil` for none.
    public static func permission(of user: User, on project: Project) -> Permission? {
        if user.role == .admin || user.id == project.owner { return .admin }
        guard project.isMember(user.id) else { return nil }
        return user.role == .viewer ? .read : .write
    }

    /// Whether the user may perform `action` in the project.
    public static func isAllowed(_ user: User, to action: ProjectAction, in project: Project) -> Bool {
        guard let granted = permission(of: user, on: project) else { return false }
        return granted >= action.requiredPermission
    }

    /// The actions the user may perform in the project, in declaration order (what the seed's
    /// `get_user_permissions` caches).
    public static func allowedActions(of user: User, in project: Project) -> [ProjectAction] {
        guard let granted = permission(of: user, on: project) else { return [] }
        return ProjectAction.allCases.filter { granted >= $0.requiredPermission }
    }

    /// Throws ``DomainError/forbidden(user:action:project:)`` unless the action is allowed.
    public static func authorize(
        _ user: User, to action: ProjectAction, in project: Project
    ) throws(DomainError) {
        guard isAllowed(user, to: action, in: project) else {
            throw .forbidden(user: user.id, action: action, project: project.id)
        }
    }
}
