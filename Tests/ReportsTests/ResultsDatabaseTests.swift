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
                         .text("simrun run \(file) --seed 5 --replications 3"), .integer(1)]])

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
        #expect(try database.query("SELECT count(*) FROM series") == [[.integer(0)]])

        // A documented example query runs.
        let failing = try database.query("SELECT expression FROM kpi WHERE passed = 0 ORDER BY position")
        #expect(failing.count == summary.verdicts.filter { !$0.passed }.count)

        // Never over an existing file.
        #expect(throws: SQLiteConnection.Failure.self) { try ResultsDatabase.write(report, to: path) }
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
