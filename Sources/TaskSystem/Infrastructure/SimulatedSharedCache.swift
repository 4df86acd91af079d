import Sim

// MARK: - Configuration

/// The simulated Redis: its model's settings, the round-trip latency and the API rate limit.
public struct SharedCacheConfiguration: Sendable, Hashable {
    /// Memory limit, eviction policy and per-family TTLs and sizes (the seed's by default).
    public var redis: RedisConfiguration
    /// Network plus server time of one round trip, in seconds (the seed's 1–5 ms by default).
    public var latency: Distribution
    /// Requests allowed per user per rate-limit window. The seed names the limit (a 1-minute
    /// counter per user) but not its value; 1,000 per minute is an assumption.
    public var rateLimit: Int
    /// The rate-limit window (60 s in the seed).
    public var rateLimitWindow: SimTime

    /// A configuration; the defaults are the seed's.
    public init(redis: RedisConfiguration = RedisConfiguration(),
                latency: Distribution = .uniform(low: 0.001, high: 0.005),
                rateLimit: Int = 1000,
                rateLimitWindow: SimTime = 60 * SimClock.nanosecondsPerSecond) {
        self.redis = redis
        self.latency = latency
        self.rateLimit = rateLimit
        self.rateLimitWindow = rateLimitWindow
    }

    /// The seed's cache: its family table, uniform 1–5 ms, 1,000 requests per user per minute.
    public static let seed = SharedCacheConfiguration()
}

// MARK: - Counters

/// Round trips the simulated cache served (key-level outcomes are in ``RedisCounters``).
public struct SharedCacheCounters: Sendable, Hashable {
    /// `GET` round trips.
    public var gets = 0
    /// `SET`/`SETEX` round trips.
    public var sets = 0
    /// Pipelined `DEL` round trips (one per ``SimulatedSharedCache/delete(_:)`` call).
    public var deletes = 0
    /// Keys named in those pipelines.
    public var keysDeleted = 0
    /// Pattern invalidations (one per ``SimulatedSharedCache/deleteAll(ownedBy:families:)`` call).
    public var patternInvalidations = 0
    /// Keys they removed.
    public var keysInvalidatedByPattern = 0
    /// Rate-limit checks (`INCR` + `EXPIRE`).
    public var rateLimitChecks = 0
    /// Checks that rejected the request (HTTP 429).
    public var rateLimited = 0

    /// Counters at zero.
    public init() {}

    /// Round trips in all.
    public var operations: Int { gets + sets + deletes + rateLimitChecks + patternInvalidations }
}

// MARK: - Simulated shared cache

/// The seed's L2 cache (Redis) on simulated time: a ``RedisModel`` of ``CachedValue``s and a
/// per-user ``RateLimiter`` behind a network.
///
/// Every operation is one round trip whose latency is drawn from
/// ``SharedCacheConfiguration/latency`` on the stream `streamName` (`"cache.latency"`); the
/// calling process sleeps for it, and **the operation takes effect when the reply is
/// produced, at the end of the latency**: a `get` sees the cache as it is then, a `set`'s TTL
/// runs from then, a rate-limit check falls in the window holding that instant. (Redis itself
/// applies a command about half-way through the round trip; at 1–5 ms the difference matters
/// only to TTL and window boundaries, and taking the end keeps "what the caller saw" and "when
/// it saw it" the same instant.) If the run ends during the latency the operation has no
/// effect and throws ``ProcessInterruption/simulationEnded``.
///
/// Confined to the simulation's thread, like the ``ProcessRuntime`` it runs on.
public final class SimulatedSharedCache: SharedCache, @unchecked Sendable {
    private let runtime: ProcessRuntime
    /// The settings the cache was made with.
    public let configuration: SharedCacheConfiguration
    /// The keys, values and per-family counters.
    public private(set) var redis: RedisModel<CachedValue>
    /// The rate limiter and its decisions.
    public private(set) var rateLimiter: RateLimiter
    /// Round trips served.
    public private(set) var counters = SharedCacheCounters()
    private var latency: LatencySampler
    private let valueSize: @Sendable (CacheKey, CachedValue) -> Int?

    // MARK: Creating

