// FailoverTests.swift — `primary-failover` on the database tier (statements refused while the
// primary is down, the most advanced replica promoted, the writes it lacked undone and counted,
// the router following it), the acknowledged writes it takes, and `worker-crash` with `at`.

import Sim
import Testing
@testable import TaskSystem

// MARK: - A small database with a known lag

/// A primary with two replicas on 50 seeded users and 40 tasks; no network, writes that commit
/// the instant they are issued, changes visible on a replica exactly `lag` after their commit
/// (the instant model, constant transport lag).
private struct FailoverBench {
    let runtime = ProcessRuntime()
    let database: SimulatedDatabase

    init(replicas: Int = 2, lag: Double = 10) {
        var random = RandomStreamFactory(rootSeed: 5).stream(named: "seed")
        let data = PrimaryStore.seed(users: 50, projects: 5, tasksPerProject: 8, membersPerProject: 10, random: &random)
        var configuration = DatabaseConfiguration(
            replicas: replicas, replicationLag: .constant(lag), replicationTick: seconds(0.01),
            roundTrip: .constant(0), pointReadCost: .constant(0), writeCost: .constant(0))
        configuration.replicaApplyCost = .constant(0)
        database = SimulatedDatabase(runtime: runtime, configuration: configuration, data: data,
                                     streams: RandomStreamFactory(rootSeed: 9))
    }

    /// Commits a new title for task `id` (its version + 1).
    func retitle(_ id: Int) async throws {
        var task = database.store.primary.task(TaskID(id))!
        task.title = "retitled at \(runtime.now)"
        task.version += 1
        _ = try await database.commit(.update(.task(task)))
    }
}

/// Records what a process saw, for the test to read after the run.
private final class Outcomes: @unchecked Sendable {
    var committed: [Int] = []
    var refused: [Int] = []
    var otherErrors = 0
}

