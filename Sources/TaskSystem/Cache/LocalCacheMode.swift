// MARK: - What the L1 holds

/// What each API instance's in-process LRU (the L1) caches.
public enum LocalCacheMode: String, Sendable, CaseIterable {
    /// The seed as written: `@lru_cache(maxsize=1000)` on `get_user_permissions(user_id)`,
    /// called by middleware on every request. One entry per user (its ``UserPermissions``),
    /// no expiry and no invalidation: an entry leaves only by LRU eviction or an instance
    /// restart. A miss takes the L2 (`permissions:{user}`, 5 minutes, deleted on a membership
    /// change) and then the database path. Users and projects are not in L1.
    case seedPermissions = "seed-permissions"
    /// simrun's earlier L1: user profiles and projects with the seed's L2 TTL (5 minutes);
    /// permissions are checked against the cached project's member list.
    case entitiesTTL = "entities-ttl"
}
