import Testing
import Sim
@testable import TaskSystem

// MARK: - Gauges, utilisations and cost per window

@Suite struct GaugeSeriesTests {
    static func series(_ result: TaskSystemResult, _ name: String) -> MetricSeries? {
        result.series.first { $0.name == name }
    }

    /// The largest `max` of any window.
    static func peak(_ series: MetricSeries) -> Double {
        series.windows.map { $0[1] }.filter { !$0.isNaN }.max() ?? .nan
    }

    @Test func samplesStandForEqualPartsOfTheWindow() {
        var samples = GaugeSamples()
        let empty = samples.close()
        #expect(empty[0].isNaN && empty[1].isNaN)
        for level in [1.0, .nan, 3, 2] { samples.add(level) }
        #expect(samples.close() == [2, 3])
        #expect(samples.runMax == 3)
        samples.add(1)
        #expect(samples.close() == [1, 1])  // a fresh window; the run's max stays
        #expect(samples.runMax == 3)
        #expect(TaskSystemWorld.samplesPerWindow(width: seconds(60)) == 60)
        #expect(TaskSystemWorld.samplesPerWindow(width: seconds(1.5)) == 2)
        #expect(TaskSystemWorld.samplesPerWindow(width: seconds(1)) == 1)
    }

    @Test func gaugesCarryMeanAndMaxAndMeetTheirWholeRunPeaks() {
        let result = TaskSystemSimulation.runReplication(SeriesTests.configuration(), replication: 0)
        for name in ["api.instances", "api.instances.desired", "queue.depth", "queue.high.depth",
                     "queue.default.depth", "queue.low.depth", "jobs.workers", "db.replica.lag",
                     "db.connections", "db.replicas"] {
            guard let series = Self.series(result, name) else {
                Issue.record("no series \(name)")
                continue
            }
            #expect(series.statistics == ["mean", "max"], "\(name)")
            #expect(series.windows.count == 10, "\(name)")
            for window in series.windows where !window[0].isNaN {
                #expect(window[0] >= 0 && window[0] <= window[1] * (1 + 1e-12), "\(name) \(window)")
            }
        }
        // No autoscaling and no crashes: the two API instances serve, and are desired, all run.
        for name in ["api.instances", "api.instances.desired"] {
            #expect(Self.series(result, name)!.windows.allSatisfy { $0 == [2, 2] }, "\(name)")
        }
        #expect(result.metric("api.instances.desired.max") == 2)
        #expect(Self.series(result, "db.replicas")!.windows.allSatisfy { $0 == [1, 1] })
        // The seed's pools (16 workers) until the seed's scaler halves the idle ones at 60 s.
        let workers = Self.series(result, "jobs.workers")!.windows
        #expect(workers[0] == [16, 16] && workers[1] == [16, 16] && workers[2][1] < 16, "\(workers)")
        #expect(Self.peak(Self.series(result, "jobs.workers")!) == result.metric("jobs.workers.max"))
        // A sampled maximum never exceeds the exact whole-run one; the queues add up.
        for queue in JobQueueName.allCases {
            let name = "queue.\(queue.rawValue).depth"
            #expect(Self.peak(Self.series(result, name)!) <= result.metric("\(name).max")!, "\(name)")
        }
        let total = Self.series(result, "queue.depth")!.windows
        for (index, window) in total.enumerated() {
            let parts = JobQueueName.allCases.map { Self.series(result, "queue.\($0.rawValue).depth")!.windows[index][0] }
            #expect(abs(window[0] - parts.reduce(0, +)) <= 1e-9 * max(1, window[0]), "window \(index)")
        }
        #expect(Self.peak(Self.series(result, "db.connections")!) <= result.metric("db.connections.max")!)
        #expect(Self.peak(Self.series(result, "db.connections")!) > 0)
        // Replication lag, sampled once a second (30 samples per 30 s window): a sample is the age
        // of the oldest change the replica has not applied, 0 when it is caught up.
        //  - Every window's max is positive: the replica is behind whenever a change is in
        //    transit, and each change spends at least its transport delay D (lognormal, mean
        //    50 ms, CV 1) in transit. Commits arrive at w ≳ 6/s (60 users, one mix draw per
        //    ≈ 2.3 s, 28 % writes and comments, 95 % allowed: ≈ 6.9/s), so at a sample the
        //    changes in transit are at least Poisson(w E[D] = 0.3) (M/G/∞): P(behind) ≥
        //    1 − e^−0.3 = 0.26, and a window of 30 samples is all zeros with probability
        //    ≤ 0.74³⁰ = 1.2 × 10⁻⁴.
        //  - No window's max reaches 3.8 s: the oldest pending change waits at most its own and
        //    the previous batch's transport delay plus the applier (4 workers of 2 ms a change,
        //    about 1 % busy) and a 10 ms tick. Of ≈ 2,100 draws in the run, one above 1.85 s
        //    (lognormal: σ = √ln 2 = 0.83, so 1.85 s is 4.75 σ, P = 10⁻⁶) has probability
        //    ≤ 2.1 × 10⁻³: 2 × 1.85 + 0.1 = 3.8 s.
        let lag = Self.series(result, "db.replica.lag")!
        #expect(lag.windows.allSatisfy { $0[1] > 0 && $0[1] < 3.8 }, "\(lag.windows.map { $0[1] })")
    }

