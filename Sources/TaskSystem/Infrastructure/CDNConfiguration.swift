import Sim

// MARK: - The CDN in front of the load balancer

/// The seed's CloudFront layer ("Client → CloudFront CDN → API Instances"): an edge that every
/// client request passes when the CDN is on, caching cacheable `GET` responses by URL for a TTL
/// and serving static assets, so that only misses reach the load balancer.
///
/// The seed draws the layer but gives no numbers; every default below is an assumption,
/// documented in `docs/scenarios.md` (`cdn`). A scenario without a `cdn` section has no CDN
/// (``TaskSystemConfiguration/cdn`` is `nil`), so the shipped scenarios are unchanged by it.
public struct CDNConfiguration: Sendable, Equatable {
    /// What the edge's cache key holds besides the URL.
    public enum CacheKey: String, Sendable, CaseIterable {
        /// The URL and the viewer (CloudFront forwarding the `Authorization` header into the
        /// cache key): a cached response is served to the user it was made for only. Safe for
        /// per-user, permission-checked content; the default.
        case perUser = "per-user"
        /// The URL alone: one cached response is served to every viewer, without asking the
        /// origin whether the viewer may see it. Only for content the scenario declares public.
        case url
    }

    /// Static assets (the app's JavaScript, CSS, images) fetched after each page load.
    public struct StaticAssets: Sendable, Equatable {
        /// Endpoints whose request is a page load (the single-page app loads once per session,
        /// at login, by default).
        public var pages: [Endpoint]
        /// Assets each page load fetches, one after another (0: none).
        public var perPage: Int
        /// Probability that the edge holds an asset (versioned assets with long TTLs; the seed
        /// gives none, 0.95 is an assumption).
        public var hitRatio: Double
        /// CPU seconds an API instance spends serving an asset the edge missed.
        public var originCPU: Distribution

        /// Static assets; the defaults are documented assumptions.
        public init(pages: [Endpoint] = [.login], perPage: Int = 4, hitRatio: Double = 0.95,
                    originCPU: Distribution = .exponential(mean: 0.001)) {
            self.pages = pages
            self.perPage = perPage
            self.hitRatio = hitRatio
            self.originCPU = originCPU
        }
    }

    /// The client ↔ edge round trip, in seconds, paid by every request through the CDN.
    public var edgeLatency: Distribution
    /// `GET` endpoints whose successful responses the edge caches (none by default: the API
    /// answers `Cache-Control: private, no-store` unless the scenario says otherwise).
    public var cacheable: [Endpoint]
    /// How long the edge keeps a cached response (CloudFront's default TTL is 24 h; API
    /// responses get the seed's shortest data TTL, 1 minute, by default).
    public var ttl: SimTime
    /// What the cache key holds besides the URL.
    public var cacheKey: CacheKey
    /// A client that wrote within the API's consistency window sends its cacheable reads past
    /// the edge (a cache-busting query string), so the writer reads its own writes. Turning it
    /// off lets the edge answer the writer with what it cached before the write.
    public var writerBypass: Bool
    /// Cached responses one edge holds at most (least recently used evicted beyond).
    public var maxObjects: Int
    /// Static assets.
    public var staticAssets: StaticAssets

    /// A CDN; the defaults are documented assumptions (the seed gives no figures).
    public init(edgeLatency: Distribution = .lognormal(mean: 0.01, cv: 0.5), cacheable: [Endpoint] = [],
                ttl: SimTime = 60 * SimClock.nanosecondsPerSecond, cacheKey: CacheKey = .perUser,
                writerBypass: Bool = true, maxObjects: Int = 1_000_000, staticAssets: StaticAssets = StaticAssets()) {
        self.edgeLatency = edgeLatency
        self.cacheable = cacheable
        self.ttl = ttl
        self.cacheKey = cacheKey
        self.writerBypass = writerBypass
        self.maxObjects = maxObjects
        self.staticAssets = staticAssets
    }

    /// The endpoints an edge can cache: `GET`s whose response is one resource named by the URL.
    /// (`search_tasks` is a `GET` too, but its queries are too varied to cache, as in the API.)
    public static let cacheableEndpoints: [Endpoint] = [.getTask, .listTasks]
}
