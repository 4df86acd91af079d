import Sim

// MARK: - Rate limiter

/// Per-user API rate limits in the shared cache: a fixed-window counter per user and window
/// (`INCR rate_limit:{user}:{window}`, expiring one window after its first request), as the
/// seed's 1-minute rate-limit entries. A request is allowed while its window's count is at
/// most ``limit``, otherwise rejected (HTTP 429). Rejected requests still count, as with
/// `INCR`-first limiters. If Redis refuses the counter (out of memory) the request is allowed
/// (fail open) and counted in ``Counters/failedOpen``.
public struct RateLimiter: Sendable, Hashable {
    /// Requests allowed per user per window.
    public var limit: Int
    /// The window length (60 s in the seed).
    public let window: SimTime
    /// What the limiter decided so far.
    public internal(set) var counters = Counters()

    /// What a ``RateLimiter`` decided.
    public struct Counters: Sendable, Hashable {
        /// Requests allowed (including those allowed by failing open).
        public var allowed = 0
        /// Requests rejected with 429.
        public var rejected = 0
        /// Requests allowed because the counter could not be written.
        public var failedOpen = 0
        /// Counters at zero.
        public init() {}
    }

    /// The decision on one request.
    public enum Decision: Sendable, Hashable {
        /// Allowed; `remaining` more requests fit in this window.
        case allowed(remaining: Int)
        /// Rejected (429); the window resets `retryAfter` from now.
        case rejected(retryAfter: SimTime)

        /// Whether the request may proceed.
        @inlinable public var isAllowed: Bool {
            if case .allowed = self { true } else { false }
        }
    }

    /// A limiter of `limit` requests per user per `window` (default 60 s).
    public init(limit: Int, window: SimTime = 60 * SimClock.nanosecondsPerSecond) {
        precondition(limit >= 0 && window > 0, "rate limit out of range")
        self.limit = limit
        self.window = window
    }

    /// The index of the window holding `now`.
    @inlinable
    public func windowIndex(at now: SimTime) -> Int {
        precondition(now >= 0, "simulated time must not be negative")
        return Int(now / window)
    }

    /// Counts a request of `user` at `now` in `redis` and decides it.
    public mutating func check<Value>(user: Int, now: SimTime, in redis: inout RedisModel<Value>) -> Decision {
        let windowIndex = windowIndex(at: now)
        let key = CacheKey.rateLimit(user: user, window: windowIndex)
        switch redis.incr(key, now: now, ttl: .after(window)) {
        case .value(let count):
            if count <= Int64(limit) {
                counters.allowed += 1
                return .allowed(remaining: limit - Int(count))
            }
            counters.rejected += 1
            return .rejected(retryAfter: SimTime(windowIndex + 1) * window - now)
        case .rejectedOutOfMemory, .wrongType:
            counters.allowed += 1
            counters.failedOpen += 1
            return .allowed(remaining: 0)
        }
    }
}
