import Sim

// MARK: - Pattern deletion by owner

extension RedisModel {
    /// Deletes every key of `owner` in `families` (the seed's bulk invalidation,
    /// `cache.delete(*cache.keys(f"user:{id}:*"))`, read as "all of the user's keys"); returns
    /// how many live keys it removed, each counted as a pattern deletion (expired ones met on
    /// the way count as expirations). Visits the owner's keys only, not the keyspace.
    @inlinable @discardableResult
    public mutating func deleteAll(ownedBy owner: CacheOwner, families: CacheFamilies = .all,
                                   now: SimTime) -> Int {
        var slot = ownerHeads.find(owner.rawValue) ?? SlotLinks.none
        var removed = 0
        while slot != SlotLinks.none {
            let next = ownership.next[Int(slot)]
            if families.contains(keys[Int(slot)].family) {
                if expiries[Int(slot)] <= now {
                    remove(slot, reason: .expired)
                } else {
                    remove(slot, reason: .pattern)
                    removed += 1
                }
            }
            slot = next
        }
        return removed
    }

    /// The live keys of `owner` at `now`, most recently created first (the answer to the seed's
    /// `cache.keys(pattern)`, without a keyspace scan).
    public func keys(ownedBy owner: CacheOwner, now: SimTime) -> [CacheKey] {
        var result: [CacheKey] = []
        var slot = ownerHeads.find(owner.rawValue) ?? SlotLinks.none
        while slot != SlotLinks.none {
            if expiries[Int(slot)] > now { result.append(keys[Int(slot)]) }
            slot = ownership.next[Int(slot)]
        }
        return result
    }
}
