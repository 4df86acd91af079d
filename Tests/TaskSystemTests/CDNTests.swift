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
        let hitRate = with.metric("cdn.hit_rate")!
        #expect(hitRate > 0 && hitRate < 1)
        #expect(with.metric("api.requests")! < without.metric("api.requests")!)
        #expect(with.metric("cdn.origin_requests")! < with.metric("cdn.requests")!)
        #expect(with.metric("cdn.latency.p50")! > 0)
        // Without a CDN the edge's figures are empty.
        #expect(without.metric("cdn.requests") == 0 && without.metric("cdn.hit_rate")!.isNaN)
    }
}
