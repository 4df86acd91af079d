import Sim

// MARK: - One API server

/// One API instance: its cores, its connection pool and database client, and its copy of
/// the service code with its own in-process cache.
final class APIInstance: @unchecked Sendable {
    typealias API = TaskAPI<DatabaseClient, SimulatedSharedCache, SimulatedJobQueue, RuntimeClock>

    let id: Int
    /// The availability zone it was placed in (see ``AvailabilityZone``).
    var zone = AvailabilityZone.a
    let cpu: ServerPool
    let client: DatabaseClient
    let api: API
    /// Requests inside the instance (for least-connections balancing).
    var outstanding = 0
    /// Its state for the load balancer: starting (initial), in service (healthy), retired (draining).
    var health: LoadBalancerTargetHealth
    /// When it was launched and retired (for cost: instance-hours are paid from launch).
    let launchedAt: SimTime
    var retiredAt: SimTime?
    /// When it passed its health checks and began taking traffic (nil while starting).
    var inServiceSince: SimTime?
    /// When it crashed (it then costs nothing and serves nothing; see `APITier+Crashes`).
    var crashedAt: SimTime?
    /// Requests inside it, when crashes are on (each waits on its own ``RequestCall``).
    var calls: [RequestCall] = []

    /// Whether it takes traffic and works: healthy for the load balancer and not crashed.
    var isServing: Bool { health == .healthy && crashedAt == nil }

    init(id: Int, runtime: ProcessRuntime, configuration: APIConfiguration, database: SimulatedDatabase,
         cache: SimulatedSharedCache, jobs: SimulatedJobQueue, health: LoadBalancerTargetHealth,
         audit: (any AuthorizationAudit)? = nil) {
        self.id = id
        self.health = health
        launchedAt = runtime.now
        if health == .healthy { inServiceSince = runtime.now }
        cpu = ServerPool(runtime: runtime, servers: configuration.vCPUs)
        client = DatabaseClient(database: database, runtime: runtime, configuration: configuration)
        var consistency = ConsistencyManager(window: configuration.consistencyWindow)
        consistency.ignoresWindow = configuration.readRouterIgnoresConsistencyWindow
        api = TaskAPI(repository: client, cache: cache, jobs: jobs, clock: RuntimeClock(runtime: runtime),
                      consistency: consistency,
                      localCacheCapacity: configuration.localCacheCapacity,
                      localCacheMode: configuration.localCacheMode,
                      statefulUserCache: configuration.statefulController, audit: audit)
    }
}

/// The run's clock, as the services see it.
public struct RuntimeClock: Clock {
    let runtime: ProcessRuntime
    public init(runtime: ProcessRuntime) { self.runtime = runtime }
    public var now: SimTime { runtime.now }
}

// MARK: - The load balancer

/// Picks an instance for each request with the configured policy (selectors in `Policies/LoadBalancing`).
struct LoadBalancer {
    let policy: LoadBalancingPolicy
    var roundRobin = RoundRobinSelector()
    var sticky = StickySessionSelector()
    /// The instances as targets, rebuilt in place per request (no allocation once grown).
    var targets: [LoadBalancerTarget] = []

    init(policy: LoadBalancingPolicy) { self.policy = policy }

    mutating func select(for user: UserID, among instances: [APIInstance]) -> Int? {
        targets.removeAll(keepingCapacity: true)
        // By index, reading the fields in place: `for instance in instances` retained and
        // released every instance, 20 pairs a request at the top tier.
        for i in instances.indices {
            targets.append(LoadBalancerTarget(id: instances[i].id, health: instances[i].health,
                                              outstandingRequests: instances[i].outstanding))
        }
        switch policy {
        case .roundRobin: return roundRobin.select(from: targets)
        case .leastConnections: return LeastOutstandingRequestsSelector.select(from: targets)
        case .sticky: return sticky.select(user: UInt64(user.rawValue), from: targets)
        }
    }
}
