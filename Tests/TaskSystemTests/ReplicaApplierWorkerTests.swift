import Testing
import Sim
@testable import TaskSystem

// MARK: - The applier worker as a state machine (issue 12, fourth round)

/// The replica's applier worker as an explicit state machine (``ReplicaApplierWorker``):
/// hand-computed visibility times, and the same event order, statistics and positions as the
/// `async` worker it replaced (kept below as the reference), faults included.
@Suite struct ReplicaApplierWorkerTests {
    /// Four changes committed at t = 0 — users 1, 2, 3, then user 1 again — on a replica of 2
    /// cores with 4 workers, a constant transport lag of 2 ms and 10 ms of apply each. All four
    /// arrive at 0.002. Workers 1 and 2 take both cores (changes 1 and 2, 0.002–0.012); worker 3
    /// queues for a core (FIFO behind them); worker 4's change is blocked (WRITESET) until
    /// change 1 is visible. At 0.012 changes 1 and 2 become visible; the first core released
    /// passes to worker 3 (change 3, 0.012–0.022), the second to worker 4 (change 4,
    /// 0.012–0.022). Position 2 at 0.012, 4 at 0.022; apply delays 12, 12, 22, 22 ms.
    @Test(arguments: [false, true])
    func changesBecomeVisibleAtTheHandComputedTimes(suspending: Bool) {
        let bench = WorkerBench(suspending: suspending, workers: 4, lag: .constant(0.002), apply: .constant(0.010))
        bench.spawnWrites([(0, 1), (0, 2), (0, 3), (0, 1)])
        let positions = bench.positions(at: [0.0015, 0.0025, 0.0115, 0.0125, 0.0215, 0.0225])
        bench.runtime.run(until: seconds(1))
        bench.runtime.shutdown()
        #expect(positions.values == [[0], [0], [0], [2], [2], [4]])
        let delays = bench.database.metrics.replicaApplyDelay
        #expect(delays.count == 4)
        #expect(abs(delays.min - 0.012) < 1e-12 && abs(delays.max - 0.022) < 1e-12)
        #expect(abs(delays.mean - 0.017) < 1e-12)
        // Cores: 2 × 10 ms + 2 × 10 ms of apply in 1 s on 2 cores; one worker waited 10 ms.
        let cpu = bench.database.replicaNodes[0].cpu.queue
        #expect(abs(cpu.utilization(at: seconds(1)) - 0.02) < 1e-12)
        #expect(abs(cpu.meanQueueLength(at: seconds(1)) - 0.010) < 1e-12)
    }

    /// One worker (MySQL's single SQL thread) is Lindley's recursion: the same four changes
    /// become visible one at a time, at 0.012, 0.022, 0.032 and 0.042.
    @Test(arguments: [false, true])
    func aSingleWorkerAppliesOneChangeAtATime(suspending: Bool) {
        let bench = WorkerBench(suspending: suspending, workers: 1, lag: .constant(0.002), apply: .constant(0.010))
        bench.spawnWrites([(0, 1), (0, 2), (0, 3), (0, 1)])
        let positions = bench.positions(at: [0.0115, 0.0125, 0.0225, 0.0325, 0.0425])
        bench.runtime.run(until: seconds(1))
        bench.runtime.shutdown()
        #expect(positions.values == [[0], [1], [2], [3], [4]])
    }

    /// Random lags and apply costs, writes at random instants on few rows (so WRITESET waits
    /// happen), reads competing for the replicas' cores, a stall of replica 0 (2–3 s), a primary
    /// failure (5–5.5 s: nothing becomes visible meanwhile) and the loss of replica 1 at 7 s: the
    /// state machine gives the same positions at every 0.7 ms, the same number of events, the
    /// same apply delays and the same core statistics to the bit as the `async` worker.
    @Test(arguments: [1, 3])
    func stepOrderMatchesTheSuspendingWorker(workers: Int) {
        func run(suspending: Bool) -> (positions: [[Int]], events: Int, database: SimulatedDatabase) {
            let bench = WorkerBench(suspending: suspending, workers: workers, replicas: 2,
                                    lag: .exponential(mean: 0.004), apply: .exponential(mean: 0.006))
            var writes: [(Double, Int)] = []
            var at = 0.0
            var state: UInt64 = 7
            for _ in 0..<1_500 {
                state = SplitMix64.mix(state)
                at += Double(state % 10_000) / 1_000_000  // 0–10 ms apart: ~200 writes a second
                writes.append((at, 1 + Int(state >> 32) % 6))
            }
            bench.spawnWrites(writes)
            bench.spawnReads(every: 0.003, until: 9)
            bench.runtime.spawn {
                try? await bench.runtime.sleep(for: seconds(2))
                bench.database.hold(ReplicaHold(replica: 0, kind: .stalled, until: seconds(3)))
                try? await bench.runtime.sleep(for: seconds(3))
                bench.database.failPrimary()
                try? await bench.runtime.sleep(for: seconds(0.5))
                bench.database.primaryDown = false
                try? await bench.runtime.sleep(for: seconds(1.5))
                _ = bench.database.loseReplica(1)
            }
            let polls = bench.positions(at: stride(from: 0.0003, to: 10, by: 0.0007).map { $0 })
            bench.runtime.run(until: seconds(10))
            let events = bench.runtime.scheduler.eventsHandled
            bench.runtime.shutdown()
            return (polls.values, events, bench.database)
        }
        let reference = run(suspending: true)
        let machine = run(suspending: false)
        #expect(machine.positions == reference.positions)
        #expect(machine.events == reference.events)
        #expect(machine.database.metrics.replicaApplyDelay == reference.database.metrics.replicaApplyDelay)
        #expect(machine.database.metrics.maxReplicaLag == reference.database.metrics.maxReplicaLag)
        for replica in 0..<2 {
            let (before, after) = (reference.database.replicaNodes[replica].cpu.queue,
                                   machine.database.replicaNodes[replica].cpu.queue)
            #expect(after.utilization(at: seconds(10)) == before.utilization(at: seconds(10)))
            #expect(after.meanQueueLength(at: seconds(10)) == before.meanQueueLength(at: seconds(10)))
        }
        // The run exercised what it claims to: the stall held replica 0 back, the failure and the
        // loss happened, and replica 0 caught up with most of the writes by the end.
        let final = machine.positions.last!
        #expect(machine.database.metrics.maxReplicaLag > seconds(0.9))
        #expect(machine.database.store.detached[1])
        #expect(final[0] > 1_000)
        #expect(machine.database.metrics.replicaApplyDelay.count > 1_500)
    }
}

