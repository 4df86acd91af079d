// HPAScalingRules.swift — the HPA's `behavior`: stabilisation windows and rate policies.
//
// Defaults (Kubernetes API, HorizontalPodAutoscalerBehavior / HPAScalingRules): scale up with no
// stabilisation, at most the higher of +100 % or +4 pods per 15 s; scale down with a 300 s
// stabilisation window (the highest recommendation of the last 300 s is used), at most −100 %
// per 15 s. `selectPolicy` Max picks the policy allowing the larger change.
//
// Rate limits (pkg/controller/podautoscaler/horizontal.go, `calculateScaleUpLimitWithScalingRules`
// and `calculateScaleDownLimitWithBehaviors`): each policy measures its change from the replica
// count at the start of its period, `current − added + removed`, where the pods added *and*
// removed by the HPA inside the period both count (current Kubernetes; older releases, such as the
// kubernetes/kubernetes copy at commit 00067268, undid only the changes in the policy's own
// direction).

import Sim

// MARK: - Policies

/// One rate limit: at most `value` pods, or `value` percent, per `period`.
public struct HPAScalingPolicy: Sendable, Equatable {
    /// Whether ``value`` counts pods or percent.
    public enum Kind: Sendable, Equatable {
        case pods
        case percent
    }

    /// Pods or percent.
    public var kind: Kind
    /// The amount per period (> 0).
    public var value: Int
    /// The look-back period.
    public var period: SimTime

    /// Creates a rate policy.
    public init(kind: Kind, value: Int, period: SimTime) {
        precondition(value > 0 && period > 0, "HPAScalingPolicy: value and period must be > 0")
        self.kind = kind
        self.value = value
        self.period = period
    }
}

/// Which of several policies applies.
public enum HPASelectPolicy: Sendable, Equatable {
    /// The policy allowing the largest change (the default).
    case max
    /// The policy allowing the smallest change.
    case min
    /// No scaling in this direction.
    case disabled
}

// MARK: - Rules

/// The scaling rules for one direction.
public struct HPAScalingRules: Sendable, Equatable {
    /// How long past recommendations are considered.
    public var stabilizationWindow: SimTime
    /// The rate policies.
    public var policies: [HPAScalingPolicy]
    /// How the policies combine.
    public var selectPolicy: HPASelectPolicy

    /// Creates rules.
    public init(stabilizationWindow: SimTime, policies: [HPAScalingPolicy], selectPolicy: HPASelectPolicy = .max) {
        precondition(stabilizationWindow >= 0, "HPAScalingRules: window must be ≥ 0")
        self.stabilizationWindow = stabilizationWindow
        self.policies = policies
        self.selectPolicy = selectPolicy
    }

    private static let fifteenSeconds = 15 * SimClock.nanosecondsPerSecond

    /// Kubernetes' default scale-up: no window; +100 % or +4 pods per 15 s, whichever is more.
    public static let defaultScaleUp = HPAScalingRules(
        stabilizationWindow: 0,
        policies: [HPAScalingPolicy(kind: .percent, value: 100, period: fifteenSeconds),
                   HPAScalingPolicy(kind: .pods, value: 4, period: fifteenSeconds)])

    /// Kubernetes' default scale-down: 300 s window; −100 % per 15 s.
    public static let defaultScaleDown = HPAScalingRules(
        stabilizationWindow: 300 * SimClock.nanosecondsPerSecond,
        policies: [HPAScalingPolicy(kind: .percent, value: 100, period: fifteenSeconds)])

    /// The longest policy period (how long scale events must be remembered).
    var longestPeriod: SimTime { policies.map(\.period).max() ?? 0 }
}

// MARK: - Rate limits

/// A replica change made by the HPA, remembered for the rate policies (positive: pods added).
struct HPAScaleEvent: Sendable, Equatable {
    var time: SimTime
    var change: Int
}

extension HPAScalingRules {
    /// The pods added and removed by the events inside `period` before `now` (an event counts
    /// while its time is after `now − period`, as Kubernetes' `getReplicasChangePerPeriod`).
    static func changes(within period: SimTime, now: SimTime, events: [HPAScaleEvent]) -> (added: Int, removed: Int) {
        var added = 0, removed = 0
        for event in events where event.time > now - period {
            if event.change > 0 { added += event.change } else { removed -= event.change }
        }
        return (added, removed)
    }

    /// The replica count at the start of `policy`'s period: the current count with the
    /// period's changes undone in *both* directions (current Kubernetes: a scale-down inside a
    /// scale-up period raises the base the scale-up is measured from, and vice versa).
    private static func periodStart(_ policy: HPAScalingPolicy, current: Int, now: SimTime,
                                    events: [HPAScaleEvent]) -> Int {
        let (added, removed) = changes(within: policy.period, now: now, events: events)
        return current - added + removed
    }

    /// The highest replica count the scale-up policies allow at `now` from `current`.
    func scaleUpLimit(current: Int, now: SimTime, events: [HPAScaleEvent]) -> Int {
        if selectPolicy == .disabled || policies.isEmpty { return current }
        var limit: Int? = nil
        for policy in policies {
            let start = Self.periodStart(policy, current: current, now: now, events: events)
            let proposed = switch policy.kind {
            case .pods: start + policy.value
            case .percent: CapacityRounding.ceiling(Double(start) * (1 + Double(policy.value) / 100))
            }
            limit = limit.map { selectPolicy == .max ? max($0, proposed) : min($0, proposed) } ?? proposed
        }
        return max(limit ?? current, current)
    }

    /// The lowest replica count the scale-down policies allow at `now` from `current`.
    func scaleDownLimit(current: Int, now: SimTime, events: [HPAScaleEvent]) -> Int {
        if selectPolicy == .disabled || policies.isEmpty { return current }
        var limit: Int? = nil
        for policy in policies {
            let start = Self.periodStart(policy, current: current, now: now, events: events)
            let proposed = switch policy.kind {
            case .pods: start - policy.value
            case .percent: Int(Double(start) * (1 - Double(policy.value) / 100))
            }
            limit = limit.map { selectPolicy == .max ? min($0, proposed) : max($0, proposed) } ?? proposed
        }
        return min(limit ?? current, current)
    }
}
