import Testing
import Sim
@testable import TaskSystem

@Suite struct TaskSystemSimulationTests {
    static func small(seed: UInt64 = 3, replicas: Int = 1) -> TaskSystemConfiguration {
        TaskSystemConfiguration(
            name: "small", seed: seed, duration: seconds(300), warmup: seconds(30),
            workload: WorkloadConfiguration(data: SeedPlan.scaled(users: 200), load: .constant(users: 60),
                                            thinkTime: .exponential(mean: 2)),
            database: DatabaseConfiguration(replicas: replicas))
    }

    @Test func runsEndToEndWithEveryInvariantHolding() {
        let result = TaskSystemSimulation.runReplication(Self.small(), replication: 0)
        for invariant in result.invariants {
            #expect(invariant.held, "\(invariant.name): \(invariant.violations)")
        }
        // 60 users thinking 2 s on average, plus re-reads after writes: about 30 requests/s.
        let throughput = result.metric("api.throughput")!
        #expect(throughput > 20 && throughput < 40)
        #expect(result.metric("api.error_rate") == 0)
        #expect(result.metric("db.replica.qps")! > 0)
        #expect(result.metric("db.primary.qps")! > 0)
        #expect(result.metric("jobs.completed")! > 0)
        // Every logical lookup is answered by L1, L2 or the database: rates are fractions.
        for name in ["cache.hit_rate", "cache.l1.hit_rate", "cache.l2.hit_rate"] {
            let rate = result.metric(name)!
            #expect(rate > 0 && rate <= 1, "\(name) = \(rate)")
        }
        #expect(result.metric("api.latency.p50")! <= result.metric("api.latency.p95")!)
    }

    @Test func sameSeedGivesTheSameMetricsAndAnotherSeedDiffers() {
        let first = TaskSystemSimulation.runReplication(Self.small(), replication: 0)
        let second = TaskSystemSimulation.runReplication(Self.small(), replication: 0)
        let other = TaskSystemSimulation.runReplication(Self.small(seed: 4), replication: 0)
        let bits = { (result: TaskSystemResult) in result.metrics.map { $0.value.bitPattern } }
        #expect(bits(first) == bits(second))
        #expect(bits(first) != bits(other))
    }

    @Test func replicationsRunInParallelInOrder() async {
        var configuration = Self.small()
        configuration.replications = 3
        let parallel = await TaskSystemSimulation.run(configuration, threads: 3)
        let serial = await TaskSystemSimulation.run(configuration, threads: 1)
        let bits = { (results: [TaskSystemResult]) in results.map { $0.metrics.map { $0.value.bitPattern } } }
        #expect(bits(parallel) == bits(serial))
        #expect(parallel.count == 3)
    }
}
