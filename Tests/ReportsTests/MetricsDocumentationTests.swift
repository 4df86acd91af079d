import Foundation
import Testing
@testable import Reports
import Scenarios
import TaskSystem

// MARK: - The registry, and the documentation generated from it

@Suite struct MetricsDocumentationTests {
    /// `docs/metrics.md` in this checkout.
    static let documentURL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("docs/metrics.md")

    /// Fails when the table in `docs/metrics.md` is not the one the registry generates; run with
    /// `SIMRUN_WRITE_DOCS=1` to rewrite it.
    @Test func theMetricTableOfTheDocsIsGeneratedFromTheRegistry() throws {
        let document = try String(contentsOf: Self.documentURL, encoding: .utf8)
        let updated = try #require(MetricsDocumentation.updating(document), "docs/metrics.md lacks the table markers")
        if ProcessInfo.processInfo.environment["SIMRUN_WRITE_DOCS"] == "1", updated != document {
            try Data(updated.utf8).write(to: Self.documentURL)
            return
        }
        #expect(updated == document, "docs/metrics.md is stale: run `SIMRUN_WRITE_DOCS=1 swift test --filter MetricsDocumentationTests`")
    }

    @Test func everyDeclarationHasARowWithItsMembers() {
        let table = MetricsDocumentation.taskSystemTable
        let rows = table.split(separator: "\n").dropFirst(2)
        #expect(rows.count == TaskSystemMetrics.declarations.count)
        for (row, declaration) in zip(rows, TaskSystemMetrics.declarations) {
            #expect(row.hasPrefix("| `\(declaration.name)` | `\(declaration.summaryName(declaration.statistics[0]))`"))
        }
    }

    @Test func namesAreUniqueAndTheCatalogueMirrorsTheRegistry() {
        let declarations = TaskSystemMetrics.declarations
        let names = declarations.map(\.name), members = declarations.flatMap(\.summaryNames)
        #expect(Set(names).count == names.count)
        #expect(Set(members).count == members.count)
        #expect(declarations.allSatisfy { !$0.description.isEmpty && !$0.description.contains("|") })
        let catalogue = MetricCatalogue.taskSystem
        #expect(catalogue.metrics.map(\.name) == names)
        for declaration in declarations {
            let metric = catalogue.metric(named: declaration.name)!
            #expect(metric.aggregates.count == declaration.statistics.count)
            #expect(metric.keys[metric.defaultAggregate] == "metrics." + declaration.summaryName(declaration.defaultStatistic))
        }
    }

    @Test func aMisspelledMetricStillGetsASuggestion() throws {
        let kpi = try KPI(parsing: "p95(api.latncy) < 500ms")
        #expect(throws: KPIError.self) { try MetricCatalogue.taskSystem.resolve(kpi) }
        do {
            _ = try MetricCatalogue.taskSystem.resolve(kpi)
        } catch {
            #expect(error.message == "unknown metric 'api.latncy'; did you mean 'api.latency'?")
        }
        let hit = try KPI(parsing: "rate(cache.l2.hti) > 0.5")
        do {
            _ = try MetricCatalogue.taskSystem.resolve(hit)
            Issue.record("a misspelled metric resolved")
        } catch {
            #expect(error.message.contains("did you mean 'cache.l2.hit'?"), "\(error.message)")
        }
    }

    @Test func summaryNamesFollowTheStatistic() {
        let latency = TaskSystemMetrics.declaration(named: "api.latency")!
        #expect(latency.summaryNames == ["api.latency.p50", "api.latency.p95", "api.latency.p99"])
        #expect(latency.defaultStatistic == .p95)
        #expect(TaskSystemMetrics.declaration(named: "cache.hit")!.summaryNames == ["cache.hit_rate"])
        #expect(TaskSystemMetrics.declaration(named: "api.throughput")!.summaryNames == ["api.throughput", "api.throughput.max"])
        #expect(TaskSystemMetrics.declaration(named: "queue.depth")!.summaryNames == ["queue.depth.max"])
        #expect(TaskSystemMetrics.declaration(named: "no.such") == nil)
    }
}
