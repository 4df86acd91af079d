// AutoScalingPolicyEngine.swift — combines the policies of one scalable service into a decision.
//
// Semantics (Application Auto Scaling User Guide, "Target tracking scaling policies",
// Considerations): scale out if *any* target tracking policy is ready to scale out; scale in only
// if *all* target tracking policies (with scale-in enabled) are ready to; when several instruct a
// change at once, take the one giving the *largest* capacity, in both directions. The "all must
// agree" rule is the target tracking policies' only: "if the step scaling policy initiates a
// scale-in activity before the target tracking policy is ready to scale in, the scale-in activity
// will not be blocked" — a step scale-in policy acts on its own alarm. Capacity stays within
// min…max. Scale-in additionally waits for the scale-in cooldown, for warming instances, and —
// by default — for a running scale-out cooldown (see ``AutoScalingPolicyConfiguration``).
//
// Bases: target tracking multiplies the metric by the capacity it was measured over; a step
// adjustment applies to the desired capacity (ECS's `DesiredCount`), or during a scale-out
// cooldown to the desired capacity before the initiating scale-out (see ``ScalingCooldowns``).

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
    ///   - capacity: the desired, warm and measured instance counts.
    public mutating func evaluate<Series: BidirectionalCollection>(
        at now: SimTime,
        series: Series,
        capacity: ServiceCapacity
    ) -> ScalingDecision where Series.Element == MetricDatapoint {
        let current = capacity.desired
        let periods = configuration.cooldowns
        let cooldownEnd = cooldowns.scaleOutCooldownEnd(at: now, periods: periods)
        let stepBase = cooldowns.stepBase(at: now, periods: periods, desired: current)
        var ballot = Ballot()

        // Every alarm is evaluated each period, so its state advances even while a bound holds.
        for index in configuration.targetTracking.indices {
            let policy = configuration.targetTracking[index]
            let vote = policy.vote(series: series, measured: capacity.measured, states: &targetTrackingAlarms[index])
            let states = targetTrackingAlarms[index]
            let evidence = vote.metricValue.map {
                ScalingEvidence(policy: policy.name, metric: policy.metric, value: $0, threshold: policy.targetValue,
                                alarm: .alarm, base: capacity.measured, scaleOutCooldownUntil: cooldownEnd)
            }
            if states.scaleOut == .alarm { ballot.readyToScaleOut(policy.name, vote.scaleOut, evidence) }
            if !policy.disableScaleIn { ballot.targetTrackingScaleInVote(policy.name, vote.scaleIn, evidence) }
        }
        for index in configuration.stepScaling.indices {
            let policy = configuration.stepScaling[index]
            let state = policy.alarm.evaluate(series, previous: stepScalingAlarms[index])
            stepScalingAlarms[index] = state
            // CloudWatch invokes an Auto Scaling action every minute the alarm stays in ALARM.
            guard state == .alarm else { continue }
            let value = series.latestValue(of: policy.alarm.metric, within: policy.alarm.evaluationPeriods)
            let base = policy.scalesOut ? stepBase : current
            let evidence = value.map {
                ScalingEvidence(policy: policy.name, metric: policy.alarm.metric, value: $0,
                                threshold: policy.alarm.threshold, alarm: state, base: Double(base),
                                scaleOutCooldownUntil: cooldownEnd)
            }
            let proposal = value.flatMap { policy.capacity(from: base, metricValue: $0) }
            if policy.scalesOut {
                ballot.readyToScaleOut(policy.name, proposal, evidence)
            } else if let proposal {
                ballot.stepScaleIn(policy.name, proposal, evidence)
            }
        }

        // Bounds first: they are not policy activity and start no cooldown.
        if current < configuration.minCapacity {
            return ScalingDecision(previousCapacity: current, desiredCapacity: configuration.minCapacity, reason: .belowMinimum)
        }
        if current > configuration.maxCapacity {
            return ScalingDecision(previousCapacity: current, desiredCapacity: configuration.maxCapacity, reason: .aboveMaximum)
        }
        if let scaleOut = ballot.scaleOut {
            return decideScaleOut(at: now, current: current, scaleOut)
        }
        return decideScaleIn(at: now, capacity: capacity, ballot: ballot)
    }

    // MARK: Combining

    /// Scale out to the largest proposal, unless the desired capacity already covers it.
    private mutating func decideScaleOut(at now: SimTime, current: Int, _ scaleOut: Proposal) -> ScalingDecision {
        guard let desired = scaleOut.desired, desired > current else {
            return .hold(current, reason: .capacityAlreadySufficient(policy: scaleOut.policy), evidence: scaleOut.evidence)
        }
        let target = min(desired, configuration.maxCapacity)
        guard target > current else { return .hold(current, reason: .atMaximum, evidence: scaleOut.evidence) }
        cooldowns.recordScaleOut(at: now, completion: now + configuration.scaleOutActivityDuration,
                                 previous: current, periods: configuration.cooldowns)
        return ScalingDecision(previousCapacity: current, desiredCapacity: target, reason: .policy(scaleOut.policy),
                               evidence: scaleOut.evidence)
    }

    /// Scale in to the largest proposal ready (target tracking only when all its voters agree;
    /// step policies on their own) when nothing blocks it.
    private mutating func decideScaleIn(at now: SimTime, capacity: ServiceCapacity, ballot: Ballot) -> ScalingDecision {
        let current = capacity.desired
        guard let scaleIn = ballot.scaleIn else {
            return .hold(current, reason: ballot.someTargetTrackingReadyToScaleIn ? .notAllPoliciesReadyToScaleIn : .withinTarget)
        }
        guard let desired = scaleIn.desired else { return .hold(current, reason: .withinTarget) }
        let target = max(desired, configuration.minCapacity)
        guard target < current else {
            return .hold(current, reason: desired < current ? .atMinimum : .withinTarget, evidence: scaleIn.evidence)
        }
        if capacity.warming > 0 {
            return .hold(current, reason: .instancesWarmingUp(capacity.warming), evidence: scaleIn.evidence)
        }
        let periods = configuration.cooldowns
        if let end = cooldowns.scaleInCooldownEnd(at: now, periods: periods) {
            return .hold(current, reason: .scaleInCooldown(until: end), evidence: scaleIn.evidence)
        }
        if configuration.scaleOutCooldownBlocksScaleIn, let end = cooldowns.scaleOutCooldownEnd(at: now, periods: periods) {
            return .hold(current, reason: .scaleOutCooldown(until: end), evidence: scaleIn.evidence)
        }
        cooldowns.recordScaleIn(at: now)
        return ScalingDecision(previousCapacity: current, desiredCapacity: target, reason: .policy(scaleIn.policy),
                               evidence: scaleIn.evidence)
    }
}

