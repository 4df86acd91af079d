import Sim

// MARK: - The CDN edge in front of the load balancer

/// The CDN edge of one replication, present only when the scenario configures a CDN: the front
/// door clients send their requests to. It holds a cache of API responses, its random streams,
/// what it counted, the requests it holds now, and when each client last wrote (for the writer
/// bypass); what it does not answer itself it forwards to the API tier's load balancer.
///
/// Streams: `cdn.latency` (client ↔ edge round trips), `cdn.assets` (asset hit or miss),
/// `cdn.origin` (origin CPU per asset miss) — named, so turning the CDN on draws nothing from
/// the streams of the other components. Confined to the replication's runtime (hence
/// `@unchecked Sendable`).
final class CDNEdge: @unchecked Sendable {
    let configuration: CDNConfiguration
    private let runtime: ProcessRuntime
    /// Where misses, bypasses, uncacheable calls and asset misses go.
    private let origin: APITier
    /// The clients: the targets of a cacheable `GET`, the read-your-writes checks of edge hits.
    private let workload: Workload
    private let database: SimulatedDatabase
    private let recorders: RunRecorders
    /// Cached API responses by URL.
    private(set) var cache: EdgeCache
    private var latency: LatencySampler
    private var assetDraws: RandomStream
    private var originCPU: LatencySampler
    /// What the edge counted over the whole run.
    private(set) var counters = EdgeCounters()
    /// Requests between the client and the load balancer now (conservation's in-flight part).
    private(set) var atEdge = 0
    /// Whether each endpoint (by `Endpoint.allCases` index) is cached, or is a page load.
    private let isCacheable: [Bool]
    private let isPage: [Bool]
    /// When each user (index `id - 1`) last sent a write; `nil` if never.
    private var lastWriteAt: [SimTime?]
    /// How long after a write the client bypasses the edge (the API's consistency window).
    private let bypassWindow: SimTime

