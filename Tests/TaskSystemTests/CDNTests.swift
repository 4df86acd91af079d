import Testing
import Sim
@testable import TaskSystem

// MARK: - A small world with a CDN in front of the load balancer

/// Seeded data, one database node, the simulated Redis (not warmed) and Celery, two API
/// instances, no users running: the tests send requests themselves from processes. Built like
/// every world (``TaskSystemWorld/build(_:replication:)``).
struct EdgeWorld {
    let world: TaskSystemWorld
    var runtime: ProcessRuntime { world.runtime }

    init(cdn: CDNConfiguration?, api: APIConfiguration = APIConfiguration(), users: Int = 0) {
        let workload = WorkloadConfiguration(data: SeedPlan.scaled(users: 60), load: .constant(users: users),
                                             thinkTime: .exponential(mean: 2))
        let configuration = TaskSystemConfiguration(seed: 11, workload: workload, api: api,
                                                    database: DatabaseConfiguration(replicas: 0), warmCache: false,
                                                    cdn: cdn)
        world = TaskSystemWorld.build(configuration, replication: 0)
    }

    /// The CDN edge of a world built with a CDN.
    var cdn: CDNEdge {
        guard let edge = world.edge else { fatalError("EdgeWorld built without a CDN") }
        return edge
    }

    /// A task and two members of its project who may both update it.
    func sharedTask() -> (task: TaskID, reader: UserID, writer: UserID) {
        let primary = world.database.store.primary
        for user in world.workload.activeUsers {
            for project in world.workload.projectsOfUser[user.rawValue - 1] {
                guard let details = primary.project(project), let task = primary.tasks(inProject: project).first
                else { continue }
                let writers = details.memberIDs.filter {
                    PermissionService.isAllowed(primary.user($0)!, to: .updateTask, in: details)
                }
                if writers.count >= 2 { return (task, writers[0], writers[1]) }
            }
        }
        fatalError("no shared task in the seeded data")
    }

    /// Runs `body` as one process until it finishes.
    func run(_ body: @escaping @Sendable (TaskSystemWorld) async throws -> Void) {
        let world = world
        runtime.spawn { try? await body(world) }
        runtime.run(until: SimClock.time(seconds: 3600))
    }

    /// Requests conserved, counting the edge's requests in flight.
    var conservation: String? {
        world.metrics.conservationViolation(inFlight: world.requestsInFlight)
    }
}

// MARK: - Edge cache

@Suite struct EdgeCacheTests {
    @Test func aResponseIsFreshForItsTTLInSimulatedTime() {
        var edge = EdgeCache(ttl: seconds(60), maxObjects: 10)
        let key = EdgeKey(.getTask, resource: 7, viewer: UserID(3))
        let task = TaskItem(id: TaskID(7), project: ProjectID(1), title: "t", createdBy: UserID(3), createdAt: 0)
        edge.store(key, .task(task), now: seconds(10))
        #expect(edge.lookup(key, now: seconds(69.999)) == .task(task))
        #expect(edge.lookup(EdgeKey(.getTask, resource: 7, viewer: UserID(4)), now: seconds(20)) == nil)
        #expect(edge.lookup(key, now: seconds(70)) == nil)
        #expect(edge.objects.counters.hits == 1 && edge.objects.counters.misses == 2)
    }
}

// MARK: - Requests through the edge

@Suite struct CDNRequestTests {
    static func cdn(writerBypass: Bool = true) -> CDNConfiguration {
        CDNConfiguration(edgeLatency: .constant(0.01), cacheable: [.getTask, .listTasks], ttl: seconds(60),
                         writerBypass: writerBypass, staticAssets: .init(perPage: 0))
    }

