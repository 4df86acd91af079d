// AutoScalingPolicyEngine.swift — combines the policies of one scalable service into a decision.
//
// Semantics (Application Auto Scaling User Guide, target tracking "Considerations"): scale out if
// *any* policy is ready to scale out; scale in only if *all* policies that can scale in are ready
// to; when several instruct a change at once, take the one giving the *largest* capacity, in both
// directions — availability first. Capacity stays within min…max. Scale-in additionally waits
// for the scale-in cooldown, for warming instances (EC2 Auto Scaling's warm-up rule), and — by
// default — for a running scale-out cooldown (see ``AutoScalingPolicyConfiguration``).

import Sim

// MARK: - Engine

/// The Application Auto Scaling model for one service: alarms, cooldowns and policy combination.
///
/// A value type holding the alarm states and the cooldown clock. Call
/// ``evaluate(at:series:capacity:)`` once per metric period (every minute), after appending the
/// period's datapoint; apply the returned ``ScalingDecision`` to the service.
public struct AutoScalingPolicyEngine: Sendable {
    /// The policies, bounds and cooldowns.
    public let configuration: AutoScalingPolicyConfiguration
    /// The cooldown clock.
    public private(set) var cooldowns = ScalingCooldownState()
    /// The alarm states of each target tracking policy, in configuration order.
    public private(set) var targetTrackingAlarms: [TargetTrackingAlarmStates]
    /// The alarm state of each step scaling policy, in configuration order.
    public private(set) var stepScalingAlarms: [AlarmState]

    /// Creates an engine with every alarm in INSUFFICIENT_DATA and no cooldown running.
    public init(configuration: AutoScalingPolicyConfiguration) {
        self.configuration = configuration
        self.targetTrackingAlarms = Array(repeating: TargetTrackingAlarmStates(),
                                          count: configuration.targetTracking.count)
        self.stepScalingAlarms = Array(repeating: .insufficientData, count: configuration.stepScaling.count)
    }

    // MARK: Evaluation

    /// Evaluates every policy at `now` and returns the new desired capacity with its reason.
    ///
    /// - Parameters:
    ///   - now: the evaluation time.
    ///   - series: the metric datapoints so far, oldest first, one per period (only the last 15
    ///     or so are read).
    ///   - capacity: the desired and warm instance counts.
    public mutating func evaluate<Series: BidirectionalCollection>(
        at now: SimTime,
        series: Series,
        capacity: ServiceCapacity
    ) -> ScalingDecision where Series.Element == MetricDatapoint {
        let current = capacity.desired
        let periods = configuration.cooldowns
        let scaleOutBase = cooldowns.scaleOutBase(at: now, periods: periods, inService: capacity.inService)
        var ballot = Ballot()

        // Every alarm is evaluated each period, so its state advances even while a bound holds.
        for index in configuration.targetTracking.indices {
            let policy = configuration.targetTracking[index]
            let vote = policy.vote(series: series, scaleOutBase: scaleOutBase,
                                   scaleInBase: capacity.inService, states: &targetTrackingAlarms[index])
            if targetTrackingAlarms[index].scaleOut == .alarm { ballot.readyToScaleOut(policy.name, vote.scaleOut) }
            if !policy.disableScaleIn { ballot.scaleInVote(policy.name, vote.scaleIn) }
        }
        for index in configuration.stepScaling.indices {
            let policy = configuration.stepScaling[index]
            let state = policy.alarm.evaluate(series, previous: stepScalingAlarms[index])
            stepScalingAlarms[index] = state
            let value = state == .alarm
                ? series.latestValue(of: policy.alarm.metric, within: policy.alarm.evaluationPeriods) : nil
            if policy.scalesOut {
                if let value { ballot.readyToScaleOut(policy.name, policy.capacity(from: scaleOutBase, metricValue: value)) }
            } else {
                ballot.scaleInVote(policy.name, value.flatMap { policy.capacity(from: capacity.inService, metricValue: $0) })
            }
        }

        // Bounds first: they are not policy activity and start no cooldown.
        if current < configuration.minCapacity {
            return ScalingDecision(previousCapacity: current, desiredCapacity: configuration.minCapacity, reason: .belowMinimum)
        }
        if current > configuration.maxCapacity {
            return ScalingDecision(previousCapacity: current, desiredCapacity: configuration.maxCapacity, reason: .aboveMaximum)
        }
        if let name = ballot.scaleOutPolicy {
            return decideScaleOut(at: now, current: current, base: scaleOutBase, policy: name, desired: ballot.scaleOutDesired)
        }
        return decideScaleIn(at: now, capacity: capacity, ballot: ballot)
    }

