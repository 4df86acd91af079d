// ResultsDatabase.swift — results.sqlite: a run's metadata, KPI verdicts, every whole-run figure
// (with each replication's value where the run keeps it), invariants, the per-window series and
// the event timeline, in a schema documented in docs/results-db.md.

import Foundation
import Scenarios
import Sim
import TaskSystem

// MARK: - results.sqlite

/// Writes a run's results into an SQLite database, for `sqlite3 results.sqlite "select …"`.
public enum ResultsDatabase {
    /// The schema version stored in `run.schema_version`; bump it when a table changes.
    public static let schemaVersion = 2

    /// The schema (every table and index), as in docs/results-db.md.
    public static let schema = """
        CREATE TABLE run (
          schema_version INTEGER NOT NULL,
          kind TEXT NOT NULL,               -- 'task-system' or 'network'
          name TEXT NOT NULL,
          scenario TEXT NOT NULL,           -- the scenario file as given
          seed TEXT NOT NULL,               -- text: seeds reach 2^64 - 1
          replications INTEGER NOT NULL,
          simulated_seconds REAL NOT NULL,
          warmup_seconds REAL,              -- the mean warm-up deleted (network) or the configured one
          replay TEXT NOT NULL              -- the command that reproduces the run
        );
        CREATE TABLE kpi (
          position INTEGER PRIMARY KEY,     -- order in the scenario
          expression TEXT NOT NULL,
          metric TEXT NOT NULL,             -- the summary key read, e.g. metrics.api.latency.p95
          comparison TEXT NOT NULL,         -- <, <=, >, >=, ==, !=
          threshold REAL NOT NULL,          -- base units: seconds, fractions, per second, dollars
          value REAL,                       -- NULL: nothing measured
          passed INTEGER NOT NULL           -- 1 pass, 0 fail
        );
        CREATE TABLE metric (
          position INTEGER PRIMARY KEY,     -- order in summary.json
          key TEXT NOT NULL UNIQUE,         -- summary key: metrics.api.latency.p95, stations.api.utilization
          unit TEXT NOT NULL,               -- seconds, fraction, per_second, count, dollars, number
          mean REAL,                        -- NULL: no value (as null in summary.json)
          ci95 REAL                         -- Student-t 95 % half-width; NULL for one replication
        );
        CREATE TABLE metric_replication (
          key TEXT NOT NULL REFERENCES metric(key),
          replication INTEGER NOT NULL,     -- 1-based
          value REAL,
          PRIMARY KEY (key, replication)
        );
        CREATE TABLE invariant (
          name TEXT PRIMARY KEY,
          held INTEGER NOT NULL,
          violations INTEGER NOT NULL
        );
        CREATE TABLE event (                -- the timeline: every decision and incident
          replication INTEGER NOT NULL,     -- 1-based
          position INTEGER NOT NULL,        -- 1-based, in time order
          at_seconds REAL NOT NULL,         -- simulated time
          component TEXT NOT NULL,          -- autoscaler, api, database, jobs, faults, invariants
          kind TEXT NOT NULL,               -- scaling-decision, instance-in-service, monitor, worker-scaling, ...
          from_value TEXT NOT NULL,         -- what changed, from ... ('' when nothing countable)
          to_value TEXT NOT NULL,           -- ... to
          reason TEXT NOT NULL,             -- why, in words and numbers
          PRIMARY KEY (replication, position)
        );
        CREATE INDEX event_by_time ON event (replication, at_seconds);
        CREATE TABLE timeline (             -- per replication: events kept, and dropped past the cap
          replication INTEGER PRIMARY KEY,
          events INTEGER NOT NULL,
          dropped INTEGER NOT NULL
        );
        CREATE TABLE series (               -- per window, the mean across replications
          metric TEXT NOT NULL,             -- api.latency, api.instances, cost.total, ...
          statistic TEXT NOT NULL,          -- count, value, p50, p95, p99, mean, max
          window_index INTEGER NOT NULL,    -- 0-based
          window_start REAL NOT NULL,       -- seconds from the start of the run (warm-up included)
          window_end REAL NOT NULL,         -- the last window ends with the run
          mean REAL,                        -- NULL: nothing measured
          ci95 REAL,                        -- Student-t 95 % half-width; NULL for one replication
          PRIMARY KEY (metric, statistic, window_index)
        );
        CREATE TABLE series_replication (   -- per window, each replication's value
          metric TEXT NOT NULL,
          statistic TEXT NOT NULL,
          window_index INTEGER NOT NULL,
          replication INTEGER NOT NULL,     -- 1-based
          value REAL,                       -- NULL: nothing measured
          PRIMARY KEY (metric, statistic, window_index, replication)
        );
        """

