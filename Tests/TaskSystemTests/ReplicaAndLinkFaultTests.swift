// ReplicaAndLinkFaultTests.swift — the mechanisms of replica-stall, replica-lag-spike,
// replica-loss, latency-spike and connection-storm, each against a hand-computed expectation:
// a stall of d seconds leaves the replica's lag ≈ d at its end; a lag spike keeps nothing newer
// than `lag` visible; a lost replica takes no more reads; a latency spike adds exactly `extra`
// to a call on its link; a storm holds exactly its connections (or what max_connections leaves).

import Sim
import Testing
@testable import TaskSystem

private func sec(_ value: Double) -> SimTime { SimClock.time(seconds: value) }

/// A small system (one instance, 2 CPUs) with `replicas` replicas, `users` users thinking 0.2 s
/// (so writes commit several times a second), with the faults `faults`. `instant`: the
/// instant replication model (apply cost 0) instead of the applier.
private func world(users: Int, replicas: Int = 1, instant: Bool = false, seed: UInt64 = 11,
                   faults: [Fault]) -> TaskSystemWorld {
    var database = DatabaseConfiguration(replicas: replicas)
    if instant { database.replicaApplyCost = .constant(0) }
    var configuration = TaskSystemConfiguration(
        seed: seed, workload: WorkloadConfiguration(data: SeedPlan.scaled(users: 200), load: .constant(users: users),
                                                    thinkTime: .exponential(mean: 0.2)),
        api: APIConfiguration(instances: 1, vCPUs: 2), database: database, warmCache: true)
    configuration.faults = FaultPlan(faults)
    return TaskSystemWorld.build(configuration, replication: 0)
}

private func faultEvents(_ world: TaskSystemWorld) -> [TimelineEvent] {
    world.recorders.timeline.events.filter { $0.component == .faults }
}

@Suite struct ReplicaAndLinkFaultTests {
    // MARK: replica-stall

