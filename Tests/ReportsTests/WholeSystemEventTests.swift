// WholeSystemEventTests.swift — what the seed's TaskEventHandler and Celery do inside the whole
// simulated world, against figures derived by hand: the notification rule (an assignee other
// than the actor) and one report job per report request, exactly; the task-list invalidations a
// comment causes, from the order of a user's requests; gateway failures and Celery's retries
// (a truncated geometric number per job). Small worlds, fixed seeds; statistical bounds are
// 4 standard errors.

import Foundation
import Testing
import Scenarios
import Sim
@testable import TaskSystem

@Suite struct WholeSystemEventTests {
    static func run(_ yaml: String) throws -> (TaskSystemConfiguration, TaskSystemResult) {
        try WholeSystemQuantitativeTests.run(yaml)
    }

    static func metric(_ result: TaskSystemResult, _ name: String) throws -> Double {
        try WholeSystemQuantitativeTests.metric(result, name)
    }

    /// The count of adjacent pairs matching a pattern of probability `q` among `n` independent
    /// draws: mean (n − 1) q and standard deviation √((n − 1)(q − q²) − 2(n − 2) q²) (two
    /// overlapping pairs cannot both match, so each neighbouring pair of pairs has covariance −q²).
    static func adjacentPairs(among n: Double, probability q: Double) -> (mean: Double, sigma: Double) {
        ((n - 1) * q, ((n - 1) * (q - q * q) - 2 * (n - 2) * q * q).squareRoot())
    }

    // MARK: Jobs from the API

    @Test func eachReportRequestEnqueuesOneJobAndSelfAssignmentsNotifyNobody() throws {
        // One user, the only member of the only project: every assignment names the actor, so
        // the handler's rule (email + push to an assignee other than the actor) enqueues nothing;
        // every report request enqueues one `generate_report`. So jobs.enqueued equals the
        // report requests, exactly (no errors: every request is the owner's own).
        let (_, result) = try Self.run("""
            kind: task-system
            name: jobs-rule
            seed: 21
            duration: 5m
            warmup: 0s
            users:
              registered: 1
              projects: 1
              members_per_project: 1
              concurrent: 1
              think: {distribution: exponential, mean: 0.5s}
              refresh_after_write: false
              mix: {assign_task: 1, request_report: 1}
              permission_revocations_per_hour: 0
            kpis: []
            """)
        #expect(try Self.metric(result, "api.error_rate") == 0)
        let assignments = try Self.metric(result, "api.assign_task.requests")
        let reports = try Self.metric(result, "api.request_report.requests")
        #expect(assignments > 100 && reports > 100)
        #expect(try Self.metric(result, "jobs.enqueued") == reports)
    }

    @Test func anAssignmentToAnotherMemberNotifiesByEmailAndPush() throws {
        // One project with one task and two members, u and o; one user in session (u: a
        // constant load never ends a session) assigns the task to a member drawn uniformly. A
        // draw equal to the current assignee writes nothing; otherwise the handler's rule sends
        // an email and a push when the new assignee is not the actor. So the notifying events
        // are the draws of o that directly follow a draw of u (the task then held u), plus at
        // most the first draw (the seeded assignee): jobs = 2 × that count. With n assignment
        // requests and q = ½ · ½, the count has mean (n − 1) q and variance
        // (n − 1)(q − q²) − 2(n − 2) q² (adjacent pairs cannot both match).
        let (_, result) = try Self.run("""
            kind: task-system
            name: notifications
            seed: 26
            duration: 20m
            warmup: 0s
            users:
              registered: 2
              projects: 1
              members_per_project: 2
              tasks_per_project: 1
              concurrent: 1
              think: {distribution: exponential, mean: 0.25s}
              refresh_after_write: false
              mix: {assign_task: 1}
              permission_revocations_per_hour: 0
            kpis: []
            """)
        #expect(try Self.metric(result, "api.error_rate") == 0)
        #expect(try Self.metric(result, "users.departures") == 0)
        let n = try Self.metric(result, "api.assign_task.requests")
        #expect(n > 3_000)
        let enqueued = try Self.metric(result, "jobs.enqueued")
        #expect(enqueued.truncatingRemainder(dividingBy: 2) == 0)
        let (mean, sigma) = Self.adjacentPairs(among: n, probability: 0.25)
        #expect(abs(enqueued / 2 - mean) <= 4 * sigma + 1, "notifying assignments \(enqueued / 2), expected \(mean) ± \(4 * sigma) + 1")
    }

