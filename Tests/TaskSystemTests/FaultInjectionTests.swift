// FaultInjectionTests.swift — the FaultInjector: a redis-outage makes every cache call and job
// publication fail fast and brings Redis back empty; a redis-flush drops every key at once;
// both start and end on the timeline (component `faults`).

import Sim
import Testing
@testable import TaskSystem

private func sec(_ value: Double) -> SimTime { SimClock.time(seconds: value) }

/// A small system (one instance, 2 CPUs), `users` users thinking 1 s, the cache warmed at
/// deploy, with the faults `faults`.
private func world(users: Int, faults: [Fault]) -> TaskSystemWorld {
    var configuration = TaskSystemConfiguration(
        seed: 7, workload: WorkloadConfiguration(data: SeedPlan.scaled(users: 200), load: .constant(users: users),
                                                 thinkTime: .exponential(mean: 1)),
        api: APIConfiguration(instances: 1, vCPUs: 2), warmCache: true)
    configuration.faults = FaultPlan(faults)
    return TaskSystemWorld.build(configuration, replication: 0)
}

private func faultEvents(_ world: TaskSystemWorld) -> [TimelineEvent] {
    world.recorders.timeline.events.filter { $0.component == .faults }
}

@Suite struct FaultInjectionTests {
    /// Redis holds the warmed keys until 20 s; from 20 s to 30 s every call is refused at once
    /// (requests answer 500, no key is stored, no job is published); at 30 s it answers again,
    /// empty, and the keys come back as requests miss and refill them.
    @Test func aRedisOutageRefusesEveryCallAndRedisComesBackEmpty() {
        let world = world(users: 40, faults: [.redisOutage(at: sec(20), duration: sec(10))])
        _ = world.start()
        world.runtime.run(until: sec(20) - 1)
        let keysBefore = world.cache.redis.count
        let errorsBefore = world.metrics.serverErrors
        #expect(keysBefore > 0 && world.cache.refusedCalls == 0 && !world.cache.isUnavailable)
        world.runtime.run(until: sec(30) - 1)
        #expect(world.cache.isUnavailable && !world.jobs.brokerAvailable)
        #expect(world.cache.redis.count == 0, "nothing is stored while Redis is down")
        #expect(world.cache.refusedCalls > 0)
        // Every request answered in the 10 s needs Redis first (the rate-limit check) and fails
        // with 500 at once (a refused call takes no time): the 500s are the requests answered in
        // the window. Each of the 40 users cycles through an exponential think (mean 1 s) and a
        // response of R ≈ 5 ms (the standard mix's CPU, mean 5.04 ms, on 2 vCPUs at about 10 %
        // load, and no Redis or database time); a session of K ≈ 30 requests (exponential,
        // mean 30) opens with a login that follows no think: 31 requests per 30 thinks. So
        // 40 × 10 s × (31/30) / 1.005 s = 411 requests, plus the re-reads after writes: a user
        // whose write (28 % of the mix) was answered before 20 s and whose refresh delay (mean
        // 1 s) runs into the window sends one request without a think: writes/s × 1 s = 40 ×
        // 0.28 / 1.0 ≈ 11 (Little's law). Expected 422. The count is a sum of 40 nearly
        // Poisson renewal counts: σ ≈ √422 ≈ 21; accept 4σ plus 10 for the approximations
        // above (R within ± 5 ms: ± 2; K's rounding: ± 1 %).
        let failed = Double(world.metrics.serverErrors - errorsBefore)
        #expect(abs(failed - 422) <= 4 * 422.0.squareRoot() + 10, "\(failed) server errors in the outage, expected 422 ± 92")
        world.runtime.run(until: sec(30) + 1)
        #expect(!world.cache.isUnavailable && world.jobs.brokerAvailable)
        #expect(world.cache.redis.count < 40, "back empty: only keys set in the first nanosecond")
        let refused = world.cache.refusedCalls
        world.runtime.run(until: sec(40))
        #expect(world.cache.refusedCalls == refused, "no call is refused after the outage")
        #expect(world.cache.redis.count > 0, "the misses refill the cache")
        let events = faultEvents(world)
        #expect(events.map(\.kind) == ["fault-start", "fault-end"])
        #expect(events.map(\.time) == [sec(20), sec(30)])
        #expect(events.allSatisfy { $0.reason.hasPrefix("redis-outage of the shared cache and the broker") })
        #expect(events.last?.reason.hasSuffix("; Redis is back, empty; \(refused) cache call(s) and 0 job publication(s) were refused") == true)
        world.runtime.shutdown()
    }

