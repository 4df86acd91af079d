// SweepDatabase.swift — `sweep.sqlite`: a sweep's points as SQL rows, for questions across the
// grid (`select … from point_metric join point_parameter …`).

import Foundation

// MARK: - sweep.sqlite

/// Writes a ``SweepResult`` as an SQLite database, from the same values as `sweep.json`: the
/// sweep's definition, each point's parameters, KPI verdicts, key metrics (mean and 95 %
/// half-width), broken invariants and replay command. Rows go in point order, so a merged
/// sweep's database is built from exactly the rows (and in the same order) as the unsharded one.
enum SweepDatabase {
    /// `sweep.schema_version`; a change to a table bumps it.
    static let schemaVersion = 1

    static let schema = """
        CREATE TABLE sweep (
          schema_version INTEGER NOT NULL,
          scenario TEXT NOT NULL,
          source TEXT NOT NULL,
          seed_override TEXT,               -- NULL: each point keeps its scenario's seed
          replications_override INTEGER,
          points_total INTEGER NOT NULL,
          shard TEXT                        -- 'i/n' for one shard's file, NULL for a whole sweep
        );
        CREATE TABLE parameter (
          position INTEGER PRIMARY KEY,     -- 1-based: the first parameter varies slowest
          key TEXT NOT NULL,
          value_list TEXT NOT NULL          -- the values, comma-separated, as given
        );
        CREATE TABLE point (
          point INTEGER PRIMARY KEY,        -- the point's index in the whole grid, from 0
          seed TEXT NOT NULL,
          replications INTEGER NOT NULL,
          passed INTEGER NOT NULL,          -- 1: every KPI passed and no invariant broke
          replay TEXT NOT NULL
        );
        CREATE TABLE point_parameter (
          point INTEGER NOT NULL REFERENCES point(point),
          key TEXT NOT NULL,
          value TEXT NOT NULL,
          PRIMARY KEY (point, key)
        );
        CREATE TABLE point_kpi (
          point INTEGER NOT NULL REFERENCES point(point),
          position INTEGER NOT NULL,        -- order in the scenario
          expression TEXT NOT NULL,
          metric TEXT NOT NULL,
          value REAL,
          passed INTEGER NOT NULL,
          PRIMARY KEY (point, position)
        );
        CREATE TABLE point_metric (
          point INTEGER NOT NULL REFERENCES point(point),
          key TEXT NOT NULL,                -- summary metric name: api.latency.p95, cost.total
          mean REAL,
          ci95 REAL,
          PRIMARY KEY (point, key)
        );
        CREATE TABLE point_invariant_broken (
          point INTEGER NOT NULL REFERENCES point(point),
          description TEXT NOT NULL
        );
        """

    /// Writes `result` into a new database at `path` (which must not exist) in one transaction.
    static func write(_ result: SweepResult, to path: String) throws {
        guard !FileManager.default.fileExists(atPath: path) else {
            throw SQLiteConnection.Failure(description: "\(path): exists; sweep.sqlite is written into a new file only")
        }
        let database = try SQLiteConnection(path: path)
        try database.execute("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; BEGIN;")
        try database.execute(schema)
        let header = result.header
        try database.insert("INSERT INTO sweep VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", rows: [[
            .integer(Int64(schemaVersion)), text(header.member("scenario")), text(header.member("source")),
            header.member("seed_override")?.text.map { .text($0) } ?? .null,
            header.member("replications_override")?.number.map { .integer(Int64($0)) } ?? .null,
            .integer(Int64(result.pointsTotal)), result.shard.map { .text($0.description) } ?? .null,
        ]])
        try database.insert("INSERT INTO parameter VALUES (?1, ?2, ?3)",
                            rows: (header.member("parameters")?.array ?? []).enumerated().map { position, parameter in
            [.integer(Int64(position + 1)), text(parameter.member("key")),
             .text((parameter.member("values")?.array ?? []).compactMap(\.text).joined(separator: ","))]
        })
        var points: [[SQLiteConnection.Value]] = [], parameters: [[SQLiteConnection.Value]] = []
        var kpis: [[SQLiteConnection.Value]] = [], metrics: [[SQLiteConnection.Value]] = []
        var broken: [[SQLiteConnection.Value]] = []
        for (index, json) in result.points {
            let point = SQLiteConnection.Value.integer(Int64(index))
            points.append([point, text(json.member("seed")), .integer(Int64(json.member("replications")?.number ?? 0)),
                           .integer(json.member("passed")?.bool == true ? 1 : 0), text(json.member("replay"))])
            for (key, value) in json.member("parameters")?.members ?? [] { parameters.append([point, .text(key), text(value)]) }
            for (position, kpi) in (json.member("kpis")?.array ?? []).enumerated() {
                kpis.append([point, .integer(Int64(position + 1)), text(kpi.member("expr")), text(kpi.member("metric")),
                             .finite(kpi.member("value")?.number), .integer(kpi.member("passed")?.bool == true ? 1 : 0)])
            }
            for (key, figure) in json.member("metrics")?.members ?? [] {
                metrics.append([point, .text(key), .finite(figure.member("mean")?.number), .finite(figure.member("ci95")?.number)])
            }
            for description in json.member("invariants_broken")?.array ?? [] { broken.append([point, text(description)]) }
        }
        try database.insert("INSERT INTO point VALUES (?1, ?2, ?3, ?4, ?5)", rows: points)
        try database.insert("INSERT INTO point_parameter VALUES (?1, ?2, ?3)", rows: parameters)
        try database.insert("INSERT INTO point_kpi VALUES (?1, ?2, ?3, ?4, ?5, ?6)", rows: kpis)
        try database.insert("INSERT INTO point_metric VALUES (?1, ?2, ?3, ?4)", rows: metrics)
        try database.insert("INSERT INTO point_invariant_broken VALUES (?1, ?2)", rows: broken)
        try database.execute("COMMIT;")
    }

    private static func text(_ value: JSONValue?) -> SQLiteConnection.Value {
        .text(value?.text ?? "")
    }
}
