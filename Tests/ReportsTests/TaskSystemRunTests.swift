import Foundation
import Testing
@testable import Reports
import Scenarios
import Sim
import TaskSystem

// MARK: - A short task-system scenario through the product's own path

/// Two replications of three minutes (one of warm-up) with a CDN, a read replica and
/// autoscaling: every tier of the task system takes part, so every declared metric has data.
let shortTaskSystemScenario = """
    # Question: does a small task system run end to end through ScenarioRun?
    kind: task-system
    name: short-task-system
    seed: 5
    duration: 3m
    warmup: 1m
    replications: 2
    users:
      registered: 200
      concurrent: 40
      think: {distribution: exponential, mean: 2s}
      mix: {get_task: 0.3, list_tasks: 0.2, search_tasks: 0.1, update_task: 0.1, create_task: 0.1, assign_task: 0.05,
            comment: 0.05, request_report: 0.05, update_profile: 0.05}
    api:
      instances: 2
      vcpus: 1
      autoscaling: {min: 2, max: 4}
    database:
      primary: db.r5.large
      replicas: 1
    cdn:
      edge_latency: {distribution: lognormal, mean: 10ms, cv: 0.5}
      cacheable: [get_task, list_tasks]
      ttl: 60s
      static_assets: {pages: [login], per_page: 2, hit_ratio: 0.9, origin_cpu: {distribution: exponential, mean: 1ms}}
    kpis:
      - "p95(api.latency) < 5s"
      - "rate(cache.hit) >= 0.1"
      - "max(queue.depth) < 1000"
      - "max(api.throughput) > 1"
      - "api.error_rate <= 0.5"
      - "rate(cdn.hit) > 0"
      - "max(db.replica.lag) < 10s"
    """

/// The members of `metrics` in `summary.json`, in order (member names hold dots, so
/// `JSONValue.value(at:)` cannot reach them).
func metricMembers(_ summary: JSONValue) -> [(String, JSONValue)] {
    guard case .object(let members)? = summary.value(at: "metrics") else { return [] }
    return members
}

@Suite(.serialized) struct TaskSystemRunTests {
    /// Runs the short scenario once per thread count into a scratch folder.
    static func run(threads: Int, hooks: TaskSystemTestHooks? = nil, in scratch: ScratchFolder,
                    scenario: String = shortTaskSystemScenario) async throws -> (ScenarioRun.Outcome, String) {
        let file = try scratch.write("short.yaml", scenario)
        let folder = scratch.url.appendingPathComponent("out-\(threads)-\(hooks == nil ? "clean" : "planted")").path
        var overrides = ScenarioRun.Overrides()
        overrides.taskSystemTestHooks = hooks
        let outcome = try await ScenarioRun(path: file, overrides: overrides, outputFolder: folder,
                                            threads: threads).execute()
        return (outcome, folder)
    }

    @Test func everyCatalogueMetricIsInTheSummaryAndFinite() async throws {
        let scratch = try ScratchFolder()
        defer { scratch.remove() }
        let (outcome, _) = try await Self.run(threads: 2, in: scratch)
        let members = metricMembers(outcome.report.summaryJSON)
        let names = members.map(\.0)
        #expect(Set(names).count == names.count, "a metric appears twice")
        // Every key any KPI can read is a member of `metrics` (but the metrics of a fault the
        // scenario lacks: `db.failover.*` without a primary-failover).
        guard case .taskSystem(let report) = outcome.report else { return }
        for metric in MetricCatalogue.taskSystem.metrics
        where TaskSystemMetrics.declaration(named: metric.name)?.isMeasured(in: report.scenario.configuration) != false {
            for aggregate in metric.aggregates {
                let key = metric.keys[aggregate]!
                #expect(key.hasPrefix("metrics."))
                #expect(names.contains(String(key.dropFirst("metrics.".count))), "\(metric.name) \(aggregate): \(key)")
            }
        }
        // Every member is finite, except the hit rates of cache key families that no lookup
        // reached in that layer (documented as `null`: the seed's L1 holds permissions only,
        // sessions are written, never read, and warm L1 copies keep some families off L2).
        var nulls: [String] = []
        for (name, value) in members {
            guard case .number(let mean)? = value.value(at: "mean"), mean.isFinite else {
                nulls.append(name)
                continue
            }
            #expect(value.value(at: "ci95") != nil, "\(name) has no ci95 with two replications")
        }
        let families = ["l1", "l2"].flatMap { layer in
            TaskSystemResult.reportedFamilies.map { "cache.\(layer).\($0).hit_rate" }
        }
        #expect(nulls.allSatisfy(families.contains), "null metrics: \(nulls)")
        #expect(nulls.contains("cache.l1.session.hit_rate") && nulls.contains("cache.l2.session.hit_rate"))
        #expect(!nulls.contains("cache.l1.permissions.hit_rate") && !nulls.contains("cache.l2.task_list.hit_rate"))
        #expect(nulls.contains("cache.l1.user.hit_rate"))  // the seed's L1 holds permissions, not users
    }

