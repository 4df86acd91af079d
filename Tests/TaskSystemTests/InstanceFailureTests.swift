// InstanceFailureTests.swift — an API instance crash as ECS and an ALB see it: in-flight
// requests fail 502 at the crash, requests to the dead target fail fast until two failed health
// checks, the replacement serves after its start-up, cost stops at the crash, the L1 is lost,
// the pool is closed, and requests stay conserved.

import Sim
import Testing
@testable import TaskSystem

private func sec(_ value: Double) -> SimTime { SimClock.time(seconds: value) }

private final class Outcomes: @unchecked Sendable {
    var ends: [SimTime] = []
}

/// Two instances, every endpoint 1 s of CPU, start-up 60 s, ALB checks every 30 s (2 to fail),
/// a scripted crash of the oldest instance in service at 10 s; no users of its own.
private func world(pool: ConnectionLifecycle = .seed, instances: Int = 2, crashes: [SimTime] = [sec(10)]) -> TaskSystemWorld {
    var api = APIConfiguration(instances: instances, cpuCost: Endpoint.allCases.map { _ in .constant(1) },
                               startupDelay: sec(60))
    api.failures = InstanceFailures(at: crashes)
    api.poolLifecycle = pool
    let configuration = TaskSystemConfiguration(
        seed: 4, workload: WorkloadConfiguration(data: SeedPlan.scaled(users: 100), load: .constant(users: 0)), api: api,
        warmCache: false)
    let world = TaskSystemWorld.build(configuration, replication: 0)
    world.api.startScriptedFailures()
    return world
}

/// Sends `count` get-task requests at `time`, recording when each returns.
private func send(_ count: Int, at time: Double, in world: TaskSystemWorld, into outcomes: Outcomes) {
    for n in 0..<count {
        world.runtime.spawn {
            try? await world.runtime.sleep(for: sec(time))
            var stream = RandomStream(seed: UInt64(n) &+ UInt64(time * 1000))
            _ = await world.request(.getTask, by: world.workload.activeUsers[n], &stream)
            outcomes.ends.append(world.runtime.now)
        }
    }
}

@Suite struct InstanceFailureTests {
    /// Two requests at 9.5 s, one per instance (round robin): the crashed instance's fails 502 at
    /// exactly 10 s; the other completes after its 1 s of CPU. At 20 s and 40 s (before the
    /// checks at 30 and 60 s make it unhealthy), one of each two requests reaches the dead target
    /// and fails at once. At 65 s only the survivor serves; the replacement, launched at 10 s,
    /// serves from 70 s. Cost: 10 + 100 + 90 instance-seconds by 100 s.
    @Test func aCrashFailsInFlightRequestsAndTheDeadTargetUntilHealthChecksAndIsReplaced() {
        let world = world()
        let outcomes = Outcomes()
        send(2, at: 9.5, in: world, into: outcomes)
        send(2, at: 20, in: world, into: outcomes)
        send(2, at: 40, in: world, into: outcomes)
        world.runtime.run(until: sec(10) + 1)  // events strictly before the end are handled
        #expect(world.api.instances[0].crashedAt == sec(10))
        #expect(world.api.crashCounts.crashes == 1 && world.api.crashCounts.crashedRequests == 1)
        #expect(outcomes.ends == [sec(10)])
        #expect(world.api.instances[0].client.pool.isClosed && world.api.instances[0].api.localCache.isEmpty)
        #expect(world.api.instances.count == 3 && world.api.instances[2].health == .initial)
        #expect(world.api.desired == 2 && world.api.inService == 1)
        #expect(world.metrics.conservationViolation(inFlight: world.requestsInFlight) == nil)

        world.runtime.run(until: sec(45))
        #expect(world.api.crashCounts.deadTargetRequests == 2)
        #expect(outcomes.ends.filter { $0 == sec(20) || $0 == sec(40) }.count == 2)  // failed fast
        #expect(world.metrics.of(.getTask).serverErrors == 3)
        #expect(world.api.instances[0].health == .healthy)  // not yet detected: one failed check at 30 s

        world.runtime.run(until: sec(65))
        #expect(world.api.instances[0].health == .unhealthy)  // second failed check at 60 s
        #expect(world.api.inService == 1)
        world.runtime.run(until: sec(75))
        #expect(world.api.instances[2].health == .healthy && world.api.inService == 2)
        #expect(world.metrics.of(.getTask).completed == 3)
        #expect(abs(world.api.instanceHours(until: sec(100)) * 3600 - 200) < 1e-9)
        #expect(world.metrics.conservationViolation(inFlight: world.requestsInFlight) == nil)
        // The invariant still catches a request that was neither answered nor in flight.
        world.recorders.requests.started()
        #expect(world.metrics.conservationViolation(inFlight: world.requestsInFlight) != nil)
        world.runtime.shutdown()
    }

