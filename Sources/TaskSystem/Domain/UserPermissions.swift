// UserPermissions.swift — what the seed's `get_user_permissions(user_id)` returns: a snapshot.

// MARK: - UserPermissions

/// A user's permissions on every project, computed once from the user and the projects it
/// belongs to: the value the seed's L1 (`@lru_cache(maxsize=1000)` on
/// `get_user_permissions(user_id)`) keeps per user and the shared cache keeps under
/// `permissions:{user}`.
///
/// A snapshot answers as ``PermissionService`` did when it was taken; it does not see a later
/// removal from a project — which is what `auth.stale_permission_grants` counts.
public struct UserPermissions: Hashable, Sendable {
    /// The user the snapshot is of.
    public let user: UserID
    /// The user's role when the snapshot was taken (a system admin is admin everywhere).
    public let role: UserRole
    /// Projects on which the user had a permission, in increasing id order.
    public private(set) var projects: [ProjectID]
    /// The permission on each of ``projects``.
    public private(set) var levels: [Permission]

    /// The snapshot of `user`'s permissions on `projects` (any order; projects where it has
    /// none are left out).
    public init(of user: User, on projects: some Sequence<Project>) {
        self.user = user.id
        role = user.role
        var granted: [(ProjectID, Permission)] = []
        for project in projects {
            if let level = PermissionService.permission(of: user, on: project) { granted.append((project.id, level)) }
        }
        granted.sort { $0.0 < $1.0 }
        self.projects = granted.map(\.0)
        levels = granted.map(\.1)
    }

    // MARK: Reading

    /// The user's permission on `project` as of the snapshot, or `nil` for none.
    public func permission(on project: ProjectID) -> Permission? {
        if role == .admin { return .admin }
        let (index, found) = projects.sortedIndex(of: project)
        return found ? levels[index] : nil
    }

    /// Whether the snapshot allows `action` in `project`.
    public func allows(_ action: ProjectAction, in project: ProjectID) -> Bool {
        guard let granted = permission(on: project) else { return false }
        return granted >= action.requiredPermission
    }
}