// MARK: - Ballot

/// One policy's proposal: a capacity (nil: ready, but no applicable step or value) and its evidence.
private struct Proposal {
    var policy: String
    var desired: Int?
    var evidence: ScalingEvidence?
}

/// The policies' votes in one evaluation.
private struct Ballot {
    /// The largest scale-out proposal (or the first policy ready to scale out, if none proposes).
    private(set) var scaleOut: Proposal?
    /// The largest target tracking scale-in proposal.
    private var targetTrackingScaleIn: Proposal?
    /// The largest step scale-in proposal.
    private var stepScaleIn: Proposal?
    private var targetTrackingVoters = 0
    private var targetTrackingReady = 0

    /// Whether some, but perhaps not all, target tracking policies are ready to scale in.
    var someTargetTrackingReadyToScaleIn: Bool { targetTrackingReady > 0 }

    /// The scale-in to make: target tracking's when every voter agrees, a step policy's on its
    /// own; the larger capacity when both are ready.
    var scaleIn: Proposal? {
        let trackingAgreed = targetTrackingVoters > 0 && targetTrackingReady == targetTrackingVoters
        let candidates = [trackingAgreed ? targetTrackingScaleIn : nil, stepScaleIn].compactMap { $0 }
        return candidates.max { ($0.desired ?? 0) < ($1.desired ?? 0) }
    }

    /// A policy whose scale-out alarm is in ALARM, proposing `desired` (nil: no applicable step).
    mutating func readyToScaleOut(_ name: String, _ desired: Int?, _ evidence: ScalingEvidence?) {
        guard let existing = scaleOut else {
            scaleOut = Proposal(policy: name, desired: desired, evidence: evidence)
            return
        }
        guard let desired else { return }
        if existing.desired.map({ desired > $0 }) ?? true {
            scaleOut = Proposal(policy: name, desired: desired, evidence: evidence)
        }
    }

    /// A target tracking policy that can scale in, proposing `desired` when ready (nil: not ready).
    mutating func targetTrackingScaleInVote(_ name: String, _ desired: Int?, _ evidence: ScalingEvidence?) {
        targetTrackingVoters += 1
        guard let desired else { return }
        targetTrackingReady += 1
        if targetTrackingScaleIn?.desired.map({ desired > $0 }) ?? true {
            targetTrackingScaleIn = Proposal(policy: name, desired: desired, evidence: evidence)
        }
    }

    /// A step scale-in policy whose alarm is in ALARM, proposing `desired`.
    mutating func stepScaleIn(_ name: String, _ desired: Int, _ evidence: ScalingEvidence?) {
        if stepScaleIn?.desired.map({ desired > $0 }) ?? true {
            stepScaleIn = Proposal(policy: name, desired: desired, evidence: evidence)
        }
    }
}
