// ScalingCooldowns.swift — Application Auto Scaling's scale-out and scale-in cooldowns.
//
// Semantics (Application Auto Scaling User Guide, "Target tracking scaling policies" and "Step
// scaling policies", section "Cooldown period"):
// - scale-out cooldown: "after Application Auto Scaling successfully scales out … it starts to
//   calculate the cooldown time"; the policy won't raise the desired capacity again unless a
//   *larger* scale-out is triggered or the cooldown ends; while it lasts, the capacity the
//   initiating scale-out added counts as part of the desired capacity for the next scale-out
//   (an alarm asking +3 after a +2 adds only 1);
// - scale-in cooldown: scale-in is blocked until it expires, but a scale-out triggered during it
//   happens immediately, and the scale-in cooldown then stops and doesn't complete.
// The cooldown clock therefore starts when the scaling *activity completes*. simrun takes a
// scale-out activity as complete when the instances it launched are in service (the start-up
// delay, ``AutoScalingPolicyConfiguration/scaleOutActivityDuration``); until then the activity
// is in progress and counts as cooling down. A scale-in completes at once (draining is not
// waited for).

import Sim

// MARK: - Durations

/// The two cooldown durations.
public struct ScalingCooldownPeriods: Sendable, Equatable {
    /// Wait after a scale-out completes before the next scale-out is computed from the new
    /// capacity (60 s).
    public var scaleOut: SimTime
    /// Wait after a scale-in before another scale-in (300 s).
    public var scaleIn: SimTime

    /// Creates cooldown durations.
    public init(scaleOut: SimTime, scaleIn: SimTime) {
        precondition(scaleOut >= 0 && scaleIn >= 0, "ScalingCooldownPeriods: durations must be ≥ 0")
        self.scaleOut = scaleOut
        self.scaleIn = scaleIn
    }

    /// The seed's cooldowns: 60 s out, 300 s in.
    public static let seed = ScalingCooldownPeriods(
        scaleOut: 60 * SimClock.nanosecondsPerSecond, scaleIn: 300 * SimClock.nanosecondsPerSecond)
}

// MARK: - State

/// The cooldown clock: when the last scale-out completes and the last scale-in happened.
public struct ScalingCooldownState: Sendable, Equatable {
    /// When the last scale-out activity completes (or completed), if any; its cooldown runs from
    /// the decision until this moment plus the scale-out cooldown.
    public private(set) var lastScaleOut: SimTime?
    /// The desired capacity before the scale-out that started the current scale-out cooldown.
    public private(set) var scaleOutBaseline: Int?
    /// When the last scale-in was decided, if no scale-out has stopped its cooldown since.
    public private(set) var lastScaleIn: SimTime?

    /// A clock with no activity yet.
    public init() {}

    /// The end of the scale-out cooldown, if one is in effect at `now` (the activity still in
    /// progress, or completed less than the cooldown ago).
    public func scaleOutCooldownEnd(at now: SimTime, periods: ScalingCooldownPeriods) -> SimTime? {
        guard let completion = lastScaleOut, now < completion + periods.scaleOut else { return nil }
        return completion + periods.scaleOut
    }

    /// The end of the scale-in cooldown, if one is in effect at `now`.
    public func scaleInCooldownEnd(at now: SimTime, periods: ScalingCooldownPeriods) -> SimTime? {
        guard let start = lastScaleIn, now < start + periods.scaleIn else { return nil }
        return start + periods.scaleIn
    }

    /// The capacity a step adjustment at `now` is applied to: the desired capacity, or — during
    /// a scale-out cooldown — the desired capacity before the initiating scale-out, so that the
    /// capacity it added counts and only a larger adjustment adds (the difference).
    public func stepBase(at now: SimTime, periods: ScalingCooldownPeriods, desired: Int) -> Int {
        guard scaleOutCooldownEnd(at: now, periods: periods) != nil, let baseline = scaleOutBaseline else {
            return desired
        }
        return min(baseline, desired)
    }

    /// Records a scale-out decided at `now` from desired capacity `previous`, whose activity
    /// completes at `completion`; stops any scale-in cooldown.
    ///
    /// A scale-out inside a running scale-out cooldown keeps the original baseline and restarts
    /// the cooldown from its own completion.
    public mutating func recordScaleOut(at now: SimTime, completion: SimTime, previous: Int,
                                        periods: ScalingCooldownPeriods) {
        if scaleOutCooldownEnd(at: now, periods: periods) == nil || scaleOutBaseline == nil {
            scaleOutBaseline = previous
        }
        lastScaleOut = max(completion, lastScaleOut ?? completion)
        lastScaleIn = nil
    }

    /// Records a scale-in decided at `now`.
    public mutating func recordScaleIn(at now: SimTime) {
        lastScaleIn = now
    }
}