    @Test func utilisationsAreFractionsOfTheirCapacity() {
        let result = TaskSystemSimulation.runReplication(SeriesTests.configuration(), replication: 0)
        for name in ["api.cpu.utilization", "db.primary.cpu.utilization", "db.replica.cpu.utilization",
                     "db.pool.utilization", "db.connections.utilization"] {
            let windows = Self.series(result, name)!.windows
            #expect(windows.allSatisfy { $0.count == 1 && $0[0] >= 0 && $0[0] <= 1 }, "\(name): \(windows)")
            #expect(windows.dropFirst().allSatisfy { $0[0] > 0 }, "\(name): \(windows)")
        }
        // The whole run is busy over offered capacity from start to end: within the windows' range.
        for name in ["api.cpu.utilization", "db.primary.cpu.utilization", "db.replica.cpu.utilization",
                     "db.pool.utilization"] {
            let windows = Self.series(result, name)!.windows.map { $0[0] }
            let whole = result.metric(name)!
            #expect(whole >= windows.min()! && whole <= windows.max()!, "\(name): \(whole) vs \(windows)")
        }
    }

    @Test func costPerWindowAddsUpToTheRunsCost() {
        // Fixed API instances and fixed Celery workers (no worker scaling): every part is paid
        // at a constant rate.
        var configuration = SeriesTests.configuration(window: 70)
        configuration.jobs.scaler = nil
        let result = TaskSystemSimulation.runReplication(configuration, replication: 0)
        let windows = Self.series(result, "cost.total")!.windows
        #expect(windows.count == 5 && windows.allSatisfy { $0[0] > 0 })
        // Four whole 70 s windows cost the same (no scaling); the last, 20 s, 2/7 of one.
        #expect(abs(windows[1][0] - windows[0][0]) <= 1e-12 && abs(windows[4][0] - windows[0][0] * 2 / 7) <= 1e-12)
        let total = windows.reduce(0) { $0 + $1[0] }
        #expect(abs(total - result.metric("cost.total")!) <= 1e-12 * total)
    }

    @Test func desiredCountsTheStartingInstancesOfAScaleOut() {
        let configuration = saturatedTier(duration: seconds(600))
        let result = TaskSystemSimulation.runReplication(configuration, replication: 0)
        let inService = Self.series(result, "api.instances")!.windows
        let desired = Self.series(result, "api.instances.desired")!.windows
        for (serving, wanted) in zip(inService, desired) {
            #expect(serving[0] <= wanted[0] && serving[1] <= wanted[1], "\(serving) vs \(wanted)")
        }
        #expect(zip(inService, desired).contains { $0[0] < $1[0] }, "a scale-out shows instances starting")
        #expect(Self.peak(Self.series(result, "api.instances.desired")!) == result.metric("api.instances.desired.max"))
        #expect(result.metric("api.instances.desired.max")! >= result.metric("api.instances.max")!)
    }

    @Test func seriesOfPartsTheConfigurationLacksAreLeftOut() {
        var configuration = TaskSystemSimulationTests.small(replicas: 0)
        configuration.seriesWindow = seconds(60)
        configuration.jobs.pools = CeleryWorkerPools(queues: CeleryWorkerPools.seed.queues.filter { $0.name == "high" })
        let result = TaskSystemSimulation.runReplication(configuration, replication: 0)
        let names = Set(result.series.map(\.name))
        for absent in ["db.replica.lag", "db.replicas", "db.replica.cpu.utilization", "queue.default.depth",
                       "queue.low.depth"] {
            #expect(!names.contains(absent), "\(absent)")
        }
        for present in ["queue.depth", "queue.high.depth", "jobs.workers", "db.primary.cpu.utilization", "api.instances"] {
            #expect(names.contains(present), "\(present)")
        }
        #expect(result.metric("db.replica.cpu.utilization")!.isNaN)
        #expect(result.metric("db.replicas") == 0)
    }
}