    /// One instance, crashed at 10 s: its health checks fail at 60 s and the replacement serves
    /// from 70 s, so requests at 65 s find no instance in service. The load balancer answers them
    /// 502 at once, and they are counted: generated, answered as server errors, conserved.
    @Test func requestsFindingNoInstanceInServiceAnswer502AndAreCounted() {
        let world = world(instances: 1)
        let outcomes = Outcomes()
        send(3, at: 65, in: world, into: outcomes)
        world.runtime.run(until: sec(66))
        #expect(world.api.inService == 0)
        #expect(outcomes.ends == [sec(65), sec(65), sec(65)])
        #expect(world.api.crashCounts.noTargetRequests == 3 && world.api.crashCounts.badGateway == 3)
        #expect(world.metrics.of(.getTask).serverErrors == 3)
        #expect(world.metrics.conservationViolation(inFlight: world.requestsInFlight) == nil)
        world.runtime.shutdown()
    }

    /// The autoscalers' CPU: an instance that came into service during the period offers its
    /// cores only since then. Instance 0 idles all of [0, 90 s]; instance 1, launched at 0 with
    /// the 60 s start-up, computes from 60 s to 90 s: 30 busy core-seconds over 90 + 30 offered
    /// (25 %; counting the whole period for both would say 16.7 %).
    @Test func anInstanceEnteringServiceOffersItsCoresOnlySinceThen() {
        let world = world(instances: 1, crashes: [])
        var sampler = UtilisationSampler(world.api)
        world.api.launchInstance(healthy: false)
        world.runtime.spawn {
            try? await world.runtime.sleep(for: sec(60))  // the start-up delay is 60 s here
            try? await world.api.instances[1].cpu.serve(for: sec(30))
        }
        world.runtime.run(until: sec(90))
        let usage = sampler.sample(world.api, over: sec(90))
        #expect(world.api.instances[1].inServiceSince == sec(60))
        #expect(abs(usage.cpuPercent - 100 * 30 / (90 + 30)) < 1e-9, "\(usage.cpuPercent)")
        world.runtime.shutdown()
    }

    @Test func healthCheckDetectionFallsOnTheThresholdthCheckAfterTheCrash() {
        let check = HealthCheck.alb
        #expect(check.detection(launchedAt: 0, crashedAt: sec(10)) == sec(60))
        #expect(check.detection(launchedAt: 0, crashedAt: sec(30)) == sec(60))
        #expect(check.detection(launchedAt: sec(5), crashedAt: sec(36)) == sec(95))
    }

    /// The whole system with random instance crashes (MTBF 2 min) and worker crashes (MTBF
    /// 1 min, visibility timeout 30 s): crashes, 502s and redeliveries happen, and every
    /// invariant holds; same seed, same figures.
    @Test func randomCrashesKeepEveryInvariant() {
        var configuration = TaskSystemSimulationTests.small()
        configuration.api.failures = InstanceFailures(meanTimeBetweenFailures: sec(120))
        configuration.jobs.workerFailures = WorkerFailures(meanTimeBetweenFailures: sec(60), restart: sec(10))
        configuration.jobs.visibilityTimeout = sec(30)
        let result = TaskSystemSimulation.runReplication(configuration, replication: 0)
        for invariant in result.invariants {
            #expect(invariant.held, "\(invariant.name): \(invariant.violations)")
        }
        #expect(result.metric("api.crashes")! > 0 && result.metric("api.bad_gateway")! > 0)
        #expect(result.metric("jobs.worker_crashes")! > 0 && result.metric("jobs.redelivered")! > 0)
        #expect(result.metric("api.error_rate")! > 0)
        let again = TaskSystemSimulation.runReplication(configuration, replication: 0)
        #expect(again.metrics.map { $0.value.bitPattern } == result.metrics.map { $0.value.bitPattern })
    }

    /// Each instance's first query opens a server connection on the primary (two open at 8 s);
    /// the crash at 10 s closes the crashed instance's, so one stays open.
    @Test func aCrashClosesTheServerConnectionsOfItsPool() {
        let world = world()
        let outcomes = Outcomes()
        send(2, at: 5, in: world, into: outcomes)
        world.runtime.run(until: sec(8))
        let primary = world.database.instance(of: .primary)
        #expect(outcomes.ends.count == 2)
        #expect(primary.connections == 2)
        world.runtime.run(until: sec(11))
        #expect(primary.connections == 1)
        world.runtime.shutdown()
    }

    /// Crashes behind a CDN edge: forwarded reads and asset misses that meet a dead instance
    /// fail with 502, cacheable responses still reach the edge, and requests stay conserved.
    @Test func crashesBehindTheEdgeKeepEveryInvariant() {
        var configuration = TaskSystemSimulationTests.small()
        configuration.api.failures = InstanceFailures(meanTimeBetweenFailures: sec(120))
        configuration.cdn = CDNConfiguration(cacheable: [.getTask, .listTasks])
        let result = TaskSystemSimulation.runReplication(configuration, replication: 0)
        for invariant in result.invariants {
            #expect(invariant.held, "\(invariant.name): \(invariant.violations)")
        }
        #expect(result.metric("api.crashes")! > 0 && result.metric("api.bad_gateway")! > 0)
        #expect(result.metric("cdn.api.hit_rate")! > 0)
        #expect(result.metric("cdn.assets.bad_gateway")! > 0)  // asset misses that met a dead instance
    }
}
