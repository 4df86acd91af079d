import Sim

// MARK: - Configuration

/// The simulated Redis: its model's settings, the node, the round-trip latency, the command
/// thread's costs and the API rate limit.
public struct SharedCacheConfiguration: Sendable, Hashable {
    /// Memory limit, eviction policy and per-family TTLs and sizes (the seed's by default).
    public var redis: RedisConfiguration
    /// Network time of one round trip, in seconds (the seed's 1–5 ms by default); the command
    /// thread's queueing and service come on top.
    public var latency: Distribution
    /// The node: its memory gives `maxmemory` when ``RedisConfiguration/maxMemory`` is not set,
    /// its baseline bandwidth the transfer time of values (nil: neither limit).
    public var node: RedisNodeType? = RedisNodeType.defaultNode
    /// Seconds of the command thread per command (8 µs: `redis-benchmark` without pipelining
    /// serves about 125,000 `GET`s or `SET`s a second on one core). With 0, no bandwidth
    /// limit and no key scans, commands cost the thread nothing and never queue.
    public var commandTime = 0.000_008
    /// Network bandwidth in bytes per second; nil: the node's baseline.
    public var bandwidth: Double?
    /// How pattern invalidation finds its keys: `KEYS` (the seed's code) or `SCAN`.
    public var patternDelete = RedisPatternDelete.keys
    /// `SCAN`'s `COUNT` (Redis's default: 10).
    public var scanCount = 10
    /// Seconds of the command thread per key a `KEYS` or `SCAN` looks at (40 ns: "Redis
    /// running on an entry level laptop can scan a 1 million key database in 40 milliseconds",
    /// redis.io's `KEYS` page).
    public var keyScanTime = 0.000_000_04
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

    /// Bytes per second values travel at (`.infinity`: no bandwidth limit).
    public var effectiveBandwidth: Double { bandwidth ?? node?.bandwidthBytesPerSecond ?? .infinity }

    /// The Redis settings with `maxmemory` from the node when none is set.
    public var effectiveRedis: RedisConfiguration {
        var redis = self.redis
        if redis.maxMemory == nil, let node { redis.maxMemory = node.maxMemoryBytes }
        return redis
    }
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
    /// `KEYS` or `SCAN` commands of pattern invalidations, and the keys they looked at.
    public var keyScans = 0
    public var keysScanned = 0
    /// Rate-limit checks (`INCR` + `EXPIRE`).
    public var rateLimitChecks = 0
    /// Checks that rejected the request (HTTP 429).
    public var rateLimited = 0

    /// Counters at zero.
    public init() {}

    /// Round trips in all (a pattern invalidation: its `KEYS` or `SCAN`s and its `DEL`).
    public var operations: Int { gets + sets + deletes + rateLimitChecks + keyScans + patternInvalidations }
}

// MARK: - Simulated shared cache

