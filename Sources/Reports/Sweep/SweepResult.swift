// SweepResult.swift — what a sweep (or one shard of it) found: `sweep.json` and `sweep.md`.

import Scenarios

// MARK: - SweepResult

/// The evaluated points of a sweep: written as `sweep.json` by `simrun sweep` (all points, or
/// one shard's), read back and combined by `simrun merge`.
///
/// The file is a function of the sweep's definition and its points only (never of the shard
/// layout, the machine or the number of threads), so merging every shard of a sweep gives
/// the same bytes as running it whole.
public struct SweepResult: Sendable {
    /// What defines the sweep; shards of one sweep carry the same header.
    public var header: JSONValue
    /// Shard `i/n` when the file holds one shard's points; `nil` for a whole sweep.
    public var shard: Shard?
    /// The points' total number in the whole sweep.
    public var pointsTotal: Int
    /// The evaluated points, by increasing index: `(index, object)`.
    public var points: [(index: Int, json: JSONValue)]

    /// The metrics every point reports (when the run has them), besides its KPIs' own.
    public static let keyMetrics = [
        "api.latency.p95", "api.throughput.max", "api.error_rate", "db.qps.max", "db.replica.lag.max",
        "cache.hit_rate", "queue.depth.max", "api.instances.max", "cost.total",
    ]

    /// Points that failed a KPI or broke an invariant.
    public var failedPoints: Int { points.filter { $0.json.member("passed")?.bool != true }.count }

    /// 3 when a point broke an invariant, else 1 when a point failed a KPI, else 0.
    public var exitCode: Int32 {
        if points.contains(where: { !($0.json.member("invariants_broken")?.array?.isEmpty ?? true) }) { return 3 }
        return failedPoints > 0 ? 1 : 0
    }

    // MARK: sweep.json

    /// `sweep.json`: the header's members, `points_total`, `shard` (only for a shard) and `points`.
    public var json: JSONValue {
        guard case .object(var members) = header else { preconditionFailure("a sweep header is an object") }
        members.append(("points_total", .int(pointsTotal)))
        if let shard { members.append(("shard", .string(shard.description))) }
        members.append(("points", .array(points.map(\.json))))
        return .object(members)
    }

    /// The header of a sweep of `path` over `grid`, with the command line's seed and
    /// replications (`null` when each point keeps its scenario's).
    static func header(scenario: String, path: String, grid: SweepGrid, seed: UInt64?, replications: Int?) -> JSONValue {
        .object([
            ("kind", .string("sweep")),
            ("scenario", .string(scenario)),
            ("source", .string(path)),
            ("seed_override", seed.map { .string(String($0)) } ?? .null),
            ("replications_override", replications.map { .int($0) } ?? .null),
            ("parameters", .array(grid.parameters.map { parameter in
                .object([("key", .string(parameter.keyPath.description)),
                         ("values", .array(parameter.values.map { .string($0) }))])
            })),
        ])
    }

    /// One point's object: its settings, verdicts, key metrics with their 95 % half-widths, and
    /// the command that replays it.
    static func point(index: Int, settings: [ParameterSetting], report: RunReport) -> JSONValue {
        let summary = report.summaryJSON
        var metricKeys = report.verdicts.map(\.summaryMember)
        metricKeys += keyMetrics
        var seen: [String] = []
        var metrics: [(String, JSONValue)] = []
        for key in metricKeys where !seen.contains(key) {
            seen.append(key)
            guard case .object(let all)? = summary.value(at: "metrics"),
                  let figure = all.first(where: { $0.0 == key })?.1 else { continue }
            metrics.append((key, figure))
        }
        return .object([
            ("index", .int(index)),
            ("parameters", .object(settings.map { ($0.keyPath.description, .string($0.value)) })),
            ("seed", .string(String(report.seed))),
            ("replications", .int(report.replications)),
            ("passed", .bool(report.passed && report.brokenInvariants.isEmpty)),
            ("kpis", .array(report.verdicts.map(\.json))),
            ("invariants_broken", .array(report.brokenInvariants.map { .string($0) })),
            ("metrics", .object(metrics)),
            ("replay", .string(report.replayCommand)),
        ])
    }
}
