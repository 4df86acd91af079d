import Foundation
import Testing
@testable import SimBenchmarks

// MARK: - The process benchmark measures one model in three styles

@Suite struct ProcessBenchmarkTests {
    /// 50 users, think 0.1 s, 4 servers of 5 ms: 2.5 erlangs offered, so some users queue and
    /// the parks are exercised; 200 simulated seconds, about 100,000 customers.
    static let small = ProcessBenchmark.Configuration(users: 50, thinkMean: 0.1, serviceMean: 0.005, servers: 4,
                                                      horizon: 200, seed: 7)

    @Test func theThreeStylesCountTheSameCustomers() {
        let kernel = ProcessBenchmark.runKernel(Self.small)
        let processes = ProcessBenchmark.runProcesses(Self.small)
        let steps = ProcessBenchmark.runSteps(Self.small)
        // Same stream, same order of draws and of scheduling: the same trajectory, to the customer.
        #expect(processes.counts == kernel.counts)
        #expect(steps.counts == kernel.counts)
        // The same waits: a think time before every arrival (and one more for each user still
        // thinking at the horizon), a park for every arrival that found the servers busy (2.5
        // erlangs on 4 servers: some did), a service time for every start.
        #expect(processes.waits == steps.waits && processes.parks == steps.parks)
        #expect(processes.parks > 0)
        let thinkingAtTheHorizon = processes.waits - processes.arrivals - processes.parks - processes.starts
        #expect((0...Self.small.users).contains(thinkingAtTheHorizon))
    }

    /// The kernel's throughput against the exact M/M/c//N (machine-repairman) solution: the
    /// number at the station has p(n) ∝ N!/(N−n)! · (S/Z)^n / (n! for n ≤ c, c!·c^(n−c) above),
    /// and the throughput is Σ p(n)·min(n, c)/S.
    @Test func theClosedModelMatchesTheMachineRepairmanSolution() {
        var c = Self.small
        c.horizon = 1_000  // about 470,000 departures
        var weights: [Double] = [1]
        for n in 1...c.users {
            weights.append(weights[n - 1] * Double(c.users - n + 1) * (c.serviceMean / c.thinkMean) / Double(min(n, c.servers)))
        }
        let total = weights.reduce(0, +)
        let throughput = weights.indices.map { weights[$0] / total * Double(min($0, c.servers)) / c.serviceMean }
            .reduce(0, +)
        let expected = throughput * c.horizon
        let departures = Double(ProcessBenchmark.runKernel(c).departures)
        // Four standard deviations of a Poisson count bound the error (a
        // closed system's departures vary less than Poisson's), plus the users in flight at the
        // start (the first think times) and at the horizon.
        let tolerance = 4 * expected.squareRoot() + Double(c.users)
        #expect(abs(departures - expected) < tolerance, "departures \(departures), expected \(expected) ± \(tolerance)")
    }

    @Test func theReferenceArgumentsDescribeTheSameModel() {
        #expect(ProcessBenchmark.Configuration.standard.referenceArguments
            == ["closed", "10000", "1", "1.0", "0.005", "64", "120.0", "10"])
    }
}