/// The seed's L2 cache (Redis) on simulated time: a ``RedisModel`` of ``CachedValue``s and a
/// per-user ``RateLimiter`` behind a network.
///
/// Every operation is one round trip whose network latency is drawn from
/// ``SharedCacheConfiguration/latency`` on the stream `streamName` (`"cache.latency"`), plus
/// its time on the node's single command thread (``RedisCommandThread``): queueing behind the
/// commands issued before it, then ``SharedCacheConfiguration/commandTime`` plus the value's
/// bytes at the node's bandwidth (plus, for `KEYS`/`SCAN`, the keys looked at). The calling
/// process sleeps for it all at once, and **the operation takes effect when the reply is
/// produced, at the end**: a `get` sees the cache as it is then, a `set`'s TTL
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
    /// A value's own size in bytes (`nil` closure, or `nil` from it: the family's typical size).
    private let valueSize: (@Sendable (CacheKey, CachedValue) -> Int?)?
    /// The node's command thread.
    private var thread = RedisCommandThread()
    private let bandwidth: Double

    // MARK: Creating

    /// A cache on `runtime` drawing latencies from `streams.stream(named: streamName)`.
    /// `valueSize` gives a value's size in bytes (`nil`, or `nil` from it: its family's typical
    /// size; without it a `GET` sizes its reply without copying the value out of the model).
    public init(runtime: ProcessRuntime,
                configuration: SharedCacheConfiguration = .seed,
                streams: RandomStreamFactory,
                streamName: String = "cache.latency",
                valueSize: (@Sendable (CacheKey, CachedValue) -> Int?)? = nil) {
        self.runtime = runtime
        self.configuration = configuration
        redis = RedisModel(configuration: configuration.effectiveRedis)
        bandwidth = configuration.effectiveBandwidth
        rateLimiter = RateLimiter(limit: configuration.rateLimit, window: configuration.rateLimitWindow)
        latency = LatencySampler(configuration.latency, stream: streams.stream(named: streamName))
        self.valueSize = valueSize
    }

    // MARK: SharedCache

    /// `GET key`: the live value at reply time, counting a hit or miss for the key's family.
    public func get(_ key: CacheKey) async throws -> CachedValue? {
        // The reply's size is the value's as the key holds it when the command is issued.
        try checkAvailable()
        try await roundTrip(bytes: replyBytes(for: key))
        counters.gets += 1
        return redis.get(key, now: runtime.now)
    }

    /// `SETEX key ttl value` (`ttl` nil: the family's TTL), the TTL running from reply time.
    public func set(_ key: CacheKey, _ value: CachedValue, ttl: SimTime?) async throws {
        try checkAvailable()
        try await roundTrip(bytes: size(of: key, value))
        counters.sets += 1
        redis.set(key, value, now: runtime.now, ttl: ttl.map(CacheExpiry.after) ?? .familyDefault,
                  bytes: valueSize?(key, value))
    }

    /// `DEL` of every key in one pipeline: a single round trip. An empty list sends nothing.
    public func delete(_ keys: [CacheKey]) async throws {
        try checkAvailable()
        guard !keys.isEmpty else { return }
        try await roundTrip()
        counters.deletes += 1
        counters.keysDeleted += keys.count
        for key in keys { redis.delete(key, now: runtime.now) }
    }

    /// The seed's `invalidate_user_caches`: finds the keys of `owner` in `families` with `KEYS`
    /// (one command walking the whole keyspace, blocking the command thread) or `SCAN` (⌈keys /
    /// `COUNT`⌉ round trips, each walking `COUNT` keys), as
    /// ``SharedCacheConfiguration/patternDelete`` says, then deletes them with one `DEL` (or
    /// does both in one round trip with a server-side script). Every
    /// key looked at costs ``SharedCacheConfiguration/keyScanTime`` of the command thread. The
    /// keys deleted are those live at the `DEL`'s reply (the model's owner index names them;
    /// a key written between the scan and the `DEL` goes too). Redis counts each key removed
    /// as a pattern deletion.
    public func deleteAll(ownedBy owner: CacheOwner, families: CacheFamilies) async throws -> Int {
        try checkAvailable()
        redis.purgeExpired(now: runtime.now)  // active expiry: the walk meets live keys
        let keyspace = redis.count
        switch configuration.patternDelete {
        case .keys:
            try await roundTrip(bytes: 0, scanning: keyspace)
            counters.keyScans += 1
            counters.keysScanned += keyspace
        case .scan:
            let count = max(1, configuration.scanCount)
            var remaining = keyspace
            repeat {
                let step = min(count, remaining)
                try await roundTrip(bytes: 0, scanning: step)
                counters.keyScans += 1
                counters.keysScanned += step
                remaining -= step
            } while remaining > 0
        case .script:
            try await roundTrip(bytes: 0, scanning: keyspace)
            counters.keysScanned += keyspace
        }
        if configuration.patternDelete != .script { try await roundTrip() }
        counters.patternInvalidations += 1
        let removed = redis.deleteAll(ownedBy: owner, families: families, now: runtime.now)
        counters.keysInvalidatedByPattern += removed
        return removed
    }

    /// Counts one request of `user` in the window holding the reply time; false (a 429) when
    /// the window's count is over the limit.
    public func allowRequest(of user: UserID) async throws -> Bool {
        try checkAvailable()
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
        where redis.set(key, value, now: runtime.now, ttl: ttl, bytes: valueSize?(key, value)).isStored {
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

    /// Sleeps for one round trip: the network latency, and the command's wait for and time on
    /// the command thread — its fixed cost, `bytes` at the bandwidth, `scanning` keys looked at.
    private func roundTrip(bytes: Int = 0, scanning keys: Int = 0) async throws {
        let network = latency.next()
        let service = configuration.commandTime + Double(bytes) / bandwidth + Double(keys) * configuration.keyScanTime
        let now = runtime.now
        let done = thread.serve(at: now, seconds: service)
        try await runtime.sleep(for: SimClock.adding(network, to: done - now) + extraLatency)
        try checkAvailable()  // Redis went away while the command was on its way: no effect
    }

    /// The bytes of `value` under `key`: its own size, or its family's typical size.
    private func size(of key: CacheKey, _ value: CachedValue) -> Int {
        valueSize?(key, value) ?? configuration.redis.families[key.family].typicalBytes
    }

    /// The bytes of a `GET key` reply issued now: the value's size if the key holds a live
    /// value, else 0 (absent, expired, or a counter). Without a `valueSize` closure every value
    /// has its family's typical size, so the value is not copied out (a retain and release per
    /// `GET` otherwise).
    private func replyBytes(for key: CacheKey) -> Int {
        guard valueSize != nil else {
            return redis.holdsValue(key, now: runtime.now) ? configuration.redis.families[key.family].typicalBytes : 0
        }
        return redis.peek(key, now: runtime.now).map { size(of: key, $0) } ?? 0
    }

    /// Seconds the command thread has been busy (for its utilisation).
    public var commandThreadBusySeconds: Double { thread.busySeconds }

    // MARK: Faults

    /// Whether Redis is unreachable (a `redis-outage`): every call throws
    /// ``RedisUnavailable`` at once (connection refused: no latency, no command-thread time).
    public private(set) var isUnavailable = false
    /// Calls refused while Redis was unreachable.
    public private(set) var refusedCalls = 0
    /// Added to every round trip during a `latency-spike` on `api-cache`.
    var extraLatency: SimTime = 0

    /// Redis becomes unreachable now; its memory is lost (it restarts without persistence).
    public func becomeUnavailable() {
        isUnavailable = true
        redis.removeAll()
    }

    /// Redis answers again, empty: every key must be rebuilt from the database (the stampede).
    public func becomeAvailable() {
        isUnavailable = false
        redis.removeAll()
    }

    /// `FLUSHALL`: every key dropped at once (counters kept).
    public func flush() {
        redis.removeAll()
    }

    /// Throws ``RedisUnavailable`` (counting the refused call) while Redis is unreachable.
    @inline(__always)
    private func checkAvailable() throws(RedisUnavailable) {
        guard isUnavailable else { return }
        refusedCalls += 1
        throw RedisUnavailable()
    }
}

/// A call to Redis while it is unreachable (`redis.exceptions.ConnectionError`): the API
/// answers 500 (the seed's code does not catch it).
public struct RedisUnavailable: Error, Sendable, Equatable {
    public init() {}
}
