// ScalingCooldowns.swift — Application Auto Scaling's scale-out and scale-in cooldowns.
//
// Semantics (Application Auto Scaling User Guide, "Cooldown period"):
// - scale-out cooldown: after a scale-out, the policy won't raise the desired capacity again
//   unless a *larger* scale-out is triggered or the cooldown ends; while it lasts, the capacity the
//   initiating scale-out added counts as part of the desired capacity for the next scale-out;
// - scale-in cooldown: scale-in is blocked until it expires, but a scale-out triggered during it
//   happens immediately, and the scale-in cooldown then stops and doesn't complete.
// Cooldowns start when simrun *decides* the activity (the AWS clock starts when it completes).

import Sim

// MARK: - Durations

/// The two cooldown durations.
public struct ScalingCooldownPeriods: Sendable, Equatable {
    /// Wait after a scale-out before the next scale-out is computed from the new capacity (60 s).
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

/// The cooldown clock: when the last scale-out and scale-in happened.
public struct ScalingCooldownState: Sendable, Equatable {
    /// When the last scale-out was decided, if any.
    public private(set) var lastScaleOut: SimTime?
    /// The warm capacity before the scale-out that started the current scale-out cooldown.
    public private(set) var scaleOutBaseline: Int?
    /// When the last scale-in was decided, if no scale-out has stopped its cooldown since.
    public private(set) var lastScaleIn: SimTime?

    /// A clock with no activity yet.
    public init() {}

    /// The end of the scale-out cooldown, if one is in effect at `now`.
    public func scaleOutCooldownEnd(at now: SimTime, periods: ScalingCooldownPeriods) -> SimTime? {
        guard let start = lastScaleOut, now < start + periods.scaleOut else { return nil }
        return start + periods.scaleOut
    }

    /// The end of the scale-in cooldown, if one is in effect at `now`.
    public func scaleInCooldownEnd(at now: SimTime, periods: ScalingCooldownPeriods) -> SimTime? {
        guard let start = lastScaleIn, now < start + periods.scaleIn else { return nil }
        return start + periods.scaleIn
    }

    /// The capacity a scale-out at `now` is computed from: the warm capacity, or — during a
    /// scale-out cooldown — the capacity before the initiating scale-out, so the capacity it added
    /// is counted and only a larger scale-out goes ahead.
    public func scaleOutBase(at now: SimTime, periods: ScalingCooldownPeriods, inService: Int) -> Int {
        guard scaleOutCooldownEnd(at: now, periods: periods) != nil, let baseline = scaleOutBaseline else {
            return inService
        }
        return min(baseline, inService)
    }

    /// Records a scale-out decided at `now` from `base`; stops any scale-in cooldown.
    ///
    /// A scale-out inside a running scale-out cooldown keeps the original baseline.
    public mutating func recordScaleOut(at now: SimTime, base: Int, periods: ScalingCooldownPeriods) {
        if scaleOutCooldownEnd(at: now, periods: periods) == nil || scaleOutBaseline == nil {
            scaleOutBaseline = base
        }
        lastScaleOut = now
        lastScaleIn = nil
    }

    /// Records a scale-in decided at `now`.
    public mutating func recordScaleIn(at now: SimTime) {
        lastScaleIn = now
    }
}
