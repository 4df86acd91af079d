// TaskSystemMarkdownTests.swift — report.md of a short task-system run: verdicts first, units.

import Foundation
import Testing
@testable import Reports
import Scenarios

/// A task-system scenario short enough for a debug test: 2 simulated minutes, 2 replications.
let twoMinuteTaskSystemScenario = """
    kind: task-system
    name: short-task-system
    seed: 5
    duration: 2m
    warmup: 30s
    replications: 2
    users: {registered: 200, concurrent: 20}
    kpis:
      - "p95(api.latency) < 500ms"
      - "rate(cache.hit) >= 0.99"
      - "api.error_rate < 1%"
      - "cost.total < 5"
    """

@Suite struct TaskSystemMarkdownTests {
    @Test func reportPutsVerdictsFirstWithUnits() async throws {
        let scratch = try ScratchFolder()
        defer { scratch.remove() }
        let file = try scratch.write("short.yaml", twoMinuteTaskSystemScenario)
        let outcome = try await ScenarioRun(path: file, outputFolder: scratch.url.appendingPathComponent("out").path,
                                            threads: 2).execute()
        let markdown = try String(contentsOf: outcome.folder.appendingPathComponent("report.md"), encoding: .utf8)
        let lines = markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0] == "# short-task-system")
        #expect(lines[2].hasPrefix("**Verdict: "))
        #expect(lines[4] == "| KPI | value | threshold | verdict | margin |")
        #expect(lines[6].hasPrefix("| `p95(api.latency) < 500ms` | ") && lines[6].contains(" ms | < 500 ms | "))
        #expect(lines[7].contains(" % | >= 99 % | "))
        #expect(lines[9].hasPrefix("| `cost.total < 5` | $") && lines[9].contains(" | < $5.00 | "))
        // Key figures and tier tables follow, each figure with its unit.
        let keyFigures = try #require(markdown.range(of: "## Key figures"))
        #expect(markdown.range(of: "| KPI |")!.lowerBound < keyFigures.lowerBound)
        #expect(markdown.contains("| API throughput, mean | "))
        #expect(markdown.contains(" req/s |"))
        for title in ["## API tier", "## Database tier", "## Caches", "## Job queues", "## Latency per endpoint", "## Invariants"] {
            #expect(markdown.contains(title), "missing \(title)")
        }
        // No raw doubles (`0.9347387619087724`) left in the figures.
        #expect(markdown.firstMatch(of: /\d\.\d{7,}/) == nil)
        #expect(markdown.contains("Replay: `simrun run \(file) --seed 5 --replications 2`"))
    }

    @Test func readmeAndDocsStandAlone() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(!readme.contains("../shared"))
        #expect(readme.contains("(docs/system.md)"))
        let system = try String(contentsOf: root.appendingPathComponent("docs/system.md"), encoding: .utf8)
        #expect(!system.contains("../shared"))
        for heading in ["## Autoscaling the API (ECS)", "### Sizing as the load grows", "## Caches",
                        "## Background jobs (Celery)", "### Connection pooling", "## The KPIs the design is judged by"] {
            #expect(system.contains(heading), "docs/system.md lacks \(heading)")
        }
    }
}
