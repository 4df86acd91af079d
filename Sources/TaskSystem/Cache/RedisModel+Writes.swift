import Sim

// MARK: - Writes

extension RedisModel {
    /// Stores `value` under `key` at `now` (`SET`/`SETEX`), charged `bytes` (`nil`: the family's
    /// typical size) plus the per-key overhead, with TTL `ttl`, and makes it the most recently
    /// used. May reclaim expired keys and evict others (see ``lastEvictions``).
    @inlinable @discardableResult
    public mutating func set(_ key: CacheKey, _ value: Value, now: SimTime,
                             ttl: CacheExpiry = .familyDefault, bytes: Int? = nil) -> RedisWriteOutcome {
        let family = key.family
        let settings = configuration.families[family]
        let size = bytes ?? settings.typicalBytes
        precondition(size >= 0, "a cached value's size must not be negative")
        evicted.removeAll(keepingCapacity: true)
        if configuration.enforcesSizeLimits, let limit = settings.sizeLimit, size > limit {
            tallies[family.index].oversized += 1
            if let slot = liveSlot(key, now: now) { remove(slot, reason: .deleted, counted: false) }
            return .rejectedOversized
        }
        let charge = size + configuration.entryOverhead
        let expiry = Self.expiry(ttl, settings: settings, now: now)
        if let slot = liveSlot(key, now: now) {
            guard makeRoom(for: charge - charges[Int(slot)], now: now, protecting: slot) else {
                tallies[family.index].rejectedWrites += 1
                return .rejectedOutOfMemory
            }
            let s = Int(slot)
            values[s] = value
            used += charge - charges[s]
            charges[s] = charge
            expiries[s] = expiry ?? .max
            expiryIndex.set(slot, expiry: expiry, stamp: nextStamp())
            recency.moveToFront(slot, head: &recencyHead, tail: &recencyTail)
        } else {
            purgeExpired(now: now)
            guard makeRoom(for: charge, now: now, protecting: SlotLinks.none) else {
                tallies[family.index].rejectedWrites += 1
                return .rejectedOutOfMemory
            }
            insert(key, value: value, number: 0, expiry: expiry, charge: charge)
        }
        tallies[family.index].sets += 1
        return .stored
    }

    /// Adds `amount` to the counter `key` at `now` (`INCRBY`), creating it at 0 with TTL `ttl`
    /// if absent (`INCR` then `EXPIRE` on the first increment, the fixed-window rate-limit
    /// idiom); an existing counter keeps its TTL. A new counter is charged its family's
    /// typical size plus the overhead.
    @inlinable @discardableResult
    public mutating func incr(_ key: CacheKey, by amount: Int64 = 1, now: SimTime,
                              ttl: CacheExpiry = .familyDefault) -> RedisIncrementOutcome {
        let family = key.family
        evicted.removeAll(keepingCapacity: true)
        if let slot = liveSlot(key, now: now) {
            guard values[Int(slot)] == nil else { return .wrongType }
            numbers[Int(slot)] &+= amount
            recency.moveToFront(slot, head: &recencyHead, tail: &recencyTail)
            tallies[family.index].increments += 1
            return .value(numbers[Int(slot)])
        }
        let settings = configuration.families[family]
        let charge = settings.typicalBytes + configuration.entryOverhead
        purgeExpired(now: now)
        guard makeRoom(for: charge, now: now, protecting: SlotLinks.none) else {
            tallies[family.index].rejectedWrites += 1
            return .rejectedOutOfMemory
        }
        insert(key, value: nil, number: amount, expiry: Self.expiry(ttl, settings: settings, now: now),
               charge: charge)
        tallies[family.index].increments += 1
        return .value(amount)
    }

    /// Deletes `key` (`DEL`); returns whether a live key was removed (an expired one is
    /// counted as an expiration and reported as absent).
    @inlinable @discardableResult
    public mutating func delete(_ key: CacheKey, now: SimTime) -> Bool {
        guard let slot = liveSlot(key, now: now) else { return false }
        remove(slot, reason: .deleted)
        return true
    }

    /// Drops every key (`FLUSHALL`, or a restart without persistence); keeps the counters.
    public mutating func removeAll() {
        index.removeAll()
        keys.removeAll(keepingCapacity: true)
        values.removeAll(keepingCapacity: true)
        numbers.removeAll(keepingCapacity: true)
        expiries.removeAll(keepingCapacity: true)
        charges.removeAll(keepingCapacity: true)
        recency.removeAll()
        ownership.removeAll()
        ownerHeads.removeAll()
        expiryIndex.removeAll()
        recencyHead = SlotLinks.none
        recencyTail = SlotLinks.none
        freeHead = SlotLinks.none
        used = 0
        evicted.removeAll(keepingCapacity: true)
    }

    // MARK: Helpers

    /// The absolute expiry of a write at `now` (`nil`: none), saturating.
    @inlinable
    static func expiry(_ ttl: CacheExpiry, settings: CacheFamilySettings, now: SimTime) -> SimTime? {
        let duration: SimTime?
        switch ttl {
        case .familyDefault: duration = settings.ttl
        case .after(let t): duration = t
        case .never: duration = nil
        }
        guard let duration else { return nil }
        precondition(duration >= 0, "a TTL must not be negative")
        let (sum, overflow) = now.addingReportingOverflow(duration)
        return overflow ? .max : sum
    }

    /// The next write stamp.
    @inlinable
    mutating func nextStamp() -> UInt64 {
        stamp &+= 1
        return stamp
    }
}
