// BalancerSharesTests.swift — per-instance request shares inside the simulated world, against
// figures derived from the balancers' code: least-connections splits a saturated pair of
// identical instances evenly (a binomial spread around one half), sticky pins every user to the
// instance its rendezvous hash names, so each instance's share is its pinned users' share.
//
// Per-instance request counts are read from what every request leaves on its instance: with the
// seed's L1 (`LocalCacheMode.seedPermissions`, the default) every request that passes the rate
// limit looks its user's permissions up once in that instance's L1 (``TaskAPI/admit(_:)``), so an
// instance's permissions lookups (hits + misses) are the requests it took, minus those still
// before that step at the end (at most its `outstanding` count). The default rate limit (1,000 a
// minute per user) is far above what these users send, so no request stops before the lookup.

import Sim
import Testing
@testable import TaskSystem

@Suite struct BalancerSharesTests {
    // MARK: Running a world

    /// What one run left on its instances.
    struct Shares {
        /// Permissions lookups (= requests taken) per instance, by instance id.
        var lookups: [Int]
        /// L1 permissions misses per instance.
        var misses: [Int]
        /// Requests inside each instance at the end.
        var outstanding: [Int]
        /// For each user (index = id − 1), the instances whose L1 holds its permissions.
        var holders: [[Int]]
        /// Busy core-seconds per instance over the run.
        var busy: [Double]
        /// The clients' response times summed, in seconds (= the time-average number of
        /// requests in flight × the run's length, by Little's law).
        var responseSeconds: Double
        var total: Int { lookups.reduce(0, +) }
        var inFlight: Int { outstanding.reduce(0, +) }
    }

    /// Runs `configuration`'s world from 0 to `until` seconds (no warm-up cut: every count is
    /// since time 0) and reads the instances.
    static func run(_ configuration: TaskSystemConfiguration, until: Double, users: Int) -> Shares {
        let world = TaskSystemWorld.build(configuration, replication: 0)
        _ = world.start()
        world.runtime.run(until: seconds(until))
        let now = world.runtime.now
        let instances = world.api.instances
        let counters = instances.map { $0.api.localCounters(for: .permissions) }
        let shares = Shares(
            lookups: counters.map { $0.hits + $0.misses }, misses: counters.map(\.misses),
            outstanding: instances.map(\.outstanding),
            holders: (1...users).map { user in
                instances.filter { $0.api.localCache.contains(.permissions(user: user), now: now) }.map(\.id)
            },
            busy: instances.map { $0.cpu.queue.busyLevel.area(at: SimClock.seconds(now)) },
            responseSeconds: SimClock.seconds(world.workload.clientCounters.responseTime))
        world.runtime.shutdown()
        return shares
    }

    /// `users` users of `registered`, get_task only (no re-reads), no revocations, behind
    /// `instances` instances of one vCPU each balanced by `policy`.
    static func configuration(policy: LoadBalancingPolicy, instances: Int, registered: Int, users: Int,
                              think: Double, cpu: Double, data: SeedPlan? = nil) -> TaskSystemConfiguration {
        var workload = WorkloadConfiguration(data: data ?? SeedPlan.scaled(users: registered),
                                             load: .constant(users: users), thinkTime: .exponential(mean: think),
                                             mix: EndpointMix([(.getTask, 1)]), refreshAfterWrite: false)
        workload.permissionRevocationsPerHour = 0
        var api = APIConfiguration(instances: instances, vCPUs: 1, loadBalancing: policy)
        api.cpuCost = Endpoint.allCases.map { _ in .exponential(mean: cpu) }
        return TaskSystemConfiguration(seed: 21, workload: workload, api: api)
    }

    // MARK: Least connections

