// WorkerScalerPolicy.swift — the seed's `WorkerScaler`: worker count from queue depth.
//
// The seed checks each queue at an interval: depth > 1000 → `min(int(current × 2), 20)`;
// depth < 100 → `max(int(current × 0.5), 2)`; otherwise unchanged. Taken literally: no cooldown
// or hysteresis beyond the check interval, `int()` truncates (3 → 1 → clamped to 2), the
// scale-up branch has no lower clamp (0 workers stay 0), and the scale-down branch has no upper one.

import Sim

// MARK: - Policy

/// Queue-depth worker scaling, as the seed's `WorkerScaler.check_and_scale` does it.
public struct WorkerScalerPolicy: Sendable, Equatable {
    /// Depth above which the workers are multiplied by ``scaleUpFactor`` (1000).
    public var scaleUpAboveDepth: Int
    /// Depth below which the workers are multiplied by ``scaleDownFactor`` (100).
    public var scaleDownBelowDepth: Int
    /// The scale-up factor (2).
    public var scaleUpFactor: Double
    /// The scale-down factor (0.5).
    public var scaleDownFactor: Double
    /// The ceiling applied on scale-up (20).
    public var maxWorkers: Int
    /// The floor applied on scale-down (2).
    public var minWorkers: Int
    /// How often the scaler checks (the seed leaves it open; 60 s by default).
    public var checkInterval: SimTime

    /// Creates a policy; the defaults are the seed's.
    public init(
        scaleUpAboveDepth: Int = 1000,
        scaleDownBelowDepth: Int = 100,
        scaleUpFactor: Double = 2,
        scaleDownFactor: Double = 0.5,
        maxWorkers: Int = 20,
        minWorkers: Int = 2,
        checkInterval: SimTime = 60 * SimClock.nanosecondsPerSecond
    ) {
        precondition(minWorkers >= 0 && minWorkers <= maxWorkers, "WorkerScalerPolicy: need 0 ≤ min ≤ max")
        precondition(scaleUpFactor > 0 && scaleDownFactor > 0, "WorkerScalerPolicy: factors must be > 0")
        precondition(checkInterval > 0, "WorkerScalerPolicy: interval must be > 0")
        self.scaleUpAboveDepth = scaleUpAboveDepth
        self.scaleDownBelowDepth = scaleDownBelowDepth
        self.scaleUpFactor = scaleUpFactor
        self.scaleDownFactor = scaleDownFactor
        self.maxWorkers = maxWorkers
        self.minWorkers = minWorkers
        self.checkInterval = checkInterval
    }

    /// The seed's scaler.
    public static let seed = WorkerScalerPolicy()

    /// The worker count after one check of a queue with `queueDepth` waiting messages.
    public func decide(currentWorkers current: Int, queueDepth: Int) -> ScalingDecision {
        precondition(current >= 0, "WorkerScalerPolicy: worker count must be ≥ 0")
        if queueDepth > scaleUpAboveDepth {
            let next = min(Self.truncate(Double(current) * scaleUpFactor), maxWorkers)
            return ScalingDecision(previousCapacity: current, desiredCapacity: next, reason: .queueDepth(queueDepth))
        }
        if queueDepth < scaleDownBelowDepth {
            let next = max(Self.truncate(Double(current) * scaleDownFactor), minWorkers)
            return ScalingDecision(previousCapacity: current, desiredCapacity: next, reason: .queueDepth(queueDepth))
        }
        return .hold(current, reason: .withinTarget)
    }

    /// The first check time strictly after `now`, on the grid `0, interval, 2·interval, …`.
    public func nextCheck(after now: SimTime) -> SimTime {
        (now / checkInterval + 1) * checkInterval
    }

    /// Python's `int()` of a non-negative float.
    private static func truncate(_ x: Double) -> Int {
        x >= Double(Int.max) ? Int.max : Int(x.rounded(.towardZero))
    }
}
