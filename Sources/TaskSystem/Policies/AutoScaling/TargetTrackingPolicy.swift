// TargetTrackingPolicy.swift — Application Auto Scaling target tracking on one metric.
//
// Semantics (Application Auto Scaling User Guide, "Target tracking scaling policies"):
// - the service creates two CloudWatch alarms per policy. The managed alarms observed on ECS are
//   `metric > target for 3 datapoints within 3 minutes` (scale out) and
//   `metric < 0.9 × target for 15 datapoints within 15 minutes` (scale in) — the guide only says
//   scale-in waits until utilisation is "usually more than 10% lower" than the target;
// - the new capacity is proportional: current × metric / target, rounded conservatively —
//   up when adding, and when removing the *number removed* is rounded down ("if removing 1.5
//   instances … we remove just one"), so the resulting count is ⌈current × metric / target⌉
//   in both directions;
// - a policy does not scale in while its alarm has INSUFFICIENT_DATA, or when scale-in is disabled.

import Sim

// MARK: - Policy

/// A target tracking scaling policy: keep `metric` near `targetValue`.
public struct TargetTrackingPolicy: Sendable, Equatable {
    /// The policy's name, used in decision reasons.
    public var name: String
    /// The tracked metric (a utilisation that falls as capacity grows).
    public var metric: ScalingMetric
    /// The target value, in the metric's unit (percent for utilisations).
    public var targetValue: Double
    /// When true the policy only ever scales out, and takes no part in scale-in votes.
    public var disableScaleIn: Bool
    /// The managed high alarm: `metric > target`, 3 of 3 one-minute datapoints by default.
    public var scaleOutAlarm: CloudWatchAlarm
    /// The managed low alarm: `metric < 0.9 × target`, 15 of 15 one-minute datapoints by default.
    public var scaleInAlarm: CloudWatchAlarm

    /// Creates a target tracking policy with AWS's managed alarms.
    ///
    /// - Parameters:
    ///   - scaleInThresholdFraction: the low alarm's threshold as a fraction of the target (0.9).
    ///   - scaleOutDatapoints: N (= M) of the high alarm (3).
    ///   - scaleInDatapoints: N (= M) of the low alarm (15).
    /// - Precondition: `targetValue > 0`.
    public init(
        name: String,
        metric: ScalingMetric,
        targetValue: Double,
        disableScaleIn: Bool = false,
        scaleInThresholdFraction: Double = 0.9,
        scaleOutDatapoints: Int = 3,
        scaleInDatapoints: Int = 15
    ) {
        precondition(targetValue > 0 && targetValue.isFinite, "TargetTrackingPolicy: target must be > 0")
        self.name = name
        self.metric = metric
        self.targetValue = targetValue
        self.disableScaleIn = disableScaleIn
        self.scaleOutAlarm = CloudWatchAlarm(
            metric: metric, comparison: .greaterThan, threshold: targetValue,
            evaluationPeriods: scaleOutDatapoints)
        self.scaleInAlarm = CloudWatchAlarm(
            metric: metric, comparison: .lessThan, threshold: targetValue * scaleInThresholdFraction,
            evaluationPeriods: scaleInDatapoints)
    }

    // MARK: Seed policies

    /// The seed's CPU policy: `ECSServiceAverageCPUUtilization` at 70 %.
    public static let cpu70 = TargetTrackingPolicy(name: "cpu-target-70", metric: .cpuUtilization, targetValue: 70)

    /// The seed's memory policy: `ECSServiceAverageMemoryUtilization` at 80 %.
    public static let memory80 = TargetTrackingPolicy(name: "memory-target-80", metric: .memoryUtilization, targetValue: 80)

    // MARK: Capacity arithmetic

    /// The capacity that brings `metricValue`, measured over `capacity` instances, to the target:
    /// `⌈capacity × metricValue / target⌉` (never negative).
    ///
    /// Rounding up adds enough on scale-out and removes at most the whole-instance part of the
    /// excess on scale-in — AWS's conservative rounding in both directions.
    public func proportionalCapacity(current capacity: Int, metricValue: Double) -> Int {
        proportionalCapacity(measured: Double(capacity), metricValue: metricValue)
    }

    /// `⌈measured × metricValue / target⌉` for a metric averaged over `measured` instances
    /// (time-weighted, so possibly fractional).
    public func proportionalCapacity(measured capacity: Double, metricValue: Double) -> Int {
        CapacityRounding.ceiling(capacity * metricValue / targetValue)
    }

    // MARK: Evaluation

    /// What this policy wants, given its alarms' states.
    struct Vote: Equatable {
        /// The high alarm is in ALARM: the policy is ready to scale out to `desired`.
        var scaleOut: Int?
        /// The low alarm is in ALARM (and scale-in is enabled): ready to scale in to `desired`.
        var scaleIn: Int?
        /// The metric value the proposal was computed from.
        var metricValue: Double?
    }

    /// Evaluates both alarms over `series` and proposes capacities.
    ///
    /// - Parameters:
    ///   - measured: the capacity the latest datapoint was averaged over; both directions are
    ///     computed from it. The scale-out cooldown needs no base of its own here: a proposal
    ///     goes ahead only when it exceeds the desired capacity, which already holds what the
    ///     initiating scale-out added.
    ///   - states: the alarms' previous states on entry, their new states on return.
    func vote<Series: BidirectionalCollection>(
        series: Series,
        measured: Double,
        states: inout TargetTrackingAlarmStates
    ) -> Vote where Series.Element == MetricDatapoint {
        states.scaleOut = scaleOutAlarm.evaluate(series, previous: states.scaleOut)
        states.scaleIn = scaleInAlarm.evaluate(series, previous: states.scaleIn)
        var vote = Vote()
        if states.scaleOut == .alarm,
           let value = series.latestValue(of: metric, within: scaleOutAlarm.evaluationPeriods) {
            vote.scaleOut = proportionalCapacity(measured: measured, metricValue: value)
            vote.metricValue = value
        } else if !disableScaleIn, states.scaleIn == .alarm,
                  let value = series.latestValue(of: metric, within: scaleInAlarm.evaluationPeriods) {
            vote.scaleIn = proportionalCapacity(measured: measured, metricValue: value)
            vote.metricValue = value
        }
        return vote
    }
}

// MARK: - Alarm states

/// The states of a target tracking policy's two managed alarms.
public struct TargetTrackingAlarmStates: Sendable, Equatable {
    /// The high (scale-out) alarm.
    public var scaleOut: AlarmState
    /// The low (scale-in) alarm.
    public var scaleIn: AlarmState

    /// Creates alarm states; both start in INSUFFICIENT_DATA, as new CloudWatch alarms do.
    public init(scaleOut: AlarmState = .insufficientData, scaleIn: AlarmState = .insufficientData) {
        self.scaleOut = scaleOut
        self.scaleIn = scaleIn
    }
}
