// WholeSystemQuantitativeTests.swift — the whole simulated system against figures derived by
// hand: endpoint shares against the mix weights, database queries against queries per request
// and cache misses, cost against instance-hours × price, a cold cache's misses, the per-user
// rate limit, and sticky against round-robin balancing in the L1 caches. Small worlds, fixed
// seeds; statistical bounds are about 4 standard errors (two-sided tail ≈ 6 × 10⁻⁵).

import Foundation
import Testing
import Scenarios
import Sim
@testable import TaskSystem

@Suite struct WholeSystemQuantitativeTests {
    // MARK: Running a small world

    /// Runs replication 0 of the task-system scenario `yaml`.
    static func run(_ yaml: String) throws -> (TaskSystemConfiguration, TaskSystemResult) {
        guard case .taskSystem(let scenario) = try ScenarioLoader.load(yaml: yaml, path: "quantitative.yaml") else {
            throw ConsistencyTestError.notTaskSystem("quantitative.yaml")
        }
        return (scenario.configuration, TaskSystemSimulation.runReplication(scenario.configuration, replication: 0))
    }

    static func metric(_ result: TaskSystemResult, _ name: String) throws -> Double {
        try #require(result.metric(name), "\(name)")
    }

    // MARK: Endpoint shares

    @Test func endpointSharesFollowTheMixWeights() throws {
        // Every request after a session's login draws its endpoint independently with
        // probability weight / Σ weights (re-reads after writes are off), so each endpoint's
        // count among n such requests is binomial(n, p): ±4 √(n p (1 − p)).
        let (_, result) = try Self.run("""
            kind: task-system
            name: shares
            seed: 11
            duration: 6m
            warmup: 30s
            users:
              registered: 200
              concurrent: 60
              think: {distribution: exponential, mean: 1s}
              refresh_after_write: false
              mix: {get_task: 5, list_tasks: 3, search_tasks: 1, comment: 1}
            kpis: []
            """)
        let weights: [(String, Double)] = [("get_task", 5), ("list_tasks", 3), ("search_tasks", 1), ("comment", 1)]
        let n = try Self.metric(result, "api.requests") - Self.metric(result, "api.login.requests")
        #expect(n > 15_000)
        for (endpoint, weight) in weights {
            let p = weight / 10
            let count = try Self.metric(result, "api.\(endpoint).requests")
            let sigma = (n * p * (1 - p)).squareRoot()
            #expect(abs(count - n * p) <= 4 * sigma, "\(endpoint): \(count) of \(n), expected \(n * p) ± \(4 * sigma)")
        }
        for endpoint in ["create_task", "update_task", "assign_task", "request_report", "update_profile"] {
            #expect(try Self.metric(result, "api.\(endpoint).requests") == 0, "\(endpoint) is not in the mix")
        }
    }

    // MARK: Database queries

    @Test func databaseQueriesAreOnePerTaskReadPlusOnePerSharedCacheMiss() throws {
        // Read-only traffic with the JOIN plan, the entities L1 (`l1.mode: entities-ttl`, the
        // model this identity is derived for) left empty, and no permission revocations (their
        // writes and lookups are not requests): a login looks its user up in Redis, a
        // get_task its user and project (and reads the task: one query), a list_tasks its
        // user, project and task list. Every Redis miss is one query (user, project, or the
        // list's JOIN). So queries = get_task requests + (lookups × (1 − L2 hit rate)), exactly.
        let (configuration, result) = try Self.run("""
            kind: task-system
            name: queries
            seed: 12
            duration: 8m
            warmup: 1m
            users:
              registered: 400
              concurrent: 80
              think: {distribution: exponential, mean: 1s}
              refresh_after_write: false
              mix: {get_task: 0.6, list_tasks: 0.4}
              permission_revocations_per_hour: 0
            api: {local_cache_entries: 0}
            cache: {l1: {mode: entities-ttl}}
            database: {query_plan: join, replicas: 0}
            kpis: []
            """)
        let seconds = SimClock.seconds(configuration.duration - configuration.warmup)
        let logins = try Self.metric(result, "api.login.requests")
        let gets = try Self.metric(result, "api.get_task.requests")
        let lists = try Self.metric(result, "api.list_tasks.requests")
        #expect(try Self.metric(result, "api.error_rate") == 0)
        let lookups = logins + 2 * gets + 3 * lists
        let misses = lookups * (1 - (try Self.metric(result, "cache.l2.hit_rate")))
        let queries = try Self.metric(result, "db.qps") * seconds
        #expect(misses > 100)  // the TTLs expire during the run: misses are part of the figure
        #expect(abs(queries - (gets + misses)) < 1e-6 * queries, "queries \(queries), expected \(gets) + \(misses)")
    }

    // MARK: Cost