    init(configuration: CDNConfiguration, origin: APITier, workload: Workload, database: SimulatedDatabase,
         streams: RandomStreamFactory, recorders: RunRecorders) {
        self.configuration = configuration
        runtime = origin.runtime
        self.origin = origin
        self.workload = workload
        self.database = database
        self.recorders = recorders
        cache = EdgeCache(ttl: configuration.ttl, maxObjects: configuration.maxObjects)
        latency = LatencySampler(configuration.edgeLatency, stream: streams.stream(named: "cdn.latency"))
        assetDraws = streams.stream(named: "cdn.assets")
        originCPU = LatencySampler(configuration.staticAssets.originCPU, stream: streams.stream(named: "cdn.origin"))
        isCacheable = Endpoint.allCases.map { configuration.cacheable.contains($0) }
        isPage = Endpoint.allCases.map { configuration.staticAssets.pages.contains($0) }
        lastWriteAt = Array(repeating: nil, count: workload.configuration.data.users)
        bypassWindow = origin.configuration.consistencyWindow
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

// MARK: - Requests through the edge

extension CDNEdge: FrontDoor {
    /// A client request with the CDN in front of the load balancer: the request itself, then —
    /// for a page load — the page's static assets, one after another.
    func request(_ endpoint: Endpoint, by user: UserID, _ stream: inout RandomStream, task preset: TaskID?) async
        -> TaskID?
    {
        let index = Endpoint.allCases.firstIndex(of: endpoint)!
        let written = await apiRequest(endpoint, index: index, by: user, &stream, task: preset)
        if isPage[index] {
            for _ in 0..<configuration.staticAssets.perPage {
                guard await staticAsset(for: user) else { break }
            }
        }
        return written
    }
}

extension CDNEdge {
    /// One API call: the client ↔ edge round trip, then a fresh cached response for a cacheable
    /// `GET` (not for a recent writer, who bypasses the edge), else the load balancer and an
    /// instance, whose successful answer to a cacheable `GET` the edge stores for its TTL.
    ///
    /// The request is counted as generated when it reaches the edge; one the edge answers is
    /// recorded apart from the API's endpoint figures (`cdn.latency`), one it forwards is
    /// recorded by the API tier like any request (`api.*`, latency measured at the load
    /// balancer, without the edge round trip).
    private func apiRequest(_ endpoint: Endpoint, index: Int, by user: UserID,
                            _ stream: inout RandomStream, task preset: TaskID?) async -> TaskID? {
        let started = runtime.now
        recorders.requests.started()
        counters.requests += 1
        atEdge += 1
        do {
            try await runtime.sleep(for: latency.next())
        } catch {
            return nil  // the run ended at the edge: still counted in flight
        }

        // The URL: a cacheable GET names its resource now (the same draws the origin path makes).
        var project: ProjectID?
        var task = preset
        var key: EdgeKey?
        let cacheable = isCacheable[index]
        if cacheable {
            switch endpoint {
            case .getTask:
                if preset == nil {
                    let chosen = workload.someProject(of: user, &stream)
                    project = chosen
                    task = workload.someTask(in: chosen, &stream)
                }
                key = task.map { self.key(.getTask, resource: $0.rawValue, for: user) }
            case .listTasks:
                let chosen = workload.someProject(of: user, &stream)
                project = chosen
                key = self.key(.listTasks, resource: chosen.rawValue, for: user)
            default:
                break
            }
        }
        let bypass = cacheable && bypasses(user, at: runtime.now)
        if bypass { counters.bypasses += 1 }

        // A fresh cached response: answered at the edge.
        if let key, !bypass {
            counters.apiLookups += 1
            if let body = cache.lookup(key, now: runtime.now) {
                counters.apiHits += 1
                counters.hits += 1
                if isStale(body, project: project) { counters.staleResponses += 1 }
                if case .task(let seen) = body { workload.judgeCachedRead(of: seen, by: user) }
                atEdge -= 1
                recorders.requests.recordEdgeAnswer(latency: runtime.now - started)
                return nil
            }
        }

        // Forwarded to the load balancer.
        atEdge -= 1
        counters.originRequests += 1
        var body: EdgeResponse?
        let written = await origin.forward(endpoint, by: user, &stream, task: task, project: project, body: &body)
        if let key, !bypass, let body { cache.store(key, body, now: runtime.now) }
        if endpoint.isWrite { lastWriteAt[user.rawValue - 1] = runtime.now }
        return written
    }

    /// One static asset: the round trip to the edge, then a hit with the configured ratio, or
    /// the load balancer and an instance's CPU (``APITier/serveStaticAsset(for:cpu:)``). False
    /// if the run ended meanwhile.
    private func staticAsset(for user: UserID) async -> Bool {
        let started = runtime.now
        recorders.requests.started()
        counters.requests += 1
        counters.assetRequests += 1
        atEdge += 1
        do {
            try await runtime.sleep(for: latency.next())
        } catch {
            return false
        }
        if assetDraws.uniform() < configuration.staticAssets.hitRatio {
            counters.assetHits += 1
            counters.hits += 1
            atEdge -= 1
            recorders.requests.recordEdgeAnswer(latency: runtime.now - started)
            return true
        }
        atEdge -= 1
        counters.originRequests += 1
        switch await origin.serveStaticAsset(for: user, cpu: { originCPU.next() }) {
        case .served: return true
        case .badGateway:
            counters.badGateway += 1
            return true
        case .runEnded: return false
        }
    }

    /// Whether a cached body differs from what the primary holds now (the edge served stale data).
    func isStale(_ body: EdgeResponse, project: ProjectID?) -> Bool {
        let primary = database.store.primary
        switch body {
        case .task(let task):
            return primary.task(task.id)?.version != task.version
        case .taskList(let cached):
            guard let project else { return false }
            let current = primary.taskItems(inProject: project)
            guard current.count == cached.count else { return true }
            for (now, then) in zip(current, cached) {
                if now != then.task { return true }
                if let assignee = now.assignee, primary.user(assignee) != then.assignee { return true }
                if now.assignee == nil && then.assignee != nil { return true }
            }
            return false
        }
    }
}
