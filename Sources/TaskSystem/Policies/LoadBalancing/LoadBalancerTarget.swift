// LoadBalancerTarget.swift — what a load balancer knows about one registered instance.

// MARK: - Target state

/// A registered instance's health, as the load balancer sees it (ALB target health states).
public enum LoadBalancerTargetHealth: Sendable, Equatable {
    /// Registered but not yet passing health checks (starting up): receives no traffic.
    case initial
    /// Passing health checks: routable.
    case healthy
    /// Failing health checks: receives no traffic.
    case unhealthy
    /// Deregistering: finishes in-flight requests, receives no new ones.
    case draining
}

/// One target: a stable identity, its health and its in-flight request count.
public struct LoadBalancerTarget: Sendable, Equatable {
    /// A stable identity that survives list reordering (e.g. the instance's sequence number).
    public var id: Int
    /// Health as seen by the load balancer.
    public var health: LoadBalancerTargetHealth
    /// Requests sent to the target and not yet answered.
    public var outstandingRequests: Int

    /// Creates a target.
    public init(id: Int, health: LoadBalancerTargetHealth = .healthy, outstandingRequests: Int = 0) {
        self.id = id
        self.health = health
        self.outstandingRequests = max(0, outstandingRequests)
    }

    /// Whether new requests may be sent to this target.
    public var isRoutable: Bool { health == .healthy }
}