    @Test func costIsEachPartsHoursTimesItsPrice() throws {
        // Three fixed instances (1 vCPU + 2 GiB on Fargate: 0.04048 + 2 × 0.004445 = $0.04937 an
        // hour), a db.r5.large ($0.25 an hour), the default cache.r6g.large node ($0.206 an hour)
        // and the seed's 16 Celery workers kept fixed (each a 1 vCPU + 2 GiB task, $0.04937 an
        // hour) for 20 minutes, whatever the traffic.
        let (_, result) = try Self.run("""
            kind: task-system
            name: cost
            duration: 20m
            warmup: 1m
            users: {registered: 100, concurrent: 10}
            api: {instances: 3}
            database: {primary: db.r5.large, replicas: 0}
            jobs: {autoscale: false}
            kpis: []
            """)
        let hours = 20.0 / 60
        let task = 0.04048 + 2 * 0.004445
        let expected = (3 * task + 0.25 + 0.206 + 16 * task) * hours
        #expect(abs(try Self.metric(result, "cost.total") - expected) < 1e-9)
        #expect(abs(try Self.metric(result, "cost.database") - 0.25 * hours) < 1e-9)
        #expect(abs(try Self.metric(result, "cost.cache") - 0.206 * hours) < 1e-9)
        #expect(abs(try Self.metric(result, "cost.workers") - 16 * task * hours) < 1e-9)
    }

    // MARK: A cold cache

    /// Every registered user is a member of every project and sends requests itself, so each
    /// user key is looked up by its own user only. No L1, a run shorter than the user TTL (5 min).
    static func coldOrWarm(_ warm: Bool) -> String {
        """
        kind: task-system
        name: cold
        seed: 13
        duration: 4m
        warmup: 0s
        users:
          registered: 40
          projects: 2
          members_per_project: 40
          concurrent: 40
          think: {distribution: exponential, mean: 1s}
          refresh_after_write: false
          mix: {get_task: 1}
        api: {local_cache_entries: 0}
        cache: {warm: \(warm)}
        kpis: []
        """
    }

    @Test func aColdCacheMissesEachUserOnceAndAWarmOneNever() throws {
        // Warm: every profile is in Redis from time 0 with a 5-minute TTL: no user lookup misses
        // in 4 minutes. Cold: each of the 40 users misses once (its first request loads it and
        // writes it through), then hits: user hit rate = 1 − 40 / lookups, every request one lookup.
        let (_, warm) = try Self.run(Self.coldOrWarm(true))
        #expect(try Self.metric(warm, "cache.l2.user.hit_rate") == 1)
        let (_, cold) = try Self.run(Self.coldOrWarm(false))
        let lookups = try Self.metric(cold, "api.requests")
        let expected = 1 - 40 / lookups
        let coldRate = try Self.metric(cold, "cache.l2.user.hit_rate")
        #expect(abs(coldRate - expected) < 1e-12, "cold user hit rate \(coldRate), expected \(expected)")
    }

    // MARK: Rate limiting

    @Test func theRateLimitAdmitsItsQuotaPerUserAndWindow() throws {
        // 20 users each sending about 150 requests a minute (constant 0.4 s think) against a
        // limit of 30 a minute: in each whole one-minute window (fixed windows from time 0)
        // each user is admitted exactly 30 times, the rest answer 429. Measured from 1 min to
        // 4 min: 3 windows, 20 × 30 × 3 = 1,800 admitted — up to one request per user in
        // flight at each end of the stretch (admitted in one window, answered in the next).
        let (_, result) = try Self.run("""
            kind: task-system
            name: limited
            seed: 14
            duration: 4m
            warmup: 1m
            users:
              registered: 100
              concurrent: 20
              think: {distribution: constant, value: 0.4s}
              refresh_after_write: false
              mix: {get_task: 1}
            cache: {rate_limit: 30}
            kpis: []
            """)
        let answered = try Self.metric(result, "api.requests")
        let limited = try Self.metric(result, "api.rate_limited")
        #expect(abs((answered - limited) - 1_800) <= 2 * 20, "admitted \(answered - limited)")
        #expect(limited > 5_000)
    }

    // MARK: Balancing inside the world

    /// Two instances, no Redis misses that matter: the seed's L1 (`lru_cache` of 1,000 entries,
    /// no expiry) holds every user's permissions it loaded for the whole 4-minute run; no
    /// revocations.
    static func balanced(_ policy: String) -> String {
        """
        kind: task-system
        name: balanced
        seed: 15
        duration: 4m
        warmup: 0s
        users:
          registered: 50
          projects: 2
          members_per_project: 50
          concurrent: 50
          think: {distribution: exponential, mean: 1s}
          refresh_after_write: false
          mix: {get_task: 1}
          permission_revocations_per_hour: 0
        api: {instances: 2, load_balancing: \(policy)}
        kpis: []
        """
    }

    @Test func stickyBalancingMissesEachUserOnceRoundRobinOncePerInstance() throws {
        // Sticky: a user always reaches the same instance, whose L1 misses its permissions once:
        // L1 permissions hit rate = 1 − 50 / lookups. Round-robin alternates the instances, so
        // both L1s miss each user once (each user sends far more than 2 requests):
        // 1 − 100 / lookups. Every request looks its user's permissions up once in L1.
        let (_, sticky) = try Self.run(Self.balanced("sticky"))
        let stickyLookups = try Self.metric(sticky, "api.requests")
        #expect(abs(try Self.metric(sticky, "cache.l1.permissions.hit_rate") - (1 - 50 / stickyLookups)) < 1e-12)
        let (_, roundRobin) = try Self.run(Self.balanced("round-robin"))
        let lookups = try Self.metric(roundRobin, "api.requests")
        #expect(abs(try Self.metric(roundRobin, "cache.l1.permissions.hit_rate") - (1 - 100 / lookups)) < 1e-12)
    }
}