// MARK: - A primary with replicas, writes and reads

/// A primary with `replicas` replicas on 50 seeded users, no network and no primary CPU, so
/// writes commit the instant they are issued; the replicas' applier workers run as state
/// machines, or (`suspending`) as the `async` worker the state machine replaced.
private final class WorkerBench: @unchecked Sendable {
    let runtime = ProcessRuntime()
    let database: SimulatedDatabase

    init(suspending: Bool, workers: Int, replicas: Int = 1, lag: Distribution, apply: Distribution) {
        var random = RandomStreamFactory(rootSeed: 5).stream(named: "seed")
        let data = PrimaryStore.seed(users: 50, projects: 5, tasksPerProject: 8, membersPerProject: 10, random: &random)
        var configuration = DatabaseConfiguration(
            replica: DatabaseInstanceClass.named("db.r5.large")!, replicas: replicas, replicationLag: lag,
            roundTrip: .constant(0), pointReadCost: .constant(0.002), writeCost: .constant(0))
        configuration.replicaApplyCost = apply
        configuration.replicaParallelWorkers = workers
        let start: (SimulatedDatabase, Int) -> Void = suspending
            ? { database, replica in
                database.runtime.spawn {
                    do { try await database.runApplierWorkerSuspending(of: replica) } catch { return }
                }
            }
            : { database, replica in ReplicaApplierWorker(database: database, replica: replica).start() }
        database = SimulatedDatabase(runtime: runtime, configuration: configuration, data: data,
                                     streams: RandomStreamFactory(rootSeed: 9), startApplierWorker: start)
    }

    /// One process committing, at each `(time, user)`, an update of that user's name (a failed
    /// commit, during a primary failure, is skipped).
    func spawnWrites(_ writes: [(Double, Int)]) {
        runtime.spawn { [self] in
            for (at, id) in writes {
                let wait = seconds(at) - runtime.now
                if wait > 0 { try? await runtime.sleep(for: wait) }
                let user = database.store.primary.user(UserID(id))!
                _ = try? await database.commit(.update(.user(User(id: user.id, name: "n\(runtime.now)",
                                                                  email: user.email, role: user.role))))
            }
        }
    }

    /// A process per replica reading a user every `interval` seconds, on the replica's cores.
    func spawnReads(every interval: Double, until end: Double) {
        for replica in database.replicaNodes.indices {
            runtime.spawn { [self] in
                while runtime.now < seconds(end) {
                    _ = try? await database.execute(on: .replica(replica), cost: 0.002, ios: 0) { 1 }
                    try? await runtime.sleep(for: seconds(interval))
                }
            }
        }
    }

    /// The replicas' positions at each of `instants` (seconds), observed by a process.
    func positions(at instants: [Double]) -> Outbox<[Int]> {
        let observed = Outbox<[Int]>()
        runtime.spawn { [self] in
            for at in instants {
                try? await runtime.sleep(for: seconds(at) - runtime.now)
                observed.add(database.replicaNodes.indices.map { database.store.position(of: .replica($0)).rawValue })
            }
        }
        return observed
    }
}

extension SimulatedDatabase {
    /// One applier worker's loop as an `async` function, as it was written before
    /// ``ReplicaApplierWorker`` (one suspension per wait): the reference the state machine must
    /// match.
    func runApplierWorkerSuspending(of replica: Int) async throws {
        while !store.detached[replica] {
            let lsn = appliers[replica]!.next
            guard lsn <= store.primary.headLSN else {
                try await runtime.park { appliers[replica]!.idle.append($0) }
                continue
            }
            appliers[replica]!.next = lsn.next
            if lsn.next <= store.primary.headLSN, let token = appliers[replica]!.idle.popLast() {
                runtime.wake(token)
            }
            let change = store.primary.log[lsn]
            let arrival = relayArrival(of: lsn, committed: change.commitTime, replica: replica)
            if arrival > runtime.now { try await runtime.sleep(for: arrival - runtime.now) }
            while let release = heldRelease(of: replica, committed: change.commitTime) {
                try await runtime.sleep(for: release - runtime.now)
            }
            let dependency = change.previousLSN
            while !store.detached[replica], store.position(of: .replica(replica)) < dependency {
                try await runtime.park { appliers[replica]!.blocked.append(($0, dependency)) }
            }
            if store.detached[replica] { return }
            let node = replicaNodes[replica]
            let wait = node.requestIO(configuration.storage.writeIOs, at: runtime.now, write: true)
            if wait > 0 { try await runtime.sleep(for: SimClock.time(seconds: wait)) }
            let cost = max(0, configuration.effectiveReplicaApplyCost.sample(&applyStreams[replica]))
            try await node.cpu.serve(for: SimClock.time(seconds: cost))
            while primaryDown, !store.detached[replica] { try await runtime.sleep(for: configuration.replicationTick) }
            if store.detached[replica] { return }
            finish(lsn, on: replica)
        }
    }
}
