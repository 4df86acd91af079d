import Testing
import Sim
@testable import TaskSystem

// MARK: - The replica's applier (issue 11 item 1)

/// A primary with one replica on 50 seeded users, no network and no transport lag, writes that
/// commit the instant they are issued (no CPU on the primary), and the applier's cost and
/// workers under test.
private struct ApplierBench {
    let runtime = ProcessRuntime()
    let database: SimulatedDatabase

    init(apply: Distribution, workers: Int, replica: String = "db.r5.large", seed: UInt64 = 9) {
        var random = RandomStreamFactory(rootSeed: 5).stream(named: "seed")
        let data = PrimaryStore.seed(users: 50, projects: 5, tasksPerProject: 8, membersPerProject: 10, random: &random)
        var configuration = DatabaseConfiguration(
            replica: DatabaseInstanceClass.named(replica)!, replicas: 1, replicationLag: .constant(0),
            roundTrip: .constant(0), pointReadCost: .constant(0), writeCost: .constant(0))
        configuration.replicaApplyCost = apply
        configuration.replicaParallelWorkers = workers
        database = SimulatedDatabase(runtime: runtime, configuration: configuration, data: data,
                                     streams: RandomStreamFactory(rootSeed: seed))
    }

    /// Commits an update of user `id`'s name on the primary.
    func rename(_ id: Int) async throws {
        let user = database.store.primary.user(UserID(id))!
        _ = try await database.commit(.update(.user(User(id: user.id, name: "n\(runtime.now)", email: user.email,
                                                         role: user.role))))
    }

    /// Changes committed on the primary and not yet visible on the replica.
    var pending: Int { database.store.primary.headLSN - database.store.position(of: .replica(0)) }
}

@Suite struct ReplicaApplierTests {
    /// Overload: one SQL thread (`replica_parallel_workers = 0`, MySQL's single applier thread:
    /// https://dev.mysql.com/doc/refman/8.0/en/replication-threads.html) applying a change in
    /// s = 12.5 ms cannot keep up with a write every 10 ms (λ = 100/s, λs = 1.25). Hand-computed:
    /// after T = 100 s the applier has applied T/s = 8,000 of the 10,000 changes, so the backlog
    /// is (λ − 1/s)·T = 2,000 changes (it grows without bound, at λs − 1 = 0.25 s of work per
    /// second), and `Seconds_Behind_Source` — the age of the oldest unapplied change, number
    /// 8,001, committed at 80 s — is T·(1 − 1/(λs)) = 20 s.
    @Test func lagGrowsWithoutBoundWhenWritesOutpaceTheSingleApplier() {
        let bench = ApplierBench(apply: .constant(0.0125), workers: 0)
        bench.runtime.spawn {
            for index in 0..<10_000 {
                try? await bench.rename(1 + index % 50)
                try? await bench.runtime.sleep(for: seconds(0.01))
            }
        }
        let observed = Outbox<(Double, Int)>()
        bench.runtime.spawn {
            for at in [49.995, 99.995] {
                try? await bench.runtime.sleep(for: seconds(at) - bench.runtime.now)
                observed.add((SimClock.seconds(bench.database.store.lag(of: .replica(0), now: bench.runtime.now)),
                              bench.pending))
            }
        }
        bench.runtime.run(until: seconds(100))
        bench.runtime.shutdown()
        // Change k commits at (k − 1)·10 ms and is applied at k·12.5 ms. Between instants: at
        // 49.995 s, 5,000 committed and 3,999 applied, the oldest pending (4,000) committed at
        // 39.99 s; at 99.995 s, 10,000 committed and 7,999 applied, the oldest pending
        // committed at 79.99 s: the backlog doubled with the time, as did the lag.
        #expect(observed.values.count == 2)
        #expect(observed.values[0].1 == 1_001)
        #expect(abs(observed.values[0].0 - 10.005) < 1e-6)
        #expect(observed.values[1].1 == 2_001)
        #expect(abs(observed.values[1].0 - 20.005) < 1e-6)
    }

