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
        // 60 users always in session: throughput = 60 / (R + Z) by Little's law, with R the
        // measured mean response and Z the think time per request the counts imply — 2 s before
        // every request but logins (none) and re-reads after writes (1 s refresh delay instead).
        // Tolerance: 4σ of the think total's sampling error (n exponential draws: σ = mean √n)
        // plus the cut cycles of the 60 users at the two ends (±4 × 2 s × √120), over 270 s.
        let seconds = 270.0, metric = { (name: String) in result.metric(name)! }
        let answered = metric("users.requests"), refreshes = metric("users.refresh_reads")
        let thinks = answered - metric("users.logins") - refreshes + metric("users.departures")
        #expect(metric("users.departures") == 0)  // a constant load never ends a session
        let cycle = (answered * metric("users.response_time") + 2 * thinks + 1 * refreshes) / answered
        let sigma = (4 * thinks + refreshes + 4 * 120).squareRoot()  // user-seconds
        #expect(abs(metric("users.in_session") - 60) < 1e-9)
        let predicted = 60 / cycle
        let tolerance = 4 * sigma / (cycle * seconds) + 120 / seconds  // + requests in flight at the ends
        #expect(abs(metric("api.throughput") - predicted) <= tolerance,
                "throughput \(metric("api.throughput")), predicted \(predicted) ± \(tolerance)")
        #expect(tolerance < 0.08 * predicted)  // about 5.7 %: the check can fail
        #expect(result.metric("api.error_rate") == 0)
        #expect(result.metric("db.replica.qps")! > 0)
        #expect(result.metric("db.primary.qps")! > 0)
        // Every enqueued job is completed, dead-lettered, waiting or running at the end, exactly.
        #expect(metric("jobs.completed") > 0)
        #expect(metric("jobs.enqueued") == metric("jobs.completed") + metric("jobs.dead")
                + metric("jobs.waiting_at_end") + metric("jobs.running_at_end"))
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