    @Test func aMissReachesTheLoadBalancerAHitDoesNotAndTheTTLEndsIt() {
        let edge = EdgeWorld(cdn: Self.cdn())
        let (task, reader, _) = edge.sharedTask()
        let origin = Outbox<(Int, Int)>()
        edge.run { world in
            var stream = RandomStreamFactory(rootSeed: 1).stream(named: "test")
            for wait in [0.0, 30, 31] {  // at 0 s (miss), 30 s (hit), 61 s (expired: miss)
                try await world.runtime.sleep(for: seconds(wait))
                _ = await world.request(.getTask, by: reader, &stream, task: task)
                origin.add((world.metrics.answered, try #require(world.edge).counters.hits))
            }
        }
        #expect(origin.values.map(\.0) == [1, 1, 2])  // requests the API tier answered
        #expect(origin.values.map(\.1) == [0, 1, 1])  // requests the edge answered
        #expect(edge.cdn.counters.originRequests == 2)
        #expect(edge.world.metrics.edgeLatency.count == 1)
        #expect(edge.conservation == nil)
    }

    @Test func anEdgeHitAfterAnotherUsersWriteIsStale() {
        let edge = EdgeWorld(cdn: Self.cdn())
        let (task, reader, writer) = edge.sharedTask()
        let cached = Outbox<EdgeResponse?>()
        edge.run { world in
            var stream = RandomStreamFactory(rootSeed: 1).stream(named: "test")
            _ = await world.request(.getTask, by: reader, &stream, task: task)
            _ = await world.request(.updateTask, by: writer, &stream, task: task)
            _ = await world.request(.getTask, by: reader, &stream, task: task)  // inside the TTL
            let key = EdgeKey(.getTask, resource: task.rawValue, viewer: reader)
            cached.add(try #require(world.edge).cache.objects.peek(key, now: world.runtime.now))
        }
        let counters = edge.cdn.counters
        #expect(counters.hits == 1 && counters.staleResponses == 1)
        guard case .task(let seen)?? = cached.values.first else {
            Issue.record("the reader's response is not at the edge")
            return
        }
        #expect(seen.version < edge.world.database.store.primary.task(task)!.version)
        #expect(edge.world.readYourWrites.violations == 0)
    }

    @Test(arguments: [true, false])
    func theWriterBypassesTheEdgeOrReadsItsOwnStaleCopy(writerBypass: Bool) {
        let edge = EdgeWorld(cdn: Self.cdn(writerBypass: writerBypass))
        let (task, _, writer) = edge.sharedTask()
        edge.run { world in
            var stream = RandomStreamFactory(rootSeed: 1).stream(named: "test")
            _ = await world.request(.getTask, by: writer, &stream, task: task)    // cached for the writer
            _ = await world.request(.updateTask, by: writer, &stream, task: task)
            try await world.runtime.sleep(for: seconds(1))
            _ = await world.request(.getTask, by: writer, &stream, task: task)    // inside the window
        }
        let counters = edge.cdn.counters
        if writerBypass {
            #expect(counters.bypasses == 1 && counters.hits == 0)
            #expect(edge.world.readYourWrites.violations == 0)
        } else {
            #expect(counters.bypasses == 0 && counters.hits == 1 && counters.staleResponses == 1)
            #expect(edge.world.readYourWrites.violations == 1)
        }
        #expect(edge.conservation == nil)
    }

    @Test func perUserKeysKeepResponsesApartAndURLKeysShareThem() {
        for (scope, sharedHits) in [(CDNConfiguration.CacheKey.perUser, 0), (.url, 1)] {
            var configuration = Self.cdn()
            configuration.cacheKey = scope
            let edge = EdgeWorld(cdn: configuration)
            let (task, reader, writer) = edge.sharedTask()
            edge.run { world in
                var stream = RandomStreamFactory(rootSeed: 1).stream(named: "test")
                _ = await world.request(.getTask, by: reader, &stream, task: task)
                _ = await world.request(.getTask, by: writer, &stream, task: task)  // another viewer
            }
            #expect(edge.cdn.counters.hits == sharedHits, "\(scope)")
        }
    }

    @Test func staticAssetMissesReachTheOriginAtTheConfiguredRatio() {
        let perPage = 10, logins = 300, hitRatio = 0.8, originCPU = 0.001
        var api = APIConfiguration()
        api.cpuCost = api.cpuCost.map { _ in .constant(0) }
        let edge = EdgeWorld(cdn: CDNConfiguration(
            edgeLatency: .constant(0.005),
            staticAssets: .init(pages: [.login], perPage: perPage, hitRatio: hitRatio, originCPU: .constant(originCPU))),
            api: api)
        let users = edge.world.workload.activeUsers
        edge.run { world in
            var stream = RandomStreamFactory(rootSeed: 1).stream(named: "test")
            for i in 0..<logins { _ = await world.request(.login, by: users[i % users.count], &stream) }
        }
        let counters = edge.cdn.counters
        let n = perPage * logins
        #expect(counters.assetRequests == n)
        let misses = counters.assetRequests - counters.assetHits
        // A 99.9 % binomial interval around the configured miss ratio: ±3.29 standard errors.
        let p = 1 - hitRatio
        let tolerance = 3.29 * (p * (1 - p) / Double(n)).squareRoot()
        #expect(abs(Double(misses) / Double(n) - p) < tolerance, "\(misses) misses of \(n)")
        // Every miss, and only the misses, cost an instance its origin CPU (logins cost none here).
        let now = SimClock.seconds(edge.runtime.now)
        let busy = edge.world.api.instances.reduce(0.0) { $0 + $1.cpu.queue.busyLevel.area(at: now) }
        #expect(abs(busy - Double(misses) * originCPU) < 1e-6)
        #expect(counters.originRequests == logins + misses)
        #expect(edge.world.metrics.answered == logins)
        #expect(edge.conservation == nil)
    }
}

// MARK: - A run with the CDN

@Suite struct CDNSimulationTests {
    @Test func theEdgeTakesLoadOffTheAPITierAndEveryInvariantHolds() {
        var configuration = TaskSystemSimulationTests.small()
        let without = TaskSystemSimulation.runReplication(configuration, replication: 0)
        configuration.cdn = CDNConfiguration(cacheable: [.getTask, .listTasks], cacheKey: .url)
        let with = TaskSystemSimulation.runReplication(configuration, replication: 0)
        for invariant in with.invariants {
            #expect(invariant.held, "\(invariant.name): \(invariant.violations)")
        }
        // What the edge takes off the API tier, request for request: every user request reaches
        // the edge, and so do the static assets of each login page (4 per login): cdn.requests =
        // users' requests + 4 logins. The edge answers its hits and passes everything else to
        // the load balancer: origin = cdn.requests − hits; API requests = origin − asset misses.
        // Each pair is counted at different moments (arrival at the edge, forwarding, the answer
        // at the load balancer or the client), so they differ by what is in flight at the two ends: requests
        // at the edge or the origin (Poisson, mean X R ≈ 36/s × 20 ms = 0.7: ≤ 5 at 10⁻⁴ per
        // end) and the assets of a login answered on one side of an end and fetched on the other
        // (logins ≈ 1/s × ≈ 60 ms of assets: at most one such login, 4 assets, per end).
        let value = { (name: String) in with.metric(name)! }
        let edgeRequests = value("cdn.requests"), hits = edgeRequests * value("cdn.hit_rate")
        #expect(abs(edgeRequests - (value("users.requests") + 4 * value("users.logins"))) <= 2 * (5 + 4))
        #expect(abs(value("cdn.origin_requests") - (edgeRequests - hits)) <= 2 * 5)
        #expect(abs(value("api.requests") - (value("cdn.origin_requests") - value("cdn.assets.origin_requests"))) <= 2 * 5)
        #expect(hits > 0.2 * edgeRequests, "the edge answers \(hits) of \(edgeRequests)")  // its magnitude: the next test
        // Assets: each a hit with probability 0.95: binomial, ±4σ.
        let assets = 4 * value("users.logins"), assetHits = assets * value("cdn.assets.hit_rate")
        #expect(abs(assetHits - 0.95 * assets) <= 4 * (assets * 0.95 * 0.05).squareRoot(), "\(assetHits) asset hits of \(assets)")
        // An edge hit is answered after the client ↔ edge round trip alone: lognormal, mean
        // 10 ms, CV 0.5, whose median is 10 ms / √1.25 = 8.9 ms. With n ≈ 2,000 hits the sample
        // median's σ = 1 / (2 f(m) √n) ≈ 0.09 ms (f(m) = 1 / (m σ_ln √2π), σ_ln = √ln 1.25):
        // within ±0.5 ms (more than 4σ, and the histogram's resolution).
        let median = 0.01 / 1.25.squareRoot()
        #expect(abs(value("cdn.latency.p50") - median) < 0.0005, "edge p50 \(value("cdn.latency.p50")), expected \(median)")
        // Without a CDN the edge's figures are empty.
        #expect(without.metric("cdn.requests") == 0 && without.metric("cdn.hit_rate")!.isNaN)
    }

    @Test func theEdgeHitRateFollowsEachKeysRequestRateAndTheTTL() throws {
        // Read-only traffic (get_task 0.6, list_tasks 0.4, no writes: no bypass, no new tasks)
        // behind an edge caching by URL for τ = 60 s. A key (a task, or a project's list) is
        // looked up as a Poisson process of rate r_k (the superposition of its members'
        // requests); a miss stores the response, which then serves every lookup for τ. So with
        // L(t) = P(the key is cached at t) and m(t) the miss density, m = r (1 − L) and
        // L(t) = ∫_{t−τ}^t m: the edge starts empty at 0 and L climbs towards its steady value
        // rτ / (1 + rτ). Lookups see L (PASTA): expected hits = Σ_k ∫ r_k L_k over the
        // stretch, computed here on a 0.1 s grid. The rates: each user draws its project
        // uniformly among its projects, its task uniformly among the project's tasks (the
        // seeded data), so r_k = Λ ω_k / 60 with ω_k the key's share of the 60 users' draws and
        // Λ the measured lookups per second. Spread: a key's hits come in cycles (a miss, then
        // Poisson(rτ) hits, then an exponential wait), Var ≈ C rτ + Var(C) (rτ)² with C the
        // cycles in the stretch and Var(C) = T r⁻² / (τ + 1/r)³ (renewal count); the keys add.
        var configuration = TaskSystemSimulationTests.small()
        configuration.workload.mix = EndpointMix([(.getTask, 0.6), (.listTasks, 0.4)])
        configuration.workload.refreshAfterWrite = false
        configuration.workload.permissionRevocationsPerHour = 0
        configuration.cdn = CDNConfiguration(cacheable: [.getTask, .listTasks], cacheKey: .url,
                                             staticAssets: .init(perPage: 0))
        let result = TaskSystemSimulation.runReplication(configuration, replication: 0)
        let value = { (name: String) in try #require(result.metric(name), "\(name)") }
        let (start, end, ttl) = (30.0, 300.0, 60.0)
        let lookups = try value("cdn.requests") - value("users.logins")  // every other request is cacheable
        #expect(try value("cdn.bypasses") == 0)

        // The keys' shares of the draws, from the data the run used.
        let world = TaskSystemWorld.build(configuration, replication: 0)
        var weights: [Double] = []
        let users = (0..<60).map { world.workload.activeUsers[$0 % world.workload.activeUsers.count] }
        var perProject: [ProjectID: Double] = [:]
        for user in users {
            let projects = world.workload.projectsOfUser[user.rawValue - 1]
            for project in projects { perProject[project, default: 0] += 1 / Double(projects.count) }
        }
        for project in perProject.keys.sorted(by: { $0.rawValue < $1.rawValue }) {
            let share = perProject[project]!
            let tasks = world.database.store.primary.tasks(inProject: project).count
            weights.append(0.4 * share)
            weights += Array(repeating: 0.6 * share / Double(tasks), count: tasks)
        }
        world.runtime.shutdown()
        #expect(abs(weights.reduce(0, +) - 60) < 1e-9)

        let rate = lookups / (end - start)
        var hits = 0.0, variance = 0.0
        let dt = 0.1, steps = Int(end / dt), window = Int(ttl / dt)
        for weight in weights {
            let r = rate * weight / 60
            var misses = [Double](repeating: 0, count: steps)  // m(t) dt per step
            var cached = 0.0  // L(t) = misses in the last τ
            for step in 0..<steps {
                if step >= window { cached -= misses[step - window] }
                misses[step] = r * (1 - cached) * dt
                if Double(step) * dt >= start { hits += r * cached * dt }
                cached += misses[step]
            }
            let x = r * ttl, cycle = ttl + 1 / r, cycles = (end - start) / cycle
            variance += cycles * x + (end - start) / (r * r) / (cycle * cycle * cycle) * x * x
        }
        let measured = lookups * (try value("cdn.api.hit_rate"))
        let tolerance = 4 * variance.squareRoot()
        #expect(abs(measured - hits) <= tolerance, "edge hits \(measured) of \(lookups) lookups, expected \(hits) ± \(tolerance)")
        #expect(tolerance < 0.1 * hits)
    }
}
