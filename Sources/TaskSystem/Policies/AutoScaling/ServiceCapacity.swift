// ServiceCapacity.swift — what the scaler knows about the service's instances, and warm-up.

import Sim

// MARK: - Capacity snapshot

/// The capacity of a scalable service at the moment a policy is evaluated.
///
/// ``desired`` is the count the scaler last asked for (ECS `desiredCount`); ``inService`` is how
/// many instances are running *and warm*, i.e. contribute to the utilisation metrics. The
/// difference is capacity still launching or warming up.
///
/// Following Amazon EC2 Auto Scaling's instance warm-up (the rule Application Auto Scaling's
/// cooldowns approximate for ECS): warming instances do not count toward the aggregated metrics
/// nor as current capacity when a scale-out is computed, but they *do* count in the desired
/// capacity that a new scale-out must exceed; and scale-in is blocked until they are warm.
///
/// ``measured`` is the capacity the latest datapoint was averaged over (instances in service,
/// time-weighted over the period). Target tracking multiplies the metric by it: a datapoint
/// measured over 3 instances says nothing about 5 that were launched meanwhile, and multiplying
/// it by the newer count would add the same capacity twice.
public struct ServiceCapacity: Sendable, Equatable {
    /// The desired instance count currently requested.
    public var desired: Int
    /// Instances running and warm (counted in the metrics).
    public var inService: Int
    /// The capacity the latest metric datapoint was averaged over (≥ 0).
    public var measured: Double

    /// Creates a snapshot. With `inService` omitted, every desired instance is warm; with
    /// `measured` omitted, the datapoint was measured over the instances in service now.
    public init(desired: Int, inService: Int? = nil, measured: Double? = nil) {
        precondition(desired >= 0, "ServiceCapacity: desired must be ≥ 0")
        self.desired = desired
        self.inService = max(0, inService ?? desired)
        self.measured = max(0, measured ?? Double(self.inService))
    }

    /// Instances requested but not yet warm (launching or warming up).
    public var warming: Int { max(0, desired - inService) }
}

// MARK: - Warm-up

/// How long a newly started instance takes before it counts toward the scaling metrics.
public struct InstanceWarmup: Sendable, Equatable {
    /// The warm-up period, measured from the moment the instance starts serving.
    public var duration: SimTime

    /// Creates a warm-up rule.
    public init(duration: SimTime) {
        precondition(duration >= 0, "InstanceWarmup: duration must be ≥ 0")
        self.duration = duration
    }

    /// No warm-up: an instance counts as soon as it serves.
    public static let none = InstanceWarmup(duration: 0)

    /// Whether an instance that started serving at `startedAt` counts toward the metrics at `now`.
    public func isWarm(startedAt: SimTime, now: SimTime) -> Bool {
        now - startedAt >= duration
    }

    /// The moment an instance that started serving at `startedAt` becomes warm.
    public func warmAt(startedAt: SimTime) -> SimTime {
        startedAt + duration
    }
}
