import Sim

// MARK: - Redis model (the seed's L2)

/// The shared cache (the seed's L2, Redis): keys of the seed's families, values typed by the
/// caller, integer counters for rate limits, TTLs in simulated time, a memory limit with an
/// eviction policy, and per-family counters.
///
/// - Expiry: an entry written with a TTL is present while `now < write + ttl`. Expired entries
///   are removed when touched, and every write of a new key first removes every entry expired
///   by then (``purgeExpired(now:)``): Redis's active expiry, which samples keys with a TTL ten
///   times a second and keeps the expired ones under a quarter of them, modelled as prompt. Until
///   removed, they count in ``usedMemory`` and ``count``. (Removed only when touched or when a
///   write needed memory, a rate-limit key a user wrote each minute and never read again stayed
///   for the rest of the run: memory grew with the simulated duration, and every `KEYS`/`SCAN`
///   walked the dead keys.)
/// - Memory: each entry is charged its size (the caller's, or its family's typical size) plus
///   ``RedisConfiguration/entryOverhead``; a write that would take ``usedMemory`` above
///   `maxMemory` first reclaims expired entries, then evicts by policy (see
///   ``RedisEvictionPolicy``), or fails.
/// - Pattern deletion: every key is linked into its owner's list (a user or a project), so
///   deleting "all of user 42's keys" visits only that user's keys, never the keyspace.
/// - Latency is not modelled here; the simulator adds it.
///
/// Deterministic: the key and owner hash tables (unseeded) are only looked up, never iterated;
/// recency, expiry order and owner lists are index-linked structures whose order depends on the
/// operation sequence only.
/// Times passed in must not decrease.
public struct RedisModel<Value> {
    /// Memory limit, policy and family settings.
    public var configuration: RedisConfiguration

    // MARK: Storage (slot-indexed parallel arrays)

    /// Key (packed) → slot.
    @usableFromInline var index = SlotTable()
    /// The key in each slot (stale in a free slot).
    @usableFromInline var keys: [CacheKey] = []
    /// The value in each slot; `nil` for a counter or a free slot.
    @usableFromInline var values: [Value?] = []
    /// The counter in each slot (meaningful when `values[slot] == nil`).
    @usableFromInline var numbers: [Int64] = []
    /// When each slot's entry expires (`SimTime.max`: never).
    @usableFromInline var expiries: [SimTime] = []
    /// The bytes charged for each slot's entry (size + overhead).
    @usableFromInline var charges: [Int] = []
    /// Recency links (head: most recently used); free slots are chained through `next`.
    @usableFromInline var recency = SlotLinks(reservingCapacity: 0)
    @usableFromInline var recencyHead = SlotLinks.none
    @usableFromInline var recencyTail = SlotLinks.none
    @usableFromInline var freeHead = SlotLinks.none
    /// Owner lists: each entry is linked into the list of its user or project.
    @usableFromInline var ownership = SlotLinks(reservingCapacity: 0)
    /// Packed owner → first slot of its list (present only for owners with keys).
    @usableFromInline var ownerHeads = SlotTable()
    /// Entries with a TTL, soonest expiry first.
    @usableFromInline var expiryIndex = ExpiryIndex()
    /// Write sequence number, to order equal expiries.
    @usableFromInline var stamp: UInt64 = 0
    /// Bytes charged in all.
    @usableFromInline var used = 0
    /// Counters per family (by `Family.index`).
    @usableFromInline var tallies = [RedisCounters](repeating: RedisCounters(), count: CacheKey.Family.count)
    /// Keys evicted by the latest write.
    @usableFromInline var evicted: [CacheKey] = []

    // MARK: Creating

    /// An empty cache.
    public init(configuration: RedisConfiguration = RedisConfiguration()) {
        self.configuration = configuration
    }

    // MARK: State

    /// Bytes in use: the charges of every entry held, expired ones not yet reclaimed included.
    @inlinable public var usedMemory: Int { used }
    /// Entries held, expired ones not yet reclaimed included.
    @inlinable public var count: Int { index.count }
    /// The keys evicted by the policy during the latest `set` or `incr`, in eviction order.
    @inlinable public var lastEvictions: [CacheKey] { evicted }

    /// What was counted for `family`.
    @inlinable
    public func counters(for family: CacheKey.Family) -> RedisCounters { tallies[family.index] }

    /// What was counted over every family.
    public var counters: RedisCounters { tallies.reduce(RedisCounters(), +) }

    /// Sets every counter to zero (e.g. at the end of a warm-up period).
    public mutating func resetCounters() {
        for i in tallies.indices { tallies[i] = RedisCounters() }
    }

    // MARK: Reading

    /// The value of `key` at `now`, or `nil` if it is absent, expired or a counter. Counts a hit
    /// or a miss for the key's family and makes the key the most recently used on a hit.
    @inlinable
    public mutating func get(_ key: CacheKey, now: SimTime) -> Value? {
        let f = key.family.index
        guard let slot = liveSlot(key, now: now), let value = values[Int(slot)] else {
            tallies[f].misses += 1
            return nil
        }
        tallies[f].hits += 1
        recency.moveToFront(slot, head: &recencyHead, tail: &recencyTail)
        return value
    }

    /// The counter of `key` at `now` (`nil` if absent, expired or a value); counts nothing.
    @inlinable
    public func counter(_ key: CacheKey, now: SimTime) -> Int64? {
        guard let slot = index.find(key.rawValue), expiries[Int(slot)] > now, values[Int(slot)] == nil
        else { return nil }
        return numbers[Int(slot)]
    }

    /// The value of `key` at `now` without touching recency or counters.
    @inlinable
    public func peek(_ key: CacheKey, now: SimTime) -> Value? {
        guard let slot = index.find(key.rawValue), expiries[Int(slot)] > now else { return nil }
        return values[Int(slot)]
    }

    /// Whether `key` holds a live value (not a counter) at `now`: `peek(key, now:) != nil`
    /// without copying the value out. Counts nothing.
    @inlinable
    public func holdsValue(_ key: CacheKey, now: SimTime) -> Bool {
        guard let slot = index.find(key.rawValue), expiries[Int(slot)] > now else { return false }
        return values[Int(slot)] != nil
    }

    /// Whether `key` holds a live value or counter at `now` (Redis `EXISTS`); counts nothing.
    @inlinable
    public func contains(_ key: CacheKey, now: SimTime) -> Bool {
        guard let slot = index.find(key.rawValue) else { return false }
        return expiries[Int(slot)] > now
    }

    /// When `key` expires: `nil` if it is absent or expired at `now`, `SimTime.max` if it has no
    /// TTL (Redis `TTL` gives the difference to `now`).
    @inlinable
    public func expiry(of key: CacheKey, now: SimTime) -> SimTime? {
        guard let slot = index.find(key.rawValue), expiries[Int(slot)] > now else { return nil }
        return expiries[Int(slot)]
    }

    /// The slot of `key` if it is live at `now`; an expired entry is removed and counted.
    @inlinable
    mutating func liveSlot(_ key: CacheKey, now: SimTime) -> Int32? {
        guard let slot = index.find(key.rawValue) else { return nil }
        guard expiries[Int(slot)] > now else {
            remove(slot, reason: .expired)
            return nil
        }
        return slot
    }
}

extension RedisModel: Sendable where Value: Sendable {}
