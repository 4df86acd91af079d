import Testing
import Sim
@testable import TaskSystem

// MARK: - Pattern invalidation on a service path

@Suite struct PatternInvalidationTests {
    @Test func updatingAProfileDeletesTheUsersCachedDataAndNothingElse() {
        let world = World(replicas: 0, lag: 0)
        let (alice, bob) = (UserID(3), UserID(4))
        let store = world.database.store.primary
        for user in [alice, bob] {
            let id = user.rawValue
            _ = world.cache.redis.set(.session(user: id), .session(user), now: 0, ttl: .familyDefault, bytes: 100)
            _ = world.cache.redis.set(.user(id), .user(store.user(user)!), now: 0, ttl: .familyDefault, bytes: 100)
            _ = world.cache.redis.set(.permissions(user: id), .permissions(UserPermissions(of: store.user(user)!, on: [Project]())), now: 0,
                                      ttl: .familyDefault, bytes: 100)
            _ = world.cache.redis.set(.userTaskCount(user: id), .count(2), now: 0, ttl: .familyDefault, bytes: 100)
            _ = world.cache.redis.incr(.rateLimit(user: id, window: 0), now: 0)
        }
        let api = world.api
        world.runtime.spawn { _ = try? await api.updateProfile(name: "Alice Renamed", as: alice) }
        world.runtime.run(until: seconds(10))

        let redis = world.cache.redis, now = world.runtime.now
        let renamed = world.database.store.primary.user(alice)!
        #expect(!redis.contains(.permissions(user: 3), now: now))
        #expect(!redis.contains(.userTaskCount(user: 3), now: now))
        #expect(redis.counters(for: .permissions).patternDeletions == 1)
        // The new profile is written through after the invalidation; request state stays.
        #expect(renamed.name == "Alice Renamed")
        #expect(redis.peek(.user(3), now: now) == .user(renamed))
        #expect(redis.contains(.session(user: 3), now: now))
        #expect(redis.counter(.rateLimit(user: 3, window: 0), now: now) == 1)
        // Another user's keys are untouched.
        for key in [CacheKey.session(user: 4), .user(4), .permissions(user: 4), .userTaskCount(user: 4)] {
            #expect(redis.contains(key, now: now), "\(key)")
        }
    }
}

// MARK: - Hit rates per layer and data type

@Suite struct CacheFamilyCounterTests {
    @Test func perFamilyCountsAddUpToTheLayerTotals() {
        let edge = EdgeWorld(cdn: nil, users: 40)
        _ = edge.world.start()
        edge.runtime.run(until: seconds(120))
        let snapshot = MeasurementSnapshot(edge.world)
        let families = TaskSystemResult.reportedFamilies.map(\.index)
        #expect(snapshot.localHits > 0 && snapshot.sharedHits > 0 && snapshot.sharedMisses > 0)
        #expect(snapshot.localFamilyHits.reduce(0, +) == snapshot.localHits)
        #expect(snapshot.localFamilyMisses.reduce(0, +) == snapshot.localMisses)
        #expect(families.reduce(0) { $0 + snapshot.sharedFamilyHits[$1] } == snapshot.sharedHits)
        #expect(families.reduce(0) { $0 + snapshot.sharedFamilyMisses[$1] } == snapshot.sharedMisses)
    }

    @Test func aRunReportsHitRatesPerLayerAndFamily() {
        // The seed's L1 (the default) holds permissions only; users and projects go to L2.
        let seed = TaskSystemSimulation.runReplication(TaskSystemSimulationTests.small(), replication: 0)
        for name in ["cache.l1.permissions.hit_rate", "cache.l2.user.hit_rate", "cache.l2.project.hit_rate",
                     "cache.l2.task_list.hit_rate"] {
            let rate = seed.metric(name)!
            #expect(rate > 0 && rate <= 1, "\(name) = \(rate)")
        }
        #expect(seed.metric("cache.l1.user.hit_rate")!.isNaN && seed.metric("cache.l1.project.hit_rate")!.isNaN)
        // entities-ttl: 200 users and their projects fit in each L1; permissions are not cached.
        var configuration = TaskSystemSimulationTests.small()
        configuration.api.localCacheMode = .entitiesTTL
        let result = TaskSystemSimulation.runReplication(configuration, replication: 0)
        for name in ["cache.l1.user.hit_rate", "cache.l1.project.hit_rate", "cache.l2.task_list.hit_rate"] {
            let rate = result.metric(name)!
            #expect(rate > 0 && rate <= 1, "\(name) = \(rate)")
        }
        #expect(result.metric("cache.l1.permissions.hit_rate")!.isNaN)
        // L1 never holds task lists; sessions are written, never read.
        for run in [seed, result] {
            #expect(run.metric("cache.l1.task_list.hit_rate")!.isNaN)
            #expect(run.metric("cache.l2.session.hit_rate")!.isNaN)
        }
    }
}
