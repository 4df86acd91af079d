import Sim

// MARK: - LRU cache (the seed's L1)

/// A bounded least-recently-used cache with optional per-entry TTL in simulated time: the
/// seed's L1, `functools.lru_cache(maxsize=1000)` in each API instance.
///
/// - Recency: `get` (on a hit) and `set` make an entry the most recently used; when a new key
///   arrives at `capacity` entries, the least recently used entry is removed to make room.
/// - TTL: an entry set with a TTL expires at `now + ttl`; it is present while `now < expiry`
///   and removed lazily, when it is next looked up (counted as an expiration and a miss) or
///   when it reaches the LRU tail and is chosen to make room (counted as an expiration, not an
///   eviction). ``count`` therefore includes expired entries not yet seen.
/// - Restart: ``removeAll()`` drops every entry (an instance restart loses its L1); the
///   counters are kept.
///
/// The entries live in parallel arrays indexed by slot and are linked in recency order by
/// slot indices (no node objects); a ``SlotTable`` maps each key's packed word to its slot (an
/// unseeded integer mix: the L1's `[CacheKey: Int32]` dictionary's SipHash was 2–3 % of a
/// 100,000-user run) and is only ever looked up, never iterated, so eviction order depends on
/// the operation sequence alone. Every operation is O(1) and, once the cache is full,
/// allocates nothing.
///
/// Time is a parameter: the cache holds no clock. Times passed in must not decrease.
public struct LRUCache<Key: PackedKey, Value> {
    /// The maximum number of entries.
    public let capacity: Int
    /// The TTL of entries set without one, or `nil` for entries that never expire.
    public var defaultTTL: SimTime?
    /// What the cache counted.
    @inlinable public var counters: CacheCounters { tally }
    @usableFromInline var tally = CacheCounters()

    // MARK: Storage

    /// Packed key → slot.
    @usableFromInline var index: SlotTable
    /// The key in each slot (`nil` in a free slot, so a removed key is released).
    @usableFromInline var keys: [Key?]
    /// The value in each slot (`nil` in a free slot).
    @usableFromInline var values: [Value?]
    /// When each slot's entry expires (`SimTime.max`: never).
    @usableFromInline var expiries: [SimTime]
    /// Recency links: `head` is the most recently used, `tail` the least.
    @usableFromInline var links: SlotLinks
    @usableFromInline var head = SlotLinks.none
    @usableFromInline var tail = SlotLinks.none
    /// Slots freed by `remove` or expiry, chained through `links.next`.
    @usableFromInline var freeHead = SlotLinks.none

    // MARK: Creating

    /// An empty cache of at most `capacity` entries (0 caches nothing); entries set without a
    /// TTL get `defaultTTL` (`nil`: never expire).
    public init(capacity: Int, defaultTTL: SimTime? = nil) {
        precondition(capacity >= 0 && capacity <= Int(Int32.max), "LRUCache capacity out of range")
        precondition((defaultTTL ?? 0) >= 0, "LRUCache TTL must not be negative")
        self.capacity = capacity
        self.defaultTTL = defaultTTL
        let reserve = min(capacity, 1 << 16)
        index = SlotTable(minimumCapacity: reserve)
        keys = []
        values = []
        expiries = []
        keys.reserveCapacity(reserve)
        values.reserveCapacity(reserve)
        expiries.reserveCapacity(reserve)
        links = SlotLinks(reservingCapacity: reserve)
    }

    // MARK: Size

    /// Entries held, including expired entries not yet looked up.
    @inlinable public var count: Int { index.count }
    /// Whether the cache holds no entry.
    @inlinable public var isEmpty: Bool { index.count == 0 }

    // MARK: Reading

    /// The value of `key` at `now`, making it the most recently used; `nil` if absent or
    /// expired (an expired entry is removed). Counts a hit or a miss.
    @inlinable
    public mutating func get(_ key: Key, now: SimTime) -> Value? {
        guard let slot = index.find(key.packed) else {
            tally.misses += 1
            return nil
        }
        if expiries[Int(slot)] <= now {
            tally.expirations += 1
            tally.misses += 1
            release(slot, key: key)
            return nil
        }
        tally.hits += 1
        links.moveToFront(slot, head: &head, tail: &tail)
        return values[Int(slot)]
    }

    /// The value of `key` at `now` without touching recency or counters.
    @inlinable
    public func peek(_ key: Key, now: SimTime) -> Value? {
        guard let slot = index.find(key.packed), expiries[Int(slot)] > now else { return nil }
        return values[Int(slot)]
    }

