// ResultsDatabaseTests.swift — results.sqlite round trip: written from a run, read back with
// SQL, equal to what summary.json says.

import Foundation
import Testing
@testable import Reports
import Scenarios

@Suite struct ResultsDatabaseTests {
    @Test func roundTripMatchesSummaryJSON() async throws {
        let scratch = try ScratchFolder()
        defer { scratch.remove() }
        let file = try scratch.write("short.yaml", twoMinuteTaskSystemScenario.replacingOccurrences(of: "replications: 2", with: "replications: 3"))
        let report = try await RunReport.run(try ScenarioRun(path: file, threads: 2).load(), threads: 2)
        let folder = scratch.url.appendingPathComponent("run")
        try OutputFolder.write([("summary.json", report.summaryJSON.serialized())], to: folder)
        let summary = try RunSummary(folder: folder)
        let path = scratch.url.appendingPathComponent("results.sqlite").path
        try ResultsDatabase.write(report, to: path)

        let database = try SQLiteConnection(path: path)
        let run = try database.query("SELECT kind, name, seed, replications, replay, schema_version FROM run")
        #expect(run == [[.text("task-system"), .text("short-task-system"), .text("5"), .integer(3),
                         .text("simrun run \(file) --seed 5 --replications 3"), .integer(2)]])

        // Every figure of summary.json, in order, with the same mean and half-width (NULL ↔ null).
        let metrics = try database.query("SELECT key, mean, ci95, unit FROM metric ORDER BY position")
        #expect(metrics.count == summary.figures.count)
        func real(_ value: SQLiteConnection.Value) -> Double? {
            if case .real(let x) = value { return x }
            return nil
        }
        for (row, figure) in zip(metrics, summary.figures) {
            #expect(row[0] == .text(figure.key))
            #expect(real(row[1]) == (figure.mean.isNaN ? nil : figure.mean), "\(figure.key)")
            #expect(real(row[2]) == figure.ci95, "\(figure.key)")
        }
        #expect(try database.query("SELECT unit FROM metric WHERE key = 'metrics.api.latency.p95'") == [[.text("seconds")]])
        #expect(try database.query("SELECT unit FROM metric WHERE key = 'metrics.cost.total'") == [[.text("dollars")]])

        // Each replication's value; their mean is the figure's.
        let p95 = try database.query("SELECT value FROM metric_replication WHERE key = 'metrics.api.latency.p95' ORDER BY replication")
        let values = p95.compactMap { real($0[0]) }
        #expect(values.count == 3)
        let mean = try #require(summary.figure("metrics.api.latency.p95")?.mean)
        #expect(abs(values.reduce(0, +) / 3 - mean) <= 1e-12 * mean)
        #expect(try database.query("SELECT count(*) FROM metric_replication") == [[.integer(Int64(3 * summary.figures.count))]])

        // KPIs as judged.
        let kpis = try database.query("SELECT expression, metric, value, passed FROM kpi ORDER BY position")
        #expect(kpis.count == summary.verdicts.count)
        for (row, verdict) in zip(kpis, summary.verdicts) {
            #expect(row[0] == .text(verdict.expression) && row[1] == .text(verdict.key))
            #expect(real(row[2]) == (verdict.value.isNaN ? nil : verdict.value))
            #expect(row[3] == .integer(verdict.passed ? 1 : 0))
        }
        #expect(try database.query("SELECT count(*) FROM invariant WHERE held = 1") == [[.integer(Int64(4))]])

        // A documented example query runs.
        let failing = try database.query("SELECT expression FROM kpi WHERE passed = 0 ORDER BY position")
        #expect(failing.count == summary.verdicts.filter { !$0.passed }.count)

        // Never over an existing file.
        #expect(throws: SQLiteConnection.Failure.self) { try ResultsDatabase.write(report, to: path) }
    }

    /// The series and the timeline read back with SQL are summary.json's, value for value:
    /// every window's mean, half-width and replication values, and replication 1's events.
    @Test func seriesAndTimelineRoundTripThroughSQL() async throws {
        let scratch = try ScratchFolder()
        defer { scratch.remove() }
        let yaml = twoMinuteTaskSystemScenario.replacingOccurrences(of: "duration: 2m", with: "duration: 150s")
            + "\nseries: {window: 20s}\n"
        let file = try scratch.write("short.yaml", yaml)
        let report = try await RunReport.run(try ScenarioRun(path: file, threads: 2).load(), threads: 2)
        let summary = try JSONValue(parsing: report.summaryJSON.serialized())
        let path = scratch.url.appendingPathComponent("results.sqlite").path
        try ResultsDatabase.write(report, to: path)
        let database = try SQLiteConnection(path: path)
        func sql(_ value: JSONValue?) -> SQLiteConnection.Value {
            switch value {
            case .number(let x)?: .real(x)
            case .int(let x)?: .real(Double(x))
            default: .null
            }
        }
        func array(_ value: JSONValue?) -> [JSONValue] {
            if case .array(let items)? = value { return items }
            return []
        }
        guard case .object(let metrics)? = summary.value(at: "series.metrics") else {
            Issue.record("no series in summary.json")
            return
        }
        // 150 s in 20 s windows: seven whole ones and a last one of 10 s.
        let starts = array(summary.value(at: "series.window_start_seconds"))
        #expect(starts.count == 8)
        #expect(try database.query("SELECT window_start, window_end FROM series WHERE metric = 'api.requests' ORDER BY window_index")
            == (0..<8).map { [.real(Double($0) * 20), .real(min(Double($0 + 1) * 20, 150))] })
        var rows = 0
        for (metric, statistics) in metrics {
            guard case .object(let columns) = statistics else { continue }
            for (statistic, column) in columns {
                let means = try database.query(
                    "SELECT mean, ci95 FROM series WHERE metric = ?1 AND statistic = ?2 ORDER BY window_index",
                    [.text(metric), .text(statistic)])
                #expect(means.map { $0[0] } == array(column.value(at: "mean")).map { sql($0) }, "\(metric) \(statistic)")
                #expect(means.map { $0[1] } == array(column.value(at: "ci95")).map { sql($0) }, "\(metric) \(statistic)")
                for (replication, values) in array(column.value(at: "replications")).enumerated() {
                    let stored = try database.query(
                        "SELECT value FROM series_replication WHERE metric = ?1 AND statistic = ?2 AND replication = ?3 ORDER BY window_index",
                        [.text(metric), .text(statistic), .integer(Int64(replication + 1))])
                    #expect(stored.map { $0[0] } == array(values).map { sql($0) }, "\(metric) \(statistic) \(replication + 1)")
                }
                rows += means.count
            }
        }
        #expect(rows >= 8 * 40)
        #expect(try database.query("SELECT count(*) FROM series") == [[.integer(Int64(rows))]])
        #expect(try database.query("SELECT count(*) FROM series_replication") == [[.integer(Int64(2 * rows))]])
        for name in ["api.instances", "api.instances.desired", "api.cpu.utilization", "cost.total"] {
            #expect(metrics.contains { $0.0 == name }, "\(name)")
        }

        // Replication 1's timeline as summary.json has it, and every replication's count.
        let events = array(summary.value(at: "events.replication_1"))
        let stored = try database.query(
            "SELECT at_seconds, component, kind, from_value, to_value, reason FROM event WHERE replication = 1 ORDER BY position")
        #expect(stored.count == events.count)
        #expect(events.contains { $0.value(at: "kind") == .string("worker-scaling") }, "\(events.map { $0.value(at: "kind")! })")
        for (row, event) in zip(stored, events) {
            var expected: [SQLiteConnection.Value] = [sql(event.value(at: "at"))]
            for key in ["component", "kind", "from", "to", "reason"] {
                guard case .string(let text)? = event.value(at: key) else { continue }
                expected.append(.text(text))
            }
            #expect(row == expected)
        }
        for count in array(summary.value(at: "events.counts")) {
            guard case .int(let replication)? = count.value(at: "replication"),
                  case .int(let kept)? = count.value(at: "events"), case .int(let dropped)? = count.value(at: "dropped") else {
                Issue.record("malformed count \(count)")
                continue
            }
            #expect(try database.query("SELECT count(*) FROM event WHERE replication = ?1", [.integer(Int64(replication))])
                == [[.integer(Int64(kept))]])
            #expect(try database.query("SELECT events, dropped FROM timeline WHERE replication = ?1", [.integer(Int64(replication))])
                == [[.integer(Int64(kept)), .integer(Int64(dropped))]])
        }
    }

    /// Every `sqlite3 results.sqlite "…"` query in docs/results-db.md runs on a task-system run's
    /// database, and those reading series find rows (all but the latency breaches, which a light run has none of).
    @Test func documentedExampleQueriesWork() async throws {
        let document = try String(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("docs/results-db.md"), encoding: .utf8)
        var queries: [String] = []
        var rest = Substring(document)
        while let start = rest.range(of: "results.sqlite \"") {
            rest = rest[start.upperBound...]
            guard let end = rest.firstIndex(of: "\"") else { break }
            if !rest[..<end].contains("…") { queries.append(String(rest[..<end])) }  // not the intro's "select …"
            rest = rest[rest.index(after: end)...]
        }
        #expect(queries.count >= 9)
        let scratch = try ScratchFolder()
        defer { scratch.remove() }
        let file = try scratch.write("short.yaml", twoMinuteTaskSystemScenario)
        let report = try await RunReport.run(try ScenarioRun(path: file, threads: 2).load(), threads: 2)
        let path = scratch.url.appendingPathComponent("results.sqlite").path
        try ResultsDatabase.write(report, to: path)
        let database = try SQLiteConnection(path: path)
        for query in queries {
            let rows = try database.query(query)
            if query.contains("from series") && !query.contains("l.mean > 0.5") {
                #expect(!rows.isEmpty, "\(query)")
            }
        }
    }

    @Test func networkRunsHaveTheirStationFigures() async throws {
        let scratch = try ScratchFolder()
        defer { scratch.remove() }
        let file = try scratch.write("small.yaml", smallScenario)
        let report = try await RunReport.run(try ScenarioRun(path: file, threads: 2).load(), threads: 2)
        let path = scratch.url.appendingPathComponent("results.sqlite").path
        try ResultsDatabase.write(report, to: path)
        let database = try SQLiteConnection(path: path)
        #expect(try database.query("SELECT unit FROM metric WHERE key = 'stations.api.utilization'") == [[.text("fraction")]])
        #expect(try database.query("SELECT kind, replications FROM run") == [[.text("network"), .integer(4)]])
        #expect(try database.query("SELECT name, held FROM invariant") == [[.text("customers conserved"), .integer(1)]])
    }
}
