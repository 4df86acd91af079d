// CalibrationTests.swift — scenarios/current-100.yaml keeps reproducing the "Current" column of
// the seed's KPI table (docs/calibration.md): each figure the seed gives inside the confidence
// interval of the simulated one.

import Foundation
import Testing
import Reports
import Scenarios
import Sim
@testable import TaskSystem

@Suite struct CalibrationTests {
    /// The seed's "Current" column (scalability-patterns.md, "Key Performance Indicators").
    static let seedThroughput = 50.0      // API requests/s
    static let seedDatabaseQPS = 500.0    // database queries/s
    /// The seed's cache hit rate, read as the task lists' (the one rate its code counts:
    /// `cache_hit`/`cache_miss` tagged `resource:task_list` in `RedisCache.get_task_list`).
    static let seedCacheHitRate = 0.85
    static let seedP95 = 0.200            // seconds
    static let seedQueueDepthBelow = 100.0

    /// current-100 as shipped: 10 minutes (2 of warm-up, 8 measured) with 5 replications, a few
    /// minutes of CPU in a debug build. Not longer: the model's projects only grow (about 0.4
    /// tasks created a second, none archived), and with the N+1 plan each task-list miss costs
    /// one query more per task, so an hour drifts a little from the present (its db.qps is
    /// 533 ± 6, docs/calibration.md).
    static func run() async throws -> [String: Estimate] {
        let path = ShippedScenarioConsistencyTests.folder.appendingPathComponent("current-100.yaml").path
        guard case .taskSystem(let scenario) = try ScenarioLoader.load(path: path) else {
            throw ConsistencyTestError.notTaskSystem("current-100.yaml")
        }
        #expect(scenario.configuration.replications == 5)
        #expect(scenario.configuration.duration == 600 * SimClock.nanosecondsPerSecond)
        #expect(scenario.configuration.warmup == 120 * SimClock.nanosecondsPerSecond)
        #expect(scenario.configuration.workload.load.maxUsers == 100)  // the seed's 100 concurrent users
        let results = await TaskSystemSimulation.run(scenario.configuration, threads: 2)
        var estimates: [String: Estimate] = [:]
        for name in results[0].metrics.map(\.name) {
            estimates[name] = Estimate(replicationValues: results.map { $0.metric(name) ?? .nan })
        }
        return estimates
    }

    @Test func currentHundredReproducesTheSeedsCurrentColumn() async throws {
        let figures = try await Self.run()
        /// The seed's figure lies inside the 95 % interval of the simulated one.
        func inside(_ name: String, _ seed: Double) throws {
            let estimate = try #require(figures[name], "\(name)")
            let halfWidth = try #require(estimate.ci95, "\(name) has no interval")
            #expect(abs(estimate.mean - seed) <= halfWidth,
                    "\(name): simulated \(estimate.mean) ± \(halfWidth), the seed's \(seed)")
            // The interval is narrow enough to say something (a tenth of the figure at most).
            #expect(halfWidth < 0.1 * seed, "\(name): ± \(halfWidth) is too wide to calibrate against")
        }
        try inside("api.throughput", Self.seedThroughput)
        try inside("db.qps", Self.seedDatabaseQPS)
        try inside("api.latency.p95", Self.seedP95)
        let depth = try #require(figures["queue.depth.max"])
        #expect(depth.mean + (depth.ci95 ?? 0) < Self.seedQueueDepthBelow)
        // The seed's only counted hit rate is the task lists' (docs/calibration.md, "Which hit
        // rate the seed's 85 % is"): every write in a project invalidates its list and the key
        // lives a minute, so the rate is set by the writes' share of the mix (fitted: 4.2 %).
        try inside("cache.l2.task_list.hit_rate", Self.seedCacheHitRate)
        // The other readings stay well above 85 % (every request's permissions in L1, users and
        // projects warm in Redis): this is what rules them out as the seed's figure.
        let overall = try #require(figures["cache.hit_rate"])
        let redis = try #require(figures["cache.l2.hit_rate"])
        #expect(overall.mean - (overall.ci95 ?? 0) > 0.95, "cache.hit_rate \(overall.mean)")
        #expect(redis.mean - (redis.ci95 ?? 0) > 0.95, "cache.l2.hit_rate \(redis.mean)")
    }

    /// The shipped task-system scenario that does not start from the present, and why: issue
    /// 12's performance yardstick is defined by its think time (2 s) and simrun's own CPU costs
    /// (about 5,500 requests/s on 20 instances), and every figure of docs/performance.md is
    /// measured on it as defined.
    static let notFromThePresent: Set<String> = ["steady-100k.yaml"]

    /// The present's values a shipped scenario overrides because its question is another, each
    /// said beside the key in its file (docs/calibration.md, "Every scenario starts from the present").
    enum Departure { case mix, taskListPlan }
    static let departures: [String: Set<Departure>] = [
        "email-burst.yaml": [.mix],            // a reorganisation: a third of the requests assign tasks
        "stateful-controller.yaml": [.mix],    // the present's mix plus 5 % profile edits
        "n-plus-one-join.yaml": [.taskListPlan],  // the JOIN against n-plus-one's N+1
    ]

    /// Every other shipped task-system scenario reads the calibrated present
    /// (`defaults: defaults/seed-present.yaml`) and runs with current-100's think time, project
    /// size, API CPU per request, mix and task-list plan — the flagship with all of them — except
    /// the departures listed above, so a refit of the present moves every projection with it.
    @Test func everyShippedScenarioStartsFromThePresent() throws {
        let present = try Self.load("current-100.yaml").configuration
        let files = ShippedScenarioConsistencyTests.taskSystemFiles.filter { !Self.notFromThePresent.contains($0) }
        #expect(files.count >= 18)
        #expect(files.contains("growth-1k-to-100k.yaml") && Self.departures["growth-1k-to-100k.yaml"] == nil)
        for file in files {
            let scenario = try Self.load(file)
            #expect(scenario.defaults?.name == "seed-present", "\(file) does not read defaults/seed-present.yaml")
            let configuration = scenario.configuration
            let departs = Self.departures[file] ?? []
            #expect(configuration.workload.thinkTime == present.workload.thinkTime, "\(file): think time")
            #expect(configuration.workload.data.tasksPerProject == present.workload.data.tasksPerProject, "\(file): tasks per project")
            #expect(configuration.api.cpuCost == present.api.cpuCost, "\(file): API CPU per request")
            #expect((configuration.workload.mix == present.workload.mix) != departs.contains(.mix), "\(file): mix")
            #expect((configuration.database.taskListPlan == present.database.taskListPlan) != departs.contains(.taskListPlan),
                    "\(file): task-list plan")
        }
        // …and the present is not simrun's defaults, which the calibration moved away from.
        let defaults = TaskSystemConfiguration()
        #expect(present.workload.mix != defaults.workload.mix)
        #expect(present.api.cpuCost != defaults.api.cpuCost)
        #expect(present.database.taskListPlan != defaults.database.taskListPlan)
    }

    /// The shipped scenario `file`, loaded.
    static func load(_ file: String) throws -> TaskSystemScenario {
        let path = ShippedScenarioConsistencyTests.folder.appendingPathComponent(file).path
        guard case .taskSystem(let scenario) = try ScenarioLoader.load(path: path) else {
            throw ConsistencyTestError.notTaskSystem(file)
        }
        return scenario
    }
}