    @Test func leastConnectionsSplitsASaturatedPairEvenlyWithinTheBinomialSpread() {
        // Two identical instances of one vCPU, each request 5 ms of CPU (exponential): 200
        // requests/s per instance. 60 users thinking 50 ms offer up to 1,200/s, so both cores
        // stay busy and about 60 requests wait, split by least-outstanding-requests so that
        // neither instance holds more than a few more than the other: neither ever idles.
        // A busy core with exponential service times finishes requests as a Poisson process of
        // rate 1/s, whatever the routing; the two instances' processes are independent, so
        // given their total n each instance's count is binomial(n, ½): σ = √n / 2.
        // The requests taken but not yet looked up at the end (≤ those outstanding) add to it.
        // (At light load the shares are NOT even: every tie goes to the first instance — see
        // WholeSystemEventTests' one-user case. The even split is a property of load.)
        let shares = Self.run(Self.configuration(policy: .leastConnections, instances: 2, registered: 100, users: 60,
                                                 think: 0.05, cpu: 0.005), until: 40, users: 100)
        // The derivation's premise: both cores busy all but the first instants of the 40 s.
        #expect(shares.busy.allSatisfy { $0 > 39.9 }, "busy core-seconds \(shares.busy)")
        let n = Double(shares.total)
        let finished: Double = 2 * 40 / 0.005  // two busy cores, 8,000 requests each in 40 s
        let poissonBound = 4 * finished.squareRoot() + 60  // ± 4 Poisson σ, + the 60 users' requests in flight
        #expect(abs(n - finished) < poissonBound, "\(n) requests, expected \(finished) ± \(poissonBound)")
        let tolerance = 4 * n.squareRoot() / 2 + Double(shares.inFlight)  // 4σ ≈ 1.6 % of n, + ≈ 0.4 %
        #expect(abs(Double(shares.lookups[0]) - n / 2) <= tolerance,
                "instance 0 took \(shares.lookups[0]) of \(n), expected \(n / 2) ± \(tolerance)")
        #expect(tolerance < 0.025 * n)  // the check can fail: a 5 % imbalance is out
    }

    @Test func leastConnectionsAtLightLoadSendsTheSecondInstanceOnlyWhatFindsTheFirstBusy() {
        // Ties go to the first instance, so a request reaches the second only if, when it
        // arrives, the first holds more requests than the second, hence at least one: n₁ ≤ the
        // arrivals that find a request in flight ≤ Σ over arrivals of the requests they find in
        // flight. That sum counts, for each request, the other users' arrivals during its
        // response time R_i: its mean is at most X Σ R_i = n a, with a = Σ R_i / T the
        // time-average number of requests in flight (Little), and its spread Poisson: ±4 √(n a).
        // 10 users thinking 1 s, 3 ms of CPU: a ≈ 10/s × ≈ 10 ms ≈ 0.1, so the second instance
        // takes at most about 10 % where round robin would give it 50 %.
        let seconds = 120.0
        let shares = Self.run(Self.configuration(policy: .leastConnections, instances: 2, registered: 100, users: 10,
                                                 think: 1, cpu: 0.003), until: seconds, users: 100)
        let n = Double(shares.total), a = shares.responseSeconds / seconds
        let bound = n * a + 4 * (n * a).squareRoot() + Double(shares.inFlight)
        #expect(n > 1_000 && a < 0.2, "\(n) requests, \(a) in flight on average")
        #expect(Double(shares.lookups[1]) <= bound, "instance 1 took \(shares.lookups[1]) of \(n), at most \(bound)")
        #expect(bound < 0.3 * n)  // far from an even split: the check tells ties-to-the-first from round robin
    }

    // MARK: Sticky sessions

    @Test func stickyPinsEachUserToItsHashedInstanceAndSharesFollowThePins() {
        // 60 registered users, all members of both projects, all in session (process i is user
        // i + 1 for the whole run: no turnover), behind three instances. Sticky balancing pins
        // a user to the routable target with the highest rendezvous weight
        // `StableHash.combine(user, target id)` (``StickySessionSelector/hashedTarget``); the
        // instances never change, so no user ever moves. Hence:
        //  - exactly one instance's L1 holds each user's permissions (nothing expires or evicts
        //    them: the seed's `lru_cache` of 1,000 entries, no revocations), the hashed one;
        //  - each instance missed its users' permissions once each: misses_i = k_i, its pinned
        //    users;
        //  - its share of the requests is k_i / 60: the users are statistically identical
        //    (same think time, mix and session length; CPU 1 ms on mostly idle cores moves
        //    response times by milliseconds against a 1 s think time), each user's count is a
        //    renewal count of nearly Poisson spread (inter-request time ≈ exponential think,
        //    CV² just under 1), so given the total n an instance's count is binomial(n, k_i / 60)
        //    or a little tighter: ±4 √(n p (1 − p)).
        let users = 60
        let data = SeedPlan(users: users, projects: 2, tasksPerProject: 20, membersPerProject: users)
        let shares = Self.run(Self.configuration(policy: .sticky, instances: 3, registered: users, users: users,
                                                 think: 1, cpu: 0.001, data: data), until: 120, users: users)
        let targets = (0..<3).map { LoadBalancerTarget(id: $0) }
        let pins = (1...users).map { StickySessionSelector.hashedTarget(user: UInt64($0), among: targets)! }
        let pinned = (0..<3).map { instance in pins.filter { $0 == instance }.count }
        #expect(pinned == [24, 19, 17], "the hash's split of users 1…60 over ids 0, 1, 2")
        for user in 1...users {
            #expect(shares.holders[user - 1] == [pins[user - 1]], "user \(user) reached \(shares.holders[user - 1])")
        }
        #expect(shares.misses == pinned)
        let n = Double(shares.total)
        #expect(n > 6_000)  // 60 users × 120 s / 1 s think
        for instance in 0..<3 {
            let p = Double(pinned[instance]) / Double(users)
            let tolerance = 4 * (n * p * (1 - p)).squareRoot() + Double(shares.inFlight)
            #expect(abs(Double(shares.lookups[instance]) - n * p) <= tolerance,
                    "instance \(instance) took \(shares.lookups[instance]) of \(n), expected \(n * p) ± \(tolerance)")
        }
        // Instance 0's bound (about ±190 of n ≈ 7,000) is tighter than the gap between its pinned
        // share, 24/60, and an even third (about 470): the check tells sticky from round robin.
        let p0 = 24.0 / 60
        #expect(4 * (n * p0 * (1 - p0)).squareRoot() + Double(shares.inFlight) < (p0 - 1.0 / 3) * n)
    }
}
