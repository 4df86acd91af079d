import Sim

// MARK: - What the edge caches

/// The body of a cached `GET` response, as the origin answered it.
public enum EdgeResponse: Hashable, Sendable {
    /// `GET /tasks/{id}`.
    case task(TaskItem)
    /// `GET /projects/{id}/tasks`.
    case taskList([TaskWithAssignee])
}

/// The edge's cache key: the URL (endpoint and resource id) and, for per-user keys, the viewer;
/// packed in one word (endpoint in bits 60–63, resource in 30–59, viewer in 0–29, 0 = any).
public struct EdgeKey: PackedKey, Sendable {
    /// The packed key.
    public let rawValue: UInt64
    /// The packed key, for a ``SlotTable``.
    @inlinable public var packed: UInt64 { rawValue }

    /// The key of `endpoint` on resource `resource`, seen by `viewer` (`nil`: any viewer).
    @inlinable
    public init(_ endpoint: Endpoint, resource: Int, viewer: UserID?) {
        let index = Endpoint.allCases.firstIndex(of: endpoint)!
        precondition(index < 16 && resource >= 0 && resource <= CacheKey.maxID
                     && (viewer?.rawValue ?? 0) <= CacheKey.maxID, "EdgeKey out of range")
        rawValue = UInt64(index) << 60 | UInt64(resource) << 30 | UInt64(viewer?.rawValue ?? 0)
    }
}

// MARK: - The edge cache

/// One CDN edge's object cache for API responses: an ``LRUCache`` of at most `maxObjects`
/// responses, each kept `ttl` of simulated time from when the origin's answer reached the edge
/// (an entry is fresh while `now < stored + ttl`). A hit returns the body as stored — stale if
/// the data changed since, which is what a TTL-based CDN does. Time is a parameter.
public struct EdgeCache: Sendable {
    /// How long a response stays fresh.
    public let ttl: SimTime
    /// The cached responses; their counters are the edge's hits and misses.
    public private(set) var objects: LRUCache<EdgeKey, EdgeResponse>

    /// An empty edge cache.
    public init(ttl: SimTime, maxObjects: Int) {
        precondition(ttl >= 0, "edge TTL must not be negative")
        self.ttl = ttl
        objects = LRUCache(capacity: maxObjects, defaultTTL: ttl)
    }

    /// The fresh response for `key` at `now`, or `nil` (a miss: absent or expired).
    public mutating func lookup(_ key: EdgeKey, now: SimTime) -> EdgeResponse? {
        objects.get(key, now: now)
    }

    /// Stores the origin's answer for `key`, fresh for ``ttl`` from `now`.
    public mutating func store(_ key: EdgeKey, _ response: EdgeResponse, now: SimTime) {
        guard ttl > 0 else { return }
        objects.set(key, response, now: now, ttl: ttl)
    }
}
