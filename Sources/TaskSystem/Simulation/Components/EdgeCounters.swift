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
