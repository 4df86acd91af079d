// AutoScalingPolicyConfiguration.swift — the scalable target's bounds, cooldowns and policies.

import Sim

// MARK: - Configuration

/// Everything the Application Auto Scaling model needs for one scalable service.
public struct AutoScalingPolicyConfiguration: Sendable, Equatable {
    /// The minimum capacity (2 in the seed).
    public var minCapacity: Int
    /// The maximum capacity (20 in the seed).
    public var maxCapacity: Int
    /// Scale-out and scale-in cooldowns (60 s / 300 s in the seed).
    public var cooldowns: ScalingCooldownPeriods
    /// Whether a running scale-out cooldown also blocks scale-in.
    ///
    /// AWS documents that a scale-out interrupts a scale-in cooldown, and is silent on the
    /// converse; simrun blocks scale-in during a scale-out cooldown by default (the conservative
    /// reading). Set to false to let scale-in ignore scale-out cooldowns.
    public var scaleOutCooldownBlocksScaleIn: Bool
    /// Target tracking policies (each on a different metric).
    public var targetTracking: [TargetTrackingPolicy]
    /// Step scaling policies on custom metrics.
    public var stepScaling: [StepScalingPolicy]
    /// How long a scale-out activity takes to complete: the scale-out cooldown starts when it
    /// does. The world sets it to the instances' start-up delay (ECS has fulfilled the change
    /// once the new tasks run); 0 starts the cooldown at the decision.
    public var scaleOutActivityDuration: SimTime = 0
    /// How long after its one-minute period ends a datapoint reaches the alarms (CloudWatch's
    /// publication and evaluation delay); 0 evaluates each minute the instant it closes.
    public var metricDelay: SimTime = 0

    /// Creates a configuration.
    ///
    /// - Precondition: `0 ≤ minCapacity ≤ maxCapacity`.
    public init(
        minCapacity: Int,
        maxCapacity: Int,
        cooldowns: ScalingCooldownPeriods = .seed,
        scaleOutCooldownBlocksScaleIn: Bool = true,
        targetTracking: [TargetTrackingPolicy],
        stepScaling: [StepScalingPolicy] = []
    ) {
        precondition(minCapacity >= 0 && minCapacity <= maxCapacity,
                     "AutoScalingPolicyConfiguration: need 0 ≤ min ≤ max")
        self.minCapacity = minCapacity
        self.maxCapacity = maxCapacity
        self.cooldowns = cooldowns
        self.scaleOutCooldownBlocksScaleIn = scaleOutCooldownBlocksScaleIn
        self.targetTracking = targetTracking
        self.stepScaling = stepScaling
    }

    /// The seed's ECS service: 2…20 instances, CPU 70 % and memory 80 % target tracking,
    /// RequestCount > 10,000 and p95 > 500 ms step policies, cooldowns 60 s out / 300 s in.
    public static let seed = AutoScalingPolicyConfiguration(
        minCapacity: 2,
        maxCapacity: 20,
        targetTracking: [.cpu70, .memory80],
        stepScaling: [.requestCountAbove10k, .latencyP95Above500ms])

    /// The most datapoints any alarm evaluates (how many periods the caller must keep).
    public var longestEvaluationPeriods: Int {
        let tracking = targetTracking.flatMap { [$0.scaleOutAlarm.evaluationPeriods, $0.scaleInAlarm.evaluationPeriods] }
        return (tracking + stepScaling.map(\.alarm.evaluationPeriods)).max() ?? 0
    }

    /// Clamps `capacity` into `minCapacity…maxCapacity`.
    public func clamp(_ capacity: Int) -> Int {
        min(max(capacity, minCapacity), maxCapacity)
    }
}
