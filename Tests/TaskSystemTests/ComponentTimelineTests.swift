import Testing
import Sim
@testable import TaskSystem

// MARK: - Worker scaling and monitor triggers on the timeline

@Suite struct ComponentTimelineTests {
    @Test func workerScalingSaysFromToAndTheDepthAgainstTheThreshold() {
        let out = TimelineEvent(WorkerScalingEvent(time: seconds(120), queue: .high, depth: 1500, from: 4, to: 8),
                                policy: .seed)
        #expect(out == TimelineEvent(time: seconds(120), component: .jobs, kind: "worker-scaling", from: "4", to: "8",
                                     reason: "queue high: 1500 jobs waiting, above 1000: × 2, at most 20 workers"))
        let back = TimelineEvent(WorkerScalingEvent(time: seconds(60), queue: .default, depth: 3, from: 8, to: 4),
                                 policy: .seed)
        #expect(back.reason == "queue default: 3 jobs waiting, below 100: × 0.5, at least 2 workers")
        #expect((back.from, back.to) == ("8", "4"))
    }

    @Test func aMonitorTriggerCarriesTheFigureThatTrippedIt() {
        let sample = DatabaseMonitorSample(cpuUtilization: 85.26, connections: 850, maxConnections: 1000,
                                           readIOPS: 2600, provisionedIOPS: 3000, storageUsed: 90, storageTotal: 100)
        #expect(sample.evidence(for: .cpu) == "CPU 85.3 % > 80 % for 15 minutes")
        #expect(sample.evidence(for: .connections) == "850 of 1000 connections (85.0 %) > 80.0 %")
        #expect(sample.evidence(for: .iops) == "2600.0 read IOPS of 3000 (86.7 %) > 80.0 %")
        #expect(sample.evidence(for: .storage) == "storage 90.0 % full > 85.0 %")
        let trigger = TimelineEvent(DatabaseEvent(time: seconds(60), kind: .trigger, detail: "SCALE_UP: Storage nearly full",
                                                  evidence: sample.evidence(for: .storage)))
        #expect(trigger == TimelineEvent(time: seconds(60), component: .database, kind: "monitor",
                                         reason: "SCALE_UP: Storage nearly full: storage 90.0 % full > 85.0 %"))
        let tier = TimelineEvent(DatabaseEvent(time: seconds(5), kind: .tier, detail: "tier 1"))
        #expect(tier.kind == "tier" && tier.reason == "tier 1")
    }

    /// The seed's scaler on a quiet system: at the first check (60 s) every queue is below 100
    /// jobs, so each pool halves (to at least 2 workers) — on the timeline and in `jobs.workers`.
    @Test func aRunsWorkerScalingIsOnItsTimeline() {
        var configuration = TaskSystemSimulationTests.small()
        configuration.jobs.scaler = .seed
        let result = TaskSystemSimulation.runReplication(configuration, replication: 0)
        let scaling = result.timeline.events.filter { $0.kind == "worker-scaling" }
        #expect(!scaling.isEmpty)
        #expect(scaling.allSatisfy { $0.component == .jobs && Int($0.to)! < Int($0.from)! })
        #expect(scaling.first?.time == seconds(60))
        let times = result.timeline.events.map(\.time)
        #expect(times == times.sorted(), "the merged timeline is in time order")
        // The workers the first check retired, as the series sampled them (60 s windows: the
        // first before the check, the second after it and before the next).
        let before = scaling.filter { $0.time == seconds(60) }.reduce(0) { $0 + Int($1.from)! }
        let after = scaling.filter { $0.time == seconds(60) }.reduce(0) { $0 + Int($1.to)! }
        let workers = result.series.first { $0.name == "jobs.workers" }!.windows
        #expect(workers[0][0] == workers[0][1] && workers[1][0] == workers[1][1])
        #expect(workers[0][0] - workers[1][0] == Double(before - after), "\(workers)")
    }
}
