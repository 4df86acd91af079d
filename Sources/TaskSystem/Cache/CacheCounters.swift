// MARK: - Cache counters

/// What an in-process cache (``LRUCache``) counted since it was made or its counters reset.
public struct CacheCounters: Sendable, Hashable {
    /// Lookups that found a live entry.
    public var hits = 0
    /// Lookups that found nothing (including entries found expired).
    public var misses = 0
    /// Live entries removed to make room for another.
    public var evictions = 0
    /// Entries removed because their TTL had passed (found on access or at the LRU tail).
    public var expirations = 0

    /// Counters at zero.
    @inlinable public init() {}

    /// Lookups in all.
    @inlinable public var lookups: Int { hits + misses }

    /// `hits / lookups`, or `nil` before the first lookup.
    @inlinable public var hitRate: Double? {
        lookups == 0 ? nil : Double(hits) / Double(lookups)
    }

    /// The field-wise sum (e.g. of the L1 caches of all instances).
    @inlinable
    public static func + (a: CacheCounters, b: CacheCounters) -> CacheCounters {
        var sum = a
        sum.hits += b.hits
        sum.misses += b.misses
        sum.evictions += b.evictions
        sum.expirations += b.expirations
        return sum
    }
}

/// What the shared cache (``RedisModel``) counted for one key family, or in all.
public struct RedisCounters: Sendable, Hashable {
    /// `get`s that found a live value.
    public var hits = 0
    /// `get`s that found nothing, an expired entry, or a counter where a value was expected.
    public var misses = 0
    /// Values stored by `set`.
    public var sets = 0
    /// `incr` calls that succeeded.
    public var increments = 0
    /// Keys removed by `delete`.
    public var deletes = 0
    /// Live keys removed by the eviction policy to make room.
    public var evictions = 0
    /// Keys removed because their TTL had passed (lazily on access, when memory was needed, or
    /// by `purgeExpired`).
    public var expirations = 0
    /// Keys removed by a pattern (owner) deletion.
    public var patternDeletions = 0
    /// Writes refused because memory was full and the policy could not (or may not) evict.
    public var rejectedWrites = 0
    /// Writes refused because the value was larger than its family's size limit.
    public var oversized = 0

    /// Counters at zero.
    @inlinable public init() {}

    /// Lookups (`get`) in all.
    @inlinable public var lookups: Int { hits + misses }

    /// `hits / lookups`, or `nil` before the first lookup.
    @inlinable public var hitRate: Double? {
        lookups == 0 ? nil : Double(hits) / Double(lookups)
    }

    /// The field-wise sum.
    @inlinable
    public static func + (a: RedisCounters, b: RedisCounters) -> RedisCounters {
        var sum = a
        sum.hits += b.hits
        sum.misses += b.misses
        sum.sets += b.sets
        sum.increments += b.increments
        sum.deletes += b.deletes
        sum.evictions += b.evictions
        sum.expirations += b.expirations
        sum.patternDeletions += b.patternDeletions
        sum.rejectedWrites += b.rejectedWrites
        sum.oversized += b.oversized
        return sum
    }
}
