import Sim

// MARK: - L1 lookups per family, the seed's permission cache, and pattern invalidation

extension TaskAPI {
    /// Whether L1 holds users and projects (``LocalCacheMode/entitiesTTL``).
    var entitiesInL1: Bool { localCacheMode == .entitiesTTL }

    /// Stores a user or project in L1 with its family's TTL, when L1 holds them.
    func storeLocally(_ key: CacheKey, _ value: CachedValue) {
        guard entitiesInL1 else { return }
        localCache.set(key, value, now: clock.now, ttl: key.family.seedTTL)
    }

    /// The seed's `ApplicationCache.get_user_permissions(user_id)` under `@lru_cache(maxsize=1000)`:
    /// an L1 hit answers at once and never expires; a miss calls the permission service, which
    /// reads `permissions:{user}` in L2 and, on a miss there, queries a replica and fills L2
    /// (5 minutes). Either way the answer then enters L1 with no TTL.
    func permissions(of userID: UserID) async throws(APIError) -> UserPermissions {
        let key = CacheKey.permissions(user: userID.rawValue)
        if case .permissions(let permissions)? = localLookup(key) { return permissions }
        let permissions: UserPermissions
        if case .permissions(let cached)? = try await call({ try await self.cache.get(key) }) {
            permissions = cached
        } else {
            guard let loaded = try await call({ try await self.repository.permissions(of: userID, consistency: .replica) })
            else { throw .unauthenticated }
            try await call { try await self.cache.set(key, .permissions(loaded), ttl: nil) }
            permissions = loaded
        }
        localCache.set(key, .permissions(permissions), now: clock.now, ttl: nil)
        return permissions
    }

    /// L1 hits and misses for `family` on this instance (evictions and expirations are counted
    /// for the whole cache only, in `localCache.counters`).
    public func localCounters(for family: CacheKey.Family) -> CacheCounters {
        localFamilyCounters[family.index]
    }

    /// The seed's pattern-based invalidation, `invalidate_user_caches(user_id)`: deletes every
    /// cached datum the user owns (``CacheFamilies/userData``: profile, permission checks, task
    /// count) in the shared cache. The user's session, rate-limit counters and recent-write
    /// markers are request state, not cached data, and stay.
    func invalidateUserCaches(_ userID: UserID) async throws(APIError) {
        _ = try await call { try await self.cache.deleteAll(ownedBy: .user(userID.rawValue), families: .userData) }
    }
}
