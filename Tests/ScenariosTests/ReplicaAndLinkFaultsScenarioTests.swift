// ReplicaAndLinkFaultsScenarioTests.swift — reading `replica-stall`, `replica-lag-spike`,
// `replica-loss`, `latency-spike` and `connection-storm` entries (good input to the Fault each
// means, bad input to an error naming line, column and key path), and one end-to-end run of a
// scenario holding every one of them with every invariant held.

import Foundation
import Testing
@testable import Scenarios
import Sim
import TaskSystem

@Suite struct ReplicaAndLinkFaultsScenarioTests {
    private func configuration(_ yaml: String) throws -> TaskSystemConfiguration {
        try Fixture.taskSystem("kind: task-system\nname: x\nduration: 1h\n\(yaml)").configuration
    }

    private func errors(_ yaml: String) throws -> [String] {
        try Fixture.errors("kind: task-system\nname: x\nduration: 1h\n\(yaml)")
    }

    private func milliseconds(_ value: Int64) -> SimTime { value * 1_000_000 }

    @Test func everyNewKindIsRead() throws {
        let decoded = try configuration("""
            database: {replicas: 2}
            faults:
              - {kind: replica-stall, at: 10m, duration: 2m}
              - {kind: replica-stall, at: 20m, duration: 30s, replica: 1}
              - {kind: replica-lag-spike, at: 5m, duration: 5m, lag: 20s, replica: 1}
              - {kind: replica-loss, at: 50m}
              - {kind: latency-spike, at: 1m, duration: 1m, link: api-cache, extra: 50ms}
              - {kind: latency-spike, at: 2m, duration: 1m, link: api-database, extra: 1s}
              - {kind: latency-spike, at: 3m, duration: 1m, link: api-queue, extra: 2s}
              - {kind: connection-storm, at: 30m, duration: 10m, connections: 500}
            """)
        #expect(decoded.faults.faults == [
            .replicaStall(at: seconds(600), duration: seconds(120), replica: 0),
            .replicaStall(at: seconds(1200), duration: seconds(30), replica: 1),
            .replicaLagSpike(at: seconds(300), duration: seconds(300), lag: seconds(20), replica: 1),
            .replicaLoss(at: seconds(3000), replica: 0),
            .latencySpike(at: seconds(60), duration: seconds(60), link: .apiCache, extra: milliseconds(50)),
            .latencySpike(at: seconds(120), duration: seconds(60), link: .apiDatabase, extra: seconds(1)),
            .latencySpike(at: seconds(180), duration: seconds(60), link: .apiQueue, extra: seconds(2)),
            .connectionStorm(at: seconds(1800), duration: seconds(600), connections: 500),
        ])
        // All are injected by the FaultInjector; none crashes instances.
        #expect(decoded.faults.injected.count == 8 && !decoded.faults.crashesInstances)
        #expect(decoded.faults.faults.map(\.end) == [seconds(720), seconds(1230), seconds(600), nil,
                                                     seconds(120), seconds(180), seconds(240), seconds(2400)])
    }

    /// The replicas at the run's start come from the first tier when the file has a tier table.
    @Test func aReplicaIndexIsCheckedAgainstTheStartingTier() throws {
        let tiers = "database:\n  tiers:\n    - {users: 0, primary: db.r5.large, replicas: 1}\n"
            + "    - {users: 10000, primary: db.r5.xlarge, replicas: 3}\n"
        #expect(try configuration(tiers + "faults: [{kind: replica-loss, at: 1m}]").faults.faults
                == [.replicaLoss(at: seconds(60), replica: 0)])
        #expect(try errors(tiers + "faults: [{kind: replica-loss, at: 1m, replica: 2}]")
                == ["8:48: faults[0].replica: replica 2 does not exist at the run's start: the database starts with 1 replica(s), 0 to 0"])
    }

    @Test("errors", arguments: [
        ("database: {replicas: 2}\nfaults: [{kind: replica-stall, at: 1m, duration: 1m, replica: 2}]",
         ["5:63: faults[0].replica: replica 2 does not exist at the run's start: the database starts with 2 replica(s), 0 to 1"]),
        ("database: {replicas: 2}\nfaults: [{kind: replica-stall, at: 1m, duration: 1m, replica: -1}]",
         ["5:63: faults[0].replica: too small (min 0), got -1"]),
        ("faults: [{kind: replica-loss, at: 1m}]",
         ["4:10: faults[0]: replica-loss needs a replica, but the database starts with none (set database.replicas or a first tier with replicas)"]),
        ("faults: [{kind: replica-loss, at: 1m, replica: 0}]",
         ["4:48: faults[0].replica: replica 0 does not exist at the run's start: the database starts with no replica"]),
        ("database: {replicas: 1}\nfaults: [{kind: replica-stall, at: 1m}]",
         ["5:10: faults[0]: missing required key 'duration'"]),
        ("database: {replicas: 1}\nfaults: [{kind: replica-stall, at: 50m, duration: 20m}]",
         ["5:51: faults[0].duration: must end by the run's end: at most 600.0 s after 'at' (duration 3600.0 s), got 1200.0 s"]),
        ("database: {replicas: 1}\nfaults: [{kind: replica-lag-spike, at: 1m, duration: 1m}]",
         ["5:10: faults[0]: missing required key 'lag'"]),
        ("database: {replicas: 1}\nfaults: [{kind: replica-lag-spike, at: 1m, duration: 1m, lag: 2h}]",
         ["5:63: faults[0].lag: must be at most the run's duration (3600.0 s), got 7200.0 s"]),
        ("database: {replicas: 1}\nfaults: [{kind: replica-loss, at: 1m, duration: 1m}]",
         ["5:39: faults[0].duration: unknown key 'duration'; allowed keys: kind, at, replica"]),
        ("faults: [{kind: latency-spike, at: 1m, duration: 1m, link: api-redis, extra: 1s}]",
         ["4:60: faults[0].link: unknown link 'api-redis'; allowed: api-database, api-cache, api-queue"]),
        ("faults: [{kind: latency-spike, at: 1m, duration: 1m, link: api-cache}]",
         ["4:10: faults[0]: missing required key 'extra'"]),
        ("faults: [{kind: latency-spike, at: 1m, duration: 1m, link: api-cache, extra: 0s}]",
         ["4:78: faults[0].extra: must be greater than 0"]),
        ("faults: [{kind: latency-spike, at: 2h, duration: 1m, link: api-cache, extra: 1s}]",
         ["4:36: faults[0].at: must be before the run ends (duration 3600.0 s), got 7200.0 s"]),
        ("faults: [{kind: connection-storm, at: 1m, duration: 1m, connections: 0}]",
         ["4:70: faults[0].connections: too small (min 1), got 0"]),
        ("faults: [{kind: connection-storm, at: 1m, duration: 1m}]",
         ["4:10: faults[0]: missing required key 'connections'"]),
        ("faults: [{kind: connection-storm, at: 1m, duration: 1m, connections: 2000000}]",
         ["4:70: faults[0].connections: too large (max 1000000), got 2000000"]),
    ])
    func errorsPointAtTheKey(yaml: String, expected: [String]) throws {
        #expect(try errors(yaml) == expected)
    }

    // MARK: End to end

    /// A scenario with every new kind, run whole: each fault starts and ends on the timeline (a
    /// replica-loss only starts), the faults cost errors, and every invariant holds — the
    /// stall and the lag spike reach the replicas, not the writer's reads inside the consistency
    /// window (those go to the primary while the ConsistencyManager's marker is in Redis).
    @Test func aScenarioWithEveryNewKindRunsWithEveryInvariantHeld() throws {
        let scenario = try Fixture.taskSystem("""
            kind: task-system
            name: replica-and-link-faults
            duration: 3m
            warmup: 10s
            seed: 5
            users: {concurrent: 150, think: {distribution: exponential, mean: 1s}}
            api: {instances: 2}
            database: {replicas: 2}
            faults:
              - {kind: replica-stall, at: 20s, duration: 30s}
              - {kind: replica-lag-spike, at: 40s, duration: 40s, lag: 10s, replica: 1}
              - {kind: latency-spike, at: 60s, duration: 20s, link: api-database, extra: 200ms}
              - {kind: latency-spike, at: 70s, duration: 20s, link: api-cache, extra: 100ms}
              - {kind: latency-spike, at: 80s, duration: 20s, link: api-queue, extra: 1s}
              - {kind: connection-storm, at: 100s, duration: 30s, connections: 5000}
              - {kind: replica-loss, at: 140s, replica: 1}
            """)
        let result = TaskSystemSimulation.runReplication(scenario.configuration, replication: 0)
        for invariant in result.invariants {
            #expect(invariant.held, "\(invariant.name): \(invariant.violations) violation(s)")
        }
        #expect(result.violations.isEmpty)
        // Read-your-writes was judged (writers re-read inside the window), and the held-back
        // replicas served others stale rows.
        #expect((result.invariants.first { $0.name.hasPrefix("read-your-writes") }?.checks ?? 0) > 0)
        #expect((result.metrics.first { $0.name == "db.stale_reads" }?.value ?? 0) > 0)
        let events = result.timeline.events.filter { $0.component == .faults }
        #expect(events.filter { $0.kind == "fault-start" }.count == 7)
        #expect(events.filter { $0.kind == "fault-end" }.count == 6, "every fault ends but the replica-loss")
        #expect(events.map(\.time) == events.map(\.time).sorted())
    }
}
