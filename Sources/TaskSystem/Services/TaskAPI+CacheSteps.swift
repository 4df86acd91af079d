import Sim

// MARK: - L1 lookups per family, and pattern invalidation

extension TaskAPI {
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
