// CeleryRetryPolicy.swift — Celery task retries: max_retries, exponential backoff, full jitter.
//
// Semantics (Celery, `celery/app/task.py` Task.retry, `celery/app/autoretry.py`,
// `celery/utils/time.py` get_exponential_backoff_interval):
// - `request.retries` counts retries already made (0 on the first failure); a retry is refused,
//   and the task fails for good, once `request.retries + 1 > max_retries` — so max_retries = 3
//   means at most 4 executions;
// - with `retry_backoff` (auto-retry), countdown = min(retry_backoff_max, factor × 2^retries);
//   with `retry_jitter` (default True) it is replaced by `random.randrange(countdown + 1)`:
//   a whole number of seconds, uniform on 0…countdown ("full jitter");
//   `retry_backoff=True` means factor 1 s — the seed's 60 s base is `retry_backoff=60`;
// - an explicit `self.retry(countdown=…)`, as the seed's task body calls it, bypasses
//   retry_backoff, retry_backoff_max and retry_jitter entirely: 60, 120, 240 s, no jitter.

import Sim

// MARK: - Countdown rules

/// How the delay before a retry is computed.
public enum RetryCountdown: Sendable, Equatable {
    /// `countdown = 2^retries × baseSeconds`, as the seed's task body passes to `self.retry`:
    /// no cap and no jitter.
    case explicit(baseSeconds: Int)
    /// Celery's `get_exponential_backoff_interval(factor, retries, maximum, full_jitter)`.
    case exponentialBackoff(factorSeconds: Int, maximumSeconds: Int, fullJitter: Bool)
}

// MARK: - Decision

/// What happens after a task execution fails.
public enum RetryDecision: Sendable, Equatable {
    /// Re-run the task after `delay`; `retries` is its new `request.retries` (1 for the first retry).
    case retry(retries: Int, delay: SimTime)
    /// No retries left: the task fails and goes to the dead-letter record after `executions` runs.
    case deadLetter(executions: Int)
}

// MARK: - Policy

/// A task's retry policy.
public struct CeleryRetryPolicy: Sendable, Equatable {
    /// `max_retries`; `nil` retries for ever.
    public var maxRetries: Int?
    /// The countdown rule.
    public var countdown: RetryCountdown

    /// Creates a retry policy.
    public init(maxRetries: Int?, countdown: RetryCountdown) {
        precondition(maxRetries.map { $0 >= 0 } ?? true, "CeleryRetryPolicy: max_retries must be ≥ 0")
        self.maxRetries = maxRetries
        self.countdown = countdown
    }

    /// The seed's intent, as simrun models it: `max_retries=3`, backoff base 60 s,
    /// `retry_backoff_max=600`, `retry_jitter=True` (Celery's `retry_backoff=60`).
    public static let seed = CeleryRetryPolicy(
        maxRetries: 3, countdown: .exponentialBackoff(factorSeconds: 60, maximumSeconds: 600, fullJitter: true))

    /// The seed's task body taken literally: `self.retry(countdown=2 ** retries * 60)`, which
    /// Celery applies as given (60, 120, 240 s; no cap, no jitter).
    public static let seedLiteral = CeleryRetryPolicy(maxRetries: 3, countdown: .explicit(baseSeconds: 60))

    // MARK: Countdown

    /// The un-jittered countdown, in seconds, for a task that has already been retried
    /// `retries` times: `min(maximum, factor × 2^retries)` (or `base × 2^retries` when explicit).
    /// Saturates instead of overflowing.
    public func countdownCeiling(retries: Int) -> Int {
        precondition(retries >= 0, "countdownCeiling: retries must be ≥ 0")
        switch countdown {
        case .explicit(let base):
            return Self.saturatingPowerOfTwo(times: base, exponent: retries)
        case .exponentialBackoff(let factor, let maximum, _):
            return max(0, min(maximum, Self.saturatingPowerOfTwo(times: factor, exponent: retries)))
        }
    }

    /// The delay in seconds before the next execution, for a task retried `retries` times so far.
    /// Draws from `random` only when full jitter applies.
    public func countdownSeconds(retries: Int, random: inout RandomStream) -> Int {
        let ceiling = countdownCeiling(retries: retries)
        if case .exponentialBackoff(_, _, true) = countdown, ceiling > 0, ceiling < Int.max {
            return random.uniformIndex(below: ceiling + 1)  // randrange(countdown + 1)
        }
        return ceiling
    }

    // MARK: Decision

    /// Decides what follows a failed execution of a task that has been retried `retries` times.
    public func decide(afterFailureWithRetries retries: Int, random: inout RandomStream) -> RetryDecision {
        precondition(retries >= 0, "decide: retries must be ≥ 0")
        if let maxRetries, retries + 1 > maxRetries {
            return .deadLetter(executions: retries + 1)
        }
        let seconds = countdownSeconds(retries: retries, random: &random)
        let delay = SimTime(clamping: seconds).multipliedReportingOverflow(by: SimClock.nanosecondsPerSecond)
        return .retry(retries: retries + 1, delay: delay.overflow ? SimTime.max : delay.partialValue)
    }

    /// `value × 2^exponent`, saturating at `Int.max`; negative values give 0.
    private static func saturatingPowerOfTwo(times value: Int, exponent: Int) -> Int {
        guard value > 0 else { return 0 }
        if exponent >= Int.bitWidth - 1 { return Int.max }
        let product = value.multipliedReportingOverflow(by: 1 << exponent)
        return product.overflow ? Int.max : product.partialValue
    }
}