@Suite struct FailoverTests {
    /// Hand-computed: task `i` (1…40) is retitled at `i` s; the primary fails at 20.5 s and the
    /// promotion takes 30 s. With a constant 10 s lag the replicas hold, at 20.5 s, every change
    /// committed by 10.5 s — tasks 1…10 — and both stand there (a tie: replica 0 is promoted).
    /// So: the writes at 21…40 s are refused (20 statements), the 10 committed at 11…20 s are
    /// lost (undone on the new primary: tasks 11…20 are back at their seeded version), and the
    /// first 10 stay.
    @Test func writesDuringPromotionFailAndUnreplicatedWritesAreLost() throws {
        let bench = FailoverBench()
        let database = bench.database
        let original = (1...40).map { database.store.primary.task(TaskID($0))! }
        let outcomes = Outcomes()
        bench.runtime.spawn {
            for id in 1...40 {
                try? await bench.runtime.sleep(for: seconds(Double(id)) - bench.runtime.now)
                do {
                    try await bench.retitle(id)
                    outcomes.committed.append(id)
                } catch APIError.databaseUnavailable {
                    outcomes.refused.append(id)
                } catch {
                    outcomes.otherErrors += 1
                }
            }
        }
        let failedPrimary = database.primaryNode
        final class Box: @unchecked Sendable { var outcome: FailoverOutcome? }
        let box = Box()
        bench.runtime.spawn {
            try? await bench.runtime.sleep(for: seconds(20.5))
            database.failPrimary()
            try? await bench.runtime.sleep(for: seconds(30))
            box.outcome = database.promoteMostAdvancedReplica(failedAt: seconds(20.5), refusedSince: 0)
        }
        bench.runtime.run(until: seconds(50.5) + 1)
        #expect(outcomes.committed == Array(1...20))
        #expect(outcomes.refused == Array(21...40))
        #expect(outcomes.otherErrors == 0)
        let outcome = try #require(box.outcome)
        #expect(outcome == FailoverOutcome(promoted: 0, position: LSN(10), failedHead: LSN(20), lostWrites: 10,
                                           refusedStatements: 20))
        #expect(database.metrics.failoverLostWrites == 10 && database.metrics.failoverRefusedStatements == 20)
        // The new primary serves what replica 0 held: tasks 1…10 retitled, 11…20 as seeded.
        for id in 1...10 { #expect(database.store.primary.task(TaskID(id))?.version == original[id - 1].version + 1) }
        for id in 11...40 { #expect(database.store.primary.task(TaskID(id)) == original[id - 1]) }
        // Replica 0 is the primary and left the read pool; the failed primary is decommissioned.
        #expect(database.primaryNode === database.replicaNodes[0])
        #expect(database.replicaServing == [false, true])
        #expect(failedPrimary.retiredAt == seconds(20.5))
        #expect((0..<4).map { _ in database.route(.replica) } == Array(repeating: StoreNode.replica(1), count: 4))
        #expect(database.events.suffix(2).map(\.kind) == [.switched, .decommissioned])
        bench.runtime.shutdown()
    }

    /// After the promotion writes commit again (on the new primary), and the remaining replica
    /// replays the compensations: 10 s after them it serves the new primary's data.
    @Test func theRemainingReplicaConvergesOnTheNewPrimary() async throws {
        let bench = FailoverBench()
        let database = bench.database
        bench.runtime.spawn {
            for id in 1...20 {
                try? await bench.runtime.sleep(for: seconds(Double(id)) - bench.runtime.now)
                try? await bench.retitle(id)
            }
            try? await bench.runtime.sleep(for: seconds(20.5) - bench.runtime.now)
            database.failPrimary()
            try? await bench.runtime.sleep(for: seconds(30))
            _ = database.promoteMostAdvancedReplica(failedAt: seconds(20.5), refusedSince: 0)
            try? await bench.runtime.sleep(for: seconds(1))
            try? await bench.retitle(1)  // commits on the new primary
        }
        bench.runtime.run(until: seconds(70))
        #expect(database.store.primary.task(TaskID(1))?.title == "retitled at \(seconds(51.5))")
        #expect(database.store.position(of: .replica(1)) == database.store.primary.headLSN)
        for id in 1...40 {
            #expect(database.store.task(TaskID(id), on: .replica(1)) == database.store.primary.task(TaskID(id)))
        }
        bench.runtime.shutdown()
    }

    /// With no replica to promote the failed primary comes back after the promotion time with
    /// every commit (crash recovery): nothing is lost, the writes in the window were refused.
    @Test func withoutAReplicaThePrimaryComesBackWithEveryCommit() throws {
        let bench = FailoverBench(replicas: 0)
        let database = bench.database
        let primary = database.primaryNode
        final class Box: @unchecked Sendable { var outcome: FailoverOutcome? }
        let box = Box()
        bench.runtime.spawn {
            try? await bench.retitle(1)
            database.failPrimary()
            do { try await bench.retitle(2) } catch {}
            box.outcome = database.promoteMostAdvancedReplica(failedAt: 0, refusedSince: 0)
            try? await bench.retitle(3)
        }
        bench.runtime.run(until: seconds(1))
        #expect(box.outcome == FailoverOutcome(promoted: nil, position: LSN(1), failedHead: LSN(1), lostWrites: 0,
                                               refusedStatements: 1))
        #expect(database.primaryNode === primary && primary.retiredAt == nil)
        #expect(database.store.primary.headLSN == LSN(2))  // tasks 1 and 3
        bench.runtime.shutdown()
    }

    /// A statement running on the primary when it fails dies with it (its connection is lost);
    /// it commits nothing.
    @Test func aStatementRunningWhenThePrimaryFailsIsLost() {
        let runtime = ProcessRuntime()
        var random = RandomStreamFactory(rootSeed: 5).stream(named: "seed")
        let data = PrimaryStore.seed(users: 50, projects: 5, tasksPerProject: 8, membersPerProject: 10, random: &random)
        let database = SimulatedDatabase(
            runtime: runtime, configuration: DatabaseConfiguration(replicas: 1, roundTrip: .constant(0),
                                                                   writeCost: .constant(1)),
            data: data, streams: RandomStreamFactory(rootSeed: 9))
        final class Box: @unchecked Sendable { var error: (any Error)? }
        let box = Box()
        runtime.spawn {
            var task = database.store.primary.task(TaskID(1))!
            task.version += 1
            do { _ = try await database.commit(.update(.task(task))) } catch { box.error = error }
        }
        runtime.spawn {
            try? await runtime.sleep(for: seconds(0.5))  // the write holds a core for 1 s
            database.failPrimary()
        }
        runtime.run(until: seconds(2))
        #expect(box.error as? APIError == .databaseConnectionLost)
        #expect(database.store.primary.headLSN == .zero)
        runtime.shutdown()
    }

    // MARK: Acknowledged writes

    /// A failover that takes an acknowledged write is counted at the promotion, with its time and
    /// task; a later write that brings the task back to the same version number does not hide it.
    @Test func aFailoverLossIsCountedAtThePromotionAndStaysCounted() throws {
        var store = PrimaryStore()
        var random = RandomStreamFactory(rootSeed: 5).stream(named: "seed")
        store = PrimaryStore.seed(users: 10, projects: 1, tasksPerProject: 3, membersPerProject: 5, random: &random)
        var acknowledged = AcknowledgedWrites()
        var task = store.task(TaskID(2))!
        let seeded = task.version
        acknowledged.record(task.id, version: seeded + 1)  // acknowledged, not on the (new) primary
        acknowledged.record(TaskID(1), version: store.task(TaskID(1))!.version)  // held
        acknowledged.settleFailover(in: store, at: seconds(50))
        #expect(acknowledged.failoverLosses == 1 && acknowledged.firstFailoverLoss == seconds(50))
        #expect(acknowledged.lost(in: store) == 1)
        // The same version number written again after the failover: still one loss, not zero.
        task.version = seeded + 1
        try store.update(.task(task), at: seconds(60))
        acknowledged.record(task.id, version: seeded + 1)
        #expect(acknowledged.lost(in: store) == 1)
        #expect(acknowledged.lostTasks(in: store).map(\.task) == [TaskID(2)])
        #expect(acknowledged.lostTasks(in: store).first?.acknowledged == seeded + 1)
        #expect(acknowledged.lostTasks(in: store).first?.held == seeded)
    }

    // MARK: Scripted worker crashes

    /// `worker-crash` at 30 s with count 1, on a system with a job running: the busy worker
    /// crashes (mid-job), its job comes back after the visibility timeout and is done once more;
    /// the worker is restarted after `restart`; start and end are on the timeline.
    @Test func aScriptedWorkerCrashTakesTheBusyWorkerFirst() throws {
        var jobs = JobQueueConfiguration.seed
        jobs.visibilityTimeout = seconds(5)
        var configuration = TaskSystemConfiguration(
            seed: 7, workload: WorkloadConfiguration(data: SeedPlan.scaled(users: 100), load: .constant(users: 0)),
            api: APIConfiguration(instances: 1, vCPUs: 1), jobs: jobs,
            external: ExternalServices(reportRendering: .constant(10)), warmCache: false)
        configuration.faults = FaultPlan([.workerCrash(at: seconds(30), count: 1, restart: seconds(10), queue: .default)])
        let world = TaskSystemWorld.build(configuration, replication: 0)
        #expect(world.jobs.crashesScripted)
        _ = world.start()
        // A job that runs for 10 s: a project report (the `default` queue), published at 25 s.
        world.runtime.spawn {
            try? await world.runtime.sleep(for: seconds(25))
            world.jobs.publish(.generateReport(project: ProjectID(1), requestedBy: UserID(1)))
        }
        world.runtime.run(until: seconds(30) + 1)
        #expect(world.jobs.metrics(for: .default).workerCrashes == 1)
        #expect(world.jobs.metrics(for: .high).workerCrashes == 0 && world.jobs.metrics(for: .low).workerCrashes == 0)
        let start = try #require(world.recorders.timeline.events.first { $0.kind == "fault-start" })
        #expect(start.time == seconds(30))
        #expect(start.reason == "worker-crash of 1 'default' queue worker process(es); crashed: default worker 0 (mid-job)")
        world.runtime.run(until: seconds(120))
        let after = world.jobs.metrics(for: .default)
        #expect(after.redelivered == 1 && after.interruptedRuns == 1)
        #expect(after.completed == 1 && after.enqueued == 1)
        #expect(world.jobs.conservationViolation() == nil)
        let end = try #require(world.recorders.timeline.events.first { $0.kind == "fault-end" })
        #expect(end.time == seconds(40))
        world.runtime.shutdown()
    }
}