    /// Below capacity the single applier is an M/D/1 queue: Poisson writes at λ = 100/s, a
    /// constant apply cost s = 5 ms (ρ = 0.5): the mean time from commit to visibility is the
    /// Pollaczek–Khinchine sojourn s + λs²/(2(1 − ρ)) = 5 + 2.5 = 7.5 ms. Twenty independent
    /// 200 s runs; the theory must lie in the 99.9 % Student-t interval of their means.
    @Test func lagStaysBoundedWithThePollaczekKhinchineMeanBelowCapacity() {
        var means: [Double] = []
        for replication in 0..<20 {
            let bench = ApplierBench(apply: .constant(0.005), workers: 0, seed: UInt64(100 + replication))
            let writesSeed = UInt64(500 + replication)
            bench.runtime.spawn {
                var arrivals = RandomStreamFactory(rootSeed: writesSeed).stream(named: "writes")
                var index = 0
                while true {
                    let gap = Distribution.exponential(mean: 0.01).sample(&arrivals)
                    do { try await bench.runtime.sleep(for: seconds(gap)) } catch { return }
                    try? await bench.rename(1 + index % 50)
                    index += 1
                }
            }
            bench.runtime.run(until: seconds(200))
            bench.runtime.shutdown()
            let delay = bench.database.metrics.replicaApplyDelay
            #expect(delay.count > 19_000)
            means.append(delay.mean)
        }
        let interval = ConfidenceInterval(means, confidenceLevel: 0.999)
        #expect(interval.contains(0.0075), "mean \(interval.mean) ± \(interval.halfWidth ?? 0)")
        #expect(interval.relativeHalfWidth! < 0.05)
    }

    /// The applier runs on the replica's cores, FIFO with the reads it serves: with both cores
    /// of a db.r5.large held by 1 s reads from t = 0, a change committed at t = 0.1 s with a
    /// 5 ms apply cost is visible at 1.005 s (lag 0.905 s) instead of 0.105 s.
    @Test func readsHoldingTheReplicasCoresDelayTheApplier() {
        let bench = ApplierBench(apply: .constant(0.005), workers: 0)
        for _ in 0..<2 {
            bench.runtime.spawn { try? await bench.database.replicaNodes[0].cpu.serve(for: seconds(1)) }
        }
        bench.runtime.spawn {
            try? await bench.runtime.sleep(for: seconds(0.1))
            try? await bench.rename(1)
        }
        bench.runtime.run(until: seconds(2))
        bench.runtime.shutdown()
        let delay = bench.database.metrics.replicaApplyDelay
        #expect(delay.count == 1)
        #expect(abs(delay.mean - 0.905) < 1e-9)
        #expect(bench.database.metrics.maxReplicaLag == seconds(0.905))
    }

    /// `replica_parallel_workers` (default 4 from MySQL 8.0.27:
    /// https://dev.mysql.com/doc/refman/8.0/en/replication-options-replica.html) apply
    /// independent changes in parallel, within the replica's cores, and commit them in order
    /// (`replica_preserve_commit_order=ON`); changes of one row wait for each other (WRITESET
    /// dependency tracking, MySQL 8.4's only behaviour). Eight changes committed at t = 0,
    /// 10 ms each, the last one visible at:
    /// - 8 distinct rows, 4 workers on db.r5.large (2 cores): two at a time, 40 ms;
    /// - 8 distinct rows, 4 workers on db.r5.xlarge (4 cores): four at a time, 20 ms;
    /// - 8 changes of one row, 4 workers, 4 cores: one after another, 80 ms;
    /// - 8 distinct rows, one SQL thread, 4 cores: 80 ms.
    @Test(arguments: [(4, "db.r5.large", true, 0.04), (4, "db.r5.xlarge", true, 0.02),
                      (4, "db.r5.xlarge", false, 0.08), (0, "db.r5.xlarge", true, 0.08)])
    func parallelWorkersApplyIndependentChangesWithinTheCores(workers: Int, replica: String, distinct: Bool,
                                                              last: Double) {
        let bench = ApplierBench(apply: .constant(0.01), workers: workers, replica: replica)
        bench.runtime.spawn {
            for index in 0..<8 { try? await bench.rename(distinct ? 1 + index : 1) }
        }
        bench.runtime.run(until: seconds(1))
        bench.runtime.shutdown()
        let delay = bench.database.metrics.replicaApplyDelay
        #expect(delay.count == 8)
        #expect(abs(delay.max - last) < 1e-9)
        #expect(bench.pending == 0)
    }

    /// `replica_apply: 0` keeps the instant model: a change is visible after the transport lag,
    /// with no applier (and no apply-delay observations).
    @Test func zeroApplyCostKeepsTheInstantModel() {
        let bench = ApplierBench(apply: .constant(0), workers: 4)
        #expect(bench.database.configuration.appliesInstantly)
        bench.runtime.spawn { try? await bench.rename(1) }
        bench.runtime.run(until: seconds(1))
        bench.runtime.shutdown()
        #expect(bench.pending == 0)
        #expect(bench.database.metrics.replicaApplyDelay.count == 0)
        #expect(bench.database.appliers.isEmpty)
    }
}
