// RunComparisonTests.swift — `simrun compare`: summaries read back in order, Welch's test on the
// replications, no difference between two seeds, a clear one between N+1 and JOIN.

import Foundation
import Testing
@testable import Reports
import Scenarios
import Sim

@Suite struct RunComparisonTests {
    /// Runs `yaml` (with `replacements` applied) and writes its summary into `scratch/<folder>`.
    /// `path` is where the text counts as read from (a shipped scenario's own path, so that its
    /// relative `defaults:` file resolves); by default `<folder>.yaml`.
    func run(_ yaml: String, _ replacements: [(String, String)] = [], seed: UInt64? = nil,
             path: String? = nil, into scratch: ScratchFolder, folder: String) async throws -> RunSummary {
        var text = yaml
        for (old, new) in replacements {
            #expect(text.contains(old), "the scenario no longer has \(old)")
            text = text.replacingOccurrences(of: old, with: new)
        }
        var scenario = try ScenarioLoader.load(yaml: text, path: path ?? "\(folder).yaml")
        if let seed, case .taskSystem(var taskSystem) = scenario {
            taskSystem.configuration.seed = seed
            scenario = .taskSystem(taskSystem)
        }
        let report = try await RunReport.run(scenario, threads: 2)
        let url = scratch.url.appendingPathComponent(folder)
        try OutputFolder.write([("summary.json", report.summaryJSON.serialized())], to: url)
        return try RunSummary(folder: url)
    }

    // MARK: Reading summaries back

    @Test func summaryReadsBackInFileOrderWithTheSpreadRecovered() async throws {
        let scratch = try ScratchFolder()
        defer { scratch.remove() }
        let yaml = twoMinuteTaskSystemScenario.replacingOccurrences(of: "replications: 2", with: "replications: 4")
        let scenario = try ScenarioLoader.load(yaml: yaml, path: "short.yaml")
        let report = try await RunReport.run(scenario, threads: 2)
        let url = scratch.url.appendingPathComponent("run")
        try OutputFolder.write([("summary.json", report.summaryJSON.serialized())], to: url)
        let summary = try RunSummary(folder: url)
        guard case .taskSystem(let taskSystem) = report else { Issue.record("not a task-system run"); return }
        #expect(summary.figures.map(\.key) == taskSystem.metrics.map { "metrics." + $0.name })
        #expect(summary.verdicts.map(\.expression) == report.verdicts.map(\.kpi.expression))
        // The standard deviation recovered from the half-width is the replications' own.
        let index = try #require(taskSystem.metrics.firstIndex { $0.name == "api.latency.p95" })
        let values = taskSystem.results.map { $0.metric("api.latency.p95") ?? .nan }
        let direct = ReplicationEstimate(values).standardDeviation
        let recovered = try #require(summary.figures[index].standardDeviation)
        #expect(direct > 0 && abs(recovered - direct) <= 1e-12 * direct)
    }

    @Test func unreadableFoldersAreClearErrors() throws {
        let scratch = try ScratchFolder()
        defer { scratch.remove() }
        #expect { try RunSummary(folder: scratch.url) } throws: { "\($0)".contains("cannot read a run's summary.json") }
        _ = try scratch.write("summary.json", "{\"kind\": \"task-system\"")
        #expect { try RunSummary(folder: scratch.url) } throws: { "\($0)".contains("not valid JSON") }
        _ = try scratch.write("summary.json", "{\"kind\": \"task-system\"}")
        #expect { try RunSummary(folder: scratch.url) } throws: { "\($0)".contains("not a simrun summary") }
    }

    // MARK: Significance

    @Test func twoSeedsOfOneScenarioDoNotDiffer() async throws {
        let scratch = try ScratchFolder()
        defer { scratch.remove() }
        let yaml = twoMinuteTaskSystemScenario.replacingOccurrences(of: "replications: 2", with: "replications: 5")
        let a = try await run(yaml, seed: 1, into: scratch, folder: "a")
        let b = try await run(yaml, seed: 2, into: scratch, folder: "b")
        let comparison = RunComparison(a: a, b: b)
        let tested = comparison.figures.filter { $0.test != nil }
        #expect(tested.count > 50)
        // At 5 % about 1 in 20 unchanged figures is significant by chance (and figures are
        // correlated): more than 15 % would mean the test or the spread is wrong.
        #expect(Double(comparison.significantFigures.count) <= 0.15 * Double(tested.count))
        for key in ["metrics.api.latency.p95", "metrics.cache.hit_rate", "metrics.api.throughput"] {
            let row = try #require(comparison.figures.first { $0.key == key })
            #expect(row.significant(at: 0.01) == false, "\(key): p = \(row.test?.pValue ?? .nan)")
        }
        #expect(comparison.kpis.allSatisfy { $0.significant(at: 0.01) == false })
    }

    @Test func nPlusOneAgainstJoinDiffersInDatabaseLoad() async throws {
        let scratch = try ScratchFolder()
        defer { scratch.remove() }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let shorter = [("duration: 15m", "duration: 3m"), ("warmup: 2m", "warmup: 30s"), ("replications: 2", "replications: 3"),
                       ("registered: 20000", "registered: 2000"), ("concurrent: 2000", "concurrent: 200")]
        // Read from their own paths: both name `defaults: defaults/seed-present.yaml` beside them.
        let nPlusOnePath = root.appendingPathComponent("scenarios/n-plus-one.yaml")
        let joinPath = root.appendingPathComponent("scenarios/n-plus-one-join.yaml")
        let nPlusOne = try await run(try String(contentsOf: nPlusOnePath, encoding: .utf8), shorter,
                                     path: nPlusOnePath.path, into: scratch, folder: "n-plus-one")
        let join = try await run(try String(contentsOf: joinPath, encoding: .utf8), shorter,
                                 path: joinPath.path, into: scratch, folder: "join")
        let comparison = RunComparison(a: nPlusOne, b: join)
        let qps = try #require(comparison.figures.first { $0.key == "metrics.db.qps" })
        #expect(qps.significant(at: 0.01) == true, "p = \(qps.test?.pValue ?? .nan)")
        #expect(qps.difference < 0)  // the JOIN issues fewer queries
        // The plans differ only on a task list's cache miss: 1 + 150 queries (each a 0.5 ms round
        // trip plus about 0.5 ms of CPU, about 150 ms) against one JOIN (about 6 ms). With the
        // present's 85 % of lists served from Redis the median list is a hit in both runs, so the
        // plans are compared at the p95, which lies among the misses (its 1 − 0.05/0.15 = 67th
        // percentile).
        let listLatency = try #require(comparison.figures.first { $0.key == "metrics.api.list_tasks.latency.p95" })
        #expect(listLatency.significant(at: 0.01) == true, "p = \(listLatency.test?.pValue ?? .nan)")
        #expect(listLatency.difference < 0)

        // Both texts carry the rows; compare.md is written through OutputFolder.
        #expect(comparison.terminal.contains("metrics.db.qps"))
        let folder = scratch.url.appendingPathComponent("compare")
        #expect(comparison.refusal(of: folder) == nil)
        #expect(comparison.refusal(of: scratch.url) != nil)  // would replace the run folders
        #expect(comparison.refusal(of: nPlusOne.folder) != nil)
        try comparison.write(to: folder)
        let markdown = try String(contentsOf: folder.appendingPathComponent("compare.md"), encoding: .utf8)
        #expect(markdown.hasPrefix("# n-plus-one vs n-plus-one-join\n"))
        #expect(markdown.contains("| `metrics.db.qps` | "))
    }
}
