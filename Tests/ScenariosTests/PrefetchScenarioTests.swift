// PrefetchScenarioTests.swift — `jobs.worker_prefetch_multiplier` and its per-pool override.

import Testing
@testable import Scenarios
import TaskSystem

@Suite struct PrefetchScenarioTests {
    @Test func theSectionSetsEveryPoolAndAPoolOverridesIt() throws {
        let scenario = try Fixture.taskSystem("""
            kind: task-system
            name: prefetch
            jobs:
              worker_prefetch_multiplier: 1
              pools: {low: {worker_prefetch_multiplier: 0}}
            """)
        #expect(scenario.configuration.jobs.pools.queues.map(\.prefetch.multiplier) == [1, 1, 0])
        let defaults = try Fixture.taskSystem("kind: task-system\nname: prefetch")
        #expect(defaults.configuration.jobs.pools.queues.map(\.prefetch.multiplier) == [4, 4, 4])
    }

    @Test func aNegativeOrHugeMultiplierIsRefusedWithItsKeyPath() throws {
        #expect(try Fixture.errors("kind: task-system\nname: x\njobs: {worker_prefetch_multiplier: -1}") == [
            "3:36: jobs.worker_prefetch_multiplier: too small (min 0), got -1",
        ])
        #expect(try Fixture.errors("kind: task-system\nname: x\njobs: {pools: {high: {worker_prefetch_multiplier: 1001}}}") == [
            "3:51: jobs.pools.high.worker_prefetch_multiplier: too large (max 1000), got 1001",
        ])
    }
}
