import Sim

// MARK: - Membership administration

extension TaskAPI {
    /// `DELETE /projects/{id}/members/{user}`, as a project admin does it: removes `member` from
    /// the project on the primary, then the event-based invalidation the seed's cache table gives
    /// permission checks — `permissions:{member}` — and the project's cached metadata and lists.
    /// Other instances' L1 entries are not touched: the seed's `lru_cache` has no invalidation.
    public func removeMember(_ member: UserID, from projectID: ProjectID, as actorID: UserID) async throws(APIError)
        -> Project
    {
        guard let actor = try await call({ try await self.repository.user(actorID, consistency: .primary) }) else {
            throw .unauthenticated
        }
        guard let project = try await call({ try await self.repository.project(projectID, consistency: .primary) }) else {
            throw .notFound
        }
        let outcome = try domain { try ProjectCommands.removeMember(member, from: project, by: actor) }
        try await call { try await self.repository.save(.update(.project(outcome.value))) }
        let stale = outcome.events.flatMap(TaskEventHandler.invalidations)
        if !stale.isEmpty { try await call { try await self.cache.delete(stale) } }
        if localCacheMode == .seedPermissions {
            localCache.remove(.permissions(user: member.rawValue))  // this process's own copy only
        } else {
            localCache.remove(.project(projectID.rawValue))
        }
        return outcome.value
    }
}
