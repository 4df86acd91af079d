import Sim

// MARK: - The API tier's parameters

/// How requests reach API instances.
public enum LoadBalancingPolicy: String, Sendable, CaseIterable {
    /// ALB's default: each request to the next healthy instance.
    case roundRobin = "round-robin"
    /// The instance with the fewest outstanding requests (ties: lowest id).
    case leastConnections = "least-connections"
    /// Each user pinned to one instance (legacy compatibility only, says the seed).
    case sticky
}

/// The API tier: instances, their size and cost, per-endpoint CPU, connection pools.
public struct APIConfiguration: Sendable, Equatable {
    /// Instances running at the start.
    public var instances: Int
    /// vCPUs per instance: requests queue for a core while they compute.
    public var vCPUs: Int
    /// CPU time per request, per endpoint (seconds), in `Endpoint.allCases` order.
    public var cpuCost: [Distribution]
    public var loadBalancing: LoadBalancingPolicy
    /// The in-process LRU's capacity (the seed: 1,000 entries).
    public var localCacheCapacity: Int
    /// What the in-process LRU holds (`cache.l1.mode`; the seed: permissions, no expiry).
    public var localCacheMode: LocalCacheMode = .seedPermissions
    /// SQLAlchemy QueuePool per instance: pool_size, max_overflow, pool_timeout.
    public var poolSize: Int
    public var poolOverflow: Int
    public var poolTimeout: SimTime
    /// Price of one instance-hour, in dollars (Fargate, 1 vCPU + 2 GB: 0.04048 + 2 × 0.004445).
    public var hourlyPrice: Double
    /// How long a writer's reads of its task go to the primary (the seed's ConsistencyManager:
    /// 5 s; 0 turns it off, which the read-your-writes invariant then catches under lag).
    public var consistencyWindow: SimTime
    /// A planted defect for this package's tests: the read router ignores the consistency window
    /// (set only from ``TaskSystemTestHooks/readRouterIgnoresConsistencyWindow``).
    package var readRouterIgnoresConsistencyWindow = false
    /// The seed's "bad" stateful controller: each instance keeps the users it loaded in its own
    /// dictionary, forever, bypassing L1 and Redis — what it costs behind round robin.
    public var statefulController: Bool
    /// The autoscaler: ECS service autoscaling or a Kubernetes HPA (nil: a fixed number of instances).
    public var autoscaling: AutoscalingPolicy?
    /// Time from a scale-out decision until a new instance serves traffic (task start, health checks).
    public var startupDelay: SimTime
    /// Memory use of an instance: a baseline fraction plus a fraction per request inside it
    /// (an assumption; the seed gives no memory model).
    public var memoryBaseline: Double
    public var memoryPerRequest: Double
    /// The pools' `pool_recycle` and `pool_pre_ping` and what they cost (the seed's engine).
    public var poolLifecycle: ConnectionLifecycle = .seed
    /// A pool per database (the seed's router: an engine per database) rather than one pool
    /// for the primary and every replica.
    public var poolPerEngine = true
    /// Instance crashes (none by default) and the load balancer's health checks that find them.
    public var failures: InstanceFailures = .none
    public var healthCheck: HealthCheck = .alb

    public init(instances: Int = 2, vCPUs: Int = 1, cpuCost: [Distribution]? = nil,
                loadBalancing: LoadBalancingPolicy = .roundRobin, localCacheCapacity: Int = 1_000,
                poolSize: Int = 10, poolOverflow: Int = 20, poolTimeout: SimTime = 30 * SimClock.nanosecondsPerSecond,
                hourlyPrice: Double = 0.04937, consistencyWindow: SimTime = 5 * SimClock.nanosecondsPerSecond,
                statefulController: Bool = false, autoscaling: AutoscalingPolicy? = nil,
                startupDelay: SimTime = 60 * SimClock.nanosecondsPerSecond,
                memoryBaseline: Double = 0.35, memoryPerRequest: Double = 0.002) {
        self.instances = instances
        self.vCPUs = vCPUs
        self.cpuCost = cpuCost ?? Endpoint.allCases.map(APIConfiguration.defaultCPUCost)
        self.loadBalancing = loadBalancing
        self.localCacheCapacity = localCacheCapacity
        self.poolSize = poolSize
        self.poolOverflow = poolOverflow
        self.poolTimeout = poolTimeout
        self.hourlyPrice = hourlyPrice
        self.consistencyWindow = consistencyWindow
        self.statefulController = statefulController
        self.autoscaling = autoscaling
        self.startupDelay = startupDelay
        self.memoryBaseline = memoryBaseline
        self.memoryPerRequest = memoryPerRequest
    }

    /// CPU per request (an assumption: serialisation and framework work of a Python API).
    public static func defaultCPUCost(_ endpoint: Endpoint) -> Distribution {
        switch endpoint {
        case .login: .exponential(mean: 0.004)
        case .getTask: .exponential(mean: 0.003)
        case .listTasks: .exponential(mean: 0.008)
        case .createTask, .updateTask, .assignTask, .comment: .exponential(mean: 0.005)
        case .requestReport: .exponential(mean: 0.002)
        case .updateProfile: .exponential(mean: 0.004)
        case .searchTasks: .exponential(mean: 0.006)
        }
    }
}
