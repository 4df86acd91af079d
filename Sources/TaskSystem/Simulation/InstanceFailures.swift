import Sim

// MARK: - API instance failures and the load balancer's health checks

/// When API instances crash: at random (each instance's time to crash exponential with mean
/// ``meanTimeBetweenFailures`` from its launch, stream `"api.failure.<instance id>"`) and/or at
/// the scripted times ``at`` (each kills the oldest instance in service then). Off by default.
public struct InstanceFailures: Sendable, Equatable {
    /// Mean time between failures of one instance (`nil`: no random crashes).
    public var meanTimeBetweenFailures: SimTime?
    /// Times at which the oldest instance in service crashes, ascending.
    public var at: [SimTime]
    /// Whether instances crash by other faults of the run (a zone loss): requests then run as
    /// processes a crash can answer, as with the crashes above.
    public var injected = false

    public init(meanTimeBetweenFailures: SimTime? = nil, at: [SimTime] = []) {
        precondition(meanTimeBetweenFailures.map { $0 > 0 } ?? true, "InstanceFailures: MTBF must be > 0")
        self.meanTimeBetweenFailures = meanTimeBetweenFailures
        self.at = at.sorted()
    }

    /// No crashes (the default).
    public static let none = InstanceFailures()

    /// Whether any crash can happen.
    public var isEnabled: Bool { meanTimeBetweenFailures != nil || !at.isEmpty || injected }
}

/// The load balancer's health checks of its targets (ALB's defaults: every 30 s, unhealthy
/// after 2 consecutive failures). A crashed target fails every check from the crash on (the
/// connection is refused at once, so the check timeout plays no part).
public struct HealthCheck: Sendable, Equatable {
    /// Time between two checks of one target; a target's checks fall at its launch time plus
    /// whole multiples of the interval.
    public var interval: SimTime
    /// Consecutive failed checks that make a target unhealthy.
    public var unhealthyThreshold: Int

    public init(interval: SimTime = 30 * SimClock.nanosecondsPerSecond, unhealthyThreshold: Int = 2) {
        precondition(interval > 0 && unhealthyThreshold >= 1, "HealthCheck: interval > 0 and threshold ≥ 1")
        self.interval = interval
        self.unhealthyThreshold = unhealthyThreshold
    }

    /// ALB's defaults.
    public static let alb = HealthCheck()

    /// When a target launched at `launch` that crashed at `crash` is marked unhealthy: at its
    /// `unhealthyThreshold`-th check at or after the crash.
    public func detection(launchedAt launch: SimTime, crashedAt crash: SimTime) -> SimTime {
        let elapsed = max(0, crash - launch)
        let first = launch + (elapsed + interval - 1) / interval * interval
        return first + SimTime(unhealthyThreshold - 1) * interval
    }
}