    // MARK: Combining

    /// Scale out to the largest proposal, unless the desired capacity already covers it.
    private mutating func decideScaleOut(at now: SimTime, current: Int, base: Int,
                                         policy: String, desired: Int?) -> ScalingDecision {
        guard let desired, desired > current else {
            return .hold(current, reason: .capacityAlreadySufficient(policy: policy))
        }
        let target = min(desired, configuration.maxCapacity)
        guard target > current else { return .hold(current, reason: .atMaximum) }
        cooldowns.recordScaleOut(at: now, base: base, periods: configuration.cooldowns)
        return ScalingDecision(previousCapacity: current, desiredCapacity: target, reason: .policy(policy))
    }

    /// Scale in to the largest proposal when every scale-in voter agrees and nothing blocks it.
    private mutating func decideScaleIn(at now: SimTime, capacity: ServiceCapacity, ballot: Ballot) -> ScalingDecision {
        let current = capacity.desired
        guard let (name, desired) = ballot.scaleIn else { return .hold(current, reason: .withinTarget) }
        guard ballot.allVotersReadyToScaleIn else { return .hold(current, reason: .notAllPoliciesReadyToScaleIn) }
        let target = max(desired, configuration.minCapacity)
        guard target < current else {
            return .hold(current, reason: desired < current ? .atMinimum : .withinTarget)
        }
        if capacity.warming > 0 { return .hold(current, reason: .instancesWarmingUp(capacity.warming)) }
        let periods = configuration.cooldowns
        if let end = cooldowns.scaleInCooldownEnd(at: now, periods: periods) {
            return .hold(current, reason: .scaleInCooldown(until: end))
        }
        if configuration.scaleOutCooldownBlocksScaleIn, let end = cooldowns.scaleOutCooldownEnd(at: now, periods: periods) {
            return .hold(current, reason: .scaleOutCooldown(until: end))
        }
        cooldowns.recordScaleIn(at: now)
        return ScalingDecision(previousCapacity: current, desiredCapacity: target, reason: .policy(name))
    }
}

// MARK: - Ballot

/// The policies' votes in one evaluation.
private struct Ballot {
    /// The first policy ready to scale out, or the one proposing the largest capacity.
    private(set) var scaleOutPolicy: String?
    /// The largest scale-out proposal.
    private(set) var scaleOutDesired: Int?
    /// The largest scale-in proposal and its policy.
    private(set) var scaleIn: (name: String, desired: Int)?
    private var voters = 0
    private var ready = 0

    /// Whether every policy that can scale in proposed a scale-in.
    var allVotersReadyToScaleIn: Bool { voters > 0 && ready == voters }

    /// A policy whose scale-out alarm is in ALARM, proposing `desired` (nil: no applicable step).
    mutating func readyToScaleOut(_ name: String, _ desired: Int?) {
        if scaleOutPolicy == nil { scaleOutPolicy = name }
        guard let desired else { return }
        if scaleOutDesired.map({ desired > $0 }) ?? true {
            scaleOutDesired = desired
            scaleOutPolicy = name
        }
    }

    /// A policy that can scale in, proposing `desired` when it is ready to (nil: not ready).
    mutating func scaleInVote(_ name: String, _ desired: Int?) {
        voters += 1
        guard let desired else { return }
        ready += 1
        if scaleIn.map({ desired > $0.desired }) ?? true { scaleIn = (name, desired) }
    }
}
