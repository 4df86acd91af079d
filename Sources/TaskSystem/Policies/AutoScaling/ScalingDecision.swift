// ScalingDecision.swift — what a scaling policy decided, and why.

import Sim

// MARK: - Action

/// The direction of a scaling decision.
public enum ScalingAction: Sendable, Equatable {
    case scaleOut
    case scaleIn
    case none
}

// MARK: - Reason

/// Why a policy produced its decision; for the run log and the report.
public enum ScalingReason: Sendable, Equatable, CustomStringConvertible {
    /// The named policy (or HPA metric) set the new capacity.
    case policy(String)
    /// The current capacity was below the minimum; raised to it.
    case belowMinimum
    /// The current capacity was above the maximum; lowered to it.
    case aboveMaximum
    /// No policy asked for a change.
    case withinTarget
    /// A policy is ready to scale out, but the desired capacity already covers its proposal
    /// (e.g. instances are still warming up, or a scale-out cooldown counts the capacity added).
    case capacityAlreadySufficient(policy: String)
    /// A scale-out was wanted but the capacity is at its maximum.
    case atMaximum
    /// A scale-in was wanted but the capacity is at its minimum.
    case atMinimum
    /// Some, but not all, policies are ready to scale in.
    case notAllPoliciesReadyToScaleIn
    /// Scale-in is blocked until the scale-in cooldown ends at the given time.
    case scaleInCooldown(until: SimTime)
    /// Scale-in is blocked until the scale-out cooldown ends at the given time.
    case scaleOutCooldown(until: SimTime)
    /// Scale-in is blocked while this many instances are warming up.
    case instancesWarmingUp(Int)
    /// (HPA) every metric is within the tolerance of its target.
    case withinTolerance
    /// (HPA) a higher recommendation inside the stabilisation window holds the replicas.
    case stabilizationWindow
    /// (HPA) the change was limited by a scaling policy's rate; the named metric asked for more.
    case rateLimited(String)
    /// (Worker scaler) the queue depth drove the change.
    case queueDepth(Int)

    /// A short human-readable explanation.
    public var description: String {
        switch self {
        case .policy(let name): "policy \(name)"
        case .belowMinimum: "below minimum capacity"
        case .aboveMaximum: "above maximum capacity"
        case .withinTarget: "within target"
        case .capacityAlreadySufficient(let name): "policy \(name): desired capacity already sufficient"
        case .atMaximum: "at maximum capacity"
        case .atMinimum: "at minimum capacity"
        case .notAllPoliciesReadyToScaleIn: "not all policies ready to scale in"
        case .scaleInCooldown(let until): "scale-in cooldown until \(SimClock.seconds(until)) s"
        case .scaleOutCooldown(let until): "scale-out cooldown until \(SimClock.seconds(until)) s"
        case .instancesWarmingUp(let count): "\(count) instance(s) warming up"
        case .withinTolerance: "within tolerance"
        case .stabilizationWindow: "held by stabilisation window"
        case .rateLimited(let name): "metric \(name), rate-limited"
        case .queueDepth(let depth): "queue depth \(depth)"
        }
    }
}

// MARK: - Evidence

/// What a policy saw when it decided: the values behind a ``ScalingReason``, for a timeline.
public struct ScalingEvidence: Sendable, Equatable {
    /// The policy (or HPA metric) that proposed the capacity.
    public var policy: String
    /// The metric it read (`nil` for an HPA metric, named by ``policy``).
    public var metric: ScalingMetric?
    /// The metric value the proposal was computed from.
    public var value: Double
    /// The target value (target tracking, HPA) or the alarm threshold (step scaling).
    public var threshold: Double
    /// The state of the alarm that invoked the policy (`nil` for the HPA, which has none).
    public var alarm: AlarmState?
    /// The capacity the proposal was computed from (measured capacity, desired capacity, or the
    /// pre-scale-out capacity during a scale-out cooldown).
    public var base: Double
    /// The end of the scale-out cooldown in effect at the decision, if any.
    public var scaleOutCooldownUntil: SimTime?

    /// Creates evidence.
    public init(policy: String, metric: ScalingMetric?, value: Double, threshold: Double,
                alarm: AlarmState?, base: Double, scaleOutCooldownUntil: SimTime? = nil) {
        self.policy = policy
        self.metric = metric
        self.value = value
        self.threshold = threshold
        self.alarm = alarm
        self.base = base
        self.scaleOutCooldownUntil = scaleOutCooldownUntil
    }
}

// MARK: - Decision

/// The outcome of evaluating a scaling policy: the new desired count and the reason for it.
public struct ScalingDecision: Sendable, Equatable, CustomStringConvertible {
    /// The desired count before the evaluation.
    public var previousCapacity: Int
    /// The desired count after the evaluation (equal to ``previousCapacity`` when nothing changes).
    public var desiredCapacity: Int
    /// Why.
    public var reason: ScalingReason
    /// The values behind the reason, when a policy proposed a capacity.
    public var evidence: ScalingEvidence?

    /// Creates a decision.
    public init(previousCapacity: Int, desiredCapacity: Int, reason: ScalingReason,
                evidence: ScalingEvidence? = nil) {
        self.previousCapacity = previousCapacity
        self.desiredCapacity = desiredCapacity
        self.reason = reason
        self.evidence = evidence
    }

    /// A decision that keeps `capacity`.
    public static func hold(_ capacity: Int, reason: ScalingReason,
                            evidence: ScalingEvidence? = nil) -> ScalingDecision {
        ScalingDecision(previousCapacity: capacity, desiredCapacity: capacity, reason: reason, evidence: evidence)
    }

    /// The direction of the change.
    public var action: ScalingAction {
        if desiredCapacity > previousCapacity { return .scaleOut }
        if desiredCapacity < previousCapacity { return .scaleIn }
        return .none
    }

    /// Whether the desired count changes.
    public var changesCapacity: Bool { desiredCapacity != previousCapacity }

    /// E.g. `4 → 6 (policy cpu-target-tracking)`.
    public var description: String {
        "\(previousCapacity) → \(desiredCapacity) (\(reason))"
    }
}
