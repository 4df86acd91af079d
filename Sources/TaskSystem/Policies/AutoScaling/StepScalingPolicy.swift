// StepScalingPolicy.swift — Application Auto Scaling step scaling on a CloudWatch alarm.
//
// Semantics (Application Auto Scaling User Guide, "Step scaling policies"):
// - step bounds are relative to the alarm threshold; above the threshold the lower bound is
//   inclusive and the upper exclusive, below it the lower bound is exclusive and the upper inclusive;
// - adjustment types ChangeInCapacity, ExactCapacity and PercentChangeInCapacity; a fractional
//   percent change rounds toward zero but never to zero (12.7 → 12, 0.67 → 1, −0.58 → −1,
//   −6.67 → −6), and MinAdjustmentMagnitude raises a too-small percent change;
// - during a scale-out cooldown the capacity added by the initiating scale-out counts toward the
//   next one (an alarm asking +3 after a +2 adds only 1).

// MARK: - Adjustments

/// How a step adjustment changes the capacity.
public enum StepAdjustmentType: Sendable, Equatable {
    /// Add the adjustment (negative removes).
    case changeInCapacity
    /// Set the capacity to the adjustment.
    case exactCapacity
    /// Add the adjustment as a percentage of the current capacity.
    case percentChangeInCapacity
}

/// One step: an adjustment applied when `metric − threshold` falls within the bounds.
public struct StepAdjustment: Sendable, Equatable {
    /// The lower bound of `metric − threshold`; `nil` is −∞.
    public var lowerBound: Double?
    /// The upper bound of `metric − threshold`; `nil` is +∞.
    public var upperBound: Double?
    /// The adjustment: instances, a capacity, or a percentage, per the policy's type.
    public var adjustment: Double

    /// Creates a step.
    public init(lowerBound: Double?, upperBound: Double?, adjustment: Double) {
        self.lowerBound = lowerBound
        self.upperBound = upperBound
        self.adjustment = adjustment
    }

    /// Whether a breach of size `breach` (`metric − threshold`) falls in this step.
    func contains(_ breach: Double) -> Bool {
        if breach >= 0 {
            return (lowerBound.map { breach >= $0 } ?? true) && (upperBound.map { breach < $0 } ?? true)
        }
        return (lowerBound.map { breach > $0 } ?? true) && (upperBound.map { breach <= $0 } ?? true)
    }
}

// MARK: - Policy

/// A step scaling policy triggered by its own CloudWatch alarm.
public struct StepScalingPolicy: Sendable, Equatable {
    /// The policy's name, used in decision reasons.
    public var name: String
    /// The alarm that triggers the policy.
    public var alarm: CloudWatchAlarm
    /// How ``steps`` change the capacity.
    public var adjustmentType: StepAdjustmentType
    /// The steps, by breach size.
    public var steps: [StepAdjustment]
    /// The smallest change a ``StepAdjustmentType/percentChangeInCapacity`` step makes.
    public var minAdjustmentMagnitude: Int?

    /// Creates a step scaling policy.
    public init(
        name: String,
        alarm: CloudWatchAlarm,
        adjustmentType: StepAdjustmentType,
        steps: [StepAdjustment],
        minAdjustmentMagnitude: Int? = nil
    ) {
        precondition(!steps.isEmpty, "StepScalingPolicy: at least one step")
        self.name = name
        self.alarm = alarm
        self.adjustmentType = adjustmentType
        self.steps = steps
        self.minAdjustmentMagnitude = minAdjustmentMagnitude
    }

    // MARK: Seed policies

    /// The seed's custom metric `RequestCount > 10,000` (per one-minute period) → scale up.
    ///
    /// The seed names no step size, alarm periods or cooldown: simrun assumes +50 % (at least one
    /// instance) when 3 of 3 one-minute datapoints breach, mirroring the target tracking high alarm.
    public static let requestCountAbove10k = StepScalingPolicy.scaleOut(
        name: "request-count-above-10000", metric: .requestCount, threshold: 10_000)

    /// The seed's custom metric `ResponseTime_p95 > 500 ms` → scale up (same assumptions).
    public static let latencyP95Above500ms = StepScalingPolicy.scaleOut(
        name: "latency-p95-above-500ms", metric: .latencyP95, threshold: 0.5)

    /// A scale-out policy: `metric > threshold` for `datapoints` of `datapoints` one-minute
    /// periods adds `percent` % of the capacity (at least `minimumInstances`).
    public static func scaleOut(
        name: String, metric: ScalingMetric, threshold: Double,
        datapoints: Int = 3, percent: Double = 50, minimumInstances: Int = 1
    ) -> StepScalingPolicy {
        StepScalingPolicy(
            name: name,
            alarm: CloudWatchAlarm(metric: metric, comparison: .greaterThan, threshold: threshold,
                                   evaluationPeriods: datapoints),
            adjustmentType: .percentChangeInCapacity,
            steps: [StepAdjustment(lowerBound: 0, upperBound: nil, adjustment: percent)],
            minAdjustmentMagnitude: minimumInstances)
    }

    // MARK: Arithmetic

    /// The step that applies to `metricValue`, if any.
    public func step(for metricValue: Double) -> StepAdjustment? {
        let breach = metricValue - alarm.threshold
        return steps.first { $0.contains(breach) }
    }

    /// The capacity after applying the step for `metricValue` to `current`, or `nil` when no
    /// step applies. Never negative.
    public func capacity(from current: Int, metricValue: Double) -> Int? {
        guard let step = step(for: metricValue) else { return nil }
        switch adjustmentType {
        case .exactCapacity:
            return max(0, CapacityRounding.floor(step.adjustment))
        case .changeInCapacity:
            let limit = Double(CapacityRounding.maximumCount)
            return max(0, current + Int(min(max(step.adjustment.rounded(.towardZero), -limit), limit)))
        case .percentChangeInCapacity:
            var change = CapacityRounding.stepAdjustment(Double(current) * step.adjustment / 100)
            if let minimum = minAdjustmentMagnitude.map({ min($0, CapacityRounding.maximumCount) }),
               change != 0, abs(change) < minimum {
                change = change > 0 ? minimum : -minimum
            }
            return max(0, current + change)
        }
    }

    /// Whether the policy adds capacity (its steps have non-negative adjustments, or it sets an
    /// exact capacity and fires on a high threshold).
    public var scalesOut: Bool {
        switch adjustmentType {
        case .exactCapacity:
            alarm.comparison == .greaterThan || alarm.comparison == .greaterThanOrEqual
        case .changeInCapacity, .percentChangeInCapacity:
            steps.allSatisfy { $0.adjustment >= 0 }
        }
    }
}
