// WorldReleaseTests.swift — a finished replication frees its world: `plan`, `sweep` and `fuzz`
// run dozens of replications in one process, and each world holds the whole simulated system
// (tens to hundreds of megabytes at the top tier).

import Sim
import Testing
@testable import TaskSystem

@Suite struct WorldReleaseTests {
    /// A small system with processes of every kind (users, Celery consumers that crash and
    /// restart, the database's monitor and replication, permission revocations, a Redis outage),
    /// run for a simulated minute.
    static func configuration() -> TaskSystemConfiguration {
        var configuration = TaskSystemConfiguration(
            seed: 3, workload: WorkloadConfiguration(data: SeedPlan.scaled(users: 200), load: .constant(users: 30),
                                                     thinkTime: .exponential(mean: 1)),
            api: APIConfiguration(instances: 1, vCPUs: 2), warmCache: true)
        configuration.duration = SimClock.time(seconds: 60)
        configuration.warmup = SimClock.time(seconds: 10)
        configuration.faults = FaultPlan([
            .redisOutage(at: SimClock.time(seconds: 20), duration: SimClock.time(seconds: 5)),
            .randomWorkerCrashes(mtbf: SimClock.time(seconds: 15), restart: SimClock.time(seconds: 2), queue: nil),
        ])
        return configuration
    }

    /// Processes that park again while the run ends (in a slot the first sweep already passed)
    /// are ended too.
    @Test func shutdownLeavesNoProcessAlive() {
        let world = TaskSystemWorld.build(Self.configuration(), replication: 0)
        _ = world.start()
        world.runtime.run(until: Self.configuration().duration)
        #expect(world.runtime.liveProcesses > 0)
        world.runtime.shutdown()
        #expect(world.runtime.liveProcesses == 0)
    }

    /// No reference cycle keeps a component alive once the world is dropped (a Celery worker and
    /// its consumers referred to each other, keeping their engines and the database: 90 MB per
    /// replication at 30,000 users in a sweep).
    @Test func aFinishedReplicationFreesItsWorld() {
        weak var runtime: ProcessRuntime?
        weak var world: TaskSystemWorld?
        weak var database: SimulatedDatabase?, cache: SimulatedSharedCache?, jobs: SimulatedJobQueue?
        weak var workload: Workload?, api: APITier?, recorders: RunRecorders?, faults: FaultInjector?
        weak var revocations: PermissionRevocations?, peak: PeakRateMonitor?
        do {
            let built = TaskSystemWorld.build(Self.configuration(), replication: 0)
            runtime = built.runtime
            database = built.database; cache = built.cache; jobs = built.jobs; workload = built.workload
            api = built.api; recorders = built.recorders; faults = built.faults
            revocations = built.revocations; peak = built.peakRateMonitor
            world = built
            _ = built.start()
            built.runtime.run(until: Self.configuration().duration)
            built.runtime.shutdown()
        }
        #expect(world == nil, "the world outlives its replication")
        #expect(runtime == nil, "the runtime outlives its replication")
        let survivors = [("database", database as AnyObject?), ("cache", cache), ("jobs", jobs), ("workload", workload),
                         ("api", api), ("recorders", recorders), ("faults", faults), ("revocations", revocations),
                         ("peak-rate monitor", peak)].filter { $0.1 != nil }.map(\.0)
        #expect(survivors.isEmpty, "components alive after the run: \(survivors)")
    }
}

