import Sim

// MARK: - Event-based invalidation and jobs

/// The seed's `TaskEventHandler`: what each domain event invalidates in the shared cache and
/// which background jobs it starts.
public enum TaskEventHandler {
    /// Cache keys made stale by `event`: the project's task list (`tasks:project:{id}`) and
    /// the task counts of the users involved (`tasks:user:{id}:count`); a membership change also
    /// makes stale the member's permission checks (`permissions:{user}`, "event-based" in the
    /// seed's table) and the project's metadata (`project:{id}`, which lists the members).
    public static func invalidations(for event: DomainEvent) -> [CacheKey] {
        var keys: [CacheKey] = []
        switch event {
        case .memberAdded(let project, let user, _), .memberRemoved(let project, let user, _):
            keys.append(.permissions(user: user.rawValue))
            keys.append(.project(project.rawValue))
        default:
            break
        }
        if let project = event.projectID {
            keys.append(.taskList(project: project.rawValue))
            keys.append(.projectTaskCount(project: project.rawValue))
        }
        for user in event.usersWithChangedTaskCounts {
            keys.append(.userTaskCount(user: user.rawValue))
        }
        return keys
    }

    /// Notifications for `event`: an email and a push to a new assignee other than the actor.
    public static func jobs(for event: DomainEvent) -> [Job] {
        switch event {
        case .taskCreated(let task, _, let actor, let assignee?) where assignee != actor:
            [.sendEmail(to: assignee, about: task), .sendPush(to: assignee, about: task)]
        case .taskAssigned(let task, _, let actor, _, let assignee?) where assignee != actor:
            [.sendEmail(to: assignee, about: task), .sendPush(to: assignee, about: task)]
        default:
            []
        }
    }
}