    @Test func everyKPIResolvesAndReadsTheMetricItNames() async throws {
        let scratch = try ScratchFolder()
        defer { scratch.remove() }
        let (outcome, _) = try await Self.run(threads: 2, in: scratch)
        guard case .taskSystem(let report) = outcome.report else {
            Issue.record("expected a task-system report")
            return
        }
        #expect(report.verdicts.map(\.key) == [
            "metrics.api.latency.p95", "metrics.cache.hit_rate", "metrics.queue.depth.max",
            "metrics.api.throughput.max", "metrics.api.error_rate", "metrics.cdn.hit_rate",
            "metrics.db.replica.lag.max",
        ])
        for verdict in report.verdicts {
            let name = String(verdict.key.dropFirst("metrics.".count))
            let estimate = report.metrics.first { $0.name == name }?.estimate
            #expect(estimate != nil && verdict.value == estimate!.mean && verdict.value.isFinite, "\(verdict.kpi)")
        }
        #expect(outcome.exitCode == 0, "\(report.verdicts.filter { !$0.passed }.map(\.kpi.expression))")
    }

    @Test func aKPIOnAMetricTheRunDidNotMeasureIsAnErrorNotANaN() async throws {
        let scratch = try ScratchFolder()
        defer { scratch.remove() }
        let (outcome, _) = try await Self.run(threads: 2, in: scratch)
        guard case .taskSystem(let report) = outcome.report else { return }
        var results = report.results
        for index in results.indices { results[index].metrics.removeAll { $0.name == "cdn.hit_rate" } }
        #expect(throws: TaskSystemReport.UnresolvedKPI.self) {
            _ = try TaskSystemReport(scenario: report.scenario, results: results)
        }
        do {
            _ = try TaskSystemReport(scenario: report.scenario, results: results)
        } catch {
            #expect(error.expression == "rate(cdn.hit) > 0" && error.key == "metrics.cdn.hit_rate")
            #expect(error.description.contains("did not measure"))
        }
        // Whole results still resolve.
        #expect(throws: Never.self) { _ = try TaskSystemReport(scenario: report.scenario, results: report.results) }
    }

    @Test func summaryCarriesSeriesAndEvents() async throws {
        let scratch = try ScratchFolder()
        defer { scratch.remove() }
        let (outcome, _) = try await Self.run(threads: 2, in: scratch)
        let summary = outcome.report.summaryJSON
        guard case .object(let top) = summary else { return }
        #expect(top.map(\.0).suffix(2) == ["series", "events"])
        #expect(summary.value(at: "series.window_seconds") == .number(60))
        guard case .array(let starts)? = summary.value(at: "series.window_start_seconds"),
              case .object(let series)? = summary.value(at: "series.metrics") else {
            Issue.record("series is malformed")
            return
        }
        #expect(starts == [.number(0), .number(60), .number(120)])
        #expect(series.map(\.0) == TaskSystemMetrics.declarations.filter(\.hasSeries).map(\.name))
        let p95 = series.first { $0.0 == "api.latency" }?.1
        guard case .array(let means)? = p95?.value(at: "p95.mean"), case .array(let bands)? = p95?.value(at: "p95.ci95"),
              case .array(let replications)? = p95?.value(at: "p95.replications") else {
            Issue.record("api.latency.p95 series is malformed")
            return
        }
        #expect(means.count == 3 && bands.count == 3 && replications.count == 2)
        #expect(means.allSatisfy { if case .number(let x) = $0 { x > 0 } else { false } })
        guard case .array(let counts)? = summary.value(at: "events.counts"),
              case .array(let first)? = summary.value(at: "events.replication_1") else {
            Issue.record("events is malformed")
            return
        }
        #expect(counts.count == 2)
        #expect(counts[0].value(at: "events") == .int(first.count))
        #expect(first.prefix(2).allSatisfy { $0.value(at: "kind") == .string("instance-launched") })
    }

    @Test func reportMarkdownHasItsSections() async throws {
        let scratch = try ScratchFolder()
        defer { scratch.remove() }
        let (_, folder) = try await Self.run(threads: 2, in: scratch)
        let markdown = try String(contentsOfFile: folder + "/report.md", encoding: .utf8)
        let headings = markdown.split(separator: "\n").filter { $0.hasPrefix("#") }.map(String.init)
        #expect(headings.first == "# short-task-system")
        #expect(markdown.contains("| KPI | value | threshold | verdict | margin |\n"))
        // One section per section of the metric registry that has figures, then the endpoints.
        let registrySections = MetricDeclaration.Section.allCases.filter { $0 != .endpoints }.map { "## \($0.rawValue)" }
        #expect(headings == ["# short-task-system", "## Key figures"] + registrySections
                + ["## Latency per endpoint", "## Invariants"])
        #expect(markdown.contains("**Verdict: all 7 KPIs pass**"))
        #expect(markdown.contains("| `api.latency.p95` |"))
        #expect(markdown.contains("| get_task |"))
        #expect(!markdown.contains("BROKEN"))
    }

    @Test func summaryAndReportsAreByteIdenticalForOneAndFourThreads() async throws {
        let scratch = try ScratchFolder()
        defer { scratch.remove() }
        let (_, one) = try await Self.run(threads: 1, in: scratch)
        let (_, four) = try await Self.run(threads: 4, in: scratch)
        for file in ["summary.json", "report.md", "report.html"] {
            let a = try Data(contentsOf: URL(fileURLWithPath: one + "/" + file))
            let b = try Data(contentsOf: URL(fileURLWithPath: four + "/" + file))
            #expect(a == b, "\(file) differs between 1 and 4 threads")
            #expect(a.count > 1000)
        }
    }

    @Test func invariantsAreTheFourExpectedAndEachMadeChecks() async throws {
        let scratch = try ScratchFolder()
        defer { scratch.remove() }
        let (outcome, _) = try await Self.run(threads: 2, in: scratch)
        guard case .taskSystem(let report) = outcome.report else { return }
        #expect(report.invariants.map(\.name) == [
            "requests conserved", "no acknowledged write lost", "every job done, dead-lettered or still queued",
            "read-your-writes inside the consistency window",
        ])
        for invariant in report.invariants {
            #expect(invariant.held, "\(invariant.name)")
            #expect(invariant.checks > 0, "\(invariant.name) checked nothing")
        }
        // Per replication too: each replication's checks add up to the roll-up.
        for (index, invariant) in report.invariants.enumerated() {
            #expect(report.results.reduce(0) { $0 + $1.invariants[index].checks } == invariant.checks)
            #expect(report.results.allSatisfy { $0.invariants[index].checks > 0 })
        }
    }

    @Test func aPlantedInvariantBreachExitsWithThreeAndSaysSo() async throws {
        let scratch = try ScratchFolder()
        defer { scratch.remove() }
        let (outcome, folder) = try await Self.run(threads: 2, hooks: TaskSystemTestHooks(phantomAcknowledgedWrites: 3),
                                                   in: scratch)
        #expect(outcome.exitCode == 3)
        // Named by identifier, with the first violation's time and entities and the replay.
        let file = scratch.url.appendingPathComponent("short.yaml").path
        #expect(outcome.report.brokenInvariants == [
            "no-acknowledged-write-lost (no acknowledged write lost): 6 violation(s); first at 180.000 s simulated "
                + "in replication 1: task \(Int.max - 2) (version 1 acknowledged, missing on the primary), "
                + "task \(Int.max - 1) (version 1 acknowledged, missing on the primary), "
                + "task \(Int.max) (version 1 acknowledged, missing on the primary); "
                + "replay: simrun run \(file) --seed 5",
        ])
        #expect(outcome.report.acceptedLosses.isEmpty)
        let summary = outcome.report.summaryJSON
        guard case .array(let invariants)? = summary.value(at: "invariants") else {
            Issue.record("no invariants array")
            return
        }
        #expect(invariants.map { $0.value(at: "held") } == [.bool(true), .bool(false), .bool(true), .bool(true)])
        #expect(invariants[1].value(at: "violations") == .int(6))
        #expect(invariants[1].value(at: "invariant") == .string("no-acknowledged-write-lost"))
        #expect(invariants[1].value(at: "first_violation.replication") == .int(1))
        #expect(invariants[1].value(at: "first_violation.at") == .number(180))
        #expect(invariants[1].value(at: "replay") == .string("simrun run \(file) --seed 5"))
        // A held invariant keeps exactly its three fields (runs without faults are unchanged).
        #expect(invariants[0] == .object([("name", .string("requests conserved")), ("held", .bool(true)),
                                          ("violations", .int(0))]))
        guard case .array(let events)? = summary.value(at: "events.replication_1") else {
            Issue.record("no events.replication_1")
            return
        }
        let broken = events.filter { $0.value(at: "kind") == .string("invariant-broken") }
        #expect(broken.count == 1)
        #expect(broken.first?.value(at: "reason") == .string("no acknowledged write lost: 3 violation(s)"))
        #expect(broken.first?.value(at: "at") == .number(180))
        let markdown = try String(contentsOfFile: folder + "/report.md", encoding: .utf8)
        #expect(markdown.contains("**Verdict: invariant broken**"))
        #expect(markdown.contains("- **BROKEN**: no acknowledged write lost (6 violations)"))
        // The same run without the hook is sound: the breach is the planted one.
        let (clean, _) = try await Self.run(threads: 2, in: scratch)
        #expect(clean.exitCode == 0)
    }

    /// The same planted breach, declared with `accept:`, is a counted loss: exit 0, no broken
    /// invariant, the loss reported with its count and first violation, `accepted` in the summary.
    @Test func anAcceptedInvariantIsADeclaredLossNotABrokenRun() async throws {
        let scratch = try ScratchFolder()
        defer { scratch.remove() }
        let (outcome, folder) = try await Self.run(
            threads: 2, hooks: TaskSystemTestHooks(phantomAcknowledgedWrites: 3), in: scratch,
            scenario: shortTaskSystemScenario + "\naccept: [no-acknowledged-write-lost]\n")
        #expect(outcome.report.brokenInvariants.isEmpty)
        #expect(outcome.report.acceptedLosses.count == 1)
        #expect(outcome.report.acceptedLosses.first?.hasPrefix("no-acknowledged-write-lost (no acknowledged write lost): 6 violation(s); first at 180.000 s") == true)
        #expect(outcome.exitCode == (outcome.report.passed ? 0 : 1))
        let summary = outcome.report.summaryJSON
        guard case .array(let invariants)? = summary.value(at: "invariants") else {
            Issue.record("no invariants array")
            return
        }
        #expect(invariants[1].value(at: "held") == .bool(false) && invariants[1].value(at: "accepted") == .bool(true))
        #expect(invariants[1].value(at: "violations") == .int(6))
        let markdown = try String(contentsOfFile: folder + "/report.md", encoding: .utf8)
        #expect(markdown.contains("- **accepted loss**: no acknowledged write lost (6 violations)"))
        #expect(!markdown.contains("**BROKEN**"))
    }
}