    /// Whether `key` holds a live value at `now` (touches neither recency nor counters).
    @inlinable
    public func contains(_ key: Key, now: SimTime) -> Bool {
        guard let slot = index.find(key.packed) else { return false }
        return expiries[Int(slot)] > now
    }

    /// The keys from most to least recently used (expired entries included); for reports and
    /// tests, O(count).
    public var keysByRecency: [Key] {
        var result: [Key] = []
        result.reserveCapacity(count)
        var slot = head
        while slot != SlotLinks.none {
            result.append(keys[Int(slot)]!)
            slot = links.next[Int(slot)]
        }
        return result
    }

    // MARK: Writing

    /// Stores `value` under `key` at `now`, expiring at `now + ttl` (`ttl` `nil`: the cache's
    /// ``defaultTTL``), and makes it the most recently used.
    ///
    /// - Returns: the entry removed to make room, if the key was new and the cache full (an
    ///   expired entry at the tail counts as an expiration, a live one as an eviction).
    @inlinable @discardableResult
    public mutating func set(_ key: Key, _ value: Value, now: SimTime, ttl: SimTime? = nil)
        -> (key: Key, value: Value)?
    {
        let expiry = Self.expiry(now: now, ttl: ttl ?? defaultTTL)
        guard capacity > 0 else { return nil }
        // The slot a new key would take: the LRU tail when full, else the next free one. One
        // hash probe finds the key or inserts it with that slot.
        let full = index.count >= capacity
        let candidate = full ? tail : (freeHead != SlotLinks.none ? freeHead : Int32(truncatingIfNeeded: keys.count))
        let (slot, isNew) = index.claim(key.packed, candidate: candidate)
        let s = Int(slot)
        guard isNew else {
            values[s] = value
            expiries[s] = expiry
            links.moveToFront(slot, head: &head, tail: &tail)
            return nil
        }
        guard full else {
            let taken = takeSlot()
            assert(taken == slot)
            keys[s] = key
            values[s] = value
            expiries[s] = expiry
            links.pushFront(slot, head: &head, tail: &tail)
            return nil
        }
        // Full: the least recently used entry gives up its slot in place.
        let removed = (key: keys[s]!, value: values[s]!)
        if expiries[s] <= now { tally.expirations += 1 } else { tally.evictions += 1 }
        index.remove(removed.key.packed)
        keys[s] = key
        values[s] = value
        expiries[s] = expiry
        links.moveToFront(slot, head: &head, tail: &tail)
        return removed
    }

    /// Removes `key`; returns the value it held (even if expired), or `nil`. Counts nothing.
    @inlinable @discardableResult
    public mutating func remove(_ key: Key) -> Value? {
        guard let slot = index.find(key.packed) else { return nil }
        let value = values[Int(slot)]
        release(slot, key: key)
        return value
    }

    /// Drops every entry, as an instance restart does; keeps the counters and the storage's
    /// capacity.
    public mutating func removeAll() {
        index.removeAll()
        keys.removeAll(keepingCapacity: true)
        values.removeAll(keepingCapacity: true)
        expiries.removeAll(keepingCapacity: true)
        links.removeAll()
        head = SlotLinks.none
        tail = SlotLinks.none
        freeHead = SlotLinks.none
    }

    /// Sets the counters to zero (e.g. at the end of a warm-up period).
    public mutating func resetCounters() {
        tally = CacheCounters()
    }

    // MARK: Slots

    /// `now + ttl`, saturating; `SimTime.max` without a TTL.
    @inlinable
    static func expiry(now: SimTime, ttl: SimTime?) -> SimTime {
        guard let ttl else { return .max }
        precondition(ttl >= 0, "LRUCache TTL must not be negative")
        let (sum, overflow) = now.addingReportingOverflow(ttl)
        return overflow ? .max : sum
    }

    /// A free slot: a recycled one, or a new one at the end of the arrays.
    @inlinable
    mutating func takeSlot() -> Int32 {
        let recycled = links.allocate(freeHead: &freeHead)
        if recycled != SlotLinks.none { return recycled }
        keys.append(nil)
        values.append(nil)
        expiries.append(.max)
        return links.appendSlot()
    }

    /// Unlinks and frees `slot`, which holds `key`.
    @inlinable
    mutating func release(_ slot: Int32, key: Key) {
        index.remove(key.packed)
        links.unlink(slot, head: &head, tail: &tail)
        keys[Int(slot)] = nil
        values[Int(slot)] = nil
        links.free(slot, freeHead: &freeHead)
    }
}

extension LRUCache: Sendable where Key: Sendable, Value: Sendable {}
