// ProjectCommands.swift — membership and profile commands.

// MARK: - ProjectCommands

/// Membership commands: project admins (owner or system admin) add and remove members.
///
/// Removing a member does not unassign their tasks; the tasks keep their assignee until
/// someone reassigns them.
public enum ProjectCommands {
    /// Adds `user` to `project`.
    public static func addMember(
        _ user: UserID, to project: Project, by actor: User
    ) throws(DomainError) -> CommandOutcome<Project> {
        try PermissionService.authorize(actor, to: .manageMembers, in: project)
        var updated = project
        guard updated.addMember(user) else { throw .alreadyMember(user: user, project: project.id) }
        let event = DomainEvent.memberAdded(project: project.id, user: user, actor: actor.id)
        return CommandOutcome(value: updated, events: [event])
    }

    /// Removes `user` from `project`; the owner cannot be removed.
    public static func removeMember(
        _ user: UserID, from project: Project, by actor: User
    ) throws(DomainError) -> CommandOutcome<Project> {
        try PermissionService.authorize(actor, to: .manageMembers, in: project)
        guard user != project.owner else { throw .cannotRemoveOwner(project: project.id) }
        var updated = project
        guard updated.removeMember(user) else { throw .notMember(user: user, project: project.id) }
        let event = DomainEvent.memberRemoved(project: project.id, user: user, actor: actor.id)
        return CommandOutcome(value: updated, events: [event])
    }
}

// MARK: - UserCommands

/// Profile commands: users edit their own profile; system admins edit anyone's.
public enum UserCommands {
    /// Changes `user`'s name and/or e-mail (`nil` leaves a field as it is).
    public static func updateProfile(
        _ user: User, name: String? = nil, email: String? = nil, by actor: User
    ) throws(DomainError) -> CommandOutcome<User> {
        guard actor.id == user.id || actor.role == .admin else {
            throw .forbiddenProfileEdit(actor: actor.id, user: user.id)
        }
        var updated = user
        if let name { updated.name = try Validation.name(name) }
        if let email { updated.email = try Validation.email(email) }
        guard updated != user else { return CommandOutcome(value: user, events: []) }
        return CommandOutcome(value: updated, events: [.userUpdated(user: user.id, actor: actor.id)])
    }
}
