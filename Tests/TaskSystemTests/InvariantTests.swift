import Testing
import Sim
@testable import TaskSystem

/// Each invariant checker catches a seeded violation, and stays quiet when the invariant holds.
@Suite struct InvariantTests {
    @Test func readYourWritesMonitorFlagsAWriterMissingItsOwnWrite() {
        var monitor = ReadYourWritesMonitor(consistencyWindow: seconds(5))
        let writer = UserID(1), other = UserID(2), task = TaskID(7)
        monitor.acknowledged(task, version: 3, by: writer, at: seconds(10))
        #expect(monitor.check(of: task, for: other, at: seconds(11)) == nil)
        #expect(monitor.check(of: TaskID(8), for: writer, at: seconds(11)) == nil)
        #expect(monitor.check(of: task, for: writer, at: seconds(12.6)) == nil)  // past half the window
        let check = monitor.check(of: task, for: writer, at: seconds(11))
        #expect(check?.version == 3)
        monitor.judge(check!, seen: 3, at: seconds(11.1))
        #expect(monitor.violations == 0)
        monitor.judge(check!, seen: 2, at: seconds(11.1))  // the seeded violation: a stale read of its own write
        #expect(monitor.violations == 1 && monitor.checks == 2)
        // The first violation is kept, with who read what and when (for the report).
        let first = ReadYourWritesMonitor.Violation(time: seconds(11.1), user: writer, task: task, acknowledged: 3, seen: 2)
        #expect(monitor.firstViolation == first)
        #expect(first.entities == "user 1 read task 7 at version 2 after version 3 was acknowledged to it")
        // A read that started inside the half-window but ended after it (stuck in a queue) is
        // outside the contract: a stale answer is counted apart, not as a violation.
        monitor.judge(check!, seen: 2, at: seconds(13))
        monitor.judge(check!, seen: 3, at: seconds(13))
        #expect(monitor.violations == 1 && monitor.checks == 2 && monitor.lateStaleReads == 1)
    }

    @Test func acknowledgedWritesFindsAWriteTheStoreDoesNotHold() {
        var random = RandomStreamFactory(rootSeed: 1).stream(named: "seed")
        let store = PrimaryStore.seed(users: 10, projects: 1, tasksPerProject: 3, random: &random)
        let task = store.tasks(inProject: ProjectID(1))[0]
        var writes = AcknowledgedWrites()
        writes.record(task, version: store.task(task)!.version)
        #expect(writes.lost(in: store) == 0)
        writes.record(task, version: store.task(task)!.version + 1)  // acknowledged, never stored
        writes.record(TaskID(999_999), version: 1)                    // acknowledged, no such task
        #expect(writes.lost(in: store) == 2)
    }

    @Test func requestConservationComparesWithAnIndependentInFlightCount() {
        var metrics = RequestMetrics()
        metrics.started()
        metrics.started()
        metrics.finished(.getTask, latency: seconds(0.01), error: nil)
        #expect(metrics.conservationViolation(inFlight: 1) == nil)
        // The seeded violation: the instances hold no request, yet one was never answered.
        #expect(metrics.conservationViolation(inFlight: 0) != nil)
        metrics.resetMeasurements()
        #expect(metrics.conservationViolation(inFlight: 1) == nil)
    }
}

/// The whole system, with the ConsistencyManager switched off under a lagging replica: writers
/// re-reading their tasks hit the replica and miss their own writes, and the invariant says so.
@Suite struct ReadYourWritesInvariantTests {
    static func lagging(consistencyWindow: SimTime) -> TaskSystemConfiguration {
        TaskSystemConfiguration(
            duration: seconds(300), warmup: seconds(10),
            workload: WorkloadConfiguration(data: SeedPlan.scaled(users: 200), load: .constant(users: 100),
                                            thinkTime: .exponential(mean: 2), refreshDelay: .exponential(mean: 0.5)),
            api: APIConfiguration(consistencyWindow: consistencyWindow),
            database: DatabaseConfiguration(replicas: 1, replicationLag: .constant(3)))
    }

    @Test func brokenWithoutTheConsistencyManager() {
        let result = TaskSystemSimulation.runReplication(Self.lagging(consistencyWindow: 0), replication: 0)
        let invariant = result.invariants.first { $0.name.hasPrefix("read-your-writes") }!
        #expect(!invariant.held && invariant.violations > 0)
    }

    @Test func heldWithTheSeedsFiveSecondWindow() {
        let result = TaskSystemSimulation.runReplication(Self.lagging(consistencyWindow: seconds(5)), replication: 0)
        let invariant = result.invariants.first { $0.name.hasPrefix("read-your-writes") }!
        #expect(invariant.held)
    }
}
