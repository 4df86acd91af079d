import Sim

// MARK: - Redis eviction policies

/// What the shared cache does when a write needs memory it does not have (Redis's
/// `maxmemory-policy`). Expired entries are always reclaimed first, oldest expiry first,
/// standing in for Redis's active expiry cycle.
public enum RedisEvictionPolicy: String, Sendable, Hashable, CaseIterable {
    /// Evict the least recently used key, TTL or not (`allkeys-lru`). Exact LRU, where Redis
    /// approximates it by sampling `maxmemory-samples` (5) keys; exact is deterministic and the
    /// difference is small at 5 samples and above.
    case allkeysLRU = "allkeys-lru"
    /// Evict the key with a TTL that expires soonest (`volatile-ttl`; exact, where Redis
    /// samples); keys without a TTL are never evicted, and if none has one the write fails.
    case volatileTTL = "volatile-ttl"
    /// Never evict (`noeviction`): a write that needs memory fails (Redis's OOM error).
    case noEviction = "noeviction"
}

// MARK: - Configuration

/// The shared cache's memory limit, policy and per-family settings.
public struct RedisConfiguration: Sendable, Hashable {
    /// `maxmemory` in bytes; `nil` for no limit (Redis's `maxmemory 0`).
    public var maxMemory: Int?
    /// `maxmemory-policy`.
    public var evictionPolicy: RedisEvictionPolicy
    /// Bytes charged per key on top of its value (dict entry, object header, key string,
    /// expiry entry). An assumption: 64 B, of the order Redis's `MEMORY USAGE` reports for a
    /// small key.
    public var entryOverhead: Int
    /// TTLs, typical sizes and size limits per family; the seed's by default.
    public var families: CacheFamilyTable
    /// Whether a value larger than its family's ``CacheFamilySettings/sizeLimit`` is refused
    /// (``RedisWriteOutcome/rejectedOversized``) rather than cached.
    public var enforcesSizeLimits: Bool

    /// A configuration; the defaults are no memory limit, `allkeys-lru`, 64 B per key, the
    /// seed's family table, size limits enforced.
    public init(maxMemory: Int? = nil, evictionPolicy: RedisEvictionPolicy = .allkeysLRU,
                entryOverhead: Int = 64, families: CacheFamilyTable = .seed,
                enforcesSizeLimits: Bool = true) {
        precondition((maxMemory ?? 0) >= 0 && entryOverhead >= 0, "Redis sizes must not be negative")
        self.maxMemory = maxMemory
        self.evictionPolicy = evictionPolicy
        self.entryOverhead = entryOverhead
        self.families = families
        self.enforcesSizeLimits = enforcesSizeLimits
    }
}

// MARK: - Expiry and outcomes

/// The TTL of a write.
public enum CacheExpiry: Sendable, Hashable {
    /// The key family's TTL from ``RedisConfiguration/families``.
    case familyDefault
    /// Expire `ttl` after the write (`SETEX`); present while `now < write + ttl`.
    case after(SimTime)
    /// Never expire (`SET` without `EX`).
    case never
}

/// What became of a write.
public enum RedisWriteOutcome: Sendable, Hashable {
    /// The value is stored.
    case stored
    /// Memory was full and the policy could not make room (`noeviction`, `volatile-ttl` with
    /// no key left to evict, or a value larger than `maxMemory`): Redis's OOM error. Any
    /// previous value of the key is kept, as in Redis.
    case rejectedOutOfMemory
    /// The value is larger than its family's size limit; the key is left absent (a previous
    /// value is deleted, so a refused write-through never leaves a stale entry behind).
    case rejectedOversized

    /// Whether the value was stored.
    @inlinable public var isStored: Bool { self == .stored }
}

/// What became of an `incr`.
public enum RedisIncrementOutcome: Sendable, Hashable {
    /// The counter's value after the increment.
    case value(Int64)
    /// The key was absent and memory was full (Redis's OOM error).
    case rejectedOutOfMemory
    /// The key holds a value, not a counter (Redis's "value is not an integer" error).
    case wrongType
}
