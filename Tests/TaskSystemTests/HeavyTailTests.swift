// HeavyTailTests.swift — a sampled think time beyond SimTime's range ends the session quietly
// (it trapped converting to integer nanoseconds in Workload.runUser).

import Testing
import Sim
@testable import TaskSystem

// MARK: - Heavy tails

@Suite struct HeavyTailTests {
    @Test func aThinkTimeBeyondSimTimeNeverFiresAndTheRunEnds() {
        // Pareto with shape 0.05 and scale 1 s: a draw exceeds 9.2e9 s (SimTime.max) with
        // probability (1/9.2e9)^0.05 ≈ 32 %, so the first draws of 60 users include several.
        var configuration = TaskSystemSimulationTests.small()
        configuration.workload.thinkTime = .pareto(shape: 0.05, scale: 1)
        let result = TaskSystemSimulation.runReplication(configuration, replication: 0)
        for invariant in result.invariants {
            #expect(invariant.held, "\(invariant.name): \(invariant.violations)")
        }
        // Users whose think time saturated never come back, others do: some requests, not none.
        #expect(result.metric("api.throughput").map { $0 > 0 } == true)
    }

    @Test func aHugeRequestsPerSessionDrawIsACountNotATrap() {
        var configuration = TaskSystemSimulationTests.small()
        configuration.workload.requestsPerSession = .pareto(shape: 0.05, scale: 1)
        let result = TaskSystemSimulation.runReplication(configuration, replication: 0)
        #expect(result.metric("api.throughput").map { $0 > 0 } == true)
    }
}