    // MARK: Invalidations

    @Test func aCommentInvalidatesTheProjectsTaskListSoTheNextListMisses() throws {
        // One user in one project, requests list_tasks or comment with probability ½ each,
        // drawn independently. A comment's TaskEventHandler deletes `tasks:project:1`; the next
        // list misses and refills it; lists before the next comment hit (the 1-minute TTL never
        // runs out: a run of lists that long has probability 2⁻²⁰⁰). So the task-list misses are
        // the lists that directly follow a comment in the request sequence (logins between are
        // transparent), plus at most the first list. With n = lists + comments and
        // q = P(comment, then list) = ¼, the count of such pairs has mean (n − 1) q and variance
        // (n − 1)(q − q²) − 2(n − 2) q² (adjacent pairs cannot both match: covariance −q²).
        let (_, result) = try Self.run("""
            kind: task-system
            name: invalidations
            seed: 22
            duration: 20m
            warmup: 0s
            users:
              registered: 1
              projects: 1
              members_per_project: 1
              concurrent: 1
              think: {distribution: exponential, mean: 0.25s}
              refresh_after_write: false
              mix: {list_tasks: 1, comment: 1}
              permission_revocations_per_hour: 0
            kpis: []
            """)
        #expect(try Self.metric(result, "api.error_rate") == 0)
        let lists = try Self.metric(result, "api.list_tasks.requests")
        let n = lists + (try Self.metric(result, "api.comment.requests"))
        #expect(n > 3_000)
        let misses = (lists * (1 - (try Self.metric(result, "cache.l2.task_list.hit_rate")))).rounded()
        let (mean, sigma) = Self.adjacentPairs(among: n, probability: 0.25)
        #expect(abs(misses - mean) <= 4 * sigma + 1, "task-list misses \(misses), expected \(mean) ± \(4 * sigma) + 1")
    }

    // MARK: Gateway failures and retries