    /// Stalled from 20 s to 30 s, the replica applies nothing: its position at 30 s is its
    /// position at 20 s, and its lag is the age of the first change committed after that —
    /// d = 10 s less the wait for the first write after 20 s (under 0.5 s at several writes a
    /// second), plus at most the transport lag of changes in flight at 20 s. It catches up after.
    @Test("replica-stall", arguments: [false, true])
    func aStallFreezesTheReplicaAndItsLagGrowsByTheStall(instant: Bool) {
        let world = world(users: 40, instant: instant, faults: [.replicaStall(at: sec(20), duration: sec(10), replica: 0)])
        _ = world.start()
        world.runtime.run(until: sec(20))
        let frozen = world.database.store.position(of: .replica(0))
        world.runtime.run(until: sec(30) - 1)
        let store = world.database.store
        #expect(store.position(of: .replica(0)) == frozen, "nothing applied while stalled")
        #expect(store.primary.headLSN.rawValue > frozen.rawValue + 20, "writes went on on the primary")
        let firstHeld = store.primary.log.commitTime(of: frozen.next)!
        #expect(firstHeld < sec(20.5), "a write within half a second of the stall's start")
        let lag = SimClock.seconds(world.database.replicaLag(0)!)
        #expect(lag > 9.5 && lag <= 10.5, "lag ≈ the stall's 10 s, got \(lag) s")
        #expect(world.database.replicaLag(0) == sec(30) - 1 - firstHeld)
        world.runtime.run(until: sec(33))
        #expect(SimClock.seconds(world.database.replicaLag(0)!) < 1, "caught up within 3 s")
        #expect(world.database.metrics.maxReplicaLag >= sec(9.5))
        let events = faultEvents(world)
        #expect(events.map(\.kind) == ["fault-start", "fault-end"] && events.map(\.time) == [sec(20), sec(30)])
        #expect(events.first?.reason == "replica-stall of replica 0; its applier stops for 10 s")
        #expect(events.last?.reason.hasPrefix("replica-stall of replica 0; its lag is 9.") == true
                || events.last?.reason.hasPrefix("replica-stall of replica 0; its lag is 10") == true)
        world.runtime.shutdown()
    }

    /// A replica lost while stalled (found by `simrun fuzz`: the stall's end asked the lag of a
    /// replica whose log is no longer kept): the stall ends saying so, and the run goes on.
    @Test func aStalledReplicaLostDuringItsStallEndsTheStallCleanly() {
        let world = world(users: 40, replicas: 2, faults: [
            .replicaStall(at: sec(10), duration: sec(10), replica: 1), .replicaLoss(at: sec(15), replica: 1),
            .replicaLagSpike(at: sec(12), duration: sec(10), lag: sec(3), replica: 1),
        ])
        _ = world.start()
        world.runtime.run(until: sec(30))
        #expect(world.database.replicaLag(1) == nil && world.database.replicaLag(0) != nil)
        let ends = faultEvents(world).filter { $0.kind == "fault-end" }.map(\.reason)
        #expect(ends == ["replica-stall of replica 1; the replica is no longer in service",
                         "replica-lag-spike of replica 1; the replica is no longer in service"])
        world.runtime.shutdown()
    }

    // MARK: replica-lag-spike

    /// Held 5 s behind from 10 s to 40 s: from 15 s on nothing committed in the last 5 s is
    /// visible (the position is at most the last change committed 5 s ago), and the lag stays
    /// within [5 s − the gap between writes, 5 s + the transport lag]; after 40 s it catches up.
    @Test("replica-lag-spike", arguments: [false, true])
    func aLagSpikeHoldsThePositionLagBehind(instant: Bool) {
        let world = world(users: 40, instant: instant,
                          faults: [.replicaLagSpike(at: sec(10), duration: sec(30), lag: sec(5), replica: 0)])
        _ = world.start()
        for probe in [20.0, 27.5, 35.0, 39.9] {
            world.runtime.run(until: sec(probe))
            let store = world.database.store
            let position = store.position(of: .replica(0))
            #expect(position <= store.primary.log.lastLSN(committedAtOrBefore: sec(probe - 5)),
                    "nothing newer than 5 s visible at \(probe) s")
            let lag = SimClock.seconds(world.database.replicaLag(0)!)
            #expect(lag >= 4.5 && lag <= 5.5, "lag ≈ 5 s at \(probe) s, got \(lag) s")
        }
        world.runtime.run(until: sec(42))
        #expect(SimClock.seconds(world.database.replicaLag(0)!) < 1, "caught up after the spike")
        #expect(faultEvents(world).first?.reason == "replica-lag-spike of replica 0; its position is held 5 s behind for 30 s")
        world.runtime.shutdown()
    }

    // MARK: replica-loss

    /// Two replicas share the reads until replica 1 is lost at 10 s; from then on the router
    /// sends every replica read to replica 0 and replica 1 takes none.
    @Test func aLostReplicaTakesNoMoreReads() {
        let world = world(users: 40, replicas: 2, faults: [.replicaLoss(at: sec(10), replica: 1)])
        _ = world.start()
        world.runtime.run(until: sec(10) - 1)
        let before = world.database.metrics.replicaQueries
        #expect(before[0] > 0 && before[1] > 0, "both replicas take reads before the loss")
        world.runtime.run(until: sec(10) + sec(1))
        let atLoss = world.database.metrics.replicaQueries
        world.runtime.run(until: sec(30))
        let after = world.database.metrics.replicaQueries
        #expect(world.database.replicaServing == [true, false])
        #expect(after[1] == atLoss[1], "replica 1 takes no read after its loss")
        #expect(after[0] > atLoss[0], "replica 0 takes the reads")
        let events = faultEvents(world)
        #expect(events.map(\.kind) == ["fault-start"], "a lost replica stays lost: no fault-end")
        #expect(events.first?.reason
                == "replica-loss of replica 1; its reads fail and the router drops it (1 replica(s) left in service)")
        world.runtime.shutdown()
    }

    // MARK: latency-spike

    /// The same call at 2 s in two worlds of the same seed with no users (so the same random
    /// draws): with a spike of 250 ms on the call's link it takes exactly 250 ms longer; a spike
    /// on another link changes nothing.
    @Test("latency-spike", arguments: FaultLink.allCases)
    func aLatencySpikeAddsExactlyItsExtraToEachCallOnItsLink(link: FaultLink) {
        final class Elapsed: @unchecked Sendable { var byLink: [SimTime] = [] }
        func elapsed(spike: FaultLink?) -> [SimTime] {
            let faults = spike.map { [Fault.latencySpike(at: sec(1), duration: sec(10), link: $0, extra: sec(0.25))] } ?? []
            let world = world(users: 0, faults: faults)
            _ = world.start()
            let result = Elapsed()
            world.runtime.spawn {
                do {
                    try await world.runtime.sleep(for: sec(2))
                    var start = world.runtime.now
                    _ = try await world.database.execute(on: .primary, cost: 0.001, ios: 1) { 0 }
                    result.byLink.append(world.runtime.now - start)
                    start = world.runtime.now
                    _ = try await world.cache.get(.user(1))
                    result.byLink.append(world.runtime.now - start)
                    start = world.runtime.now
                    try await world.jobs.enqueue(.cleanup(project: ProjectID(1)))
                    result.byLink.append(world.runtime.now - start)
                } catch {
                    Issue.record("call failed: \(error)")
                }
            }
            world.runtime.run(until: sec(5))
            world.runtime.shutdown()
            return result.byLink
        }
        let normal = elapsed(spike: nil), spiked = elapsed(spike: link)
        let index = FaultLink.allCases.firstIndex(of: link)!
        #expect(normal.count == 3 && spiked.count == 3)
        for call in 0..<min(normal.count, spiked.count) {
            #expect(spiked[call] - normal[call] == (call == index ? sec(0.25) : 0),
                    "call \(call) on \(FaultLink.allCases[call].rawValue)")
        }
    }

    // MARK: connection-storm

    /// With no users the primary holds no connection: a storm of 50 holds exactly 50 from 1 s
    /// to 6 s, then none.
    @Test func aStormHoldsItsConnectionsOnThePrimaryForItsDuration() {
        let world = world(users: 0, faults: [.connectionStorm(at: sec(1), duration: sec(5), connections: 50)])
        _ = world.start()
        world.runtime.run(until: sec(2))
        #expect(world.database.primaryNode.connections == 50)
        world.runtime.run(until: sec(7))
        #expect(world.database.primaryNode.connections == 0)
        #expect(world.database.refusedConnections == 0)
        let events = faultEvents(world)
        #expect(events.map(\.time) == [sec(1), sec(6)])
        let maximum = world.database.primaryNode.maxConnections
        #expect(events.first?.reason == "connection-storm on the primary; 50 of 50 connection(s) opened "
                + "(max_connections \(maximum), 50 open now)")
        #expect(events.last?.reason == "connection-storm on the primary; its 50 connection(s) closed")
    }

    /// A storm larger than max_connections takes every free connection (its own surplus is not
    /// counted as refused); the application's next connection is then refused
    /// (`Too many connections`, 503), and after the storm it opens.
    @Test func aStormBeyondMaxConnectionsRefusesTheApplicationsConnections() {
        let maximum = DatabaseConfiguration().primary.maxConnections
        let world = world(users: 0, faults: [.connectionStorm(at: sec(1), duration: sec(5), connections: maximum + 100)])
        _ = world.start()
        final class Outcome: @unchecked Sendable { var during: (any Error)?; var afterwards = false }
        let outcome = Outcome()
        let client = DatabaseClient(database: world.database, runtime: world.runtime, configuration: APIConfiguration())
        world.runtime.spawn {
            try? await world.runtime.sleep(for: sec(2))
            do { _ = try await client.task(TaskID(1), consistency: .primary) } catch { outcome.during = error }
            try? await world.runtime.sleep(for: sec(5))
            outcome.afterwards = (try? await client.task(TaskID(1), consistency: .primary)) != nil
        }
        world.runtime.run(until: sec(2) + 1)
        #expect(world.database.primaryNode.connections == maximum)
        world.runtime.run(until: sec(10))
        #expect((outcome.during as? APIError) == .tooManyConnections)
        #expect(world.database.refusedConnections == 1, "the application's one refusal, not the storm's surplus")
        #expect(outcome.afterwards, "the connection opens after the storm")
        #expect(faultEvents(world).first?.reason.contains("\(maximum) of \(maximum + 100) connection(s) opened") == true)
        world.runtime.shutdown()
    }
}
