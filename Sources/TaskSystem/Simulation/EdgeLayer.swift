import Sim

// MARK: - What the edge counted

/// What the CDN edge counted over the whole run (measurements are differences of two
/// snapshots, like the other counters).
public struct EdgeCounters: Sendable, Hashable {
    /// Requests the edge received: API calls and static assets.
    public var requests = 0
    /// Requests the edge answered itself: fresh cached API responses and asset hits.
    public var hits = 0
    /// Requests the edge passed to the load balancer (misses, bypasses, uncacheable calls,
    /// asset misses).
    public var originRequests = 0
    /// Cacheable `GET`s looked up in the edge cache (bypasses are not looked up).
    public var apiLookups = 0
    /// Of those, the ones answered from the edge cache.
    public var apiHits = 0
    /// Edge hits whose body differed from what the primary database held at that instant.
    public var staleResponses = 0
    /// Cacheable reads a recent writer sent past the edge.
    public var bypasses = 0
    /// Static-asset requests.
    public var assetRequests = 0
    /// Of those, the ones the edge held.
    public var assetHits = 0
    /// Static-asset misses answered 502: no instance in service, a crashed target the health
    /// checks had not caught yet, or an instance that crashed while serving the asset.
    public var badGateway = 0

    /// Counters at zero.
    public init() {}

    /// The field-wise difference (`end - start`).
    public static func - (a: EdgeCounters, b: EdgeCounters) -> EdgeCounters {
        var d = EdgeCounters()
        d.requests = a.requests - b.requests
        d.hits = a.hits - b.hits
        d.originRequests = a.originRequests - b.originRequests
        d.apiLookups = a.apiLookups - b.apiLookups
        d.apiHits = a.apiHits - b.apiHits
        d.staleResponses = a.staleResponses - b.staleResponses
        d.bypasses = a.bypasses - b.bypasses
        d.assetRequests = a.assetRequests - b.assetRequests
        d.assetHits = a.assetHits - b.assetHits
        d.badGateway = a.badGateway - b.badGateway
        return d
    }
}

// MARK: - The edge's state in a run

/// The CDN edge of one replication: its cache of API responses, its random streams, what it
/// counted, the requests it holds now, and when each client last wrote (for the writer bypass).
///
/// Streams: `cdn.latency` (client ↔ edge round trips), `cdn.assets` (asset hit or miss),
/// `cdn.origin` (origin CPU per asset miss) — named, so turning the CDN on draws nothing from
/// the streams of the other components.
struct EdgeLayer {
    let configuration: CDNConfiguration
    var cache: EdgeCache
    var latency: LatencySampler
    var assetDraws: RandomStream
    var originCPU: LatencySampler
    var counters = EdgeCounters()
    /// Requests between the client and the load balancer now (conservation's in-flight part).
    var atEdge = 0
    /// Whether each endpoint (by `Endpoint.allCases` index) is cached, or is a page load.
    let isCacheable: [Bool]
    let isPage: [Bool]
    /// When each user (index `id - 1`) last sent a write; `nil` if never.
    var lastWriteAt: [SimTime?]
    /// How long after a write the client bypasses the edge (the API's consistency window).
    let bypassWindow: SimTime

    init(configuration: CDNConfiguration, users: Int, consistencyWindow: SimTime, streams: RandomStreamFactory) {
        self.configuration = configuration
        cache = EdgeCache(ttl: configuration.ttl, maxObjects: configuration.maxObjects)
        latency = LatencySampler(configuration.edgeLatency, stream: streams.stream(named: "cdn.latency"))
        assetDraws = streams.stream(named: "cdn.assets")
        originCPU = LatencySampler(configuration.staticAssets.originCPU, stream: streams.stream(named: "cdn.origin"))
        isCacheable = Endpoint.allCases.map { configuration.cacheable.contains($0) }
        isPage = Endpoint.allCases.map { configuration.staticAssets.pages.contains($0) }
        lastWriteAt = Array(repeating: nil, count: users)
        bypassWindow = consistencyWindow
    }

    /// Whether `user`, having written recently, sends its cacheable reads past the edge at `now`.
    func bypasses(_ user: UserID, at now: SimTime) -> Bool {
        guard configuration.writerBypass, let written = lastWriteAt[user.rawValue - 1] else { return false }
        return now - written < bypassWindow
    }

    /// The cache key of `endpoint` on `resource` for `user`.
    func key(_ endpoint: Endpoint, resource: Int, for user: UserID) -> EdgeKey {
        EdgeKey(endpoint, resource: resource, viewer: configuration.cacheKey == .perUser ? user : nil)
    }
}