    /// Writes `report` into a new database at `path` (which must not exist) in one transaction.
    public static func write(_ report: RunReport, to path: String) throws {
        guard !FileManager.default.fileExists(atPath: path) else {
            throw SQLiteConnection.Failure(description: "\(path): exists; results.sqlite is written into a new file only")
        }
        let database = try SQLiteConnection(path: path)
        try database.execute("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; BEGIN;")
        try database.execute(schema)
        try database.insert("INSERT INTO run VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)", rows: [runRow(report)])
        let units = report.units
        try database.insert("INSERT INTO kpi VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", rows: report.verdicts.enumerated().map {
            [.integer(Int64($0.offset + 1)), .text($0.element.kpi.expression), .text($0.element.key),
             .text($0.element.kpi.op.rawValue), .real($0.element.kpi.threshold), .finite($0.element.value),
             .integer($0.element.passed ? 1 : 0)]
        })
        let figures = Self.figures(report)
        try database.insert("INSERT INTO metric VALUES (?1, ?2, ?3, ?4, ?5)", rows: figures.enumerated().map {
            [.integer(Int64($0.offset + 1)), .text($0.element.key), .text(unitName(units.unit(forKey: $0.element.key))),
             .finite($0.element.estimate.mean), .finite($0.element.estimate.ci95)]
        })
        if case .taskSystem(let taskSystem) = report {
            var rows: [[SQLiteConnection.Value]] = []
            for metric in taskSystem.metrics {
                for (index, result) in taskSystem.results.enumerated() {
                    rows.append([.text("metrics." + metric.name), .integer(Int64(index + 1)), .finite(result.metric(metric.name))])
                }
            }
            try database.insert("INSERT INTO metric_replication VALUES (?1, ?2, ?3)", rows: rows)
            try database.insert("INSERT INTO invariant VALUES (?1, ?2, ?3)", rows: taskSystem.invariants.map {
                [.text($0.name), .integer($0.held ? 1 : 0), .integer(Int64($0.violations))]
            })
            try writeTimeline(of: taskSystem, to: database)
            try writeSeries(taskSystem.seriesTable, to: database)
        } else if case .network(let network) = report {
            try database.insert("INSERT INTO invariant VALUES (?1, ?2, ?3)", rows: [[
                .text("customers conserved"), .integer(network.result.invariantViolations.isEmpty ? 1 : 0),
                .integer(Int64(network.result.invariantViolations.count)),
            ]])
        }
        try database.execute("COMMIT;")
    }

    // MARK: Timeline and series

    /// Every replication's timeline, event by event, and its counts.
    private static func writeTimeline(of report: TaskSystemReport, to database: SQLiteConnection) throws {
        var events: [[SQLiteConnection.Value]] = []
        for (index, result) in report.results.enumerated() {
            for (position, event) in result.timeline.events.enumerated() {
                events.append([.integer(Int64(index + 1)), .integer(Int64(position + 1)), .real(SimClock.seconds(event.time)),
                               .text(event.component.rawValue), .text(event.kind), .text(event.from), .text(event.to),
                               .text(event.reason)])
            }
        }
        try database.insert("INSERT INTO event VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", rows: events)
        try database.insert("INSERT INTO timeline VALUES (?1, ?2, ?3)", rows: report.results.enumerated().map {
            [.integer(Int64($0.offset + 1)), .integer(Int64($0.element.timeline.events.count)),
             .integer(Int64($0.element.timeline.dropped))]
        })
    }

    /// Every series, window by window: the mean across replications and each replication's value.
    private static func writeSeries(_ table: SeriesTable, to database: SQLiteConnection) throws {
        var means: [[SQLiteConnection.Value]] = [], values: [[SQLiteConnection.Value]] = []
        for series in table.series {
            for column in series.columns {
                for window in table.windowStarts.indices {
                    let key: [SQLiteConnection.Value] = [.text(series.metric), .text(column.statistic), .integer(Int64(window))]
                    means.append(key + [.real(table.windowStarts[window]), .real(table.windowEnds[window]),
                                        .finite(column.estimates[window].mean), .finite(column.estimates[window].ci95)])
                    for (replication, replicationValues) in column.replications.enumerated() {
                        values.append(key + [.integer(Int64(replication + 1)), .finite(replicationValues[window])])
                    }
                }
            }
        }
        try database.insert("INSERT INTO series VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", rows: means)
        try database.insert("INSERT INTO series_replication VALUES (?1, ?2, ?3, ?4, ?5)", rows: values)
    }

    // MARK: Rows

    private static func runRow(_ report: RunReport) -> [SQLiteConnection.Value] {
        let (kind, scenario, simulated, warmup): (String, String, Double, Double?) = switch report {
        case .network(let network):
            ("network", network.scenario.sourcePath, SimClock.seconds(network.result.spec.duration), network.summary.warmup.mean)
        case .taskSystem(let taskSystem):
            ("task-system", taskSystem.scenario.sourcePath, SimClock.seconds(taskSystem.scenario.configuration.duration),
             SimClock.seconds(taskSystem.scenario.configuration.warmup))
        }
        return [.integer(Int64(schemaVersion)), .text(kind), .text(report.name), .text(scenario), .text(String(report.seed)),
                .integer(Int64(report.replications)), .real(simulated), .finite(warmup), .text(report.replayCommand)]
    }

    /// Every whole-run figure with its summary key, in summary.json order.
    static func figures(_ report: RunReport) -> [(key: String, estimate: Estimate)] {
        switch report {
        case .taskSystem(let taskSystem):
            return taskSystem.metrics.map { ("metrics." + $0.name, $0.estimate) }
        case .network(let network):
            var out: [(key: String, estimate: Estimate)] = []
            for (group, entries) in [("stations", network.summary.stations), ("classes", network.summary.classes)] {
                for entry in entries {
                    for statistic in entry.statistics { out.append(("\(group).\(entry.name).\(statistic.name)", statistic.estimate)) }
                }
            }
            return out
        }
    }

    /// The `metric.unit` column's name of a display unit.
    static func unitName(_ unit: DisplayUnit) -> String {
        switch unit {
        case .duration: "seconds"
        case .fraction: "fraction"
        case .rate: "per_second"
        case .count: "count"
        case .dollars: "dollars"
        case .number: "number"
        }
    }
}
