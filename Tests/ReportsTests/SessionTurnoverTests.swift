// SessionTurnoverTests.swift — sessions with turnover (`users.turnover`) against figures
// derived by hand: the logins of sessions of a fixed length, and the cold Redis misses of the
// user key each new session meets. Small world, fixed seed, bounds of about 4 standard errors.

import Foundation
import Testing
import Scenarios
import Sim
@testable import TaskSystem

@Suite struct SessionTurnoverTests {
    /// 20 users at once out of 5,000 registered, sessions of exactly `k` = 4 requests after
    /// the login, get_task only, no re-reads, no revocations, Redis empty at the start. The
    /// warm-up (6 minutes) outlasts the 5-minute TTL, so the measured 6 minutes see Redis's
    /// user keys in their steady state.
    static func scenario(turnover: Bool) -> String {
        """
        kind: task-system
        name: turnover
        seed: 17
        duration: 12m
        warmup: 6m
        users:
          registered: 5000
          tasks_per_project: 2
          concurrent: 20
          think: {distribution: exponential, mean: 1s}
          requests_per_session: {distribution: constant, value: 4}
          refresh_after_write: false
          permission_revocations_per_hour: 0
          mix: {get_task: 1}
          turnover: \(turnover)
        cache: {warm: false}
        kpis: []
        """
    }

    static let k = 4.0
    static let measuredSeconds = 360.0
    static let userTTL = 300.0  // the seed's 5 minutes for `user:{id}`
    static let concurrentUsers = 20.0
    /// Sessions are drawn among the users with a project. The seeder gives each of the 500
    /// projects 10 distinct members drawn at random from 5,000 users, so a user belongs to none
    /// with probability (1 − 10/5,000)^500 ≈ e⁻¹: about 5,000 × (1 − 0.998^500) ≈ 3,162 users
    /// have one (its spread, about ±35, moves the expected hit rate by ~5 × 10⁻⁴).
    static let usersWithAProject: Double = 5_000 * (1 - pow(1 - 10.0 / 5_000.0, 500.0))

    @Test func eachSessionMeetsAColdUserKeyUnlessItsUserCameBackWithinTheTTL() throws {
        let (_, result) = try WholeSystemQuantitativeTests.run(Self.scenario(turnover: true))
        let logins = try WholeSystemQuantitativeTests.metric(result, "users.logins")
        let requests = try WholeSystemQuantitativeTests.metric(result, "users.requests")

        // Logins: every session is a login and k requests, so requests = (k + 1) × logins up to
        // the sessions cut by the warm-up's end and the run's end (at most k requests each
        // side per user) — a bound, not a statistic.
        #expect(logins > 1_000)
        #expect(abs(requests - (Self.k + 1) * logins) <= 2 * Self.k * Self.concurrentUsers,
                "\(requests) requests for \(logins) logins")

        // The user key. A login and each get_task look `user:{id}` up in Redis once (the seed's
        // L1 holds permissions only), so the lookups are the requests; all but the logins hit
        // (a session of ~4 s is far inside the TTL). A login misses unless the key is alive: set
        // by the user's earlier session less than 300 s ago. Each new session draws one of the
        // users with a project (``usersWithAProject``), so a given user's sessions arrive as a
        // Poisson process of rate λ = sessions/s ÷ those users, and its key alternates between
        // alive (300 s after a miss sets it) and dead (until the next arrival, mean 1/λ): alive
        // a fraction q = 300 λ / (1 + 300 λ) of the time, which an arrival sees (PASTA). So
        // the misses are binomial(logins, 1 − q) and the hit rate 1 − (1 − q) × logins /
        // requests; bound: 4 σ, plus the requests in flight at the warm-up's end (one per user,
        // counted by the client on one side and by Redis on the other).
        let lambda = logins / Self.measuredSeconds / Self.usersWithAProject
        let q = Self.userTTL * lambda / (1 + Self.userTTL * lambda)
        let expected = 1 - (1 - q) * logins / requests
        let sigma = (logins * q * (1 - q)).squareRoot() / requests
        let bound = 4 * sigma + Self.concurrentUsers / requests
        let hitRate = try WholeSystemQuantitativeTests.metric(result, "cache.l2.user.hit_rate")
        #expect(abs(hitRate - expected) <= bound,
                "user key hit rate \(hitRate), expected \(expected) ± \(bound) (q = \(q))")
        // Were every registered user drawn (5,000, not ~3,162), q would be 0.23, not 0.32: the
        // expected rate 0.846, outside the bound — the figure tells who the sessions are.
    }

    @Test func withoutTurnoverTheSameUsersKeepTheirKeysWarm() throws {
        // The same world without turnover: the 20 users are the same 20 throughout, so their
        // keys miss only when the TTL ends — once per user per 300 s: about 20 × 360/300 = 24
        // misses (at most two per user in 360 s), against thousands of lookups.
        let (_, result) = try WholeSystemQuantitativeTests.run(Self.scenario(turnover: false))
        let requests = try WholeSystemQuantitativeTests.metric(result, "users.requests")
        let hitRate = try WholeSystemQuantitativeTests.metric(result, "cache.l2.user.hit_rate")
        #expect(requests > 5_000)
        #expect(hitRate >= 1 - 2 * Self.concurrentUsers / requests, "user key hit rate \(hitRate) over \(requests) requests")
    }
}