    /// A publication during an outage throws at once, without the broker's latency.
    @Test func aJobPublicationDuringAnOutageFailsFast() {
        let world = world(users: 0, faults: [.redisOutage(at: sec(1), duration: sec(5))])
        _ = world.start()
        final class Result: @unchecked Sendable { var error: (any Error)?; var at: SimTime = -1 }
        let result = Result()
        world.runtime.spawn {
            try? await world.runtime.sleep(for: sec(2))
            do { try await world.jobs.enqueue(.cleanup(project: ProjectID(1))) } catch { result.error = error }
            result.at = world.runtime.now
        }
        world.runtime.run(until: sec(3))
        #expect(result.error is RedisUnavailable && result.at == sec(2))
        #expect(world.jobs.refusedPublications == 1 && world.jobs.metrics(for: .low).enqueued == 0)
        world.runtime.shutdown()
    }

    /// With no users nothing else touches Redis: the warmed keys are all there until the flush
    /// at 5 s and none after it.
    @Test func aRedisFlushDropsEveryKeyAtOnce() {
        let world = world(users: 0, faults: [.redisFlush(at: sec(5))])
        _ = world.start()
        world.runtime.run(until: sec(5) - 1)
        #expect(world.cache.redis.count > 200)  // 200 users and their projects, warmed
        world.runtime.run(until: sec(5) + 1)
        #expect(world.cache.redis.count == 0)
        #expect(faultEvents(world).map(\.kind) == ["fault-start", "fault-end"])
        #expect(faultEvents(world).map(\.time) == [sec(5), sec(5)])
        world.runtime.shutdown()
    }

    /// The plan's crashes go to the machinery that owns them; the injector injects the rest.
    @Test func thePlanSplitsCrashesFromInjectedFaults() {
        let plan = FaultPlan([.instanceCrash(at: sec(60), count: 2), .redisFlush(at: sec(10)),
                              .randomInstanceCrashes(mtbf: sec(3600)),
                              .randomWorkerCrashes(mtbf: sec(7200), restart: sec(5), queue: .high)])
        #expect(plan.instanceFailures() == InstanceFailures(meanTimeBetweenFailures: sec(3600), at: [sec(60), sec(60)]))
        #expect(plan.instanceFailures(over: InstanceFailures(at: [sec(1)])).at == [sec(1), sec(60), sec(60)])
        #expect(plan.workerFailures(over: nil) == WorkerFailures(meanTimeBetweenFailures: sec(7200), restart: sec(5),
                                                                 queue: .high))
        #expect(plan.injected == [.redisFlush(at: sec(10))])
        #expect(FaultPlan.none.instanceFailures() == .none && FaultPlan.none.workerFailures(over: nil) == nil)
    }

    /// `worker-crash` with a `queue` crashes that queue's workers only.
    @Test func aWorkerCrashOfOneQueueLeavesTheOthersAlone() {
        let world = world(users: 0, faults: [.randomWorkerCrashes(mtbf: sec(10), restart: sec(1), queue: .high)])
        _ = world.start()
        world.runtime.run(until: sec(120))
        #expect(world.jobs.metrics(for: .high).workerCrashes > 10)
        #expect(world.jobs.metrics(for: .default).workerCrashes == 0 && world.jobs.metrics(for: .low).workerCrashes == 0)
        world.runtime.shutdown()
    }

    /// Four instances (zones a, b, a, b by launch) and two replicas (a, b): losing zone b at 10 s
    /// crashes instances 1 and 3 and retires replica 1; ECS's replacements (4 and 5) go to zone
    /// a while b is lost; after the loss ends at 30 s launches alternate again.
    @Test func aZoneLossCrashesItsInstancesAndLosesItsReplicas() {
        var configuration = TaskSystemConfiguration(
            seed: 3, workload: WorkloadConfiguration(data: SeedPlan.scaled(users: 100), load: .constant(users: 0)),
            api: APIConfiguration(instances: 4, vCPUs: 1), database: DatabaseConfiguration(replicas: 2),
            warmCache: false)
        configuration.faults = FaultPlan([.zoneLoss(at: sec(10), duration: sec(20), zone: .b)])
        let world = TaskSystemWorld.build(configuration, replication: 0)
        #expect(world.api.configuration.failures.isEnabled, "requests run as processes a crash can answer")
        _ = world.start()
        #expect(world.api.instances.map(\.zone) == [.a, .b, .a, .b])
        world.runtime.run(until: sec(10) + 1)
        #expect(world.api.instances.map { $0.crashedAt != nil } == [false, true, false, true, false, false])
        #expect(world.api.instances.map(\.zone) == [.a, .b, .a, .b, .a, .a])
        #expect(world.database.replicaServing == [true, false])
        let events = faultEvents(world).filter { $0.kind.hasPrefix("fault-") }
        #expect(events.first?.reason == "zone-loss of availability zone b; 2 API instance(s) crashed, replica(s) lost: 1")
        world.runtime.run(until: sec(31))
        #expect(world.api.lostZones.isEmpty)
        #expect(faultEvents(world).filter { $0.kind.hasPrefix("fault-") }.map(\.time) == [sec(10), sec(30)])
        world.api.scale(to: 6)  // instances 6 and 7: b and a again
        #expect(world.api.instances.suffix(2).map(\.zone) == [.a, .b])
        world.runtime.shutdown()
    }
}
