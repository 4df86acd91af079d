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
    static let seedCacheHitRate = 0.85
    static let seedP95 = 0.200            // seconds
    static let seedQueueDepthBelow = 100.0

    /// current-100 as shipped: 10 minutes (2 of warm-up, 8 measured) with 3 replications, under
    /// a minute and a half of CPU in a debug build. Not longer: the model's projects only grow
    /// (about 2 tasks created a second, none archived), and with the N+1 plan each task-list
    /// miss costs one query more per task, so an hour drifts away from the present (db.qps from
    /// about 440 to 1,050 a second, docs/calibration.md).
    static func run() async throws -> [String: Estimate] {
        let path = ShippedScenarioConsistencyTests.folder.appendingPathComponent("current-100.yaml").path
        guard case .taskSystem(let scenario) = try ScenarioLoader.load(path: path) else {
            throw ConsistencyTestError.notTaskSystem("current-100.yaml")
        }
        #expect(scenario.configuration.replications == 3)
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
        // Not reproduced (docs/calibration.md, "What the calibration does not reach"): every
        // request finds its user's permissions in the instance's L1 (1,000 entries hold every
        // user), and Redis answers the users' and projects' lookups; only the invalidated task
        // lists miss often — about 0.959 hits, not 0.85. Sessions with turnover
        // (`users.turnover`) do not close the gap at the seed's scale: 1,000 registered users come
        // back to Redis inside its 5-minute TTL (0.952 with turnover). Recorded as a known issue
        // so the test says so when a change closes the gap.
        withKnownIssue("cache hit rate: about 0.959 simulated, the seed's 0.85") {
            try inside("cache.hit_rate", Self.seedCacheHitRate)
        }
    }
}