    @Test func emailGatewayFailuresAreRetriedATruncatedGeometricNumberOfTimes() throws {
        // Assignments to another member enqueue an email and a push (so the email jobs are half
        // of jobs.enqueued); the push gateway never fails, the email gateway fails each call
        // independently with p = 0.3, and Celery retries at most R = 3 times (countdowns of at
        // most 1 s). An email job's retries are X = min(G, R), G its failures before a success
        // (P(G ≥ k) = pᵏ): E[X] = p + p² + p³ = p(1 − pᴿ)/(1 − p), E[X²] = Σ (2k − 1) pᵏ; it is
        // dead-lettered when G ≥ R + 1 (probability p⁴). Jobs still running or waiting at the end
        // may lack up to R retries each.
        let (_, result) = try Self.run("""
            kind: task-system
            name: retries
            seed: 23
            duration: 4m
            warmup: 0s
            users:
              registered: 40
              projects: 10
              members_per_project: 4
              concurrent: 40
              think: {distribution: exponential, mean: 1s}
              refresh_after_write: false
              mix: {assign_task: 1}
              permission_revocations_per_hour: 0
            jobs: {max_retries: 3, retry_backoff: 1s, retry_backoff_max: 1s, autoscale: false}
            external:
              email: {failure: 0.3}
              push: {failure: 0}
            kpis: []
            """)
        let enqueued = try Self.metric(result, "jobs.enqueued")
        #expect(enqueued.truncatingRemainder(dividingBy: 2) == 0)
        let emails = enqueued / 2
        #expect(emails > 1_500)
        let p = 0.3, r = 3
        let mean = (1...r).reduce(0.0) { $0 + pow(p, Double($1)) }
        #expect(abs(mean - p * (1 - pow(p, Double(r))) / (1 - p)) < 1e-12)
        let square = (1...r).reduce(0.0) { $0 + Double(2 * $1 - 1) * pow(p, Double($1)) }
        let sigma = (emails * (square - mean * mean)).squareRoot()
        let unsettled = try Self.metric(result, "jobs.waiting_at_end") + Self.metric(result, "jobs.running_at_end")
        let retried = try Self.metric(result, "jobs.retried")
        #expect(retried <= emails * mean + 4 * sigma, "retries \(retried) for \(emails) emails")
        #expect(retried >= emails * mean - 4 * sigma - Double(r) * unsettled, "retries \(retried) for \(emails) emails")
        let deadP = pow(p, Double(r + 1))
        let dead = try Self.metric(result, "jobs.dead")
        #expect(abs(dead - emails * deadP) <= 4 * (emails * deadP * (1 - deadP)).squareRoot() + unsettled,
                "dead \(dead), expected \(emails * deadP)")
    }

    // MARK: Least-connections balancing

    @Test func leastConnectionsSendsASequentialUserToTheFirstInstanceRoundRobinAlternates() throws {
        // One user, one request at a time: every request finds both instances with 0
        // outstanding requests, and least-outstanding-requests keeps the first of equals (the
        // ALB routes to the target with the fewest; simrun breaks ties by order). So the first
        // instance's seed L1 misses the user's permissions once and the second never sees it:
        // L1 permissions hit rate = 1 − 1 / lookups. Round-robin alternates: both miss once,
        // 1 − 2 / lookups. Every request looks its user's permissions up once in L1.
        func run(_ policy: String) throws -> TaskSystemResult {
            try Self.run("""
                kind: task-system
                name: least-connections
                seed: 24
                duration: 3m
                warmup: 0s
                users:
                  registered: 1
                  projects: 1
                  members_per_project: 1
                  concurrent: 1
                  think: {distribution: exponential, mean: 0.5s}
                  refresh_after_write: false
                  mix: {get_task: 1}
                  permission_revocations_per_hour: 0
                api: {instances: 2, load_balancing: \(policy)}
                kpis: []
                """).1
        }
        let least = try run("least-connections")
        let lookups = try Self.metric(least, "api.requests")
        #expect(lookups > 200)
        #expect(abs(try Self.metric(least, "cache.l1.permissions.hit_rate") - (1 - 1 / lookups)) < 1e-12)
        let roundRobin = try run("round-robin")
        let rrLookups = try Self.metric(roundRobin, "api.requests")
        #expect(abs(try Self.metric(roundRobin, "cache.l1.permissions.hit_rate") - (1 - 2 / rrLookups)) < 1e-12)
    }

    // MARK: Worker crashes

    @Test func workerCrashesFollowTheRenewalProcessOfMTBFPlusRestart() throws {
        // 16 fixed workers (the seed's pools, no scaler), each crashing after an exponential
        // time of mean m = 60 s, restarting d = 10 s later and drawing its next time then: its
        // k-th crash is at X₁ + … + X_k + (k − 1) d. So P(N ≥ k) = P(Gamma(k, m) ≤ T − (k − 1) d)
        // = P(Poisson((T − (k − 1) d) / m) ≥ k), E[N] = Σ_k P(N ≥ k), E[N²] = Σ_k (2k − 1) P(N ≥ k),
        // over T = 600 s; the workers are independent.
        let (_, result) = try Self.run("""
            kind: task-system
            name: worker-crashes
            seed: 25
            duration: 10m
            warmup: 0s
            users: {registered: 20, concurrent: 5}
            jobs: {autoscale: false, worker_failures: {mtbf: 1m, restart: 10s}}
            kpis: []
            """)
        let t = 600.0, m = 60.0, d = 10.0, workers = 16.0
        var mean = 0.0, square = 0.0
        for k in 1...200 {
            let window = t - Double(k - 1) * d
            guard window > 0 else { break }
            let atLeast = PoissonTail.probabilityOfAtLeast(k, mean: window / m)
            mean += atLeast
            square += Double(2 * k - 1) * atLeast
        }
        let expected = workers * mean
        let sigma = (workers * (square - mean * mean)).squareRoot()
        let crashes = try Self.metric(result, "jobs.worker_crashes")
        #expect(expected > 100 && sigma < 0.1 * expected)
        #expect(abs(crashes - expected) <= 4 * sigma, "crashes \(crashes), expected \(expected) ± \(4 * sigma)")
    }
}