    /// A cache on `runtime` drawing latencies from `streams.stream(named: streamName)`.
    /// `valueSize` gives a value's size in bytes (`nil`: its family's typical size).
    public init(runtime: ProcessRuntime,
                configuration: SharedCacheConfiguration = .seed,
                streams: RandomStreamFactory,
                streamName: String = "cache.latency",
                valueSize: @escaping @Sendable (CacheKey, CachedValue) -> Int? = { _, _ in nil }) {
        self.runtime = runtime
        self.configuration = configuration
        redis = RedisModel(configuration: configuration.redis)
        rateLimiter = RateLimiter(limit: configuration.rateLimit, window: configuration.rateLimitWindow)
        latency = LatencySampler(configuration.latency, stream: streams.stream(named: streamName))
        self.valueSize = valueSize
    }

    // MARK: SharedCache

    /// `GET key`: the live value at reply time, counting a hit or miss for the key's family.
    public func get(_ key: CacheKey) async throws -> CachedValue? {
        try await roundTrip()
        counters.gets += 1
        return redis.get(key, now: runtime.now)
    }

    /// `SETEX key ttl value` (`ttl` nil: the family's TTL), the TTL running from reply time.
    public func set(_ key: CacheKey, _ value: CachedValue, ttl: SimTime?) async throws {
        try await roundTrip()
        counters.sets += 1
        redis.set(key, value, now: runtime.now, ttl: ttl.map(CacheExpiry.after) ?? .familyDefault,
                  bytes: valueSize(key, value))
    }

    /// `DEL` of every key in one pipeline: a single round trip. An empty list sends nothing.
    public func delete(_ keys: [CacheKey]) async throws {
        guard !keys.isEmpty else { return }
        try await roundTrip()
        counters.deletes += 1
        counters.keysDeleted += keys.count
        for key in keys { redis.delete(key, now: runtime.now) }
    }

    /// Deletes every live key of `owner` in `families` at reply time, in one round trip: the
    /// model's owner index answers the seed's `KEYS user:{id}:*` without a keyspace scan, and
    /// the deletion runs server-side with it (as a Lua script of `SCAN` + `UNLINK` would).
    /// Redis counts each key removed as a pattern deletion.
    public func deleteAll(ownedBy owner: CacheOwner, families: CacheFamilies) async throws -> Int {
        try await roundTrip()
        counters.patternInvalidations += 1
        let removed = redis.deleteAll(ownedBy: owner, families: families, now: runtime.now)
        counters.keysInvalidatedByPattern += removed
        return removed
    }

    /// Counts one request of `user` in the window holding the reply time; false (a 429) when
    /// the window's count is over the limit.
    public func allowRequest(of user: UserID) async throws -> Bool {
        try await roundTrip()
        counters.rateLimitChecks += 1
        let allowed = rateLimiter.check(user: user.rawValue, now: runtime.now, in: &redis).isAllowed
        if !allowed { counters.rateLimited += 1 }
        return allowed
    }

    // MARK: Warming and statistics

    /// Stores `entries` now, without latency or round-trip counts: cache warming at deploy
    /// (run it at time 0, before the load starts). Redis still counts the `set`s per family.
    /// Returns how many were stored.
    @discardableResult
    public func warm<Entries: Sequence>(_ entries: Entries, ttl: CacheExpiry = .familyDefault) -> Int
    where Entries.Element == (CacheKey, CachedValue) {
        var stored = 0
        for (key, value) in entries
        where redis.set(key, value, now: runtime.now, ttl: ttl, bytes: valueSize(key, value)).isStored {
            stored += 1
        }
        return stored
    }

    /// What Redis counted for `family` (hits, misses, sets, evictions, …).
    public func counters(for family: CacheKey.Family) -> RedisCounters {
        redis.counters(for: family)
    }

    /// Sets every counter to zero, keeping the data (warm-up deletion).
    public func resetCounters() {
        redis.resetCounters()
        rateLimiter.counters = RateLimiter.Counters()
        counters = SharedCacheCounters()
    }

    // MARK: Latency

    /// Sleeps for one round trip's latency.
    private func roundTrip() async throws {
        try await runtime.sleep(for: latency.next())
    }
}
